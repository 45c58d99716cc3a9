/**
 * Publication lags: when an observation becomes public, so that a score "as of" a date uses only
 * data a strategist could have had then (METHODS.md §2, "Honesty").
 *
 * Convention of the score engine: the score for month M (labelled YYYY-MM-01) is computed as of
 * the END of month M. An observation for period P (a month, or the last month of a quarter) may
 * be used from the month-end of P + `months` on; `months` is therefore the shift on the monthly
 * grid. For as-of dates inside a month the finer `releaseDay` (monthly/quarterly data: the day of
 * month P + `months` by which the release is normally out) or `releaseDays` (daily/weekly data:
 * days from the observation date to its release) decides what is public on that date.
 *
 * The figures are deliberately the LATE end of each release's usual window: a score that waits
 * one day too long is slightly stale; one that uses a number before its release is a backtest
 * that could not have been traded. Release calendars shift (holidays, government shutdowns: the
 * October 2025 CPI was never published on time), so these are approximations, stated per series.
 */
import type { Frequency } from "../core/series.ts";

export interface PublicationLag {
  /** Months from the end of the observation's period to the first month-end it is usable at. */
  months: number;
  /** Monthly/quarterly data: day of month (period end + `months`) by which it is released. */
  releaseDay?: number;
  /** Daily/weekly data: days from the observation date to its release. */
  releaseDays?: number;
  /** Where the figure comes from (release and its usual timing). */
  note: string;
}

const MARKET_CLOSE: PublicationLag = {
  months: 0,
  releaseDays: 0,
  note: "market data: the month-end close is known at the close (H.15/FRED post it the next business day)",
};

const CPI: PublicationLag = {
  months: 1,
  releaseDay: 15,
  note: "BLS CPI release, around the 10th-15th of the next month",
};

/** Exact ids. Prefix rules (ending in ".") follow in PREFIX_LAGS. */
export const PUBLICATION_LAGS: Readonly<Record<string, PublicationLag>> = {
  DGS1MO: MARKET_CLOSE,
  DGS3MO: MARKET_CLOSE,
  DGS6MO: MARKET_CLOSE,
  DGS1: MARKET_CLOSE,
  DGS2: MARKET_CLOSE,
  DGS3: MARKET_CLOSE,
  DGS5: MARKET_CLOSE,
  DGS7: MARKET_CLOSE,
  DGS10: MARKET_CLOSE,
  DGS20: MARKET_CLOSE,
  DGS30: MARKET_CLOSE,
  DFII5: MARKET_CLOSE,
  DFII10: MARKET_CLOSE,
  DFII20: MARKET_CLOSE,
  DFII30: MARKET_CLOSE,
  T5YIE: MARKET_CLOSE,
  T10YIE: MARKET_CLOSE,
  T10Y2Y: MARKET_CLOSE,
  T10Y3M: MARKET_CLOSE,
  DCOILWTICO: MARKET_CLOSE,
  DFF: MARKET_CLOSE,
  EFFR: MARKET_CLOSE,
  DTWEXBGS: MARKET_CLOSE,
  CPIAUCSL: CPI,
  CPIAUCNS: CPI,
  CPILFESL: CPI,
  CPILFENS: CPI,
  CUSR0000SEHC: {
    ...CPI,
    note: "CPI owners' equivalent rent, part of the BLS CPI release (10th-15th of next month)",
  },
  PPIACO: { months: 1, releaseDay: 16, note: "BLS PPI release, around mid next month" },
  PPIFES: { months: 1, releaseDay: 16, note: "BLS PPI release, around mid next month" },
  UNRATE: { months: 1, releaseDay: 10, note: "BLS Employment Situation, first Friday of the next month" },
  PAYEMS: { months: 1, releaseDay: 10, note: "BLS Employment Situation, first Friday of the next month" },
  INDPRO: { months: 1, releaseDay: 18, note: "Fed G.17 industrial production, mid next month" },
  PCEPILFE: {
    months: 2,
    releaseDay: 5,
    note: "BEA personal income and outlays: last days of the next month, sometimes early the month after",
  },
  FEDFUNDS: {
    months: 1,
    releaseDay: 3,
    note: "monthly average of the effective rate, complete only after the month's last day is published",
  },
  TB3MS: {
    months: 1,
    releaseDay: 3,
    note: "monthly average, published the first business days of next month",
  },
  PCOPPUSDM: {
    months: 1,
    releaseDay: 15,
    note: "IMF primary commodity prices (monthly average), updated in the first half of the next month",
  },
  NFCI: {
    months: 1,
    releaseDays: 5,
    note: "Chicago Fed NFCI, Wednesdays for the week ending the previous Friday",
  },
  ICSA: { months: 1, releaseDays: 5, note: "DOL initial claims, Thursdays for the week ending Saturday" },
  GDP: { months: 1, releaseDay: 30, note: "BEA advance estimate, about four weeks after the quarter" },
  GDPC1: { months: 1, releaseDay: 30, note: "BEA advance estimate, about four weeks after the quarter" },
  "gold.USD.monthly": { months: 1, releaseDay: 5, note: "monthly gold price, complete after the month ends" },
};

/** Prefix rules for families of ids (user imports such as ism.*, bundled curve files). */
export const PREFIX_LAGS: Readonly<Record<string, PublicationLag>> = {
  "ism.": { months: 1, releaseDay: 3, note: "ISM Report on Business, first business day of the next month" },
  "gsw.": {
    months: 0,
    releaseDays: 0,
    note: "GSW curve fitted to that day's prices (the Board posts it days later: optimistic by days)",
  },
  "gswtips.": {
    months: 0,
    releaseDays: 0,
    note: "GSW TIPS curve fitted to that day's prices (posted days later: optimistic by days)",
  },
};

/** Fallback by frequency when a series has no entry: conservative (a full month for monthly data). */
export const FREQUENCY_LAGS: Readonly<Record<Frequency, PublicationLag>> = {
  d: { months: 0, releaseDays: 1, note: "assumed for daily data: known the next day" },
  irregular: { months: 0, releaseDays: 1, note: "assumed for irregular data: known the next day" },
  w: { months: 1, releaseDays: 7, note: "assumed for weekly data: released within a week" },
  m: { months: 1, releaseDay: 28, note: "assumed for monthly data: released within the next month" },
  q: { months: 2, releaseDay: 28, note: "assumed for quarterly data: released within two months" },
  a: { months: 3, releaseDay: 28, note: "assumed for annual data: released within three months" },
};

export interface ResolvedLag extends PublicationLag {
  /** "table" (exact id), "prefix", "frequency" (fallback: deserves a warning) or "recipe" (override). */
  origin: "table" | "prefix" | "frequency" | "recipe";
}

/** The publication lag of a series: exact id, then prefix rule, then the frequency fallback. */
export function publicationLag(id: string, frequency: Frequency): ResolvedLag {
  const exact = PUBLICATION_LAGS[id];
  if (exact) return { ...exact, origin: "table" };
  for (const [prefix, lag] of Object.entries(PREFIX_LAGS)) {
    if (id.startsWith(prefix)) return { ...lag, origin: "prefix" };
  }
  return { ...FREQUENCY_LAGS[frequency], origin: "frequency" };
}
