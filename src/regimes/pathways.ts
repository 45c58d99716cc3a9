/**
 * Scenario pathways for a hidden fiscal premium (METHODS.md §3): three ways the K-shaped
 * divergence can resolve, and what each implies for the 10-year yield, gold and the S&P 500.
 * A valuation is a range, not a point (METHODS.md §0): every quantity that moves is given as the
 * 10th / 50th / 90th percentile implied by the models' own residual distributions over their
 * training windows; a quantity a scenario holds fixed is a point and says so.
 *
 * State at the as-of month m (the latest month both traditional models cover, so no level of one
 * period is applied to another): 10y yield y₀, real yield r₀, breakeven y₀ − r₀, gold G₀, S&P S₀,
 * earnings E₀, and each asset's current residual u₀ (price-above-model, model units).
 *   A. Stocks return to their model: S = model_S(y₀, E₀, q_S) for q_S the residual percentiles
 *      (the equity premium disappears, landing within the model's usual miss); 10y and gold held.
 *   B. The fiscal-risk regime persists for 12 months: no gap closes; each price keeps its current
 *      residual plus a typical 12-month change of it (percentiles of 12-month residual changes in
 *      training), the 10y moves by a typical 12-month change (percentiles over the equity
 *      training window).
 *   C. Stocks and bonds re-align: the 10y falls (or rises) to the rate at which the equity model
 *      with residual q_S prices today's S&P, y = implied_S(S₀, E₀, q_S); stocks held; the real yield
 *      moves one-for-one (breakeven held) and gold moves along its own model keeping its premium,
 *      G = G₀ exp(c_G (y − y₀)) for the log-linear gold model.
 * Percentiles are of the empirical residual distribution (type-7 interpolation, as numpy's default).
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { type DivergenceResult, impliedRate, modelPrice } from "./divergence.ts";

export interface Range {
  low: number;
  mid: number;
  high: number;
}

export interface Scenario {
  key: "A" | "B" | "C";
  name: string;
  assumptions: string[];
  tenYearPct: Range;
  gold: Range;
  sp500: Range;
}

export interface PathwaysResult {
  asOf: string;
  percentiles: [number, number, number];
  current: {
    tenYearPct: number;
    realYieldPct: number;
    breakevenPct: number;
    gold: number;
    sp500: number;
    earnings: number;
    goldGapBp: number;
    equityGapBp: number;
  };
  scenarios: Scenario[];
  training: { gold: { from: string; to: string }; equity: { from: string; to: string } };
  warnings: Warning[];
  summary(): string;
}

/** Type-7 (linear interpolation) empirical quantile of `v` at probability p in [0, 1]. */
export function quantile(v: ArrayLike<number>, p: number): number {
  const s = Array.from(v)
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

function range(values: number[]): Range {
  const s = [...values].sort((a, b) => a - b);
  return { low: s[0], mid: s[1], high: s[2] };
}

function point(v: number): Range {
  return { low: v, mid: v, high: v };
}

function monthIndex(d: string): number {
  return Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
}

/** 12-month changes of a monthly series given by (dates, values), matched by calendar month. */
function changes12(dates: readonly string[], values: ArrayLike<number>): number[] {
  const byMonth = new Map<number, number>();
  dates.forEach((d, i) => {
    byMonth.set(monthIndex(d), values[i]);
  });
  const out: number[] = [];
  for (const [m, v] of byMonth) {
    const prev = byMonth.get(m - 12);
    if (prev !== undefined && Number.isFinite(v) && Number.isFinite(prev)) out.push(v - prev);
  }
  return out;
}

/**
 * The three pathways from a gold model on the real yield (log-linear) and an equity model on the
 * nominal 10y (any form), at the latest month both cover (see the module comment).
 */
export function fiscalPathways(
  gold: DivergenceResult,
  equity: DivergenceResult,
  { percentiles = [10, 50, 90] as [number, number, number] } = {},
): PathwaysResult {
  if (gold.fit.form !== "log-linear") {
    throw new ModelError(
      `pathways: the gold model must be log-linear in the real yield, got ${gold.fit.form}`,
    );
  }
  const eqByMonth = new Map(equity.rows.map((r) => [r.date.slice(0, 7), r]));
  let g0 = null;
  let e0 = null;
  for (let i = gold.rows.length - 1; i >= 0; i--) {
    const e = eqByMonth.get(gold.rows[i].date.slice(0, 7));
    if (e) {
      g0 = gold.rows[i];
      e0 = e;
      break;
    }
  }
  if (!g0 || !e0) throw new ModelError("pathways: the gold and equity model rows share no month");
  const earnings = e0.earnings ?? Number.NaN;
  if (equity.fit.form !== "log-linear" && !(earnings > 0)) {
    throw new ModelError(`pathways: no earnings for ${e0.date.slice(0, 7)}`);
  }
  const y0 = e0.actualRatePct;
  const r0 = g0.actualRatePct;
  const ps = percentiles.map((p) => p / 100);
  const qS = ps.map((p) => quantile(equity.fit.residuals, p));
  const gU0 = Math.log(g0.actual / g0.model);
  const eqTrain = equity.rows.filter((r) => !r.outOfSample);
  const dSu = changes12(equity.fit.trainDates, equity.fit.residuals);
  const dGu = changes12(gold.fit.trainDates, gold.fit.residuals);
  const dY = changes12(
    eqTrain.map((r) => r.date),
    eqTrain.map((r) => r.actualRatePct),
  );
  if (dSu.length < 12 || dGu.length < 12 || dY.length < 12) {
    throw new ModelError("pathways: the training windows are too short for 12-month change percentiles");
  }
  // Current residuals in model units (price-above-model convention).
  const uS0 = currentResidual(equity, e0.actual, y0, earnings);
  const cG = gold.fit.rateCoefficient;

  const A: Scenario = {
    key: "A",
    name: "stocks return to their model",
    assumptions: [
      "the equity premium over the model disappears; the S&P lands within the model's usual miss (residual percentiles)",
      "10y yield and gold held at their as-of levels (gold keeps its premium)",
    ],
    tenYearPct: point(y0),
    gold: point(g0.actual),
    sp500: range(qS.map((q) => modelPrice(equity.fit, y0, earnings, q))),
  };
  const B: Scenario = {
    key: "B",
    name: "stocks and gold stay consistent with a fiscal-risk regime (12 months)",
    assumptions: [
      "no gap closes: each price keeps its current premium plus a typical 12-month change of its model residual",
      "the 10y moves by a typical 12-month change (percentiles over the equity training window); drivers otherwise unchanged",
    ],
    tenYearPct: range(ps.map((p) => y0 + quantile(dY, p))),
    gold: range(ps.map((p) => modelPrice(gold.fit, r0, 0, gU0 + quantile(dGu, p)))),
    sp500: range(ps.map((p) => modelPrice(equity.fit, y0, earnings, uS0 + quantile(dSu, p)))),
  };
  const yC = qS.map((q) => impliedRate(equity.fit, e0.actual, earnings, q));
  const C: Scenario = {
    key: "C",
    name: "stocks and bonds re-align",
    assumptions: [
      "the 10y moves to the yield at which the equity model (with its usual miss) prices today's S&P; stocks held",
      "the real yield moves one-for-one with the 10y (breakeven held); gold keeps its premium and moves along its model",
    ],
    tenYearPct: range(yC),
    gold: range(yC.map((y) => g0.actual * Math.exp(cG * (y - y0)))),
    sp500: point(e0.actual),
  };
  const result: PathwaysResult = {
    asOf: g0.date,
    percentiles,
    current: {
      tenYearPct: y0,
      realYieldPct: r0,
      breakevenPct: y0 - r0,
      gold: g0.actual,
      sp500: e0.actual,
      earnings,
      goldGapBp: g0.gapBp,
      equityGapBp: e0.gapBp,
    },
    scenarios: [A, B, C],
    training: { gold: gold.fit.train, equity: equity.fit.train },
    warnings: [...gold.warnings, ...equity.warnings],
    summary: () => renderPathways(result),
  };
  return result;
}

function currentResidual(eq: DivergenceResult, price: number, rate: number, earnings: number): number {
  const f = eq.fit;
  if (f.form === "earnings-yield") return f.intercept + f.rateCoefficient * rate - (100 * earnings) / price;
  return Math.log(price / modelPrice(f, rate, earnings));
}

function fmtRange(r: Range, d: number): string {
  return r.low === r.high ? num(r.mid, d) : `${num(r.low, d)} .. ${num(r.high, d)} (mid ${num(r.mid, d)})`;
}

export function renderPathways(p: PathwaysResult): string {
  const c = p.current;
  const lines = [
    `Fiscal-premium pathways as of ${p.asOf.slice(0, 7)}: 10y ${num(c.tenYearPct, 2)}%, real ${num(c.realYieldPct, 2)}%, ` +
      `gold ${num(c.gold, 0)}, S&P ${num(c.sp500, 0)}; gaps: gold ${num(c.goldGapBp, 0)} bp, equity ${num(c.equityGapBp, 0)} bp ` +
      `(ranges: ${p.percentiles[0]}th..${p.percentiles[2]}th percentiles of the models' residuals)`,
    formatTable(
      ["scenario", "10y %", "gold", "S&P 500"],
      p.scenarios.map((s) => [
        `${s.key}. ${s.name}`,
        fmtRange(s.tenYearPct, 2),
        fmtRange(s.gold, 0),
        fmtRange(s.sp500, 0),
      ]),
      ["left", "left", "left", "left"],
    ),
  ];
  for (const s of p.scenarios) lines.push(`${s.key}: ${s.assumptions.join("; ")}`);
  return lines.join("\n");
}
