/**
 * Hodrick-Prescott filter (Hodrick & Prescott 1997, "Postwar U.S. business cycles", JMCB).
 * The trend τ minimises Σ (y_t − τ_t)² + λ Σ (τ_{t+1} − 2τ_t + τ_{t−1})², i.e. solves
 *   (I + λ D'D) τ = y,   D the (n−2)×n second-difference matrix,
 * whose matrix is symmetric positive definite and pentadiagonal: an O(n) banded LDL' solve is
 * exact up to rounding and needs no n×n matrix. Units of trend and cycle: those of y.
 *
 * λ scales with frequency: 1600 quarterly (HP), 129600 = 1600·3⁴ monthly and 6.25 = 1600/4⁴
 * annual (Ravn & Uhlig 2002, "On adjusting the HP filter for the frequency of observations",
 * REStat); 14400 = 1600·3² is the older monthly convention, still common, pass it explicitly.
 *
 * The two-sided filter LOOKS AHEAD: τ_t depends on every y, later ones included, and its last
 * points are revised as data arrive. For signals use the one-sided (real-time) filter, whose value
 * at t is the last point of the two-sided filter run on y_1..y_t. It is computed in O(n) by the
 * Kalman filter of the HP filter's state-space form (Harvey & Jaeger 1993, JAE): y_t = τ_t + ε_t,
 * τ_{t+1} = 2τ_t − τ_{t−1} + η_t with var(ε)/var(η) = λ and a diffuse prior on (τ_1, τ_2); the
 * filtered mean E[τ_t | y_1..y_t] is the penalised least-squares solution on that prefix at its
 * last point, exactly (both are the posterior mean of the same Gaussian model).
 */
import { InputError, ModelError } from "../core/errors.ts";
import { FREQUENCY_NAMES, type Frequency, type Series } from "../core/series.ts";
import { deriveMeta, resolveMinPeriods } from "./common.ts";

/** Ravn-Uhlig λ by frequency; daily and weekly have no accepted convention, so none is guessed. */
export const HP_LAMBDA: Partial<Record<Frequency, number>> = { q: 1600, m: 129600, a: 6.25 };

export interface HpOptions {
  /** Smoothing parameter λ >= 0; default from the frequency (q 1600, m 129600, a 6.25). */
  lambda?: number;
}

export interface HpOneSidedOptions extends HpOptions {
  /** Observations needed before a trend is reported (default 3, the least the filter is defined on). */
  minPeriods?: number;
}

export interface HpResult {
  trend: Series;
  /** y − trend. */
  cycle: Series;
  lambda: number;
  /** true for the one-sided (real-time) filter, false for the two-sided (look-ahead) one. */
  oneSided: boolean;
}

function requireLambda(fn: string, lambda: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new ModelError(`${fn}: lambda must be a finite number >= 0, got ${lambda}`);
  }
}

/**
 * Two-sided HP trend of y (n >= 3, no NaN) by LDL' factorisation of the pentadiagonal
 * I + λD'D. Kernel of `hpFilter`; looks ahead (see the module comment).
 */
export function hpFilterValues(y: Float64Array, lambda: number): Float64Array {
  requireLambda("hpFilterValues", lambda);
  const n = y.length;
  if (n < 3) throw new ModelError(`hpFilterValues: needs at least 3 observations, got ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]))
      throw new InputError(`hpFilterValues: y[${i}] is ${y[i]}; the filter needs finite input`);
  }
  // Bands of A = I + λD'D: (D'D)_ij = Σ_r D_ri D_rj over rows r = 0..n−3 with D_r,r+a = (1, −2, 1)_a,
  // so A_ii = 1 + λ(#[r = i]·1 + #[r = i−1]·4 + #[r = i−2]·1), A_i,i+1 = −2λ(#[r = i] + #[r = i−1]),
  // A_i,i+2 = λ#[r = i], each # being 1 when that row exists. A = L diag(d) L', L unit lower
  // triangular with sub-diagonals l1 (i, i−1) and l2 (i, i−2).
  const last = n - 3;
  const d = new Float64Array(n);
  const l1 = new Float64Array(n);
  const l2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let di = 1 + lambda * ((i <= last ? 1 : 0) + (i >= 1 && i - 1 <= last ? 4 : 0) + (i >= 2 ? 1 : 0));
    if (i >= 2) {
      l2[i] = lambda / d[i - 2]; // A_i−2,i = λ: row r = i − 2 always exists for i <= n − 1
      di -= l2[i] * l2[i] * d[i - 2];
    }
    if (i >= 1) {
      let s = -2 * lambda * ((i - 1 <= last ? 1 : 0) + (i >= 2 ? 1 : 0)); // A_i−1,i
      if (i >= 2) s -= l2[i] * d[i - 2] * l1[i - 1];
      l1[i] = s / d[i - 1];
      di -= l1[i] * l1[i] * d[i - 1];
    }
    d[i] = di;
  }
  const tau = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    if (i >= 1) s -= l1[i] * tau[i - 1];
    if (i >= 2) s -= l2[i] * tau[i - 2];
    tau[i] = s;
  }
  for (let i = 0; i < n; i++) tau[i] /= d[i];
  for (let i = n - 1; i >= 0; i--) {
    let s = tau[i];
    if (i + 1 < n) s -= l1[i + 1] * tau[i + 1];
    if (i + 2 < n) s -= l2[i + 2] * tau[i + 2];
    tau[i] = s;
  }
  return tau;
}

/**
 * One-sided (real-time) HP trend: out[t] = last point of hpFilterValues(y[0..t], λ), with
 * out[0] = y[0] and out[1] = y[1] (a line through one or two points fits them exactly). O(n) by the
 * Kalman filter of the state (τ_t, τ_{t−1}) with var(ε) = λ, var(η) = 1; no NaN allowed.
 */
export function hpFilterOneSidedValues(y: Float64Array, lambda: number): Float64Array {
  requireLambda("hpFilterOneSidedValues", lambda);
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) {
      throw new InputError(`hpFilterOneSidedValues: y[${i}] is ${y[i]}; the filter needs finite input`);
    }
  }
  const out = new Float64Array(n);
  if (n === 0) return out;
  out[0] = y[0];
  if (n === 1) return out;
  out[1] = y[1];
  // Diffuse prior on (τ_1, τ_2) updated by y_1, y_2: the posterior is N((y_2, y_1), λ I) exactly.
  let a0 = y[1];
  let a1 = y[0];
  let p00 = lambda;
  let p01 = 0;
  let p11 = lambda;
  for (let t = 2; t < n; t++) {
    // Predict with T = [[2, −1], [1, 0]]: a ← T a, P ← T P T' + diag(1, 0).
    const b0 = 2 * a0 - a1;
    const q00 = 4 * p00 - 4 * p01 + p11 + 1;
    const q01 = 2 * p00 - p01;
    const q11 = p00;
    // Update with y_t = τ_t + ε_t.
    const f = q00 + lambda;
    const v = y[t] - b0;
    a1 = a0 + (q01 / f) * v;
    a0 = b0 + (q00 / f) * v;
    p00 = (q00 * lambda) / f;
    p01 = (q01 * lambda) / f;
    p11 = q11 - (q01 * q01) / f;
    out[t] = a0;
  }
  return out;
}

/** The valid span [lo, hi) of s; an interior NaN throws, naming its date. */
function validSpan(fn: string, s: Series): [number, number] {
  let lo = 0;
  let hi = s.values.length;
  while (lo < hi && Number.isNaN(s.values[lo])) lo++;
  while (hi > lo && Number.isNaN(s.values[hi - 1])) hi--;
  for (let i = lo; i < hi; i++) {
    if (!Number.isFinite(s.values[i])) {
      throw new InputError(
        `${fn}: series ${s.meta.id} is ${s.values[i]} at ${s.dates[i]}; the HP filter needs a contiguous ` +
          "series (fill or interpolate interior gaps first; leading and trailing NaN are allowed)",
      );
    }
  }
  return [lo, hi];
}

function resolveLambda(fn: string, s: Series, lambda: number | undefined): number {
  const lam = lambda ?? HP_LAMBDA[s.meta.frequency];
  if (lam === undefined) {
    throw new ModelError(
      `${fn}: no default lambda for ${FREQUENCY_NAMES[s.meta.frequency] ?? s.meta.frequency} series ` +
        `${s.meta.id}; pass { lambda } (1600 quarterly, 129600 monthly, 6.25 annual)`,
    );
  }
  requireLambda(fn, lam);
  return lam;
}

function result(s: Series, trendValues: Float64Array, lambda: number, oneSided: boolean): HpResult {
  const cycleValues = new Float64Array(trendValues.length);
  for (let i = 0; i < cycleValues.length; i++) cycleValues[i] = s.values[i] - trendValues[i];
  const how = oneSided ? "one-sided, real-time" : "two-sided, look-ahead";
  const note = oneSided
    ? `one-sided HP filter, lambda ${lambda}: value at t uses data up to t only`
    : `two-sided HP filter, lambda ${lambda}: uses data after each date (look-ahead; end points revise)`;
  return {
    trend: {
      meta: deriveMeta(s.meta, { suffix: `HP trend, ${how}, λ=${lambda}`, note }),
      dates: s.dates,
      values: trendValues,
    },
    cycle: {
      meta: deriveMeta(s.meta, { suffix: `HP cycle, ${how}, λ=${lambda}`, note }),
      dates: s.dates,
      values: cycleValues,
    },
    lambda,
    oneSided,
  };
}

/**
 * Two-sided HP filter of a series: trend and cycle (y − trend). LOOKS AHEAD: descriptive use
 * only; use `hpFilterOneSided` in anything evaluated as of a date.
 * NaN policy: leading and trailing NaN are kept as NaN (the filter runs on the valid span); an
 * interior NaN throws an InputError naming its date. Fewer than 3 valid points: ModelError.
 */
export function hpFilter(s: Series, opts: HpOptions = {}): HpResult {
  const lambda = resolveLambda("hpFilter", s, opts.lambda);
  const [lo, hi] = validSpan("hpFilter", s);
  if (hi - lo < 3) throw new ModelError(`hpFilter: series ${s.meta.id} has ${hi - lo} valid points, needs 3`);
  const trend = new Float64Array(s.values.length).fill(Number.NaN);
  trend.set(hpFilterValues(s.values.subarray(lo, hi), lambda), lo);
  return result(s, trend, lambda, false);
}

/**
 * One-sided (real-time) HP filter: trend at t = last point of the two-sided filter on the data up
 * to t; O(n) (Kalman filter, see the module comment). NaN policy as `hpFilter`; the first
 * `minPeriods` − 1 valid points get NaN (default minPeriods 3; end points of short samples are
 * noisy, so raise it for signals).
 */
export function hpFilterOneSided(s: Series, opts: HpOneSidedOptions = {}): HpResult {
  const lambda = resolveLambda("hpFilterOneSided", s, opts.lambda);
  const minP = resolveMinPeriods("hpFilterOneSided", opts.minPeriods, 3, 3);
  const [lo, hi] = validSpan("hpFilterOneSided", s);
  if (hi - lo < minP) {
    throw new ModelError(
      `hpFilterOneSided: series ${s.meta.id} has ${hi - lo} valid points, minPeriods is ${minP}`,
    );
  }
  const trend = new Float64Array(s.values.length).fill(Number.NaN);
  const filtered = hpFilterOneSidedValues(s.values.subarray(lo, hi), lambda);
  trend.set(filtered.subarray(minP - 1), lo + minP - 1);
  return result(s, trend, lambda, true);
}
