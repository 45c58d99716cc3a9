/**
 * Term-premium runs as the CLI, the report and library users ask for them: read the month-end
 * GSW panel (cached in the store) and fed funds, choose the sample, estimate ACM or Hamilton-Wu,
 * optionally add bootstrap bands, and return one typed result per maturity with the settings
 * and assumptions that produced it. The models themselves (acm.ts, hamilton-wu.ts) stay pure.
 */
import { endOfMonth } from "../core/dates.ts";
import { ModelError, type Warning } from "../core/errors.ts";
import { buildDailyPanel } from "../curves/daily-panel.ts";
import type { Store } from "../store/store.ts";
import { type AcmResult, acmColumn, decomposeDaily, fitAcm, type YieldPanel } from "./acm.ts";
import type { BandsOptions, TermPremiumBands } from "./bands.ts";
import { fitHamiltonWu, type HamiltonWuResult, hamiltonWuColumn } from "./hamilton-wu.ts";
import { loadFedFunds, loadGswDaily } from "./inputs.ts";
import { monthEndPanel } from "./panel-cache.ts";

export type TermModel = "acm" | "hw";

export interface TermPremiumRequest {
  model: TermModel;
  /** First month of the estimation sample, YYYY-MM (ACM default: 1961-06, the start of GSW; HW: 1971-08). */
  from?: string;
  /** Last month of the estimation sample, YYYY-MM (default: the last complete month of data). */
  to?: string;
  freq?: "monthly" | "daily";
  /** Daily output window start (default: a year before the last day priced: the last curve, or the sample end with --to). */
  dailyFrom?: string;
  maturitiesMonths: number[];
  /** ACM: number of factors (default 5). */
  factors?: number;
  /** ACM: NY Fed pre-1982 short-rate fix from FEDFUNDS (default true). */
  ffrFix?: boolean;
  bands?: { bandPct: number; reps: number; seed: number; workers?: number };
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface TermPremiumSeries {
  maturityMonths: number;
  fittedPct: Float64Array;
  riskNeutralPct: Float64Array;
  termPremiumPct: Float64Array;
  /** Bootstrap band of the term premium, when requested. */
  lowerPct?: Float64Array;
  upperPct?: Float64Array;
}

export interface TermPremiumRun {
  model: "ACM" | "Hamilton-Wu";
  freq: "monthly" | "daily";
  /** Dates of the output rows (month-end observation dates, or days). */
  dates: string[];
  sample: { from: string; to: string; months: number };
  series: TermPremiumSeries[];
  /** Vintage (retrieval date) of the GSW data. */
  dataVintage: string;
  settings: Record<string, unknown>;
  diagnostics: Record<string, unknown>;
  bands: Omit<TermPremiumBands, "lowerPct" | "medianPct" | "upperPct" | "dates"> | null;
  warnings: Warning[];
  /** The model's own summary() text. */
  modelSummary: string;
}

export const ACM_DEFAULT_FROM = "1961-06";
/** GSW publish 8-10y zero yields from 1971-08: the Hamilton-Wu default sample starts there. */
export const HW_DEFAULT_FROM = "1971-08";

function monthOf(date: string): string {
  return date.slice(0, 7);
}

function checkMonth(name: string, v: string | undefined): void {
  if (v !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) {
    throw new ModelError(`--${name} "${v}" must be a month, YYYY-MM`);
  }
}

/** Rows of `panel` whose months lie in [from, to]. */
function slicePanel(panel: YieldPanel, from: string, to: string): YieldPanel & { dates: string[] } {
  const n = panel.maturitiesMonths.length;
  const idx: number[] = [];
  panel.dates.forEach((d, i) => {
    if (monthOf(d) >= from && monthOf(d) <= to) idx.push(i);
  });
  const yieldsPct = new Float64Array(idx.length * n);
  idx.forEach((i, r) => {
    yieldsPct.set(panel.yieldsPct.subarray(i * n, (i + 1) * n), r * n);
  });
  return { dates: idx.map((i) => panel.dates[i]), maturitiesMonths: panel.maturitiesMonths, yieldsPct };
}

export async function runTermPremium(store: Store, req: TermPremiumRequest): Promise<TermPremiumRun> {
  checkMonth("from", req.from);
  checkMonth("to", req.to);
  for (const m of req.maturitiesMonths) {
    if (!Number.isInteger(m) || m < 1 || m > 120)
      throw new ModelError(`maturity ${m} months: must be a whole number in 1..120`);
  }
  const warnings: Warning[] = [];
  const full = await monthEndPanel(store, { onProgress: (d, t) => req.onProgress?.("curve refits", d, t) });
  // A trailing month with only a few days of data is not a month-end observation.
  const lastDate = full.dates[full.dates.length - 1];
  let lastMonth = monthOf(lastDate);
  const ends = endOfMonth(lastDate);
  if (Date.parse(ends) - Date.parse(lastDate) > 4 * 86_400_000) {
    if (req.to === undefined || req.to >= lastMonth)
      warnings.push({
        code: "partial-month",
        date: lastDate,
        message: `${lastMonth} is incomplete in the data (last curve ${lastDate}); the sample ends the month before`,
      });
    const prev = full.dates[full.dates.length - 2];
    lastMonth = monthOf(prev);
  }
  const from = req.from ?? (req.model === "acm" ? ACM_DEFAULT_FROM : HW_DEFAULT_FROM);
  const to = req.to ?? lastMonth;
  if (to > lastMonth) throw new ModelError(`--to ${to} is after the data (last complete month ${lastMonth})`);
  if (from < monthOf(full.dates[0]))
    throw new ModelError(`--from ${from} is before the data (first month ${monthOf(full.dates[0])})`);
  const panel = slicePanel(full, from, to);
  if (panel.dates.length === 0) throw new ModelError(`no month-end curves between ${from} and ${to}`);
  const freq = req.freq ?? "monthly";
  const bandsReq = req.bands;

  if (req.model === "acm") {
    const ffrFix = req.ffrFix ?? true;
    const options = {
      factors: req.factors ?? 5,
      ...(ffrFix ? { shortRateFix: { fedFundsPct: await loadFedFunds(store) } } : {}),
    };
    const result: AcmResult = fitAcm(panel, options);
    warnings.push(...result.warnings);
    let dates = result.dates;
    let dec: Parameters<typeof acmColumn>[0] = result;
    if (freq === "daily") {
      const gsw = await loadGswDaily(store);
      // without --to, the days after the last complete month are priced with its parameters too,
      // as the NY Fed's daily series is
      const toDay = req.to ? panel.dates[panel.dates.length - 1] : gsw.dates[gsw.dates.length - 1];
      const fromDay =
        req.dailyFrom ?? new Date(Date.parse(toDay) - 365 * 86_400_000).toISOString().slice(0, 10);
      const daily = buildDailyPanel(gsw, {
        from: fromDay,
        to: toDay,
        onProgress: (d, t) => req.onProgress?.("daily curve refits", d, t),
      });
      warnings.push(...daily.warnings);
      dec = decomposeDaily(result, daily);
      dates = dec.dates;
    }
    let bands: TermPremiumBands | null = null;
    if (bandsReq) {
      if (freq === "daily")
        throw new ModelError(
          "bands are computed for the monthly estimates; drop --bands or use --freq monthly",
        );
      // loaded on demand: the bootstrap brings worker threads with it
      const { acmBands } = await import("./bands.ts");
      bands = await acmBands(panel, options, bandsOptions(req, bandsReq));
      warnings.push(...bands.warnings);
    }
    return {
      model: "ACM",
      freq,
      dates,
      sample: { from, to, months: result.dates.length },
      series: req.maturitiesMonths.map((m, j) => ({
        maturityMonths: m,
        fittedPct: acmColumn(dec, "fitted", m),
        riskNeutralPct: acmColumn(dec, "riskNeutral", m),
        termPremiumPct: acmColumn(dec, "termPremium", m),
        ...(bands ? bandColumns(bands, j) : {}),
      })),
      dataVintage: full.vintage,
      settings: {
        ...result.settings,
        reference: "Adrian, Crump & Moench (2013), J. Financial Economics 110(1)",
      },
      diagnostics: {
        nobs: result.diagnostics.nobs,
        pricingErrorRmseBp: Object.fromEntries(
          req.maturitiesMonths.map((m) => [m, result.diagnostics.pricingErrors.rmseBp[m - 1]]),
        ),
        shortRateFix: result.diagnostics.shortRateFix,
        eigenModuliP: Array.from(result.diagnostics.eigenModuliP),
        panelRefitMonths: full.source.filter((s) => s === "refit").length,
      },
      bands: bands ? stripBands(bands) : null,
      warnings,
      modelSummary: result.summary(),
    };
  }

  if (freq === "daily") throw new ModelError("the daily decomposition is available for ACM (--model acm)");
  const result: HamiltonWuResult = fitHamiltonWu(panel, {});
  warnings.push(...result.warnings);
  let bands: TermPremiumBands | null = null;
  if (bandsReq) {
    const { hamiltonWuBands } = await import("./bands.ts");
    bands = await hamiltonWuBands(panel, {}, bandsOptions(req, bandsReq));
    warnings.push(...bands.warnings);
  }
  return {
    model: "Hamilton-Wu",
    freq,
    dates: result.dates,
    sample: { from, to, months: result.nObs },
    series: req.maturitiesMonths.map((m, j) => ({
      maturityMonths: m,
      fittedPct: hamiltonWuColumn(result, "fitted", m),
      riskNeutralPct: hamiltonWuColumn(result, "riskNeutral", m),
      termPremiumPct: hamiltonWuColumn(result, "termPremium", m),
      ...(bands ? bandColumns(bands, j) : {}),
    })),
    dataVintage: full.vintage,
    settings: {
      exactMaturities: result.exactMaturities,
      errorMaturities: result.errorMaturities,
      reference: "Hamilton & Wu (2012), J. Econometrics 168(2): minimum chi-square",
      riskNeutral: "average expected short rate under P, no convexity term",
    },
    diagnostics: {
      chi2: result.chi2,
      df: result.df,
      pValue: result.pValue,
      lam: Array.from(result.params.lam),
      delta0Pct: result.params.delta0Pct,
      sigmaEBp: Array.from(result.params.sigmaEPct, (x) => x * 100),
      optimizer: result.optimizer,
    },
    bands: bands ? stripBands(bands) : null,
    warnings,
    modelSummary: result.summary(),
  };
}

function bandsOptions(req: TermPremiumRequest, b: NonNullable<TermPremiumRequest["bands"]>): BandsOptions {
  return {
    reps: b.reps,
    seed: b.seed,
    bandPct: b.bandPct,
    workers: b.workers,
    maturitiesMonths: req.maturitiesMonths,
    onProgress: (d, t) => req.onProgress?.("bootstrap", d, t),
  };
}

function bandColumns(b: TermPremiumBands, j: number): { lowerPct: Float64Array; upperPct: Float64Array } {
  const m = b.maturitiesMonths.length;
  const t = b.dates.length;
  const lowerPct = new Float64Array(t);
  const upperPct = new Float64Array(t);
  for (let i = 0; i < t; i++) {
    lowerPct[i] = b.lowerPct[i * m + j];
    upperPct[i] = b.upperPct[i * m + j];
  }
  return { lowerPct, upperPct };
}

function stripBands(b: TermPremiumBands): TermPremiumRun["bands"] {
  const { lowerPct: _l, medianPct: _m, upperPct: _u, dates: _d, ...rest } = b;
  return rest;
}

/** Long rows `date, maturity_months, fitted, risk_neutral, term_premium[, lower, upper]` (percent). */
export function termPremiumRows(run: TermPremiumRun): {
  date: string;
  maturity_months: number;
  fitted: number;
  risk_neutral: number;
  term_premium: number;
  term_premium_lower?: number;
  term_premium_upper?: number;
}[] {
  const rows: ReturnType<typeof termPremiumRows> = [];
  run.dates.forEach((date, i) => {
    for (const s of run.series) {
      rows.push({
        date,
        maturity_months: s.maturityMonths,
        fitted: s.fittedPct[i],
        risk_neutral: s.riskNeutralPct[i],
        term_premium: s.termPremiumPct[i],
        ...(s.lowerPct && s.upperPct
          ? { term_premium_lower: s.lowerPct[i], term_premium_upper: s.upperPct[i] }
          : {}),
      });
    }
  });
  return rows;
}
