/**
 * Fair value of an n-year yield under a policy-rate path (METHODS.md §1b), percent per year:
 *
 *   y_n(t) = (1/N) Σ_{i=1..N} E_t[r(t+i)] + TP_n,   N = 12 n months,
 *
 * the expectations part being the average of the path's monthly policy rate over the N months
 * after the evaluation month. Recession branch: with probability p a recession arrives within
 * the window; the Fed then cuts to `ratePct` (zero) at once and starts no new cycle, so the rate
 * stays there to the window's end. Arrival month j is either uniform over the window's months
 * (j = 1..N, each with probability p/N; a recession at j = 1 means the whole window at zero) or
 * immediate (j = 1). The recession-branch average is then
 *
 *   uniform:   R = (1/N²) [ Σ_i r_i (N − i) + f N (N + 1) / 2 ],   immediate:   R = f,
 *
 * (f the post-recession rate) and the component is the mix (1 − p) A + p R with A the path
 * average. The same p applies to every window length, as the scenario states it (it is not a
 * per-year hazard). The term premium is an input (a number per maturity, or a model's estimate
 * resolved by the caller). No convexity or compounding adjustment: the policy rate, the
 * component and the market's par yields differ in day count and compounding by a few bp.
 */
import { InputError, ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { monthsBetween, type PolicyPath } from "./policy-path.ts";

export interface RecessionAssumption {
  /** Probability that a recession arrives within the window, in [0, 1]. */
  probability: number;
  arrival: "uniform" | "immediate";
  /** Policy rate once the recession arrives, percent (0: the Fed cuts to zero). */
  ratePct: number;
}

export interface ExpectedRateComponent {
  /** Probability-weighted mix. */
  expectedRatePct: number;
  /** Average of the path over the window. */
  noRecessionPct: number;
  /** Expected average in the recession branch. */
  recessionPct: number;
}

/**
 * Expected-rate component at month index `evalIndex` of a monthly path (index 0 = as-of month)
 * over the `windowMonths` months after it.
 */
export function expectedRateComponent(
  ratesPct: ArrayLike<number>,
  evalIndex: number,
  windowMonths: number,
  rec: RecessionAssumption,
): ExpectedRateComponent {
  const n = windowMonths;
  if (!Number.isInteger(n) || n < 1)
    throw new ModelError(`window must be a whole number of months >= 1, got ${n}`);
  if (!Number.isInteger(evalIndex) || evalIndex < 0)
    throw new ModelError(`evaluation month index must be a whole number >= 0, got ${evalIndex}`);
  if (evalIndex + n >= ratesPct.length)
    throw new ModelError(
      `the path has ${ratesPct.length - 1} months but the window needs months ` +
        `${evalIndex + 1}..${evalIndex + n}`,
    );
  checkProbability(rec.probability);
  let sum = 0;
  let weighted = 0;
  for (let i = 1; i <= n; i++) {
    const r = ratesPct[evalIndex + i];
    sum += r;
    weighted += r * (n - i);
  }
  const noRecessionPct = sum / n;
  const recessionPct =
    rec.arrival === "immediate" ? rec.ratePct : (weighted + (rec.ratePct * n * (n + 1)) / 2) / (n * n);
  const p = rec.probability;
  return { expectedRatePct: (1 - p) * noRecessionPct + p * recessionPct, noRecessionPct, recessionPct };
}

export function checkProbability(p: number, field = "recessionProbability"): void {
  if (!(Number.isFinite(p) && p >= 0 && p <= 1))
    throw new InputError(`${field}: a probability must be between 0 and 1, got ${p}`);
}

export interface MarketQuote {
  valuePct: number;
  /** Observation date actually used (the last on or before the evaluation date). */
  date: string;
}

/** The market yield for a maturity on a date, and whether the date lies beyond the data. */
export type MarketLookup = (
  maturityYears: number,
  at: string,
) => { quote: MarketQuote | null; projection: boolean };

export interface FairValueRow {
  path: string;
  /** Evaluation date as requested (ISO); the window starts the month after its month. */
  at: string;
  maturityYears: number;
  expectedRatePct: number;
  noRecessionPct: number;
  recessionPct: number;
  termPremiumPct: number;
  fairValuePct: number;
  /** Market par yield on `at` (last observation on or before it), null when the store has none. */
  marketPct: number | null;
  marketDate: string | null;
  /** `at` lies after the market data: the row is a projection along the path. */
  projection: boolean;
}

export interface FairValueInput {
  paths: PolicyPath[];
  at: string[];
  maturitiesYears: number[];
  /** One number for every maturity, or one per maturity (years → percent). */
  termPremiumPct: number | ReadonlyMap<number, number>;
  recession: RecessionAssumption;
  market?: MarketLookup;
}

export interface FairValueResult {
  rows: FairValueRow[];
  warnings: Warning[];
  summary(): string;
}

/** Window length in months of a maturity in years (must be a whole number of months). */
export function windowMonths(maturityYears: number): number {
  const n = Math.round(maturityYears * 12);
  if (!(maturityYears > 0) || Math.abs(n - maturityYears * 12) > 1e-9 || n < 1)
    throw new InputError(`maturity ${maturityYears} years is not a positive whole number of months`);
  return n;
}

/** Months a path must cover so that every (date, maturity) window fits. */
export function monthsNeeded(
  asOf: string,
  at: readonly string[],
  maturitiesYears: readonly number[],
): number {
  const lastEval = Math.max(0, ...at.map((d) => monthsBetween(asOf, d)));
  return lastEval + Math.max(...maturitiesYears.map(windowMonths));
}

function termPremiumFor(tp: FairValueInput["termPremiumPct"], maturityYears: number): number {
  if (typeof tp === "number") return tp;
  const v = tp.get(maturityYears);
  if (v === undefined)
    throw new InputError(`termPremiumPct: no term premium given for maturity ${maturityYears} years`);
  return v;
}

/** Fair values for every path × evaluation date × maturity, in that order. */
export function fairValues(input: FairValueInput): FairValueResult {
  const { paths, at, maturitiesYears, recession } = input;
  checkProbability(recession.probability);
  if (paths.length === 0) throw new InputError("no paths to evaluate");
  if (maturitiesYears.length === 0) throw new InputError("maturitiesYears: give at least one maturity");
  const windows = maturitiesYears.map(windowMonths);
  const tps = maturitiesYears.map((m) => termPremiumFor(input.termPremiumPct, m));
  const rows: FairValueRow[] = [];
  const warnings: Warning[] = [];
  for (const path of paths) {
    for (const d of at) {
      if (d < path.asOf)
        throw new InputError(
          `evaluation date ${d} is before the scenario's asOf ${path.asOf}: the path only describes ` +
            `later months`,
        );
      const e = monthsBetween(path.asOf, d);
      maturitiesYears.forEach((m, j) => {
        const c = expectedRateComponent(path.ratesPct, e, windows[j], recession);
        const mk = input.market ? input.market(m, d) : { quote: null, projection: false };
        rows.push({
          path: path.name,
          at: d,
          maturityYears: m,
          expectedRatePct: c.expectedRatePct,
          noRecessionPct: c.noRecessionPct,
          recessionPct: c.recessionPct,
          termPremiumPct: tps[j],
          fairValuePct: c.expectedRatePct + tps[j],
          marketPct: mk.quote ? mk.quote.valuePct : null,
          marketDate: mk.quote ? mk.quote.date : null,
          projection: mk.projection,
        });
      });
    }
  }
  return { rows, warnings, summary: () => fairValueTable(rows) };
}

/** The rows as an aligned table; projections marked with "*". */
export function fairValueTable(rows: readonly FairValueRow[]): string {
  const body = rows.map((r) => [
    r.path,
    `${r.at}${r.projection ? " *" : ""}`,
    r.maturityYears,
    num(r.expectedRatePct, 3),
    num(r.termPremiumPct, 2),
    num(r.fairValuePct, 3),
    r.marketPct === null ? "" : num(r.marketPct, 2),
    r.marketPct === null ? "" : num((r.marketPct - r.fairValuePct) * 100, 0),
  ]);
  const table = formatTable(
    ["path", "at", "years", "expected rate %", "term prem. %", "fair value %", "market %", "mkt - fair bp"],
    body,
    ["left", "left", "right", "right", "right", "right", "right", "right"],
  );
  return rows.some((r) => r.projection)
    ? `${table}\n* projection: the date lies after the market data (no market yield; the path is assumed ` +
        `followed)`
    : table;
}

/** The assumptions behind the component, for --help and output metadata. */
export function fairValueConventions(rec: RecessionAssumption): string[] {
  return [
    "expected-rate component = average policy rate over the 12n months after the evaluation month",
    `recession: with probability ${rec.probability} a recession arrives within the window (same ` +
      `probability for ` +
      `every maturity); arrival ` +
      `${rec.arrival === "uniform" ? "uniform over the window's months" : "immediate (first month)"}; ` +
      `the rate drops to ${rec.ratePct}% at once and stays there (no new cycle)`,
    "fair value = component + term premium (held at its assumed value at every evaluation date)",
    "no convexity or compounding adjustment between the policy rate and par yields (a few bp)",
    "market yield = the constant-maturity Treasury par yield (DGS*) on the last day on or before the date",
  ];
}
