/**
 * Lags and leads by a whole number of observations (not calendar time): lag(s, 6) on a monthly
 * series is the value six months earlier only if the series has no missing months, which is why
 * resample.ts emits gap-free period grids. Dates are unchanged; the ends are NaN-filled.
 */
import { ModelError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { derived, deriveMeta, requireInt } from "./common.ts";

/** `out[i] = x[i - k]` (k > 0 lags, k < 0 leads); positions with no source are NaN. Kernel of lag/lead. */
export function shiftValues(x: Float64Array, k: number): Float64Array {
  if (!Number.isInteger(k)) throw new ModelError(`shiftValues: k must be an integer, got ${k}`);
  const n = x.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = Math.max(0, k); i < Math.min(n, n + k); i++) out[i] = x[i - k];
  return out;
}

/**
 * Value `k` observations earlier at each date: `lag(s, k)[t] = s[t - k]`, k >= 0 (0 copies).
 * NaN policy: NaN inputs propagate (moved k rows later); the first k values are NaN.
 */
export function lag(s: Series, k: number): Series {
  requireInt("lag", "k", k, 0);
  return derived(
    s,
    shiftValues(s.values, k),
    deriveMeta(s.meta, { suffix: `lag ${k} obs`, note: `lagged ${k} observations` }),
  );
}

/**
 * Value `k` observations later at each date: `lead(s, k)[t] = s[t + k]`, k >= 0. This looks
 * ahead by construction: use it to build targets, never signals.
 * NaN policy: NaN inputs propagate (moved k rows earlier); the last k values are NaN.
 */
export function lead(s: Series, k: number): Series {
  requireInt("lead", "k", k, 0);
  return derived(
    s,
    shiftValues(s.values, -k),
    deriveMeta(s.meta, { suffix: `lead ${k} obs`, note: `led ${k} observations (look-ahead)` }),
  );
}
