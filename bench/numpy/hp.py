#!/usr/bin/env python3
"""numpy/scipy reference for bench/hp.bench.ts: Hodrick-Prescott trend, lambda = 129600, n = 600 and 20000.

Same algorithm as yardstick: solve the symmetric pentadiagonal system (I + lambda D'D) tau = y.
With scipy: scipy.linalg.solveh_banded (LAPACK banded Cholesky, what a numpy user would call).
Without scipy: a dense numpy.linalg.solve for n = 600 and, for n = 20000 (a dense 20000^2 matrix is
3.2 GB), a banded LDL' written with numpy arrays (python loops: numpy has no banded solver).
Timed from y to trend (building the bands included), median of 20 runs after 3 warm-ups, like
bench/lib.ts timeMs. Prints one JSON line: timings in ms, which method ran, and two trend values
for a cross-check with yardstick on the same deterministic input.
"""
import json
import math
import time

import numpy as np
from timing import median_ms  # noqa: E402

LAMBDA = 129600.0


def series(n):
    """Deterministic input shared with hp.bench.ts: trend + 8-year cycle + wiggle (no RNG)."""
    t = np.arange(n, dtype=float)
    return 5.0 + 0.002 * t + 0.8 * np.sin(2 * np.pi * t / 96.0) + 0.1 * np.sin(1.7 * t)


def bands(n, lam):
    d0 = np.full(n, 6.0)
    d0[[0, -1]] = 1.0
    d0[[1, -2]] = 5.0
    d1 = np.full(n - 1, -4.0)
    d1[[0, -1]] = -2.0
    return 1.0 + lam * d0, lam * d1, lam * np.ones(n - 2)


def hp_scipy(y, lam):
    from scipy.linalg import solveh_banded

    n = len(y)
    a0, a1, a2 = bands(n, lam)
    ab = np.zeros((3, n))
    ab[0, 2:] = a2
    ab[1, 1:] = a1
    ab[2, :] = a0
    return solveh_banded(ab, y, check_finite=False)


def hp_dense(y, lam):
    n = len(y)
    D = np.zeros((n - 2, n))
    idx = np.arange(n - 2)
    D[idx, idx] = 1.0
    D[idx, idx + 1] = -2.0
    D[idx, idx + 2] = 1.0
    return np.linalg.solve(np.eye(n) + lam * D.T @ D, y)


def hp_banded_numpy(y, lam):
    n = len(y)
    a0, a1, a2 = bands(n, lam)
    d = np.zeros(n)
    l1 = np.zeros(n)
    l2 = np.zeros(n)
    for i in range(n):
        s0 = a0[i]
        if i >= 2:
            l2[i] = a2[i - 2] / d[i - 2]
            s0 -= l2[i] * l2[i] * d[i - 2]
        if i >= 1:
            s = a1[i - 1] - (l2[i] * d[i - 2] * l1[i - 1] if i >= 2 else 0.0)
            l1[i] = s / d[i - 1]
            s0 -= l1[i] * l1[i] * d[i - 1]
        d[i] = s0
    z = y.astype(float).copy()
    for i in range(1, n):
        z[i] -= l1[i] * z[i - 1] + (l2[i] * z[i - 2] if i >= 2 else 0.0)
    z /= d
    for i in range(n - 2, -1, -1):
        z[i] -= l1[i + 1] * z[i + 1] + (l2[i + 2] * z[i + 2] if i + 2 < n else 0.0)
    return z



def main():
    try:
        import scipy.linalg  # noqa: F401

        have_scipy = True
    except ImportError:
        have_scipy = False
    out = {"scipy": 1 if have_scipy else 0}
    for n in (600, 20000):
        y = series(n)
        if have_scipy:
            fn = lambda: hp_scipy(y, LAMBDA)  # noqa: E731
        elif n <= 600:
            fn = lambda: hp_dense(y, LAMBDA)  # noqa: E731
        else:
            fn = lambda: hp_banded_numpy(y, LAMBDA)  # noqa: E731
        reps = 20 if have_scipy or n <= 600 else 3
        out[f"n{n}_ms"] = median_ms(fn, reps=reps, warmup=1 if reps == 3 else 3)
        tau = fn()
        out[f"n{n}_trend_first"] = float(tau[0])
        out[f"n{n}_trend_mid"] = float(tau[n // 2])
        out[f"n{n}_trend_last"] = float(tau[-1])
    assert all(math.isfinite(v) for v in out.values())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
