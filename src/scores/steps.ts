/**
 * The transform steps of a score component (recipe.ts lists them), applied to a gap-free series
 * of periods (months, quarters or years). Every step is causal (the value at t uses inputs up to
 * t only) except the two that say otherwise and set `lookAhead`: the two-sided HP filter and the
 * full-sample percentile, allowed for description and labelled on every result.
 *
 * - change / pct_change / yoy: FRED's chg / pch / pc1 over `periods` observations; yoy is 12
 *   months, 4 quarters or 1 year, so the step means the same at every frequency.
 * - zscore: expanding (Welford) unless a rolling `window` is given; ddof 1.
 * - hp_trend / hp_cycle: Hodrick & Prescott (1997); one-sided = the last point of the two-sided
 *   filter on data up to t (Kalman form, transforms/hp-filter.ts); λ defaults by frequency
 *   (Ravn-Uhlig: 129600 monthly, 1600 quarterly, 6.25 annual).
 * - percentile: rank among valid values up to t (kind "mean", so 100 − p is exactly the rank of
 *   −x and inverse_percentile is a true mirror), on 0-100.
 * - ewma: adaptive expectations, E_t = Σ_j δ^j x_{t−j} / Σ_j δ^j over the history so far with
 *   δ = 0.5^(1/halfLife) (Cagan 1956 / Nerlove 1958 geometric distributed lag; the finite-sum
 *   normalisation is pandas' ewm(adjust=True)). A missing month keeps decaying the older
 *   weights, so the lag structure stays in calendar months.
 */
import { InputError, ModelError } from "../core/errors.ts";
import { hpFilterOneSidedValues, hpFilterValues } from "../transforms/hp-filter.ts";
import { percentileRankExpandingValues, percentileRankFullSampleValues } from "../transforms/percentile.ts";
import { zscoreExpandingValues, zscoreRollingValues } from "../transforms/zscore.ts";
import type { StepSpec } from "./recipe.ts";

/** Defaults that a recipe may override per step. */
export const STEP_DEFAULTS = {
  /** Expanding z-scores: valid observations before the first value (two years of months). */
  zscoreMinPeriods: 24,
  /** One-sided HP: the first trends of a short sample are noise. */
  hpMinPeriods: 12,
  /** Percentiles: ranks among fewer than three years of months are too coarse to mean much. */
  percentileMinPeriods: 36,
  ewmaMinPeriods: 12,
} as const;

export interface StepContext {
  /** "recipe X, component 2 (PPIACO)": prefixed to every error. */
  where: string;
  /** Period labels (ISO), for messages that name a date. */
  dates: readonly string[];
  /** 12 monthly, 4 quarterly, 1 annual. */
  periodsPerYear: number;
}

export interface StepOutput {
  values: Float64Array;
  lookAhead: boolean;
}

function hpLambda(ppy: number): number {
  return ppy === 12 ? 129600 : ppy === 4 ? 1600 : 6.25;
}

function countValid(x: Float64Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
  return n;
}

function changeOver(x: Float64Array, k: number, pct: boolean, ctx: StepContext): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = k; i < x.length; i++) {
    const a = x[i];
    const b = x[i - k];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    if (!pct) out[i] = a - b;
    else {
      if (b === 0) {
        throw new InputError(
          `${ctx.where}: percent change to ${ctx.dates[i]} has a zero base at ${ctx.dates[i - k]} ` +
            "(use change for series that cross zero)",
        );
      }
      out[i] = 100 * (a / b - 1);
    }
  }
  return out;
}

function hp(x: Float64Array, step: StepSpec, ctx: StepContext): StepOutput {
  const lambda = step.lambda ?? hpLambda(ctx.periodsPerYear);
  let lo = 0;
  let hi = x.length;
  while (lo < hi && Number.isNaN(x[lo])) lo++;
  while (hi > lo && Number.isNaN(x[hi - 1])) hi--;
  for (let i = lo; i < hi; i++) {
    if (Number.isNaN(x[i])) {
      throw new ModelError(
        `${ctx.where}: ${step.op} needs a gap-free input but it is missing at ${ctx.dates[i]} ` +
          "(an earlier step or the data left a hole)",
      );
    }
  }
  const two = step.sided === "two";
  const minP = step.minPeriods ?? (two ? 3 : STEP_DEFAULTS.hpMinPeriods);
  if (hi - lo < Math.max(3, minP)) {
    throw new ModelError(
      `${ctx.where}: ${step.op} has ${hi - lo} valid points, needs at least ${Math.max(3, minP)}`,
    );
  }
  const span = x.subarray(lo, hi);
  const trend = two ? hpFilterValues(span, lambda) : hpFilterOneSidedValues(span, lambda);
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = two ? 0 : minP - 1; i < span.length; i++) {
    out[lo + i] = step.op === "hp_trend" ? trend[i] : span[i] - trend[i];
  }
  return { values: out, lookAhead: two };
}

function percentile(x: Float64Array, step: StepSpec, ctx: StepContext): StepOutput {
  const minP = step.minPeriods ?? STEP_DEFAULTS.percentileMinPeriods;
  const n = countValid(x);
  if (n < minP) {
    throw new ModelError(
      `${ctx.where}: too few points for a percentile: ${n} valid values, needs at least ${minP} ` +
        "(minPeriods; lower it in the step, or start later / use a longer series)",
    );
  }
  const full = step.sample === "full";
  const p = full
    ? percentileRankFullSampleValues(x, { kind: "mean" })
    : percentileRankExpandingValues(x, { kind: "mean", minPeriods: minP });
  const inverse = step.op === "inverse_percentile";
  for (let i = 0; i < p.length; i++) p[i] = inverse ? 100 - 100 * p[i] : 100 * p[i];
  return { values: p, lookAhead: full };
}

/** Geometric distributed lag of past values (adaptive expectations); see the module comment. */
export function ewmaValues(x: Float64Array, halfLife: number, minPeriods: number): Float64Array {
  const delta = 0.5 ** (1 / halfLife);
  const out = new Float64Array(x.length).fill(Number.NaN);
  let num = 0;
  let den = 0;
  let seen = 0;
  for (let i = 0; i < x.length; i++) {
    num *= delta;
    den *= delta;
    if (Number.isNaN(x[i])) continue;
    num += x[i];
    den += 1;
    seen++;
    if (seen >= minPeriods) out[i] = num / den;
  }
  return out;
}

/** Apply one step. Errors name the recipe, the component and the date or count at fault. */
export function applyStep(x: Float64Array, step: StepSpec, ctx: StepContext): StepOutput {
  switch (step.op) {
    case "level":
      return { values: x, lookAhead: false };
    case "change":
    case "pct_change":
      return { values: changeOver(x, step.periods ?? 1, step.op === "pct_change", ctx), lookAhead: false };
    case "yoy":
      return { values: changeOver(x, ctx.periodsPerYear, true, ctx), lookAhead: false };
    case "zscore": {
      const values =
        step.window !== undefined
          ? zscoreRollingValues(x, step.window, { minPeriods: step.minPeriods ?? step.window })
          : zscoreExpandingValues(x, { minPeriods: step.minPeriods ?? STEP_DEFAULTS.zscoreMinPeriods });
      return { values, lookAhead: false };
    }
    case "hp_trend":
    case "hp_cycle":
      return hp(x, step, ctx);
    case "percentile":
    case "inverse_percentile":
      return percentile(x, step, ctx);
    case "ewma":
      return {
        values: ewmaValues(x, step.halfLife ?? 12, step.minPeriods ?? STEP_DEFAULTS.ewmaMinPeriods),
        lookAhead: false,
      };
    case "negate":
      return { values: x.map((v) => -v), lookAhead: false };
  }
}
