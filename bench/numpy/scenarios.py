#!/usr/bin/env python3
"""numpy reference for bench/scenarios.bench.ts: policy-path fair values, 3 paths x 24 dates x 3 maturities.

Same algorithm as yardstick (src/scenarios/policy-path.ts, fair-value.ts): monthly paths from
moves (n moves of a year at months floor(12 (k + 1/2) / n), capped at the terminal level),
points (linear in months, held after the last) and flat; the expected-rate component is the
window average of the path mixed with the uniform-arrival recession branch
R = (sum_i r_i (N - i) + f N (N + 1) / 2) / N^2. Window sums by prefix sums (the vectorised
way to write it in numpy). Timed from the scenario's numbers to the fair values, median of 200
runs after 20 warm-ups. Prints one JSON line: the timing and the sum of all fair values.
"""
import json
import time

import numpy as np
from timing import median_ms  # noqa: E402

START, P, TP, FLOOR = 0.08, 0.14, 1.0, 0.0
MOVES = {2022: 3, 2023: 4, 2024: 3, 2025: 2}
TERMINAL = 2.8
POINTS = [(6, 0.35), (12, 0.85), (24, 1.40), (36, 1.60)]  # month index after 2021-12
MATURITIES = np.array([2, 5, 10])
EVAL = np.arange(24)
MONTHS = 24 + 120 + 1


def moves_path():
    steps = np.zeros(MONTHS)
    for year, n in MOVES.items():
        first = (year - 2022) * 12 + 1  # January of `year` as a month index after Dec 2021
        k = np.arange(n)
        idx = first + np.floor(12 * (k + 0.5) / n).astype(int)
        np.add.at(steps, idx[idx < MONTHS], 0.25)
    return np.minimum(START + np.cumsum(steps), TERMINAL)


def points_path():
    xs = np.array([0] + [m for m, _ in POINTS], dtype=float)
    ys = np.array([START] + [v for _, v in POINTS])
    return np.interp(np.arange(MONTHS, dtype=float), xs, ys)


def fair_values(paths):
    n = (MATURITIES * 12)[None, :]  # 1 x 3
    e = EVAL[:, None]  # 24 x 1
    out = []
    for r in paths:
        j = np.arange(len(r))
        c0 = np.concatenate(([0.0], np.cumsum(r)))
        c1 = np.concatenate(([0.0], np.cumsum(j * r)))
        s = c0[e + n + 1] - c0[e + 1]
        si = (c1[e + n + 1] - c1[e + 1]) - e * s  # sum_i i r_{e+i}
        avg = s / n
        rec = (n * s - si + FLOOR * n * (n + 1) / 2) / (n * n)
        out.append((1 - P) * avg + P * rec + TP)
    return np.stack(out)


def run():
    return fair_values([moves_path(), points_path(), np.full(MONTHS, START)])



def main():
    fv = run()
    assert fv.shape == (3, 24, 3)
    print(json.dumps({"evaluate_ms": median_ms(run, reps=200, warmup=20), "checksum": float(fv.sum())}))


if __name__ == "__main__":
    main()
