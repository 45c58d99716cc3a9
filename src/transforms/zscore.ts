/**
 * Standardisation z_t = (x_t − mean) / sd, the "standardise" step of the composite macro scores
 * (METHODS.md §2). Both versions are as-of honest: the mean and sd at t use observations up to
 * and including t, never later ones, so a score built on them could have been computed on date t
 * (a full-sample z-score would leak the future into every past value). sd uses ddof = 1.
 * Units of the result: standard deviations.
 */
import type { Series } from "../core/series.ts";
import { derived, deriveMeta, requireInt, resolveMinPeriods } from "./common.ts";
import { windowMoments } from "./rolling.ts";

export interface ZscoreOptions {
  /** Valid observations the window (or the history so far) needs; see each function for the default. */
  minPeriods?: number;
  /** Delta degrees of freedom of the sd: 1 (sample, default) or 0. */
  ddof?: number;
}

/**
 * z of x_t against the `window` observations ending at t (t included).
 * NaN policy: NaN skipped in the window; NaN at t gives NaN; NaN where the window holds fewer than
 * `minPeriods` (default `window`) valid values or has zero dispersion (z undefined).
 */
export function zscoreRollingValues(x: Float64Array, window: number, opts: ZscoreOptions = {}): Float64Array {
  const ddof = opts.ddof ?? 1;
  requireInt("zscoreRolling", "ddof", ddof, 0);
  requireInt("zscoreRolling", "window", window, ddof + 1);
  const minP = resolveMinPeriods("zscoreRolling", opts.minPeriods, window, ddof + 1, window);
  const { count, mean, m2 } = windowMoments(x, window);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const sd = Math.sqrt(m2[i] / (count[i] - ddof));
    out[i] = count[i] >= minP && sd > 0 ? (x[i] - mean[i]) / sd : Number.NaN;
  }
  return out;
}

/**
 * z of x_t against all valid observations up to and including t (expanding window; Welford's
 * update, so no cancellation however long the history).
 * NaN policy: NaN skipped; NaN at t gives NaN; NaN until `minPeriods` (default 2, the least an
 * sd needs; raise it, early z-scores are noise) valid values, and where the history so far is
 * constant.
 */
export function zscoreExpandingValues(x: Float64Array, opts: ZscoreOptions = {}): Float64Array {
  const ddof = opts.ddof ?? 1;
  requireInt("zscoreExpanding", "ddof", ddof, 0);
  const minP = resolveMinPeriods("zscoreExpanding", opts.minPeriods, Math.max(2, ddof + 1), ddof + 1);
  const out = new Float64Array(x.length).fill(Number.NaN);
  let c = 0;
  let m = 0;
  let q = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) continue;
    c += 1;
    const d = v - m;
    m += d / c;
    q += d * (v - m);
    const sd = Math.sqrt(q / (c - ddof));
    if (c >= minP && sd > 0) out[i] = (v - m) / sd;
  }
  return out;
}

/** Rolling z-score over `window` observations; see `zscoreRollingValues` for the NaN policy. */
export function zscoreRolling(s: Series, window: number, opts: ZscoreOptions = {}): Series {
  return derived(
    s,
    zscoreRollingValues(s.values, window, opts),
    deriveMeta(s.meta, {
      suffix: `${window}-obs rolling z-score`,
      note: `z-score against the ${window} observations ending at each date (as-of)`,
      units: "standard deviations",
    }),
  );
}

/** Expanding (as-of) z-score; see `zscoreExpandingValues` for the NaN policy. */
export function zscoreExpanding(s: Series, opts: ZscoreOptions = {}): Series {
  return derived(
    s,
    zscoreExpandingValues(s.values, opts),
    deriveMeta(s.meta, {
      suffix: "expanding z-score",
      note: "z-score against all observations up to each date (as-of, no look-ahead)",
      units: "standard deviations",
    }),
  );
}
