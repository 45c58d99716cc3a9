/**
 * Driver attribution of 10-year yield changes (METHODS.md §3, the "Bernanke decomposition"
 * reading): a yield move driven by expected real short rates is bearish gold and bullish stocks;
 * one driven by the term premium is bullish gold and bearish stocks.
 *
 * Each month's change of the 10-year yield is split two ways:
 *   Δy = ΔE[r] + ΔTP               (term-structure model: risk-neutral yield + term premium, exact)
 *   Δy ≈ Δreal + Δbreakeven        (DFII10 + T10YIE, from 2003; par yields, so only approximately
 *                                    the model's zero-coupon Δy)
 * Tag rule (one tag per month, all changes in bp, month-end to month-end):
 *   term-premium-driven  if |ΔTP| > |ΔE[r]|;
 *   otherwise, with TIPS data, real-rate-driven if |Δreal| ≥ |Δbreakeven|, else breakeven-driven;
 *   otherwise (before 2003) expected-rate-driven (the real / inflation split is unknown).
 * Months whose |Δy| is below `minMoveBp` are "small-move" and left out of the statistics.
 * The Bernanke reading gives an expected sign for each asset's return given the tag and the
 * direction of the yield move (real-rate-driven rise: gold down, stocks up; term-premium-driven
 * rise: gold up, stocks down; breakeven-driven rise: gold up, stocks no call; reversed for falls);
 * the hit rate is the share of months whose return had that sign.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";

export type DriverTag =
  | "term-premium-driven"
  | "real-rate-driven"
  | "breakeven-driven"
  | "expected-rate-driven"
  | "small-move";

export const DRIVER_TAGS: readonly DriverTag[] = [
  "real-rate-driven",
  "term-premium-driven",
  "breakeven-driven",
  "expected-rate-driven",
  "small-move",
];

/** Month-end levels on one monthly grid (NaN = missing). Yields in percent, prices in levels. */
export interface AttributionInput {
  /** Month labels, YYYY-MM (consecutive). */
  months: string[];
  /** Model-fitted 10y zero yield = expected + term premium. */
  yieldPct: Float64Array;
  /** Risk-neutral 10y yield (average expected short rate). */
  expectedPct: Float64Array;
  termPremiumPct: Float64Array;
  /** 10y TIPS real yield (DFII10), NaN before 2003. */
  realPct: Float64Array;
  /** 10y breakeven (T10YIE). */
  breakevenPct: Float64Array;
  /** Gold and stock price levels. */
  gold: Float64Array;
  stocks: Float64Array;
}

export interface AttributionRow {
  month: string;
  yieldChangeBp: number;
  expectedChangeBp: number;
  termPremiumChangeBp: number;
  realChangeBp: number | null;
  breakevenChangeBp: number | null;
  tag: DriverTag;
  goldReturnPct: number | null;
  stocksReturnPct: number | null;
}

export interface AssetBehaviour {
  months: number;
  meanReturnPct: number;
  /** Sign the Bernanke reading predicts for this tag and direction (0: no call). */
  expectedSign: -1 | 0 | 1;
  /** Share of months with the predicted sign (null when no call). */
  hitRate: number | null;
}

export interface TagStatistics {
  tag: DriverTag;
  direction: "up" | "down";
  months: number;
  meanYieldChangeBp: number;
  gold: AssetBehaviour;
  stocks: AssetBehaviour;
}

export interface AttributionResult {
  rows: AttributionRow[];
  statistics: TagStatistics[];
  minMoveBp: number;
  rule: string;
  warnings: Warning[];
  summary(): string;
}

export const TAG_RULE =
  "term-premium-driven if |ΔTP| > |ΔE[r]|; otherwise real-rate-driven if |ΔDFII10| ≥ |ΔT10YIE|, " +
  "else breakeven-driven (expected-rate-driven before TIPS data, 2003)";

/** Tag one month's changes (bp) by the rule of the module comment. */
export function tagChange(
  yieldBp: number,
  expectedBp: number,
  termPremiumBp: number,
  realBp: number | null,
  breakevenBp: number | null,
  minMoveBp = 0,
): DriverTag {
  if (Math.abs(yieldBp) < minMoveBp) return "small-move";
  if (Math.abs(termPremiumBp) > Math.abs(expectedBp)) return "term-premium-driven";
  if (realBp === null || breakevenBp === null) return "expected-rate-driven";
  return Math.abs(realBp) >= Math.abs(breakevenBp) ? "real-rate-driven" : "breakeven-driven";
}

/** Predicted return sign of gold and stocks for a tag and yield direction (+1 up, −1 down). */
export function bernankeSigns(tag: DriverTag, direction: 1 | -1): { gold: -1 | 0 | 1; stocks: -1 | 0 | 1 } {
  const s = (v: number) => (v * direction) as -1 | 0 | 1;
  switch (tag) {
    case "real-rate-driven":
      return { gold: s(-1), stocks: s(1) };
    case "term-premium-driven":
      return { gold: s(1), stocks: s(-1) };
    case "breakeven-driven":
      return { gold: s(1), stocks: 0 };
    default:
      return { gold: 0, stocks: 0 };
  }
}

function logReturn(p0: number, p1: number): number | null {
  return p0 > 0 && p1 > 0 ? 100 * Math.log(p1 / p0) : null;
}

function behaviour(returns: (number | null)[], expectedSign: -1 | 0 | 1): AssetBehaviour {
  const v = returns.filter((r): r is number => r !== null);
  const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
  const hits = v.filter((r) => Math.sign(r) === expectedSign).length;
  return {
    months: v.length,
    meanReturnPct: mean,
    expectedSign,
    hitRate: expectedSign === 0 || v.length === 0 ? null : hits / v.length,
  };
}

/**
 * Monthly attribution rows and per-tag statistics (see the module comment). Months where the
 * model decomposition is missing at either end are skipped; asset returns are null where a
 * price is missing.
 */
export function attributeYieldChanges(input: AttributionInput, { minMoveBp = 0 } = {}): AttributionResult {
  const n = input.months.length;
  for (const [name, arr] of Object.entries(input)) {
    if (name !== "months" && (arr as Float64Array).length !== n) {
      throw new ModelError(`attribution: ${name} has ${(arr as Float64Array).length} values for ${n} months`);
    }
  }
  if (!(minMoveBp >= 0)) throw new ModelError(`attribution: minMoveBp must be >= 0, got ${minMoveBp}`);
  const rows: AttributionRow[] = [];
  const bp = (a: Float64Array, i: number) => 100 * (a[i] - a[i - 1]);
  for (let i = 1; i < n; i++) {
    const dy = bp(input.yieldPct, i);
    const de = bp(input.expectedPct, i);
    const dtp = bp(input.termPremiumPct, i);
    if (!Number.isFinite(dy) || !Number.isFinite(de) || !Number.isFinite(dtp)) continue;
    const drRaw = bp(input.realPct, i);
    const dbRaw = bp(input.breakevenPct, i);
    const dr = Number.isFinite(drRaw) ? drRaw : null;
    const db = Number.isFinite(dbRaw) ? dbRaw : null;
    const both = dr !== null && db !== null;
    rows.push({
      month: input.months[i],
      yieldChangeBp: dy,
      expectedChangeBp: de,
      termPremiumChangeBp: dtp,
      realChangeBp: both ? dr : null,
      breakevenChangeBp: both ? db : null,
      tag: tagChange(dy, de, dtp, both ? dr : null, both ? db : null, minMoveBp),
      goldReturnPct: logReturn(input.gold[i - 1], input.gold[i]),
      stocksReturnPct: logReturn(input.stocks[i - 1], input.stocks[i]),
    });
  }
  const statistics: TagStatistics[] = [];
  for (const tag of DRIVER_TAGS) {
    if (tag === "small-move") continue;
    for (const direction of ["up", "down"] as const) {
      const d = direction === "up" ? 1 : -1;
      const sel = rows.filter((r) => r.tag === tag && Math.sign(r.yieldChangeBp) === d);
      if (sel.length === 0) continue;
      const signs = bernankeSigns(tag, d);
      statistics.push({
        tag,
        direction,
        months: sel.length,
        meanYieldChangeBp: sel.reduce((a, r) => a + r.yieldChangeBp, 0) / sel.length,
        gold: behaviour(
          sel.map((r) => r.goldReturnPct),
          signs.gold,
        ),
        stocks: behaviour(
          sel.map((r) => r.stocksReturnPct),
          signs.stocks,
        ),
      });
    }
  }
  const warnings: Warning[] = [];
  if (rows.length === 0) {
    throw new ModelError("attribution: no month has the term-structure decomposition at both ends");
  }
  const result: AttributionResult = {
    rows,
    statistics,
    minMoveBp,
    rule: TAG_RULE,
    warnings,
    summary: () => renderAttribution(result),
  };
  return result;
}

function pct(x: number | null): string {
  return x === null ? "" : `${Math.round(100 * x)}%`;
}

export function renderAttribution(r: AttributionResult): string {
  const first = r.rows[0]?.month ?? "";
  const last = r.rows[r.rows.length - 1]?.month ?? "";
  const lines = [
    `10-year yield changes by driver, ${first}..${last} (${r.rows.length} months); rule: ${r.rule}`,
    formatTable(
      ["driver", "10y", "months", "mean Δ10y bp", "gold mean %", "gold hit", "stocks mean %", "stocks hit"],
      r.statistics.map((s) => [
        s.tag,
        s.direction,
        s.months,
        num(s.meanYieldChangeBp, 1),
        num(s.gold.meanReturnPct, 2),
        pct(s.gold.hitRate),
        num(s.stocks.meanReturnPct, 2),
        pct(s.stocks.hitRate),
      ]),
      ["left", "left", "right", "right", "right", "right", "right", "right"],
    ),
    "hit = share of months where the asset moved the way the Bernanke reading predicts (real-rate-driven rise: " +
      "gold down, stocks up; term-premium-driven rise: gold up, stocks down; breakeven-driven rise: gold up).",
  ];
  return lines.join("\n");
}
