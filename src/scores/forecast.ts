/**
 * From scores to level forecasts (METHODS.md §2, "Forecast"): extend each score with consensus
 * paths for its inputs (consensus.ts), map score → level by the historical regression
 *
 *   y_{t+h} = a + b · s_t + e_{t+h}          (OLS over every month with both; y in percent)
 *
 * and add the parts: nominal 10y = real 10y forecast + breakeven forecast, since
 * DGS10 = DFII10 + T10YIE holds in the data (inflation/breakeven.ts).
 *
 * Prediction interval for a new month with score x₀ (x = [1, x₀]):
 *   ŷ ± z_{(1+level)/2} · √(σ̂² + xᵀ V x),
 * σ̂² the residual variance and V the Newey-West (HAC) covariance of (a, b): the regression's
 * overlapping h-month outcomes make residuals autocorrelated, so the classical covariance would
 * understate the parameter part. z is the normal quantile (normal-quantile.ts explains why not t).
 * The nominal interval combines the two legs with the correlation ρ of their residuals over their
 * common months: se_n² = se_r² + se_b² + 2ρ se_r se_b (parameter-estimate covariance across the two
 * regressions is neglected: it is small next to the residual part).
 *
 * These intervals describe the regression's historical fit, nothing more: the evaluation module
 * shows how such regressions fared out of sample against "no change", and the report prints both.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { fromColumns } from "../stats/dense.ts";
import { normalQuantile } from "../stats/distributions.ts";
import { ols } from "../stats/ols.ts";
import { type ConsensusPath, defaultRules, extendSeries } from "./consensus.ts";
import { computeScores, publishedBy, requiredSeries, type ScoreInputs, type ScoreResult } from "./engine.ts";
import { correlation, monthlyTarget } from "./evaluate.ts";
import { monthIndex, monthLabel, monthText } from "./months.ts";

export interface ScoreLevelMap {
  score: string;
  target: string;
  leadMonths: number;
  intercept: number;
  slope: number;
  /** √(SSR / (n − 2)), units of the target (percent). */
  residualSd: number;
  /** Newey-West covariance of (intercept, slope): [var a, cov ab, var b]. */
  hacCov: [number, number, number];
  hacLag: number;
  nobs: number;
  rSquared: number;
  /** Outcome months (labels) of the first and last pair. */
  firstOutcome: string;
  lastOutcome: string;
  /** Residuals by outcome month index, to correlate two legs. */
  residualMonths: number[];
  residuals: Float64Array;
}

/** Fit target(t + lead) = a + b score(t) over every month where both exist. */
export function fitScoreToLevel(
  score: Pick<ScoreResult, "name" | "dates" | "values">,
  target: Series,
  leadMonths: number,
): ScoreLevelMap {
  const { first: y0, values: y } = monthlyTarget(target);
  const s0 = monthIndex(score.dates[0]);
  const xs: number[] = [];
  const ys: number[] = [];
  const months: number[] = [];
  for (let k = 0; k < score.values.length; k++) {
    const m = s0 + k + leadMonths;
    const v = m - y0 >= 0 && m - y0 < y.length ? y[m - y0] : Number.NaN;
    if (Number.isFinite(score.values[k]) && Number.isFinite(v)) {
      xs.push(score.values[k]);
      ys.push(v);
      months.push(m);
    }
  }
  if (xs.length < 24) {
    throw new ModelError(
      `score ${score.name} → ${target.meta.id} at lead ${leadMonths}: ${xs.length} months with both, need at least 24`,
    );
  }
  const fit = ols(ys, fromColumns([new Float64Array(xs.length).fill(1), Float64Array.from(xs)]), {
    yName: target.meta.id,
    colNames: ["const", score.name],
  });
  const v = fit.hac.covParams.data;
  return {
    score: score.name,
    target: target.meta.id,
    leadMonths,
    intercept: fit.coefficients[0],
    slope: fit.coefficients[1],
    residualSd: Math.sqrt(fit.sigma2),
    hacCov: [v[0], v[1], v[3]],
    hacLag: fit.hac.lag,
    nobs: fit.nobs,
    rSquared: fit.rSquared,
    firstOutcome: monthLabel(months[0]),
    lastOutcome: monthLabel(months[months.length - 1]),
    residualMonths: months,
    residuals: fit.residuals,
  };
}

export interface IntervalPoint {
  mean: number;
  se: number;
  lo: number;
  hi: number;
}

/** Prediction of the level for a score value x0, with its interval at `level` (e.g. 0.9). */
export function predictLevel(map: ScoreLevelMap, x0: number, level: number): IntervalPoint {
  const [vaa, vab, vbb] = map.hacCov;
  const mean = map.intercept + map.slope * x0;
  const se = Math.sqrt(map.residualSd ** 2 + vaa + 2 * x0 * vab + x0 * x0 * vbb);
  const z = normalQuantile((1 + level) / 2);
  return { mean, se, lo: mean - z * se, hi: mean + z * se };
}

export interface LevelForecastPoint extends IntervalPoint {
  /** Month forecast (label). */
  date: string;
  /** Month of the score used (date − lead). */
  scoreDate: string;
  score: number;
  /** The score value depends on consensus (or default) paths rather than data only. */
  scoreFromConsensus: boolean;
}

export interface LegForecast {
  map: Omit<ScoreLevelMap, "residualMonths" | "residuals">;
  points: LevelForecastPoint[];
  /** Last month of the score computed on data alone. */
  lastDataScoreMonth: string;
}

export interface NominalPoint extends IntervalPoint {
  date: string;
  /**
   * The no-change benchmark for the same month: the origin's nominal level, with the interval of
   * historical k-month changes of real + breakeven (k = months ahead; root mean square, z-scaled).
   */
  noChange: IntervalPoint;
}

export interface ConsensusUse {
  id: string;
  source: "user" | "default" | "none";
  rule: string;
  firstExtended: string | null;
}

export interface NominalForecast {
  /** Last month of actual target data: forecasts start the month after. */
  origin: string;
  asOf: string | null;
  level: number;
  horizonMonths: number;
  real: LegForecast;
  breakeven: LegForecast;
  nominal: NominalPoint[];
  /** Correlation of the two regressions' residuals over their common months. */
  residualCorrelation: number;
  latestActual: { date: string; realPct: number; breakevenPct: number; nominalPct: number };
  consensus: ConsensusUse[];
  warnings: Warning[];
  summary(): string;
}

export interface NominalForecastOptions {
  horizonMonths?: number;
  /** Interval coverage, default 0.9. */
  level?: number;
  /** Use only data published by this date. */
  asOf?: string;
  realScore?: string;
  breakevenScore?: string;
}

function leg(
  actual: ScoreResult,
  extended: ScoreResult,
  map: ScoreLevelMap,
  months: number[],
  level: number,
  warnings: Warning[],
): LegForecast {
  const a0 = monthIndex(actual.dates[0]);
  const lastData = a0 + actual.dates.length - 1;
  const e0 = monthIndex(extended.dates[0]);
  const points: LevelForecastPoint[] = [];
  for (const t of months) {
    const sm = t - map.leadMonths;
    const k = sm - e0;
    const x0 = k >= 0 && k < extended.values.length ? extended.values[k] : Number.NaN;
    if (!Number.isFinite(x0)) {
      warnings.push({
        code: "no-score",
        message:
          `${actual.name} has no value for ${monthText(sm)} (an input is missing for that month, e.g. an ` +
          `unpublished release 12 months earlier): no ${map.target} forecast for ${monthText(t)}`,
      });
      continue;
    }
    points.push({
      date: monthLabel(t),
      scoreDate: monthLabel(sm),
      score: x0,
      scoreFromConsensus: sm > lastData,
      ...predictLevel(map, x0, level),
    });
  }
  const { residualMonths: _m, residuals: _r, ...mapOut } = map;
  return { map: mapOut, points, lastDataScoreMonth: monthLabel(lastData) };
}

/** Monthly real + breakeven up to `origin` (NaN where either is missing). */
function nominalHistory(real: Series, be: Series, origin: number): Float64Array {
  const r = monthlyTarget(real);
  const b = monthlyTarget(be);
  const first = Math.max(r.first, b.first);
  const out = new Float64Array(Math.max(0, origin - first + 1)).fill(Number.NaN);
  for (let t = first; t <= origin; t++) {
    const x = t - r.first < r.values.length ? r.values[t - r.first] : Number.NaN;
    const y = t - b.first < b.values.length ? b.values[t - b.first] : Number.NaN;
    out[t - first] = x + y;
  }
  return out;
}

/** Root mean square of k-month changes over the history (NaN pairs skipped). */
function rmsChange(x: Float64Array, k: number): number {
  let s = 0;
  let n = 0;
  for (let i = k; i < x.length; i++) {
    const d = x[i] - x[i - k];
    if (Number.isFinite(d)) {
      s += d * d;
      n++;
    }
  }
  return n ? Math.sqrt(s / n) : Number.NaN;
}

function lastMonthOf(s: Series): number {
  const { first, values } = monthlyTarget(s);
  let k = values.length - 1;
  while (k >= 0 && Number.isNaN(values[k])) k--;
  if (k < 0) throw new ModelError(`series ${s.meta.id} has no observation`);
  return first + k;
}

function valueAt(s: Series, month: number): number {
  const { first, values } = monthlyTarget(s);
  return month - first >= 0 && month - first < values.length ? values[month - first] : Number.NaN;
}

/**
 * Nominal 10y forecast = real (fed-tightening-momentum → DFII10 at its lead) + breakeven
 * (implied-inflation-expectation → T10YIE at its lead), each with its interval, for the
 * `horizonMonths` months after the last month of target data. `paths` extend the inputs; inputs
 * without a path follow the labelled default consensus (consensus.ts).
 */
export function nominalForecast(
  inputs: ScoreInputs,
  paths: readonly ConsensusPath[],
  opts: NominalForecastOptions = {},
): NominalForecast {
  const horizon = opts.horizonMonths ?? 12;
  const level = opts.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw new ModelError(`interval level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 60) {
    throw new ModelError(`horizon must be 1..60 months, got ${horizon}`);
  }
  const realName = opts.realScore ?? "fed-tightening-momentum";
  const beName = opts.breakevenScore ?? "implied-inflation-expectation";
  const realRecipe = inputs.recipes.get(realName);
  const beRecipe = inputs.recipes.get(beName);
  if (!realRecipe?.target || !beRecipe?.target) {
    throw new ModelError(`scores ${realName} and ${beName} must exist and name their targets`);
  }
  const cut = (s: Series): Series => (opts.asOf ? publishedBy(s, opts.asOf) : s);
  const series = new Map<string, Series>();
  for (const [id, s] of inputs.series) series.set(id, cut(s));
  const realTarget = series.get(realRecipe.target);
  const beTarget = series.get(beRecipe.target);
  if (!realTarget || !beTarget)
    throw new ModelError(`targets ${realRecipe.target} and ${beRecipe.target} are needed`);

  const warnings: Warning[] = [];
  const actual = computeScores([realName, beName], { series, recipes: inputs.recipes }, { asOf: opts.asOf });
  const origin = Math.min(lastMonthOf(realTarget), lastMonthOf(beTarget));
  const end = origin + horizon;

  // extend every raw input through the horizon end
  const pathById = new Map(paths.map((p) => [p.id, p]));
  const rules = defaultRules(inputs.recipes);
  const needed = new Set([
    ...requiredSeries(realName, inputs.recipes).map((r) => r.id),
    ...requiredSeries(beName, inputs.recipes).map((r) => r.id),
  ]);
  for (const p of paths) {
    if (!needed.has(p.id)) {
      warnings.push({
        code: "path-unused",
        message: `${p.origin}: ${p.id} is not an input of ${realName} or ${beName}; ignored`,
        series: p.id,
      });
    }
  }
  const extendedSeries = new Map(series);
  const consensus: ConsensusUse[] = [];
  for (const id of [...needed].sort()) {
    const ext = extendSeries(series.get(id)!, pathById.get(id), end, rules.get(id) ?? "hold-level");
    extendedSeries.set(id, ext.series);
    warnings.push(...ext.warnings);
    consensus.push({ id, source: ext.source, rule: ext.rule, firstExtended: ext.firstExtended });
  }
  const defaulted = consensus.filter((c) => c.source === "default").map((c) => c.id);
  if (defaulted.length) {
    warnings.push({
      code: "default-consensus",
      message: `DEFAULT consensus (no path given) for ${defaulted.join(", ")}: index inputs keep their last 12-month growth, others their last value`,
    });
  }
  const extended = computeScores([realName, beName], { series: extendedSeries, recipes: inputs.recipes });

  const realMap = fitScoreToLevel(actual.get(realName)!, realTarget, realRecipe.targetLeadMonths);
  const beMap = fitScoreToLevel(actual.get(beName)!, beTarget, beRecipe.targetLeadMonths);
  const months = Array.from({ length: horizon }, (_, k) => origin + 1 + k);
  const realLeg = leg(actual.get(realName)!, extended.get(realName)!, realMap, months, level, warnings);
  const beLeg = leg(actual.get(beName)!, extended.get(beName)!, beMap, months, level, warnings);

  // residual correlation over common outcome months
  const rb = new Map(beMap.residualMonths.map((m, i) => [m, beMap.residuals[i]]));
  const xr: number[] = [];
  const xb: number[] = [];
  realMap.residualMonths.forEach((m, i) => {
    const v = rb.get(m);
    if (v !== undefined) {
      xr.push(realMap.residuals[i]);
      xb.push(v);
    }
  });
  let rho = correlation(xr, xb);
  if (!Number.isFinite(rho)) {
    warnings.push({
      code: "no-correlation",
      message: "legs share too few months: residual correlation set to 0",
    });
    rho = 0;
  }
  const z = normalQuantile((1 + level) / 2);
  const rA = valueAt(realTarget, origin);
  const bA = valueAt(beTarget, origin);
  const sumHist = nominalHistory(realTarget, beTarget, origin);
  const beByDate = new Map(beLeg.points.map((p) => [p.date, p]));
  const nominal: NominalPoint[] = [];
  for (const r of realLeg.points) {
    const b = beByDate.get(r.date);
    if (!b) continue;
    const mean = r.mean + b.mean;
    const se = Math.sqrt(r.se ** 2 + b.se ** 2 + 2 * rho * r.se * b.se);
    const k = monthIndex(r.date) - origin;
    const seK = rmsChange(sumHist, k);
    const nA = rA + bA;
    nominal.push({
      date: r.date,
      mean,
      se,
      lo: mean - z * se,
      hi: mean + z * se,
      noChange: { mean: nA, se: seK, lo: nA - z * seK, hi: nA + z * seK },
    });
  }
  const result: NominalForecast = {
    origin: monthLabel(origin),
    asOf: opts.asOf ?? null,
    level,
    horizonMonths: horizon,
    real: realLeg,
    breakeven: beLeg,
    nominal,
    residualCorrelation: rho,
    latestActual: { date: monthLabel(origin), realPct: rA, breakevenPct: bA, nominalPct: rA + bA },
    consensus,
    warnings,
    summary: () => forecastSummary(result),
  };
  return result;
}

function f(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : "n/a";
}

function forecastSummary(r: NominalForecast): string {
  const pct = Math.round(r.level * 100);
  const lines: string[] = [];
  lines.push(
    `Nominal 10y forecast = real (${r.real.map.score} → ${r.real.map.target}, lead ${r.real.map.leadMonths}m) + ` +
      `breakeven (${r.breakeven.map.score} → ${r.breakeven.map.target}, lead ${r.breakeven.map.leadMonths}m)`,
  );
  lines.push(
    `origin ${r.origin.slice(0, 7)}${r.asOf ? ` (as of ${r.asOf})` : ""}: actual real ${f(r.latestActual.realPct)}%, ` +
      `breakeven ${f(r.latestActual.breakevenPct)}%, nominal ${f(r.latestActual.nominalPct)}% (month-end)`,
  );
  for (const l of [r.real, r.breakeven]) {
    const m = l.map;
    lines.push(
      `  ${m.target} = ${f(m.intercept, 3)} + ${f(m.slope, 4)} × ${m.score}(t−${m.leadMonths}); R² ${f(m.rSquared)}, ` +
        `resid sd ${f(m.residualSd, 3)} pp, n ${m.nobs} (${m.firstOutcome.slice(0, 7)}..${m.lastOutcome.slice(0, 7)}), NW lag ${m.hacLag}`,
    );
  }
  lines.push(
    `  residual correlation real/breakeven ${f(r.residualCorrelation)}; ${pct}% prediction intervals`,
  );
  lines.push("");
  const head = [
    "month",
    "real",
    `real ${pct}%`,
    "breakeven",
    `breakeven ${pct}%`,
    "nominal",
    `nominal ${pct}%`,
    `no-change ${pct}%`,
    "scores from (real/be)",
  ];
  const be = new Map(r.breakeven.points.map((p) => [p.date, p]));
  const re = new Map(r.real.points.map((p) => [p.date, p]));
  const rows = r.nominal.map((n) => {
    const a = re.get(n.date)!;
    const b = be.get(n.date)!;
    return [
      n.date.slice(0, 7),
      f(a.mean),
      `${f(a.lo)}..${f(a.hi)}`,
      f(b.mean),
      `${f(b.lo)}..${f(b.hi)}`,
      f(n.mean),
      `${f(n.lo)}..${f(n.hi)}`,
      `${f(n.noChange.lo)}..${f(n.noChange.hi)}`,
      `${a.scoreFromConsensus ? "consensus" : "data"}/${b.scoreFromConsensus ? "consensus" : "data"}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  lines.push(line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line));
  lines.push(
    "",
    `no-change: the origin's nominal ${f(r.latestActual.nominalPct)}% with the spread of historical k-month changes ` +
      "(the benchmark the score regressions must beat; see `score eval`)",
    "inputs:",
  );
  for (const c of r.consensus) {
    lines.push(
      `  ${c.id}: ${c.rule}${c.firstExtended ? ` (extended from ${c.firstExtended.slice(0, 7)})` : ""}`,
    );
  }
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}
