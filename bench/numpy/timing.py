"""Timing shared by the numpy references: median wall time in ms after untimed warm-up runs,
the same policy as bench/lib.ts `timeMs`, so the two columns compare like with like."""
import time

import numpy as np


def median_ms(fn, reps=20, warmup=3):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))
