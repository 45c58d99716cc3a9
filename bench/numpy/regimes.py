#!/usr/bin/env python3
"""numpy reference for bench/regimes.bench.ts ("pairing + rolling corr/beta + bands" row).

For each daily relation given on the command line (JSON: files, columns, units; "tr" marks the
Treasury total-return index built from DGS10), as a numpy user would write it:
- Treasury index: par-bond carry - duration x dy + 1/2 convexity x dy^2, vectorised over days;
  no return across gaps longer than 10 days (the level is carried), as src/regimes/treasury-index.ts.
- pairing: drop missing values, np.intersect1d on the dates, log returns in percent for prices and
  differences for series in percent; changes spanning more than 7 calendar days are dropped.
- per window (60, 250): windowed sums from cumulative sums of the demeaned data (demeaning first
  limits the cancellation of sum(x^2) - sum(x)^2/w), correlation, Fisher-z band, OLS beta, its
  standard error and t band (scipy.stats.t.ppf if scipy imports, else the normal quantile).
CSV loading is not timed. Timing as bench/lib.ts timeMs: median of 15 runs after 3 warm-ups.
Prints one JSON line: ms, whether scipy was used, and the last correlation / beta / lower
correlation band / upper beta band of every relation and window (v0, v1, ...) for a cross-check.
"""
import csv
import json
import math
import sys
import time

import numpy as np
from timing import median_ms  # noqa: E402

try:
    from scipy.stats import t as student_t

    HAVE_SCIPY = 1
except ImportError:  # pragma: no cover
    student_t = None
    HAVE_SCIPY = 0

Z975 = 1.959963984540054
MISSING = {"", ".", "NA", "NaN", "#N/A", "null"}


def load(path, column):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    k = header.index(column)
    dates = np.array([r[0][:10] for r in rows[1:]], dtype="datetime64[D]")
    vals = np.array([float(r[k]) if r[k] not in MISSING else np.nan for r in rows[1:]])
    return dates, vals


def treasury_index(dates, y_pct, years=10, max_gap=10):
    ok = ~np.isnan(y_pct)
    d = dates[ok]
    y = y_pct[ok] / 100
    dt = (d[1:] - d[:-1]).astype(float)
    y0 = y[:-1]
    dy = y[1:] - y0
    one_minus = -np.expm1(-2 * years * np.log1p(y0 / 2))
    dur = one_minus / y0
    v2n1 = np.exp(-(2 * years + 1) * np.log1p(y0 / 2))
    conv = 2 * one_minus / y0**2 - 2 * years * v2n1 / y0
    r = y0 * dt / 365 - dur * dy + 0.5 * conv * dy * dy
    r[dt > max_gap] = 0.0
    level = 100 * np.concatenate(([1.0], np.cumprod(1 + r)))
    return d, level


def pair(x, y, x_change, y_change, max_gap=7):
    (dx, vx), (dy_, vy) = x, y
    okx = ~np.isnan(vx)
    oky = ~np.isnan(vy)
    dx, vx = dx[okx], vx[okx]
    dy_, vy = dy_[oky], vy[oky]
    common, ix, iy = np.intersect1d(dx, dy_, assume_unique=True, return_indices=True)
    a = vx[ix]
    b = vy[iy]
    cx = np.diff(a) if x_change else 100 * np.diff(np.log(a))
    cy = np.diff(b) if y_change else 100 * np.diff(np.log(b))
    keep = (common[1:] - common[:-1]).astype(int) <= max_gap
    return cx[keep], cy[keep]


def rolling(x, y, w, tq):
    x = x - x.mean()
    y = y - y.mean()

    def wsum(a):
        c = np.concatenate(([0.0], np.cumsum(a)))
        return c[w:] - c[:-w]

    sx, sy = wsum(x), wsum(y)
    sxx, syy, sxy = wsum(x * x), wsum(y * y), wsum(x * y)
    vx = sxx - sx * sx / w
    vy = syy - sy * sy / w
    cov = sxy - sx * sy / w
    r = np.clip(cov / np.sqrt(vx * vy), -1, 1)
    z = np.arctanh(r)
    h = Z975 / math.sqrt(w - 3)
    lo, hi = np.tanh(z - h), np.tanh(z + h)
    beta = cov / vx
    rss = np.maximum(vy - cov * cov / vx, 0)
    se = np.sqrt(rss / (w - 2) / vx)
    return r, lo, hi, beta, beta - tq * se, beta + tq * se



def main():
    spec = json.loads(sys.argv[1])
    windows = spec["windows"]
    loaded = {}
    jobs = []
    for p in spec["pairs"]:
        side = []
        for path, col, units, kind in (p["x"], p["y"]):
            key = (path, col)
            if key not in loaded:
                loaded[key] = load(path, col)
            side.append((loaded[key], units == "percent" and kind != "tr", kind == "tr"))
        jobs.append(side)
    tq = {w: (student_t.ppf(0.975, w - 2) if HAVE_SCIPY else Z975) for w in windows}
    out = []

    def work():
        out.clear()
        for (xd, x_change, x_tr), (yd, y_change, _) in jobs:
            x = treasury_index(*xd) if x_tr else xd
            cx, cy = pair(x, yd, x_change, y_change)
            for w in windows:
                r, lo, hi, beta, blo, bhi = rolling(cx, cy, w, tq[w])
                out.extend([r[-1], beta[-1], lo[-1], bhi[-1]])

    ms = median_ms(work, reps=15, warmup=3)
    res = {"ms": ms, "scipy": HAVE_SCIPY}
    for i, v in enumerate(out):
        res[f"v{i}"] = float(v)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
