#!/usr/bin/env python3
"""numpy side of bench/nss.bench.ts: one NSS refit of a day's SVENY01..30, timed the same way
(median of REPS runs after WARMUP).

Uses the numpy oracle's own fit (shared/reference/nss_reference.py: fit_nss = variable projection
on a 60 x 60 log-tau grid, Nelder-Mead from the 12 best grid-local minima, Levenberg-Marquardt
polish, NS chosen when it fits to 0.6e-4 percent), i.e. the numpy approach as its author wrote it.
Reads the same inputs as the TypeScript side (test/fixtures/curves/gsw_days.csv). Prints one JSON
line: per day the median ms and the fit's max node error in bp ("<day>:err_bp"); {} when the
oracle is not available (../shared absent).

Args: --fixture CSV --reps N --warmup N DAY [DAY ...]
"""
import argparse
import csv
import json
import math
import os
import sys
import time

import numpy as np
from timing import median_ms  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("YARDSTICK_SHARED") or os.path.join(HERE, "..", "..", "..", "shared")
sys.path.insert(0, os.path.join(SHARED, "reference"))
try:
    from nss_reference import fit_nss  # noqa: E402
except ImportError:
    print("{}")
    sys.exit(0)



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("days", nargs="+")
    a = ap.parse_args()
    with open(a.fixture, newline="") as fh:
        rows = {r["date"]: r for r in csv.DictReader(fh)}
    mats = np.arange(1, 31, dtype=float)
    out = {}
    for day in a.days:
        y = np.array([float(rows[day][f"SVENY{n:02d}"]) if rows[day][f"SVENY{n:02d}"] else math.nan
                      for n in range(1, 31)])
        res = fit_nss(mats, y)
        out[day] = median_ms(lambda: fit_nss(mats, y), a.reps, a.warmup)
        out[f"{day}:err_bp"] = res["max_err"] * 100.0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
