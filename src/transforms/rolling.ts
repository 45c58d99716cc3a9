/**
 * Rolling (moving-window) mean, standard deviation, correlation and beta in O(n).
 *
 * Method. Running sums Σx, Σx² updated by add-and-subtract are O(n) but cancel catastrophically
 * (variance = Σx²/n − mean², hopeless for yields with a level of 5 and daily moves of 0.05), and
 * Welford updates with *removal* drift because each removal subtracts rounding made on values
 * long gone. Instead each window is assembled from two partial aggregates that hold only values
 * currently in the window (the van Herk / Gil-Werman block decomposition): cut the series into
 * blocks of `window` points; a window ending at i is the suffix of one block (from i − w + 1)
 * plus the prefix of the next (up to i). Prefix aggregates are updated on the forward pass; the
 * suffix aggregates of a block are built by one backward pass over it when the next block starts
 * (a buffer of `window` entries), both by Welford's one-point update (Welford 1962); the two are
 * merged with the pairwise update of Chan, Golub & LeVeque (1979):
 *   n = na + nb,  δ = mean_b − mean_a,  mean = mean_a + δ nb/n,
 *   M2 = M2_a + M2_b + δ² na nb / n,   C_xy = C_a + C_b + δx δy na nb / n.
 * Rounding is that of a Welford pass over at most `window` points of the current window, so the
 * result is as accurate as a two-pass recomputation, with no drift and no periodic refresh, and a
 * constant window gives exactly zero variance. Each point is added twice and each window merged
 * once: O(n) whatever the window.
 *
 * Windows count observations (positions), NaN positions included, as in pandas: a 60-obs window
 * with 3 NaN holds 57 valid points. Correlation and beta use the pairs where both are valid.
 * Standard deviations use ddof = 1 (sample) unless told otherwise.
 */
import { InputError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { deriveMeta, requireInt, resolveMinPeriods } from "./common.ts";

export interface RollingOptions {
  /** Valid points (pairs, for two series) a window needs; default: the whole window. */
  minPeriods?: number;
}

export interface RollingStdOptions extends RollingOptions {
  /** Delta degrees of freedom: 1 = sample standard deviation (default), 0 = population. */
  ddof?: number;
}

/** Per-window moments of one series: valid count, mean and M2 = Σ(x − mean)². */
export interface WindowMoments {
  count: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
}

/** Per-window moments of a pair over the positions where both are valid. */
export interface WindowComoments {
  count: Float64Array;
  meanX: Float64Array;
  meanY: Float64Array;
  /** Σ(x − x̄)². */
  sxx: Float64Array;
  /** Σ(y − ȳ)². */
  syy: Float64Array;
  /** Σ(x − x̄)(y − ȳ). */
  sxy: Float64Array;
}

/*
 * Scratch buffers reused across calls. Allocating the reciprocal table and the suffix buffer on
 * every call (~60 kB for a 1260-day window) made V8 run a scavenge nearly every call. Safe because
 * the kernels are synchronous and call no user code.
 */
let invCache = new Float64Array(1);
let scratchCache = new Float64Array(0);

/** 1/k for k = 0..window (index 0 unused), so the hot loops multiply instead of divide. */
function reciprocals(window: number): Float64Array {
  if (invCache.length !== window + 1) {
    invCache = new Float64Array(window + 1);
    for (let k = 1; k <= window; k++) invCache[k] = 1 / k;
  }
  return invCache;
}

/**
 * A scratch buffer of at least `size` entries (stale contents; callers write before reading).
 * Buffers above 8 MB are not kept, so one huge window does not pin its memory for the process.
 */
function scratch(size: number): Float64Array {
  if (scratchCache.length >= size) return scratchCache;
  const buf = new Float64Array(size);
  if (size <= 1 << 20) scratchCache = buf;
  return buf;
}

// The backward (suffix) passes are separate functions, called once per block: with the loop
// written inside the forward pass, V8 compiled the kernel to code up to 2x slower on some runs.

/** (count, mean, M2) of x[base + j .. base + window − 1], stored at 3j, for j = window − 1 down to 1. */
function suffixMoments(
  x: Float64Array,
  base: number,
  window: number,
  inv: Float64Array,
  suf: Float64Array,
): void {
  let c = 0;
  let m = 0;
  let q = 0;
  for (let j = window - 1; j >= 1; j--) {
    const v = x[base + j];
    if (!Number.isNaN(v)) {
      c += 1;
      const d = v - m;
      m += d * inv[c];
      q += d * (v - m);
    }
    suf[3 * j] = c;
    suf[3 * j + 1] = m;
    suf[3 * j + 2] = q;
  }
}

/**
 * Count, mean and M2 of the valid values in each window x[i − window + 1 .. i] (truncated at the
 * start). NaN skipped. No minimum-count filtering: callers decide what a window needs.
 */
export function windowMoments(x: Float64Array, window: number): WindowMoments {
  requireInt("windowMoments", "window", window, 1);
  const n = x.length;
  const inv = reciprocals(window);
  const count = new Float64Array(n);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);
  const suf = scratch(3 * window);
  let c = 0;
  let m = 0;
  let q = 0;
  let k = 0; // position of i within its block
  for (let i = 0; i < n; i++, k++) {
    if (k === window) {
      k = 0;
      suffixMoments(x, i - window, window, inv, suf);
      c = 0;
      m = 0;
      q = 0;
    }
    const v = x[i];
    if (!Number.isNaN(v)) {
      c += 1;
      const d = v - m;
      m += d * inv[c];
      q += d * (v - m);
    }
    // Window [i − w + 1, i] = previous block from position k + 1 on, plus this block up to i.
    const o = 3 * (k + 1);
    const ca = i < window || k === window - 1 ? 0 : suf[o];
    if (ca === 0) {
      count[i] = c;
      mean[i] = m;
      m2[i] = q;
    } else if (c === 0) {
      count[i] = ca;
      mean[i] = suf[o + 1];
      m2[i] = suf[o + 2];
    } else {
      const tot = ca + c;
      const r = c * inv[tot];
      const d = m - suf[o + 1];
      count[i] = tot;
      mean[i] = suf[o + 1] + d * r;
      m2[i] = suf[o + 2] + q + d * d * ca * r;
    }
  }
  return { count, mean, m2 };
}

const EMIT_COMOMENTS = 0;
const EMIT_CORRELATION = 1;
const EMIT_BETA = 2;

/** Suffix co-moments over valid pairs, as (count, x̄, ȳ, Sxx, Syy, Sxy) at 6j (see suffixMoments). */
function suffixComoments(
  x: Float64Array,
  y: Float64Array,
  base: number,
  window: number,
  inv: Float64Array,
  suf: Float64Array,
): void {
  let c = 0;
  let mx = 0;
  let my = 0;
  let qxx = 0;
  let qyy = 0;
  let qxy = 0;
  for (let j = window - 1; j >= 1; j--) {
    const u = x[base + j];
    const v = y[base + j];
    if (!Number.isNaN(u) && !Number.isNaN(v)) {
      c += 1;
      const r = inv[c];
      const dx = u - mx;
      const dy = v - my;
      mx += dx * r;
      my += dy * r;
      const ey = v - my;
      qxx += dx * (u - mx);
      qyy += dy * ey;
      qxy += dx * ey;
    }
    const o = 6 * j;
    suf[o] = c;
    suf[o + 1] = mx;
    suf[o + 2] = my;
    suf[o + 3] = qxx;
    suf[o + 4] = qyy;
    suf[o + 5] = qxy;
  }
}

/**
 * The pair kernel, NaN-aware. Fused with its output (`emit`) because six intermediate arrays
 * cost as much as the arithmetic (the 16,000-point daily correlation is benchmarked against
 * numpy). `out` receives correlation or beta (n values), or the co-moments interleaved as
 * (count, x̄, ȳ, Sxx, Syy, Sxy) per position (6n values).
 */
function slidePair(
  x: Float64Array,
  y: Float64Array,
  window: number,
  emit: number,
  minP: number,
  out: Float64Array,
): void {
  const n = x.length;
  const inv = reciprocals(window);
  // Loop-invariant flags as locals: module-scope reads inside the hot loop cost V8 measurably.
  const wantCorrelation = emit === EMIT_CORRELATION;
  const wantBeta = emit === EMIT_BETA;
  const missing = Number.NaN;
  const suf = scratch(6 * window);
  let c = 0;
  let mx = 0;
  let my = 0;
  let qxx = 0;
  let qyy = 0;
  let qxy = 0;
  let k = 0;
  for (let i = 0; i < n; i++, k++) {
    if (k === window) {
      k = 0;
      suffixComoments(x, y, i - window, window, inv, suf);
      c = 0;
      mx = 0;
      my = 0;
      qxx = 0;
      qyy = 0;
      qxy = 0;
    }
    const u = x[i];
    const v = y[i];
    if (!Number.isNaN(u) && !Number.isNaN(v)) {
      c += 1;
      const r = inv[c];
      const dx = u - mx;
      const dy = v - my;
      mx += dx * r;
      my += dy * r;
      const ey = v - my;
      qxx += dx * (u - mx);
      qyy += dy * ey;
      qxy += dx * ey;
    }
    let tc = c;
    let tmx = mx;
    let tmy = my;
    let txx = qxx;
    let tyy = qyy;
    let txy = qxy;
    const o = 6 * (k + 1);
    if (i >= window && k !== window - 1 && suf[o] > 0) {
      const ca = suf[o];
      if (c === 0) {
        tc = ca;
        tmx = suf[o + 1];
        tmy = suf[o + 2];
        txx = suf[o + 3];
        tyy = suf[o + 4];
        txy = suf[o + 5];
      } else {
        tc = ca + c;
        const r = c * inv[tc];
        const f = ca * r;
        const dx = mx - suf[o + 1];
        const dy = my - suf[o + 2];
        tmx = suf[o + 1] + dx * r;
        tmy = suf[o + 2] + dy * r;
        txx = suf[o + 3] + qxx + dx * dx * f;
        tyy = suf[o + 4] + qyy + dy * dy * f;
        txy = suf[o + 5] + qxy + dx * dy * f;
      }
    }
    if (wantCorrelation) {
      const den = Math.sqrt(txx) * Math.sqrt(tyy);
      out[i] = tc < minP || !(den > 0) ? missing : Math.max(-1, Math.min(1, txy / den));
    } else if (wantBeta) {
      out[i] = tc < minP || !(txx > 0) ? missing : txy / txx;
    } else {
      const p = 6 * i;
      out[p] = tc;
      out[p + 1] = tmx;
      out[p + 2] = tmy;
      out[p + 3] = txx;
      out[p + 4] = tyy;
      out[p + 5] = txy;
    }
  }
}

/** Suffix co-moments for complete data, as (x̄, ȳ, Sxx, Syy, Sxy) at 5j; the count is window − j. */
function suffixComomentsComplete(
  x: Float64Array,
  y: Float64Array,
  base: number,
  window: number,
  inv: Float64Array,
  suf: Float64Array,
): void {
  let mx = 0;
  let my = 0;
  let qxx = 0;
  let qyy = 0;
  let qxy = 0;
  for (let j = window - 1; j >= 1; j--) {
    const u = x[base + j];
    const v = y[base + j];
    const r = inv[window - j];
    const dx = u - mx;
    const dy = v - my;
    mx += dx * r;
    my += dy * r;
    const ey = v - my;
    qxx += dx * (u - mx);
    qyy += dy * ey;
    qxy += dx * ey;
    const o = 5 * j;
    suf[o] = mx;
    suf[o + 1] = my;
    suf[o + 2] = qxx;
    suf[o + 3] = qyy;
    suf[o + 4] = qxy;
  }
}

/**
 * `slidePair` for complete data (all finite, the usual case after alignPair): counts are
 * positions, so there are no NaN tests and no count bookkeeping. Same arithmetic otherwise, so
 * both paths agree to rounding. Driven block by block (`forwardBlockComplete`) so that each hot
 * loop sits in a small function V8 optimises the same way on every run; one big function with
 * both loops ran 2x slower on some runs.
 */
function slidePairComplete(
  x: Float64Array,
  y: Float64Array,
  window: number,
  emit: number,
  minP: number,
  out: Float64Array,
): void {
  const n = x.length;
  const inv = reciprocals(window);
  const suf = scratch(5 * window);
  for (let start = 0; start < n; start += window) {
    if (start > 0) suffixComomentsComplete(x, y, start - window, window, inv, suf);
    forwardBlockComplete(x, y, start, Math.min(n, start + window), window, emit, minP, inv, suf, out);
  }
}

/** Forward pass over one block [start, end) of complete data, merging with the previous block's suffixes. */
function forwardBlockComplete(
  x: Float64Array,
  y: Float64Array,
  start: number,
  end: number,
  window: number,
  emit: number,
  minP: number,
  inv: Float64Array,
  suf: Float64Array,
  out: Float64Array,
): void {
  const wantCorrelation = emit === EMIT_CORRELATION;
  const wantBeta = emit === EMIT_BETA;
  const missing = Number.NaN;
  const merging = start > 0; // windows here reach back into the previous block
  const rw = inv[window];
  let mx = 0;
  let my = 0;
  let qxx = 0;
  let qyy = 0;
  let qxy = 0;
  for (let i = start; i < end; i++) {
    const k = i - start;
    const u = x[i];
    const v = y[i];
    const r = inv[k + 1];
    const dx = u - mx;
    const dy = v - my;
    mx += dx * r;
    my += dy * r;
    const ey = v - my;
    qxx += dx * (u - mx);
    qyy += dy * ey;
    qxy += dx * ey;
    let tc = k + 1;
    let tmx = mx;
    let tmy = my;
    let txx = qxx;
    let tyy = qyy;
    let txy = qxy;
    if (merging) {
      tc = window;
      if (k !== window - 1) {
        const o = 5 * (k + 1);
        const rr = (k + 1) * rw;
        const f = (window - k - 1) * rr;
        const ddx = mx - suf[o];
        const ddy = my - suf[o + 1];
        tmx = suf[o] + ddx * rr;
        tmy = suf[o + 1] + ddy * rr;
        txx = suf[o + 2] + qxx + ddx * ddx * f;
        tyy = suf[o + 3] + qyy + ddy * ddy * f;
        txy = suf[o + 4] + qxy + ddx * ddy * f;
      }
    }
    if (wantCorrelation) {
      const den = Math.sqrt(txx) * Math.sqrt(tyy);
      out[i] = tc < minP || !(den > 0) ? missing : Math.max(-1, Math.min(1, txy / den));
    } else if (wantBeta) {
      out[i] = tc < minP || !(txx > 0) ? missing : txy / txx;
    } else {
      const p = 6 * i;
      out[p] = tc;
      out[p + 1] = tmx;
      out[p + 2] = tmy;
      out[p + 3] = txx;
      out[p + 4] = tyy;
      out[p + 5] = txy;
    }
  }
}

/** True when x and y hold no NaN or ±Infinity (x·0 is 0 exactly for finite x): one branch-free pass. */
function allFinite(x: Float64Array, y: Float64Array): boolean {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * 0 + y[i] * 0;
  return !Number.isNaN(s);
}

function slide(
  x: Float64Array,
  y: Float64Array,
  window: number,
  emit: number,
  minP: number,
  out: Float64Array,
): void {
  if (allFinite(x, y)) slidePairComplete(x, y, window, emit, minP, out);
  else slidePair(x, y, window, emit, minP, out);
}

function requireSameLength(fn: string, x: Float64Array, y: Float64Array): void {
  if (x.length !== y.length) throw new InputError(`${fn}: x has ${x.length} values but y has ${y.length}`);
}

/**
 * Count, means and co-moments of the pairs (x, y) valid in both, per window ending at i
 * (truncated at the start). Same block decomposition as `windowMoments`.
 */
export function windowComoments(x: Float64Array, y: Float64Array, window: number): WindowComoments {
  requireInt("windowComoments", "window", window, 1);
  requireSameLength("windowComoments", x, y);
  const n = x.length;
  const flat = new Float64Array(6 * n);
  slide(x, y, window, EMIT_COMOMENTS, 0, flat);
  const mo: WindowComoments = {
    count: new Float64Array(n),
    meanX: new Float64Array(n),
    meanY: new Float64Array(n),
    sxx: new Float64Array(n),
    syy: new Float64Array(n),
    sxy: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    mo.count[i] = flat[6 * i];
    mo.meanX[i] = flat[6 * i + 1];
    mo.meanY[i] = flat[6 * i + 2];
    mo.sxx[i] = flat[6 * i + 3];
    mo.syy[i] = flat[6 * i + 4];
    mo.sxy[i] = flat[6 * i + 5];
  }
  return mo;
}

/**
 * Rolling mean of the valid values in each window of `window` observations ending at i.
 * NaN skipped; NaN where the window holds fewer than `minPeriods` (default `window`) valid values.
 */
export function rollingMeanValues(x: Float64Array, window: number, opts: RollingOptions = {}): Float64Array {
  requireInt("rollingMean", "window", window, 1);
  const minP = resolveMinPeriods("rollingMean", opts.minPeriods, window, 1, window);
  const { count, mean } = windowMoments(x, window);
  for (let i = 0; i < x.length; i++) if (count[i] < minP) mean[i] = Number.NaN;
  return mean;
}

/**
 * Rolling standard deviation sqrt(M2 / (count − ddof)). NaN skipped; NaN where the window holds
 * fewer than max(minPeriods, ddof + 1) valid values. A constant window gives exactly 0.
 */
export function rollingStdValues(
  x: Float64Array,
  window: number,
  opts: RollingStdOptions = {},
): Float64Array {
  const ddof = opts.ddof ?? 1;
  requireInt("rollingStd", "ddof", ddof, 0);
  requireInt("rollingStd", "window", window, ddof + 1);
  const minP = resolveMinPeriods("rollingStd", opts.minPeriods, window, ddof + 1, window);
  const { count, m2 } = windowMoments(x, window);
  const out = m2;
  for (let i = 0; i < x.length; i++) {
    out[i] = count[i] < minP ? Number.NaN : Math.sqrt(m2[i] / (count[i] - ddof));
  }
  return out;
}

/**
 * Rolling Pearson correlation of x and y over the pairs valid in both. NaN where fewer than
 * `minPeriods` (default `window`, at least 2) pairs, or where either side is constant in the
 * window (correlation undefined). Clamped to [−1, 1] against rounding.
 */
export function rollingCorrelationValues(
  x: Float64Array,
  y: Float64Array,
  window: number,
  opts: RollingOptions = {},
): Float64Array {
  requireInt("rollingCorrelation", "window", window, 2);
  const minP = resolveMinPeriods("rollingCorrelation", opts.minPeriods, window, 2, window);
  requireSameLength("rollingCorrelation", x, y);
  const out = new Float64Array(x.length);
  slide(x, y, window, EMIT_CORRELATION, minP, out);
  return out;
}

/**
 * Rolling OLS slope of y on x (with intercept): Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², over the pairs
 * valid in both. NaN where fewer than `minPeriods` (default `window`, at least 2) pairs, or where
 * x is constant in the window (slope undefined).
 */
export function rollingBetaValues(
  y: Float64Array,
  x: Float64Array,
  window: number,
  opts: RollingOptions = {},
): Float64Array {
  requireInt("rollingBeta", "window", window, 2);
  const minP = resolveMinPeriods("rollingBeta", opts.minPeriods, window, 2, window);
  requireSameLength("rollingBeta", x, y);
  const out = new Float64Array(x.length);
  slide(x, y, window, EMIT_BETA, minP, out);
  return out;
}

/** Throw unless x and y carry the same dates (aligning is align.ts's job, not a silent side effect here). */
export function requireSameDates(fn: string, x: Series, y: Series): void {
  const n = Math.max(x.dates.length, y.dates.length);
  for (let i = 0; i < n; i++) {
    if (x.dates[i] !== y.dates[i]) {
      throw new InputError(
        `${fn}: ${x.meta.id} and ${y.meta.id} must share dates (align them first with alignPair); ` +
          `first difference at row ${i}: ${x.dates[i] ?? "(end)"} vs ${y.dates[i] ?? "(end)"}`,
      );
    }
  }
}

/** Rolling mean over `window` observations; see `rollingMeanValues` for the NaN policy. */
export function rollingMean(s: Series, window: number, opts: RollingOptions = {}): Series {
  const values = rollingMeanValues(s.values, window, opts);
  const meta = deriveMeta(s.meta, {
    suffix: `${window}-obs rolling mean`,
    note: `rolling mean over ${window} observations, minPeriods ${opts.minPeriods ?? window}`,
  });
  return { meta, dates: s.dates, values };
}

/** Rolling standard deviation over `window` observations; see `rollingStdValues`. Units unchanged. */
export function rollingStd(s: Series, window: number, opts: RollingStdOptions = {}): Series {
  const values = rollingStdValues(s.values, window, opts);
  const meta = deriveMeta(s.meta, {
    suffix: `${window}-obs rolling std`,
    note: `rolling standard deviation over ${window} observations, ddof ${opts.ddof ?? 1}`,
  });
  return { meta, dates: s.dates, values };
}

/** Rolling correlation of two series sharing dates; see `rollingCorrelationValues`. */
export function rollingCorrelation(x: Series, y: Series, window: number, opts: RollingOptions = {}): Series {
  requireSameDates("rollingCorrelation", x, y);
  const values = rollingCorrelationValues(x.values, y.values, window, opts);
  const meta = deriveMeta(x.meta, {
    id: `corr(${x.meta.id},${y.meta.id})`,
    suffix: `${window}-obs rolling correlation with ${y.meta.id}`,
    note: `rolling Pearson correlation with ${y.meta.id} over ${window} observations`,
    units: "correlation",
  });
  return { meta, dates: x.dates, values };
}

/** Rolling slope of y on x (units of y per unit of x), series sharing dates; see `rollingBetaValues`. */
export function rollingBeta(y: Series, x: Series, window: number, opts: RollingOptions = {}): Series {
  requireSameDates("rollingBeta", y, x);
  const values = rollingBetaValues(y.values, x.values, window, opts);
  const meta = deriveMeta(y.meta, {
    id: `beta(${y.meta.id},${x.meta.id})`,
    suffix: `${window}-obs rolling beta on ${x.meta.id}`,
    note: `rolling OLS slope of ${y.meta.id} on ${x.meta.id} over ${window} observations`,
    units: `${y.meta.units} per ${x.meta.units}`,
  });
  return { meta, dates: y.dates, values };
}
