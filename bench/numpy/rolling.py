#!/usr/bin/env python3
"""numpy reference for bench/rolling.bench.ts: rolling Pearson correlation, window 1260 (60 months x
21 trading days), n = 16000 daily observations.

If pandas imports: pd.Series(x).rolling(w).corr(pd.Series(y)), what a pandas user writes. Else the
vectorised numpy a numpy user writes: windowed sums from cumulative sums, then
cov = Sxy - Sx Sy / w and var = Sxx - Sx^2 / w (O(n), but the subtraction cancels when the
mean is large relative to the spread; yardstick avoids that, see src/transforms/rolling.ts).
Both inputs are complete (no NaN), as after alignPair. Timed as bench/lib.ts timeMs does: median
of 20 runs after 3 warm-ups. Prints one JSON line: timing, which method ran, and three output
values for a cross-check on the same deterministic input.
"""
import json
import time

import numpy as np
from timing import median_ms  # noqa: E402

N = 16000
W = 60 * 21


def inputs(n):
    """Deterministic input shared with rolling.bench.ts (no RNG): two related daily return-like series."""
    t = np.arange(n, dtype=float)
    x = np.sin(0.37 * t) + 0.5 * np.sin(0.011 * t)
    y = 0.3 * x + np.cos(1.3 * t) + 0.2 * np.sin(0.0021 * t)
    return x, y


def corr_cumsum(x, y, w):
    def wsum(a):
        c = np.cumsum(a)
        out = c[w - 1:].copy()
        out[1:] -= c[:-w]
        return out

    sx, sy = wsum(x), wsum(y)
    sxx, syy, sxy = wsum(x * x), wsum(y * y), wsum(x * y)
    cov = sxy - sx * sy / w
    vx = sxx - sx * sx / w
    vy = syy - sy * sy / w
    r = np.full(len(x), np.nan)
    r[w - 1:] = cov / np.sqrt(vx * vy)
    return r



def main():
    x, y = inputs(N)
    try:
        import pandas as pd

        xs, ys = pd.Series(x), pd.Series(y)
        fn = lambda: xs.rolling(W).corr(ys).to_numpy()  # noqa: E731
        pandas = 1
    except ImportError:
        fn = lambda: corr_cumsum(x, y, W)  # noqa: E731
        pandas = 0
    r = fn()
    print(
        json.dumps(
            {
                "pandas": pandas,
                "ms": median_ms(fn),
                "r_first": float(r[W - 1]),
                "r_mid": float(r[N // 2]),
                "r_last": float(r[-1]),
            }
        )
    )


if __name__ == "__main__":
    main()
