/**
 * What the scenario engine reads from the store, kept at the edge so the scenario maths stays
 * pure: the policy rate on a date, market par yields (FRED constant-maturity DGS*) on evaluation
 * dates, a term-structure model's term premium as of a date, and the quarterly Treasury supply
 * inputs. Nothing is extrapolated: a date beyond a series gives null (and is marked a projection)
 * or a clear error, never the last value carried forward silently.
 */
import { daysBetween, startOfQuarter } from "../core/dates.ts";
import { InputError, NotFoundError, type Warning, YardstickError } from "../core/errors.ts";
import { dropMissing, type Series } from "../core/series.ts";
import type { Store } from "../store/store.ts";
import { runTermPremium } from "../termstructure/service.ts";
import type { MarketLookup } from "./fair-value.ts";
import type { SupplyObservation } from "./net-supply.ts";

/** FRED constant-maturity Treasury series by maturity in years. */
export const CMT_SERIES: ReadonlyMap<number, string> = new Map([
  [1 / 12, "DGS1MO"],
  [0.25, "DGS3MO"],
  [0.5, "DGS6MO"],
  [1, "DGS1"],
  [2, "DGS2"],
  [3, "DGS3"],
  [5, "DGS5"],
  [7, "DGS7"],
  [10, "DGS10"],
  [20, "DGS20"],
  [30, "DGS30"],
]);

function cmtId(maturityYears: number): string | undefined {
  for (const [m, id] of CMT_SERIES) if (Math.abs(m - maturityYears) < 1e-9) return id;
  return undefined;
}

/** Index of the last date <= `date` (dates sorted), or -1. */
function lastAtOrBefore(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length - 1;
  let out = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid] <= date) {
      out = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return out;
}

/** Value of `s` on the last observation on or before `date`, if no more than `maxGapDays` old. */
export function valueOn(s: Series, date: string, maxGapDays: number): { value: number; date: string } | null {
  const i = lastAtOrBefore(s.dates, date);
  if (i < 0 || daysBetween(s.dates[i], date) > maxGapDays) return null;
  return { value: s.values[i], date: s.dates[i] };
}

async function tryGetSeries(store: Store, id: string): Promise<Series | null> {
  try {
    return dropMissing((await store.getSeries(id)).series);
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

export interface PolicyRateObservation {
  ratePct: number;
  date: string;
  /** How it was measured, e.g. "midpoint of the target range (DFEDTARL/DFEDTARU)". */
  source: string;
}

/**
 * The policy rate on `date`: the midpoint of the fed funds target range (DFEDTARL/DFEDTARU,
 * from 2008-12-16), else the effective rate (DFF), else the monthly average (FEDFUNDS) of the
 * month. Errors when `date` lies before or after all of them.
 */
export async function policyRateOn(store: Store, date: string): Promise<PolicyRateObservation> {
  const upper = await tryGetSeries(store, "DFEDTARU");
  const lower = await tryGetSeries(store, "DFEDTARL");
  if (upper && lower) {
    const u = valueOn(upper, date, 10);
    const l = valueOn(lower, date, 10);
    if (u && l)
      return {
        ratePct: (u.value + l.value) / 2,
        date: u.date,
        source: "midpoint of the fed funds target range (DFEDTARL/DFEDTARU)",
      };
  }
  const dff = await tryGetSeries(store, "DFF");
  const e = dff ? valueOn(dff, date, 10) : null;
  if (e) return { ratePct: e.value, date: e.date, source: "effective fed funds rate (DFF)" };
  const monthly = await tryGetSeries(store, "FEDFUNDS");
  const m = monthly ? valueOn(monthly, `${date.slice(0, 7)}-01`, 0) : null;
  if (m) return { ratePct: m.value, date: m.date, source: "fed funds monthly average (FEDFUNDS)" };
  const first = monthly?.dates[0] ?? dff?.dates[0];
  const last = upper?.dates[upper.dates.length - 1] ?? dff?.dates[dff.dates.length - 1];
  if (first && date < first)
    throw new InputError(
      `asOf ${date} is before the policy-rate data (FEDFUNDS starts ${first}): give startRatePct`,
    );
  if (last && date > last)
    throw new InputError(
      `asOf ${date} is after the policy-rate data (last observation ${last}): give startRatePct rather ` +
        `than extrapolate`,
    );
  throw new NotFoundError(
    `no policy-rate series (DFEDTARU, DFF, FEDFUNDS) covers ${date}: give startRatePct`,
  );
}

export interface MarketData {
  lookup: MarketLookup;
  /** Last date of each maturity's market series (null when there is none). */
  lastDates: Map<number, string | null>;
  /** Soft problems met while looking up (filled as the lookup is used). */
  warnings: Warning[];
}

/** Market par yields for `maturitiesYears` from the DGS* series in the store. */
export async function loadMarketData(store: Store, maturitiesYears: readonly number[]): Promise<MarketData> {
  const series = new Map<number, Series | null>();
  const warnings: Warning[] = [];
  for (const m of maturitiesYears) {
    const id = cmtId(m);
    const s = id ? await tryGetSeries(store, id) : null;
    series.set(m, s);
    if (!s)
      warnings.push({
        code: "no-market-series",
        message: id
          ? `market yield ${id} for the ${m}-year maturity is not in the store: marketPct left null`
          : `no constant-maturity Treasury series for a ${m}-year maturity: marketPct left null`,
      });
  }
  const ref = series.get(10) ?? [...series.values()].find((s) => s) ?? (await tryGetSeries(store, "DGS10"));
  const refLast = ref ? ref.dates[ref.dates.length - 1] : null;
  const seen = new Set<string>();
  const lookup: MarketLookup = (m, at) => {
    const s = series.get(m);
    if (!s) return { quote: null, projection: refLast === null || at > refLast };
    const last = s.dates[s.dates.length - 1];
    if (at > last) return { quote: null, projection: true };
    const v = valueOn(s, at, 7);
    if (!v) {
      const key = `${m}:${at}`;
      if (!seen.has(key)) {
        seen.add(key);
        warnings.push({
          code: "no-market-quote",
          date: at,
          series: s.meta.id,
          message: `${s.meta.id} has no observation in the 7 days up to ${at}: marketPct left null`,
        });
      }
      return { quote: null, projection: false };
    }
    return { quote: { valuePct: v.value, date: v.date }, projection: false };
  };
  const lastDates = new Map<number, string | null>();
  for (const [m, s] of series) lastDates.set(m, s ? s.dates[s.dates.length - 1] : null);
  return { lookup, lastDates, warnings };
}

export interface TermPremiumEstimate {
  model: "ACM" | "Hamilton-Wu";
  /** Month-end date of the estimate used (the last on or before asOf). */
  date: string;
  pctByMaturity: Map<number, number>;
  sample: { from: string; to: string };
  dataVintage: string;
  warnings: Warning[];
}

/**
 * The model's term premium for each maturity as of `asOf`: the estimate at the last month-end on
 * or before it, from a sample ending there (no later data in the parameters).
 */
export async function termPremiumAsOf(
  store: Store,
  model: "acm" | "hw",
  maturitiesYears: readonly number[],
  asOf: string,
): Promise<TermPremiumEstimate> {
  const label = model === "acm" ? "ACM" : "Hamilton-Wu";
  const months = maturitiesYears.map((m) => Math.round(m * 12));
  months.forEach((mm, i) => {
    if (mm > 120 || Math.abs(mm - maturitiesYears[i] * 12) > 1e-9)
      throw new InputError(
        `termPremiumPct "${model}": the ${label} estimates cover whole months up to 10 years; ` +
          `maturity ${maturitiesYears[i]} years needs a number`,
      );
  });
  const run = async (to?: string) => {
    try {
      return await runTermPremium(store, { model, maturitiesMonths: months, ...(to ? { to } : {}) });
    } catch (err) {
      if (err instanceof YardstickError)
        throw new NotFoundError(
          `termPremiumPct "${model}" needs ${model === "acm" ? "an" : "a"} ${label} model run, which ` +
            `could not be made: ${err.message}`,
        );
      throw err;
    }
  };
  let r = await run();
  if (asOf < r.dates[0])
    throw new InputError(
      `asOf ${asOf} is before the ${label} estimates (first month-end ${r.dates[0]}): give ` +
        `termPremiumPct as a number`,
    );
  // re-estimate on the sample ending at the last month-end on or before asOf (no later data)
  let i = r.dates.length - 1;
  while (i > 0 && r.dates[i] > asOf) i--;
  const month = r.dates[i].slice(0, 7);
  if (r.sample.to > month) {
    r = await run(month);
    i = r.dates.length - 1;
  }
  const warnings = [...r.warnings];
  const gap = daysBetween(r.dates[i], asOf);
  if (gap > 92)
    warnings.push({
      code: "stale-term-premium",
      date: r.dates[i],
      message:
        `the ${label} term premium is from ${r.dates[i]}, ${gap} days before asOf ${asOf} (the ` +
        `curve data end there)`,
    });
  return {
    model: r.model,
    date: r.dates[i],
    pctByMaturity: new Map(maturitiesYears.map((m, j) => [m, r.series[j].termPremiumPct[i]])),
    sample: { from: r.sample.from, to: r.sample.to },
    dataVintage: r.dataVintage,
    warnings,
  };
}

export interface SupplyInputs {
  observations: SupplyObservation[];
  buckets: number;
  warnings: Warning[];
  dataVintage: string;
}

/**
 * The quarterly supply inputs: MSPD buckets `supply.FVNomi<k>`, the 10-year yield (DGS10), Fed
 * holdings (TREAST) on each record date, and nominal GDP (GDP) of the quarter.
 */
export async function loadSupplyInputs(store: Store): Promise<SupplyInputs> {
  const buckets: Series[] = [];
  let vintage = "";
  for (let k = 1; k <= 200; k++) {
    try {
      const r = await store.getSeries(`supply.FVNomi${k}`);
      buckets.push(r.series);
      if (r.vintage > vintage) vintage = r.vintage;
    } catch (err) {
      if (err instanceof NotFoundError) break;
      throw err;
    }
  }
  if (buckets.length === 0)
    throw new NotFoundError(
      "the Treasury supply data (supply.FVNomi1..122, MSPD maturity buckets) is not in the store: it is " +
        "bundled " +
        "with yardstick from data/treasury_supply/ and loads on first run",
    );
  const dates = buckets[0].dates;
  for (const b of buckets)
    if (b.dates.length !== dates.length || b.dates.some((d, i) => d !== dates[i]))
      throw new InputError(
        `supply bucket ${b.meta.id} has different record dates from ${buckets[0].meta.id}`,
      );
  const dgs10 = await tryGetSeries(store, "DGS10");
  const treast = await tryGetSeries(store, "TREAST");
  const gdp = await tryGetSeries(store, "GDP");
  const warnings: Warning[] = [];
  if (!dgs10) throw new NotFoundError("DGS10 is not in the store: durations need the 10-year yield");
  if (!treast)
    warnings.push({
      code: "no-treast",
      message: "TREAST is not in the store: no Fed holdings, no net supply",
    });
  if (!gdp) warnings.push({ code: "no-gdp", message: "GDP is not in the store: net supply in $ only" });
  const observations: SupplyObservation[] = dates.map((d, i) => {
    const bucketsMn = Float64Array.from(buckets, (b) => b.values[i]);
    const y = valueOn(dgs10, d, 7);
    const fed = treast ? valueOn(treast, d, 7) : null;
    const g = gdp ? valueOn(gdp, startOfQuarter(d), 0) : null;
    return {
      date: d,
      bucketsMn,
      tenYearYieldPct: y ? y.value : Number.NaN,
      fedHoldingsMn: fed ? fed.value : Number.NaN,
      gdpBn: g ? g.value : Number.NaN,
    };
  });
  return { observations, buckets: buckets.length, warnings, dataVintage: vintage };
}
