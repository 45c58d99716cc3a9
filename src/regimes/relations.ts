/**
 * The default relations of the anchor-breaking analysis (issue 6, METHODS.md §3) and the ids of
 * the series they use. Bundled data cover every relation at monthly frequency; daily versions of
 * the gold, S&P and copper relations need the user's own copies of proprietary daily series,
 * imported under the ids below (`yardstick data import`, see the README / report). x is the driver
 * (a yield change, or the Treasury index return), y the asset.
 */
import type { RelationLabel } from "./rolling-relations.ts";

/** Ids of user-imported daily series the daily relations look for. */
export const DAILY_GOLD_ID = "gold.LBMA.PM";
export const DAILY_SP500_ID = "SP500";
export const DAILY_COPPER_ID = "HG_F.close";
/** A foreign 2-year yield (e.g. the German Schatz), for the dollar's rate differential. */
export const FOREIGN_2Y_ID = "foreign.2y";

/** Virtual ids computed from stored series (service.ts resolves them). */
export const EARNINGS_YIELD_ID = "shiller.EY";

export interface RelationDefinition extends RelationLabel {
  /** Ids at daily frequency, or null when the relation only exists monthly. */
  daily: { x: string; y: string } | null;
  monthly: { x: string; y: string };
  /** What to say about the data choice. */
  note?: string;
}

export const DEFAULT_RELATIONS: readonly RelationDefinition[] = [
  {
    key: "gold-real-yield",
    label: "gold vs 10y real yield",
    xUpLabel: "the 10y TIPS yield rises",
    expectedSign: -1,
    daily: { x: "DFII10", y: DAILY_GOLD_ID },
    monthly: { x: "DFII10", y: "gold.USD.monthly" },
  },
  {
    key: "gold-treasury",
    label: "gold vs Treasury total return",
    xUpLabel: "Treasuries rally",
    expectedSign: 1,
    daily: { x: "tr.UST10", y: DAILY_GOLD_ID },
    monthly: { x: "tr.UST10", y: "gold.USD.monthly" },
    note: "Treasury index: 10y constant-maturity total return built from DGS10 (duration approximation)",
  },
  {
    key: "dollar-10y",
    label: "dollar vs 10y yield",
    xUpLabel: "the 10y yield rises",
    expectedSign: 1,
    daily: { x: "DGS10", y: "DTWEXBGS" },
    monthly: { x: "DGS10", y: "DTWEXBGS" },
    note: "nominal broad dollar index (2006+); the legacy index is a separate relation, not spliced",
  },
  {
    key: "dollar-10y-legacy",
    label: "dollar (legacy broad, 1995-2019) vs 10y yield",
    xUpLabel: "the 10y yield rises",
    expectedSign: 1,
    daily: { x: "DGS10", y: "DTWEXB" },
    monthly: { x: "DGS10", y: "DTWEXB" },
  },
  {
    key: "dollar-2y",
    label: "dollar vs 2y yield differential",
    xUpLabel: "the 2y differential widens",
    expectedSign: 1,
    daily: { x: `spread:DGS2:${FOREIGN_2Y_ID}`, y: "DTWEXBGS" },
    monthly: { x: `spread:DGS2:${FOREIGN_2Y_ID}`, y: "DTWEXBGS" },
    note: `uses DGS2 − ${FOREIGN_2Y_ID} when a foreign 2y yield is imported under that id, else the US 2y alone`,
  },
  {
    key: "sp500-10y",
    label: "S&P 500 vs 10y yield",
    xUpLabel: "the 10y yield rises",
    expectedSign: 0,
    daily: { x: "DGS10", y: DAILY_SP500_ID },
    monthly: { x: "DGS10", y: "shiller.P" },
    note: "monthly: Shiller's S&P Composite (monthly average of daily closes) with the monthly-average 10y",
  },
  {
    key: "sp500-earnings-yield-10y",
    label: "S&P 500 earnings yield vs 10y yield",
    xUpLabel: "the 10y yield rises",
    expectedSign: 1,
    daily: null,
    monthly: { x: "DGS10", y: EARNINGS_YIELD_ID },
    note: "earnings yield = 100 × trailing 12-month earnings / price (Shiller); the Fed model says it moves with the 10y",
  },
  {
    key: "copper-breakeven",
    label: "copper vs 10y breakeven",
    xUpLabel: "the 10y breakeven rises",
    expectedSign: 1,
    daily: { x: "T10YIE", y: DAILY_COPPER_ID },
    monthly: { x: "T10YIE", y: "PCOPPUSDM" },
  },
];

export function findRelation(key: string): RelationDefinition | undefined {
  return DEFAULT_RELATIONS.find((r) => r.key === key);
}
