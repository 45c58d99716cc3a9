/**
 * The composite-score engine (METHODS.md §2): score_t = normalise(Σ_i w_i c_i(t)), where
 * component c_i is a series (or another score) on its own period grid, passed through its
 * transform steps, and read at month t from the latest period P with
 *
 *   end(P) <= t − max(lagMonths_i, publicationLag_i)
 *
 * `lagMonths` is calendar (the recipe's "PPI change six months earlier"); the publication lag
 * only forbids data not yet released at the end of month t (publication-lags.ts). So a lag of 6
 * on CPI (released a month later) reads CPI six months back, and a lag of 0 reads last month's.
 * Every step is causal unless labelled look-ahead and the percentile normalisation is expanding,
 * so the value for month t depends only on data released by the end of t: the score could have
 * been computed then (up to data revisions: the bundled data are the latest vintage).
 *
 * Months are labelled YYYY-MM-01 and stand for the end of that month. Daily and weekly data are
 * sampled at month end (last observation), quarterly data step once a quarter. The grid ends at
 * the as-of month, or without one at the month-end by which the newest observation among the
 * inputs is public; the last month may be partial (its daily inputs are the latest available).
 *
 * Output units: normalise "percentile" (default) gives an expanding percentile rank on 0-100;
 * "full-sample" the same against the whole sample (LOOKS AHEAD, labelled); "none" the weighted sum.
 */
import { addDays } from "../core/dates.ts";
import { InputError, ModelError, NotFoundError, type Warning, YardstickError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { percentileRankExpandingValues, percentileRankFullSampleValues } from "../transforms/percentile.ts";
import { toAnnual, toMonthly, toQuarterly } from "../transforms/resample.ts";
import { dayOfMonth, monthIndex, monthLabel, monthText } from "./months.ts";
import { publicationLag, type ResolvedLag } from "./publication-lags.ts";
import { type ComponentSpec, describeSteps, type Recipe } from "./recipe.ts";
import { applyStep, STEP_DEFAULTS } from "./steps.ts";

export interface ScoreInputs {
  /** Raw series by id, any frequency (the store's newest vintage, or with consensus paths appended). */
  series: ReadonlyMap<string, Series>;
  /** Recipes by name: the built-ins plus any user recipe. A name shadows a series id. */
  recipes: ReadonlyMap<string, Recipe>;
}

export interface ScoreOptions {
  /** Use only data published by this date (ISO); the grid ends at its month. */
  asOf?: string;
  /** Weights not summing to 1 are an error instead of a warning. */
  strict?: boolean;
}

export interface ComponentResult {
  index: number;
  label: string;
  /** Series id or score name. */
  source: string;
  isScore: boolean;
  subtract?: string;
  steps: string;
  weight: number;
  lagMonths: number;
  publicationLagMonths: number;
  publicationLagNote: string;
  /** max(lagMonths, publicationLagMonths): months between the input period and the score month. */
  shiftMonths: number;
  /** Component values on the score's dates (after steps, before weighting). */
  values: Float64Array;
  /** Label of the input period the latest score value used (e.g. 2026-06-01 for June CPI). */
  latestInputPeriod: string | null;
  lookAhead: boolean;
}

export interface ScoreResult {
  name: string;
  description: string;
  caveat: string | null;
  units: string;
  normalise: Recipe["normalise"];
  target: string | null;
  targetLeadMonths: number;
  asOf: string | null;
  /** Month labels (YYYY-MM-01), each standing for the end of its month. */
  dates: string[];
  values: Float64Array;
  /** Σ w_i c_i(t) before normalisation. */
  weightedSum: Float64Array;
  components: ComponentResult[];
  /** True when any step (or the normalisation) uses data after the date it is reported for. */
  lookAhead: boolean;
  latest: { date: string; value: number } | null;
  warnings: Warning[];
  summary(): string;
}

/** A component input on its period grid: values[k] belongs to the period ending in month firstEnd + k·step. */
interface PeriodInput {
  firstEnd: number;
  step: number;
  periodsPerYear: number;
  values: Float64Array;
  dates: readonly string[];
  lag: ResolvedLag;
  lastMonth: number;
  /** Labels of interior missing periods that were filled with the previous value. */
  filled: string[];
  /** Labels of interior missing periods left missing (runs longer than MAX_FILL). */
  gaps: string[];
}

/**
 * Interior runs of missing periods up to this long are filled with the last value (a release that
 * never came: the October 2025 CPI); longer runs stay missing. Carrying forward is causal (an
 * interpolation would use the next release, which was not out yet) and is reported as a warning.
 */
export const MAX_FILL = 2;

/** Carry the last value over interior runs of NaN no longer than MAX_FILL; in place. */
function fillShortGaps(values: Float64Array, dates: readonly string[]): { filled: string[]; gaps: string[] } {
  const filled: string[] = [];
  const gaps: string[] = [];
  let i = 0;
  while (i < values.length && Number.isNaN(values[i])) i++;
  while (i < values.length) {
    if (!Number.isNaN(values[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < values.length && Number.isNaN(values[j])) j++;
    if (j === values.length) break; // trailing: not a gap, just the end of the data
    if (j - i <= MAX_FILL) {
      for (let k = i; k < j; k++) {
        values[k] = values[i - 1];
        filled.push(dates[k]);
      }
    } else for (let k = i; k < j; k++) gaps.push(dates[k]);
    i = j;
  }
  return { filled, gaps };
}

interface Context {
  inputs: ScoreInputs;
  opts: ScoreOptions;
  gridEnd: number;
  prepared: Map<string, PeriodInput>;
  results: Map<string, ScoreResult>;
}

const TOL_WEIGHTS = 1e-9;

function where(recipe: Recipe, i: number, c: ComponentSpec): string {
  return `recipe "${recipe.name}", component ${i + 1} (${c.series})`;
}

/** Re-throw a typed error with the recipe/component context in front, same kind. */
function withContext(prefix: string, err: unknown): never {
  if (err instanceof YardstickError && !err.message.includes(prefix)) {
    const msg = `${prefix}: ${err.message}`;
    if (err instanceof InputError) throw new InputError(msg);
    if (err instanceof NotFoundError) throw new NotFoundError(msg);
    throw new ModelError(msg);
  }
  throw err;
}

/**
 * Every score a recipe depends on, in dependency order (dependencies first). A cycle is an
 * InputError that spells it out (a → b → a).
 */
export function scoreOrder(name: string, recipes: ReadonlyMap<string, Recipe>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    if (done.has(n)) return;
    const at = stack.indexOf(n);
    if (at >= 0) {
      throw new InputError(`cycle between scores: ${[...stack.slice(at), n].join(" → ")}`);
    }
    const r = recipes.get(n);
    if (!r) throw new NotFoundError(`unknown score "${n}"`);
    stack.push(n);
    for (const c of r.components) if (recipes.has(c.series)) visit(c.series);
    stack.pop();
    done.add(n);
    order.push(n);
  };
  visit(name);
  return order;
}

export interface SeriesRequirement {
  id: string;
  recipe: string;
  /** 1-based component number, or 0 for the recipe's target. */
  component: number;
  role: "series" | "subtract" | "target";
}

/** The raw series a score needs (components of it and of every score it uses; optionally targets). */
export function requiredSeries(
  name: string,
  recipes: ReadonlyMap<string, Recipe>,
  { targets = false }: { targets?: boolean } = {},
): SeriesRequirement[] {
  const out: SeriesRequirement[] = [];
  for (const n of scoreOrder(name, recipes)) {
    const r = recipes.get(n)!;
    r.components.forEach((c, i) => {
      if (!recipes.has(c.series)) out.push({ id: c.series, recipe: n, component: i + 1, role: "series" });
      if (c.subtract !== undefined)
        out.push({ id: c.subtract, recipe: n, component: i + 1, role: "subtract" });
    });
    if (targets && r.target !== undefined && !recipes.has(r.target)) {
      out.push({ id: r.target, recipe: n, component: 0, role: "target" });
    }
  }
  return out;
}

/** Message for a requirement that cannot be met. */
export function missingSeriesMessage(req: SeriesRequirement, extra = ""): string {
  const what =
    req.role === "target"
      ? "target"
      : `component ${req.component}${req.role === "subtract" ? " (subtract)" : ""}`;
  return `recipe "${req.recipe}", ${what}: unknown series "${req.id}" (neither a series in the store nor a score recipe)${extra}`;
}

/** Index of the last observation published by `asOf` (dates and release dates both increase). */
function lastPublished(s: Series, lag: ResolvedLag, asOf: string): number {
  const f = s.meta.frequency;
  const release = (iso: string): string => {
    if (f === "m" || f === "q" || f === "a") {
      const m = monthIndex(iso);
      const end = f === "m" ? m : f === "q" ? m - (m % 3) + 2 : m - (m % 12) + 11;
      return dayOfMonth(end + lag.months, lag.releaseDay ?? 31);
    }
    return lag.releaseDays ? addDays(iso, lag.releaseDays) : iso;
  };
  let i = s.dates.length - 1;
  while (i >= 0 && release(s.dates[i]) > asOf) i--;
  return i;
}

/**
 * The observations of `s` published by `asOf` (its publication lag from the table, or months
 * given explicitly): what a user could have seen on that date. Data revisions are not undone.
 */
export function publishedBy(s: Series, asOf: string, lagMonths?: number): Series {
  const lag: ResolvedLag =
    lagMonths === undefined
      ? publicationLag(s.meta.id, s.meta.frequency)
      : { months: lagMonths, releaseDay: 31, releaseDays: 31 * lagMonths, note: "given", origin: "recipe" };
  const last = lastPublished(s, lag, asOf);
  return { meta: s.meta, dates: s.dates.slice(0, last + 1), values: s.values.slice(0, last + 1) };
}

/** The raw series as a gap-free period grid, cut to what was published by the as-of date. */
function prepare(id: string, ctx: Context, override: number | undefined): PeriodInput {
  const key = `${id}\u0000${override ?? ""}`;
  const hit = ctx.prepared.get(key);
  if (hit) return hit;
  const raw = ctx.inputs.series.get(id);
  if (!raw) throw new NotFoundError(`unknown series "${id}"`);
  const base = publicationLag(id, raw.meta.frequency);
  const lag: ResolvedLag =
    override === undefined
      ? base
      : {
          months: override,
          releaseDay: 31,
          releaseDays: 31 * override,
          note: "set in the recipe",
          origin: "recipe",
        };
  const s = ctx.opts.asOf === undefined ? raw : publishedBy(raw, ctx.opts.asOf, override);
  const f = s.meta.frequency;
  const grid = f === "q" ? toQuarterly(s) : f === "a" ? toAnnual(s) : toMonthly(s);
  const step = f === "q" ? 3 : f === "a" ? 12 : 1;
  let lastValid = grid.values.length - 1;
  while (lastValid >= 0 && Number.isNaN(grid.values[lastValid])) lastValid--;
  if (lastValid < 0) {
    throw new ModelError(
      `series "${id}" has no observation${ctx.opts.asOf ? ` published by ${ctx.opts.asOf}` : ""}`,
    );
  }
  const firstEnd = grid.dates.length ? monthIndex(grid.dates[0]) + step - 1 : 0;
  const values = Float64Array.from(grid.values);
  const { filled, gaps } = fillShortGaps(values, grid.dates);
  const out: PeriodInput = {
    firstEnd,
    step,
    periodsPerYear: 12 / step,
    values,
    dates: grid.dates,
    lag,
    lastMonth: firstEnd + lastValid * step,
    filled,
    gaps,
  };
  ctx.prepared.set(key, out);
  return out;
}

/** Difference of two period inputs on their common periods (same frequency required). */
function difference(a: PeriodInput, b: PeriodInput, label: string): PeriodInput {
  if (a.step !== b.step) {
    throw new InputError(`${label}: series and subtract have different frequencies; they must match`);
  }
  const first = Math.max(a.firstEnd, b.firstEnd);
  const end = Math.min(
    a.firstEnd + (a.values.length - 1) * a.step,
    b.firstEnd + (b.values.length - 1) * b.step,
  );
  const n = end >= first ? (end - first) / a.step + 1 : 0;
  if (n === 0) throw new ModelError(`${label}: series and subtract have no period in common`);
  const values = new Float64Array(n);
  const dates: string[] = [];
  const oa = (first - a.firstEnd) / a.step;
  const ob = (first - b.firstEnd) / b.step;
  for (let k = 0; k < n; k++) {
    values[k] = a.values[oa + k] - b.values[ob + k];
    dates.push(a.dates[oa + k]);
  }
  const lag = a.lag.months >= b.lag.months ? a.lag : b.lag;
  return {
    ...a,
    firstEnd: first,
    values,
    dates,
    lag,
    lastMonth: Math.min(a.lastMonth, b.lastMonth),
    filled: [...a.filled, ...b.filled],
    gaps: [...a.gaps, ...b.gaps],
  };
}

interface ComponentWork {
  spec: ComponentSpec;
  input: PeriodInput;
  transformed: Float64Array;
  shift: number;
  isScore: boolean;
  lookAhead: boolean;
}

function componentWork(recipe: Recipe, i: number, ctx: Context, warnings: Warning[]): ComponentWork {
  const c = recipe.components[i];
  const label = where(recipe, i, c);
  let input: PeriodInput;
  let isScore = false;
  let lookAhead = false;
  try {
    if (ctx.inputs.recipes.has(c.series)) {
      const sub = computeIn(c.series, ctx);
      isScore = true;
      lookAhead = sub.lookAhead;
      if (sub.dates.length === 0) throw new ModelError(`score "${c.series}" has no value`);
      const first = monthIndex(sub.dates[0]);
      input = {
        firstEnd: first,
        step: 1,
        periodsPerYear: 12,
        values: sub.values,
        dates: sub.dates,
        lag: { months: 0, note: `score "${c.series}" is already as of each month-end`, origin: "table" },
        lastMonth: first + sub.dates.length - 1,
        filled: [],
        gaps: [],
      };
    } else {
      input = prepare(c.series, ctx, c.publicationLagMonths);
      if (c.subtract !== undefined) {
        input = difference(input, prepare(c.subtract, ctx, c.publicationLagMonths), label);
      }
      const short = (d: readonly string[]) =>
        d.length > 6 ? `${d.slice(0, 3).join(", ")}, ... ${d[d.length - 1]} (${d.length})` : d.join(", ");
      if (input.filled.length) {
        warnings.push({
          code: "gap-filled",
          message: `${label}: missing period(s) ${short(input.filled)} carried forward from the month before`,
          series: c.series,
          date: input.filled[0],
        });
      }
      if (input.gaps.length) {
        warnings.push({
          code: "gap",
          message: `${label}: missing period(s) ${short(input.gaps)} (longer than ${MAX_FILL} in a row): the score is missing where they are used`,
          series: c.series,
          date: input.gaps[0],
        });
      }
      if (input.lag.origin === "frequency") {
        warnings.push({
          code: "publication-lag-assumed",
          message: `${label}: no publication lag on file for ${c.series}; ${input.lag.note} (set publicationLagMonths to override)`,
          series: c.series,
        });
      }
    }
  } catch (err) {
    withContext(label, err);
  }
  let values = input.values;
  for (const step of c.steps) {
    try {
      const r = applyStep(values, step, {
        where: label,
        dates: input.dates,
        periodsPerYear: input.periodsPerYear,
      });
      values = r.values;
      lookAhead ||= r.lookAhead;
    } catch (err) {
      withContext(label, err);
    }
  }
  const shift = Math.max(c.lagMonths, input.lag.months);
  return { spec: c, input, transformed: values, shift, isScore, lookAhead };
}

/** Value of a component at grid month t: the latest period ending at or before t − shift. */
function readAt(w: ComponentWork, t: number): number {
  const k = Math.floor((t - w.shift - w.input.firstEnd) / w.input.step);
  return k >= 0 && k < w.transformed.length ? w.transformed[k] : Number.NaN;
}

function firstValidMonth(w: ComponentWork): number | null {
  for (let k = 0; k < w.transformed.length; k++) {
    if (!Number.isNaN(w.transformed[k])) return w.input.firstEnd + k * w.input.step + w.shift;
  }
  return null;
}

function computeIn(name: string, ctx: Context): ScoreResult {
  const hit = ctx.results.get(name);
  if (hit) return hit;
  const recipe = ctx.inputs.recipes.get(name);
  if (!recipe) throw new NotFoundError(`unknown score "${name}"`);
  const warnings: Warning[] = [];

  const wsum = recipe.components.reduce((s, c) => s + c.weight, 0);
  if (Math.abs(wsum - 1) > TOL_WEIGHTS) {
    const msg = `recipe "${name}": component weights sum to ${+wsum.toFixed(10)}, not 1`;
    if (ctx.opts.strict) throw new InputError(`${msg} (strict mode)`);
    warnings.push({ code: "weights-sum", message: `${msg}; the score is the weighted sum as written` });
  }

  const work = recipe.components.map((_, i) => componentWork(recipe, i, ctx, warnings));
  let start = Number.POSITIVE_INFINITY;
  work.forEach((w, i) => {
    const first = firstValidMonth(w);
    const label = where(recipe, i, w.spec);
    if (first === null) throw new ModelError(`${label}: no valid value after its transforms`);
    if (first > ctx.gridEnd) {
      throw new ModelError(
        `${label}: lag runs past the data: with a shift of ${w.shift} months its first value falls in ` +
          `${monthText(first)}, after the last month ${monthText(ctx.gridEnd)}`,
      );
    }
    start = Math.min(start, first);
  });

  const n = ctx.gridEnd - start + 1;
  const compValues = work.map(() => new Float64Array(n));
  const sum = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const t = start + k;
    let s = 0;
    for (let j = 0; j < work.length; j++) {
      const v = readAt(work[j], t);
      compValues[j][k] = v;
      s += work[j].spec.weight * v;
    }
    sum[k] = s;
  }

  let values: Float64Array;
  let lookAhead = work.some((w) => w.lookAhead);
  if (recipe.normalise === "none") values = sum;
  else {
    const minP = recipe.minPeriods ?? STEP_DEFAULTS.percentileMinPeriods;
    let valid = 0;
    for (let k = 0; k < n; k++) if (!Number.isNaN(sum[k])) valid++;
    if (valid < minP) {
      throw new ModelError(
        `recipe "${name}": too few points for a percentile: the weighted sum has ${valid} valid months ` +
          `(${monthText(start)}..${monthText(ctx.gridEnd)}), the normalisation needs at least ${minP} (minPeriods)`,
      );
    }
    const full = recipe.normalise === "full-sample";
    lookAhead ||= full;
    values = full
      ? percentileRankFullSampleValues(sum, { kind: "mean" })
      : percentileRankExpandingValues(sum, { kind: "mean", minPeriods: minP });
    for (let k = 0; k < n; k++) values[k] *= 100;
  }

  // trim to the first..last valid score month
  let lo = 0;
  let hi = n;
  while (lo < hi && Number.isNaN(values[lo])) lo++;
  while (hi > lo && Number.isNaN(values[hi - 1])) hi--;
  if (lo === hi) throw new ModelError(`recipe "${name}": no month where every component has a value`);
  if (hi < n) {
    const limiting = work
      .map((w, j) => (Number.isNaN(compValues[j][hi]) ? where(recipe, j, w.spec) : null))
      .filter((x): x is string => x !== null);
    warnings.push({
      code: "score-stale",
      message:
        `score "${name}" ends at ${monthText(start + hi - 1)}, ${n - hi} month(s) before ${monthText(ctx.gridEnd)}: ` +
        `no data yet for ${limiting.join("; ") || "the normalisation"}`,
      date: monthLabel(start + hi - 1),
    });
  }
  if (lookAhead) {
    warnings.push({
      code: "look-ahead",
      message:
        `score "${name}" LOOKS AHEAD (full-sample percentile or two-sided HP filter): past values use later ` +
        "data; fine for description, not for signals or backtests",
    });
  }
  for (const w of work) {
    if (w.isScore) {
      for (const sw of ctx.results.get(w.spec.series)?.warnings ?? []) {
        if (!warnings.some((x) => x.message === sw.message)) warnings.push(sw);
      }
    }
  }
  if (recipe.caveat) warnings.unshift({ code: "caveat", message: `${name}: ${recipe.caveat}` });

  const dates: string[] = [];
  for (let k = lo; k < hi; k++) dates.push(monthLabel(start + k));
  const lastT = start + hi - 1;
  const components: ComponentResult[] = work.map((w, j) => {
    const kLast = Math.floor((lastT - w.shift - w.input.firstEnd) / w.input.step);
    const out: ComponentResult = {
      index: j + 1,
      label: w.spec.label ?? (w.spec.subtract ? `${w.spec.series} − ${w.spec.subtract}` : w.spec.series),
      source: w.spec.series,
      isScore: w.isScore,
      steps: describeSteps(w.spec.steps),
      weight: w.spec.weight,
      lagMonths: w.spec.lagMonths,
      publicationLagMonths: w.input.lag.months,
      publicationLagNote: w.input.lag.note,
      shiftMonths: w.shift,
      values: compValues[j].slice(lo, hi),
      latestInputPeriod: kLast >= 0 && kLast < w.input.dates.length ? w.input.dates[kLast] : null,
      lookAhead: w.lookAhead,
    };
    if (w.spec.subtract !== undefined) out.subtract = w.spec.subtract;
    return out;
  });
  const scoreValues = values.slice(lo, hi);
  const result: ScoreResult = {
    name,
    description: recipe.description ?? "",
    caveat: recipe.caveat ?? null,
    units: recipe.units ?? (recipe.normalise === "none" ? "weighted sum of components" : "score 0-100"),
    normalise: recipe.normalise,
    target: recipe.target ?? null,
    targetLeadMonths: recipe.targetLeadMonths,
    asOf: ctx.opts.asOf ?? null,
    dates,
    values: scoreValues,
    weightedSum: sum.slice(lo, hi),
    components,
    lookAhead,
    latest: { date: dates[dates.length - 1], value: scoreValues[scoreValues.length - 1] },
    warnings,
    summary: () => scoreSummary(result),
  };
  ctx.results.set(name, result);
  return result;
}

function makeContext(names: readonly string[], inputs: ScoreInputs, opts: ScoreOptions): Context {
  const ids = new Set<string>();
  for (const name of names) {
    for (const req of requiredSeries(name, inputs.recipes)) {
      if (!inputs.series.has(req.id)) throw new NotFoundError(missingSeriesMessage(req));
      ids.add(req.id);
    }
  }
  // Without an as-of date the grid runs to the month-end by which the newest observation is public
  // (July CPI in the store → an August score), so the latest data are always used.
  let gridEnd: number;
  if (opts.asOf !== undefined) gridEnd = monthIndex(opts.asOf);
  else {
    gridEnd = Number.NEGATIVE_INFINITY;
    for (const id of ids) {
      const s = inputs.series.get(id)!;
      const f = s.meta.frequency;
      for (let i = s.values.length - 1; i >= 0; i--) {
        if (!Number.isNaN(s.values[i])) {
          const m = monthIndex(s.dates[i]);
          const end = f === "q" ? m - (m % 3) + 2 : f === "a" ? m - (m % 12) + 11 : m;
          gridEnd = Math.max(gridEnd, end + publicationLag(id, f).months);
          break;
        }
      }
    }
    if (!Number.isFinite(gridEnd))
      throw new ModelError(`scores ${names.join(", ")}: the inputs hold no observation`);
  }
  return { inputs, opts, gridEnd, prepared: new Map(), results: new Map() };
}

/**
 * Compute one score (and every score it uses) as of each month. Throws NotFoundError for unknown
 * series (naming the recipe and component), InputError for cycles and (strict) weights,
 * ModelError for lags past the data and too few points for a percentile.
 */
export function computeScore(name: string, inputs: ScoreInputs, opts: ScoreOptions = {}): ScoreResult {
  const ctx = makeContext([name], inputs, opts);
  return computeIn(name, ctx);
}

/**
 * Several scores on one shared grid end and shared intermediate results (a sub-score used by two
 * scores is computed once).
 */
export function computeScores(
  names: readonly string[],
  inputs: ScoreInputs,
  opts: ScoreOptions = {},
): Map<string, ScoreResult> {
  const ctx = makeContext(names, inputs, opts);
  const out = new Map<string, ScoreResult>();
  for (const n of names) out.set(n, computeIn(n, ctx));
  return out;
}

function fmt(v: number, d = 2): string {
  return Number.isFinite(v) ? v.toFixed(d) : "n/a";
}

function scoreSummary(r: ScoreResult): string {
  const lines: string[] = [];
  lines.push(`score ${r.name}${r.asOf ? ` as of ${r.asOf}` : ""}: ${r.description}`);
  if (r.latest) {
    lines.push(
      `latest ${r.latest.date.slice(0, 7)}: ${fmt(r.latest.value, 1)} (${r.units}); ` +
        `${r.dates.length} months from ${r.dates[0].slice(0, 7)}; normalise ${r.normalise}` +
        `${r.lookAhead ? " — LOOK-AHEAD" : ""}`,
    );
  }
  if (r.target) lines.push(`judged against ${r.target} ${r.targetLeadMonths} month(s) ahead`);
  lines.push("");
  const head = ["#", "component", "steps", "weight", "lag", "pub.lag", "input period", "latest"];
  const rows = r.components.map((c) => [
    String(c.index),
    c.label,
    c.steps,
    String(c.weight),
    String(c.lagMonths),
    String(c.publicationLagMonths),
    c.latestInputPeriod?.slice(0, 7) ?? "",
    fmt(c.values[c.values.length - 1]),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  lines.push(line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line));
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}
