#!/usr/bin/env python3
"""numpy side of bench/acm.bench.ts: the same ACM work, timed the same way (median of 20 runs after
3 warm-ups; the 500-replication loop is timed once).

Single-threaded BLAS (see below). Uses the numpy oracle's own functions (shared/reference/acm_reference.py: estimate_acm,
affine_loadings, factors_for) and vectorised numpy for the rest (pricing every maturity at once,
the pre-1982 fed funds fix on pre-parsed arrays), as a numpy user would write it. Prints one JSON
line; prints {} when the oracle is not available (../shared absent).

Args: --panel GZ --end YYYY-MM [--ffr CSV] [--daily RAW_F64 --daily-rows T] [--boot N]
"""
import argparse
import csv
import gzip
import json
import os
import sys
import time

# One BLAS thread, like the single-threaded JS side: on a shared 2-core machine OpenBLAS's
# worker threads compete with the other core's load and make timings swing (set the variables
# to override).
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
from timing import median_ms  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("YARDSTICK_SHARED") or os.path.join(HERE, "..", "..", "..", "shared")
sys.path.insert(0, os.path.join(SHARED, "reference"))
try:
    from acm_reference import affine_loadings, estimate_acm, factors_for  # noqa: E402
except ImportError:
    print("{}")
    sys.exit(0)

RX = [6, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120]
MATS = list(range(1, 121))



def load_panel(path, end):
    with gzip.open(path, "rt") as fh:
        rdr = csv.reader(fh)
        next(rdr)
        rows = [r for r in rdr if r[0][:7] <= end]
    months = np.array([r[0][:7] for r in rows], dtype="datetime64[M]")
    return months, np.array([[float(v) for v in r[1:]] for r in rows])


def load_ffr(path):
    months, vals = [], []
    with open(path) as fh:
        rdr = csv.reader(fh)
        next(rdr)
        for r in rdr:
            if len(r) >= 2 and r[1].strip() not in ("", "."):
                months.append(r[0][:7])
                vals.append(float(r[1]))
    return np.array(months, dtype="datetime64[M]"), np.array(vals)


def ffr_fix(months, y1, ff_m, ff_v, cutoff=np.datetime64("1982-01", "M")):
    """The oracle's smooth_pre1982_short_rate on pre-parsed arrays (it re-reads the CSV itself)."""
    pos = np.searchsorted(ff_m, months)
    pos = np.minimum(pos, len(ff_m) - 1)
    has = ff_m[pos] == months
    ff = np.where(has, ff_v[pos], np.nan)
    fit = has & (months >= cutoff)
    X = np.column_stack([np.ones(fit.sum()), ff[fit]])
    a, b = np.linalg.lstsq(X, y1[fit], rcond=None)[0]
    out = y1.copy()
    rep = has & (months < cutoff)
    out[rep] = a + b * ff[rep]
    return out


def estimate(months, Y, ffr):
    if ffr is not None:
        Y = Y.copy()
        Y[:, 0] = ffr_fix(months, Y[:, 0], *ffr)
    est = estimate_acm(Y, MATS, n_factors=5, rx_maturities=RX, sigma_ddof=1)
    A, B = affine_loadings(est, 120)
    Ar, Br = affine_loadings(est, 120, risk_neutral=True)
    return est, Y, (A, B, Ar, Br)


def price(load, X):
    A, B, Ar, Br = load
    scale = -1200.0 / np.arange(1, 121)
    fit = scale * (A[1:] + X @ B[1:].T)
    rny = scale * (Ar[1:] + X @ Br[1:].T)
    return fit, rny, fit - rny


def full_fit(months, Y, ffr):
    est, Yf, load = estimate(months, Y, ffr)
    fit, rny, tp = price(load, est["X"])
    err = (fit - Yf) * 100.0
    return tp, np.sqrt((err ** 2).mean(axis=0)), err.mean(axis=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--panel", required=True)
    ap.add_argument("--end", default="2025-06")
    ap.add_argument("--ffr", default="")
    ap.add_argument("--daily", default="")
    ap.add_argument("--daily-rows", type=int, default=0)
    ap.add_argument("--boot", type=int, default=500)
    args = ap.parse_args()

    months, Y = load_panel(args.panel, args.end)
    ffr = load_ffr(args.ffr) if args.ffr else None
    out = {}
    out["fit"] = median_ms(lambda: full_fit(months, Y, ffr))
    out["estimate"] = median_ms(lambda: estimate(months, Y, ffr))
    tp, _, _ = full_fit(months, Y, ffr)
    out["check_tp120_last"] = float(tp[-1, 119])

    if args.daily and args.daily_rows:
        Yd = np.fromfile(args.daily, dtype="<f8").reshape(args.daily_rows, 120)
        est, _, load = estimate(months, Y, ffr)

        def daily():
            Xd = factors_for(est, Yd, MATS)
            return price(load, Xd)

        out["daily"] = median_ms(daily, reps=10)
        out["check_daily_tp120_mean"] = float(daily()[2][:, 119].mean())

    # bootstrap-style: re-estimate on 8 perturbed panels in turn (1 bp noise), sequentially
    rng = np.random.default_rng(1)
    panels = [Y + 0.01 * rng.standard_normal(Y.shape) for _ in range(8)]
    for i in range(32):  # same warm-up as the JS side
        estimate(months, panels[i % 8], ffr)
    t0 = time.perf_counter()
    for i in range(args.boot):
        estimate(months, panels[i % 8], ffr)
    out["boot"] = (time.perf_counter() - t0) * 1e3
    print(json.dumps(out))


if __name__ == "__main__":
    main()
