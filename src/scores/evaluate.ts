/**
 * How good is a score? Correlation with its target at leads h = 0..12 months, in sample and
 * pseudo-out-of-sample, against the naive benchmark (the target's own last value), as METHODS.md
 * §2 asks ("Report in-sample and out-of-sample fit").
 *
 * Definitions (s = score, y = target sampled at month end, L = the target's publication lag):
 * - In-sample correlation at lead h: Pearson corr(s_t, y_{t+h}) over every month where both exist.
 * - Out-of-sample at lead h (rolling origin, expanding window): at each month-end t, fit
 *   y_{u+h} = a_t + b_t s_u by OLS on the pairs whose outcome was published by t
 *   (u + h + L <= t), once at least `minTrain` pairs exist; forecast ŷ_{t+h} = a_t + b_t s_t.
 *   The out-of-sample correlation is corr(ŷ_{t+h}, y_{t+h}) over all origins t whose outcome is
 *   in the data; RMSE likewise. The score itself needs no refit: it is already as-of at each t
 *   (expanding percentiles, one-sided filters, publication lags), so only the map score → level
 *   must be restricted to the past.
 * - Naive benchmark: ŷ_{t+h} = y_{t−L}, the last published target value, on the same origins.
 * - OOS R² vs naive = 1 − SSE(model) / SSE(naive): positive only when the score's forecast beats
 *   "no change" (Campbell & Thompson 2008 style, with the random walk as the benchmark).
 * - OOS R² vs mean = 1 − SSE(model) / SSE(mean), the mean being that of the training outcomes at
 *   each origin (Campbell & Thompson's own benchmark): it isolates what the score adds, since a
 *   regression beats the random walk at long leads by mean reversion alone.
 * A persistent target (a yield, a breakeven) makes the naive correlation high at short leads;
 * that is the honest bar. Bundled data are the latest vintage: revisions are not undone.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { toMonthly } from "../transforms/resample.ts";
import type { ScoreResult } from "./engine.ts";
import { monthIndex, monthLabel } from "./months.ts";
import { publicationLag } from "./publication-lags.ts";

export interface EvaluationOptions {
  /** Largest lead in months (default 12). */
  maxLead?: number;
  /** Training pairs needed before the first out-of-sample forecast (default 60 months). */
  minTrain?: number;
}

export interface LeadRow {
  leadMonths: number;
  inSampleCorr: number;
  inSampleN: number;
  outOfSampleCorr: number;
  outOfSampleRmse: number;
  naiveCorr: number;
  naiveRmse: number;
  /** 1 − SSE(model)/SSE(naive) over the out-of-sample origins. */
  oosR2VsNaive: number;
  /**
   * 1 − SSE(model)/SSE(mean): against the expanding mean of the outcomes known at t, i.e. the same
   * regression without the score. Positive only when the score itself adds information (a positive
   * R² vs naive at long leads can come from mean reversion alone).
   */
  oosR2VsMean: number;
  outOfSampleN: number;
  firstOrigin: string | null;
}

export interface EvaluationResult {
  score: string;
  target: string;
  headlineLeadMonths: number;
  targetPublicationLagMonths: number;
  minTrain: number;
  definition: string;
  rows: LeadRow[];
  headline: LeadRow;
  /** Chart data: one point per lead. */
  chart: {
    leads: number[];
    inSample: number[];
    outOfSample: number[];
    naive: number[];
  };
  /** Chart data: the score against the target at the headline lead (outcome month on the axis). */
  path: {
    dates: string[];
    score: Float64Array;
    target: Float64Array;
    outOfSampleForecast: Float64Array;
    naiveForecast: Float64Array;
  };
  warnings: Warning[];
  summary(): string;
}

export const OOS_DEFINITION =
  "out-of-sample at lead h: at each month-end t, OLS of target(u+h) on score(u) over pairs whose outcome was " +
  "published by t, forecast target(t+h) = a + b·score(t); correlation/RMSE of forecasts vs outcomes. " +
  "Naive: the target's last published value. OOS R² vs naive = 1 − SSE(model)/SSE(naive); " +
  "vs mean: against the expanding mean of the known outcomes (what the score adds).";

/** Pearson correlation of the pairs where both are finite; NaN if fewer than 3 or no dispersion. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let mx = 0;
  let my = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    n++;
    const dx = a - mx;
    const dy = b - my;
    mx += dx / n;
    my += dy / n;
    sxx += dx * (a - mx);
    syy += dy * (b - my);
    sxy += dx * (b - my);
  }
  if (n < 3 || !(sxx > 0) || !(syy > 0)) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

function rmse(f: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < f.length; i++) {
    s += (f[i] - y[i]) ** 2;
    n++;
  }
  return n ? Math.sqrt(s / n) : Number.NaN;
}

/** Month-end target values keyed by month index (first month, values). */
export function monthlyTarget(target: Series): { first: number; values: Float64Array } {
  const f = target.meta.frequency;
  if (f === "q" || f === "a") {
    throw new ModelError(
      `target ${target.meta.id} is ${f === "q" ? "quarterly" : "annual"}: scores are judged monthly`,
    );
  }
  const m = toMonthly(target);
  if (m.dates.length === 0) throw new ModelError(`target ${target.meta.id} has no observations`);
  return { first: monthIndex(m.dates[0]), values: m.values };
}

interface Lead {
  row: LeadRow;
  origins: number[];
  forecasts: number[];
  naive: number[];
}

function evaluateLead(
  s0: number,
  score: Float64Array,
  y0: number,
  y: Float64Array,
  h: number,
  lagL: number,
  minTrain: number,
): Lead {
  const sAt = (t: number): number => (t >= s0 && t - s0 < score.length ? score[t - s0] : Number.NaN);
  const yAt = (t: number): number => (t >= y0 && t - y0 < y.length ? y[t - y0] : Number.NaN);
  const end = s0 + score.length - 1;
  // in sample
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = s0; t <= end; t++) {
    const a = sAt(t);
    const b = yAt(t + h);
    if (Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  // out of sample: expanding OLS of y(u+h) on s(u) by Welford updates, pairs added as outcomes publish
  let n = 0;
  let mx = 0;
  let my = 0;
  let sxx = 0;
  let sxy = 0;
  const origins: number[] = [];
  const forecasts: number[] = [];
  const naive: number[] = [];
  const outcomes: number[] = [];
  const means: number[] = [];
  for (let t = s0; t <= end; t++) {
    const u = t - h - lagL; // the newest pair whose outcome y(u+h) is published by t
    const a = sAt(u);
    const b = yAt(u + h);
    if (Number.isFinite(a) && Number.isFinite(b)) {
      n++;
      const dx = a - mx;
      mx += dx / n;
      const dy = b - my;
      my += dy / n;
      sxx += dx * (a - mx);
      sxy += dx * (b - my);
    }
    const st = sAt(t);
    const outcome = yAt(t + h);
    const last = yAt(t - lagL);
    if (
      n < minTrain ||
      !(sxx > 0) ||
      !Number.isFinite(st) ||
      !Number.isFinite(outcome) ||
      !Number.isFinite(last)
    )
      continue;
    const beta = sxy / sxx;
    origins.push(t);
    forecasts.push(my + beta * (st - mx));
    naive.push(last);
    outcomes.push(outcome);
    means.push(my);
  }
  let sseF = 0;
  let sseN = 0;
  let sseM = 0;
  for (let i = 0; i < outcomes.length; i++) {
    sseF += (forecasts[i] - outcomes[i]) ** 2;
    sseN += (naive[i] - outcomes[i]) ** 2;
    sseM += (means[i] - outcomes[i]) ** 2;
  }
  return {
    row: {
      leadMonths: h,
      inSampleCorr: correlation(xs, ys),
      inSampleN: xs.length,
      outOfSampleCorr: correlation(forecasts, outcomes),
      outOfSampleRmse: rmse(forecasts, outcomes),
      naiveCorr: correlation(naive, outcomes),
      naiveRmse: rmse(naive, outcomes),
      oosR2VsNaive: sseN > 0 ? 1 - sseF / sseN : Number.NaN,
      oosR2VsMean: sseM > 0 ? 1 - sseF / sseM : Number.NaN,
      outOfSampleN: outcomes.length,
      firstOrigin: origins.length ? monthLabel(origins[0]) : null,
    },
    origins,
    forecasts,
    naive,
  };
}

/** Evaluate a score against a target series (raw, any of daily/weekly/monthly). */
export function evaluateScore(
  score: Pick<ScoreResult, "name" | "dates" | "values" | "targetLeadMonths" | "lookAhead">,
  target: Series,
  opts: EvaluationOptions = {},
): EvaluationResult {
  const maxLead = opts.maxLead ?? 12;
  const minTrain = opts.minTrain ?? 60;
  if (score.dates.length === 0) throw new ModelError(`score ${score.name} has no values to evaluate`);
  const lagL = publicationLag(target.meta.id, target.meta.frequency).months;
  const s0 = monthIndex(score.dates[0]);
  const { first: y0, values: y } = monthlyTarget(target);
  const leads: Lead[] = [];
  for (let h = 0; h <= maxLead; h++) leads.push(evaluateLead(s0, score.values, y0, y, h, lagL, minTrain));
  const warnings: Warning[] = [];
  if (score.lookAhead) {
    warnings.push({
      code: "look-ahead",
      message: `score ${score.name} looks ahead: its out-of-sample record is not honest (past values use later data)`,
    });
  }
  const hl = Math.min(score.targetLeadMonths, maxLead);
  const head = leads[hl];
  if (head.row.outOfSampleN < 24) {
    warnings.push({
      code: "short-oos",
      message: `only ${head.row.outOfSampleN} out-of-sample forecasts at lead ${hl} for ${score.name} vs ${target.meta.id}`,
    });
  }
  // path at the headline lead, on outcome months
  const sEnd = s0 + score.values.length - 1;
  const pathStart = Math.max(s0 + hl, y0);
  const pathEnd = Math.max(pathStart - 1, Math.min(sEnd + hl, y0 + y.length - 1));
  const np = pathEnd - pathStart + 1;
  const path = {
    dates: Array.from({ length: np }, (_, k) => monthLabel(pathStart + k)),
    score: new Float64Array(np).fill(Number.NaN),
    target: new Float64Array(np).fill(Number.NaN),
    outOfSampleForecast: new Float64Array(np).fill(Number.NaN),
    naiveForecast: new Float64Array(np).fill(Number.NaN),
  };
  for (let k = 0; k < np; k++) {
    const m = pathStart + k;
    const ks = m - hl - s0;
    if (ks >= 0 && ks < score.values.length) path.score[k] = score.values[ks];
    if (m - y0 >= 0 && m - y0 < y.length) path.target[k] = y[m - y0];
  }
  head.origins.forEach((t, i) => {
    const k = t + hl - pathStart;
    if (k >= 0 && k < np) {
      path.outOfSampleForecast[k] = head.forecasts[i];
      path.naiveForecast[k] = head.naive[i];
    }
  });
  const rows = leads.map((l) => l.row);
  const result: EvaluationResult = {
    score: score.name,
    target: target.meta.id,
    headlineLeadMonths: hl,
    targetPublicationLagMonths: lagL,
    minTrain,
    definition: OOS_DEFINITION,
    rows,
    headline: head.row,
    chart: {
      leads: rows.map((r) => r.leadMonths),
      inSample: rows.map((r) => r.inSampleCorr),
      outOfSample: rows.map((r) => r.outOfSampleCorr),
      naive: rows.map((r) => r.naiveCorr),
    },
    path,
    warnings,
    summary: () => evaluationSummary(result),
  };
  return result;
}

function f(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : "n/a";
}

function evaluationSummary(r: EvaluationResult): string {
  const lines = [
    `evaluation of ${r.score} against ${r.target} (headline lead ${r.headlineLeadMonths} months; ` +
      `out-of-sample after ${r.minTrain} training months)`,
    "",
  ];
  const head = [
    "lead",
    "in-sample r",
    "n",
    "OOS r",
    "OOS rmse",
    "naive r",
    "naive rmse",
    "OOS R² vs naive",
    "OOS n",
  ];
  const rows = r.rows.map((x) => [
    `${x.leadMonths}${x.leadMonths === r.headlineLeadMonths ? "*" : ""}`,
    f(x.inSampleCorr),
    String(x.inSampleN),
    f(x.outOfSampleCorr),
    f(x.outOfSampleRmse, 3),
    f(x.naiveCorr),
    f(x.naiveRmse, 3),
    f(x.oosR2VsNaive),
    f(x.oosR2VsMean),
    String(x.outOfSampleN),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  lines.push(line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line));
  lines.push("", `* headline lead. ${r.definition}`);
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}
