#!/usr/bin/env python3
"""numpy reference for bench/hw.bench.ts: Hamilton-Wu (2012) minimum-chi-square estimation on the
month-end GSW panel 1990-01..2025-06, with the project's numpy oracle (reference/hw_reference.py,
imported from ../shared via sys.path: the same recipe, vectorised numpy as its author wrote it).

Timed like yardstick's fitHamiltonWu: reduced form + 35-start Levenberg-Marquardt + structural
parameters + fitted / risk-neutral / term-premium yields at every maturity 1..120 months
(estimate_hw + decompose_hw, form "real"): median of 3 runs (each takes seconds; Python has no
JIT to warm up); and the same with one start, median of 10 after 2 warm-ups. Prints one JSON
line: timings in ms plus chi2 and the last tp10 for a cross-check. Prints {"available": 0} when
../shared/reference is absent.
"""
import csv
import gzip
import io
import json
import os
import sys
import time

import numpy as np
from timing import median_ms  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("YARDSTICK_SHARED", os.path.join(REPO, "..", "shared"))
REF = os.path.join(SHARED, "reference")


def load_panel():
    path = os.path.join(REPO, "test", "fixtures", "termstructure", "gsw_month_end_1_120.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = list(csv.reader(io.StringIO(fh.read())))
    mats = [int(m) for m in rows[0][1:]]
    dates = [r[0] for r in rows[1:]]
    Y = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    keep = np.array(["1990-01" <= d[:7] <= "2025-06" for d in dates])
    return [d for d, k in zip(dates, keep) if k], mats, Y[keep]



def main():
    if not os.path.exists(os.path.join(REF, "hw_reference.py")):
        print(json.dumps({"available": 0}))
        return
    sys.path.insert(0, REF)
    from hw_reference import decompose_hw, estimate_hw  # noqa: E402

    dates, mats, Y = load_panel()
    col = {m: j for j, m in enumerate(mats)}
    y1m, y2m = (12, 36, 60), (24, 84, 120)
    Y1 = Y[:, [col[m] for m in y1m]]
    Y2 = Y[:, [col[m] for m in y2m]]
    out_mats = tuple(range(1, 121))

    def fit(starts=None):
        est = estimate_hw(Y1, Y2, y1m, y2m, starts=starts, form="real")
        return est, decompose_hw(est, Y1, out_mats)

    one = [np.array([0.999, 0.95, 0.9])]
    out = {"available": 1, "n_obs": len(dates)}
    out["fit35_ms"] = median_ms(lambda: fit(), reps=3, warmup=0)  # seconds per run: no warm-up needed
    out["fit1_ms"] = median_ms(lambda: fit(one), reps=10, warmup=2)
    est, dec = fit()
    out["chi2"] = float(est["chi2"])
    out["tp10_last"] = float(dec["tp120"][-1])
    out["nfev"] = int(est["nfev"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
