/**
 * Main-job section "10-year decomposition": the latest 10y yield split into expected short
 * rates and term premium by ACM and Hamilton-Wu, each with a bootstrap band, the change over
 * one month and one year split the same way, and the monthly history as chart data. Bands are
 * costly (hundreds of re-estimations), so they are kept in the store's model_runs table keyed by
 * the model, sample end, data vintage, replications and seed.
 */
import type { Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import type { Store } from "../store/store.ts";
import { runTermPremium, type TermModel, type TermPremiumRun } from "../termstructure/service.ts";

export interface DecompositionLine {
  model: string;
  date: string;
  fittedPct: number;
  expectedRatesPct: number;
  termPremiumPct: number;
  band: { bandPct: number; lowerPct: number; upperPct: number; reps: number } | null;
  change1m: { fittedBp: number; expectedRatesBp: number; termPremiumBp: number };
  change1y: { fittedBp: number; expectedRatesBp: number; termPremiumBp: number };
  sample: { from: string; to: string };
}

export interface TermPremiumSectionData {
  maturityMonths: number;
  lines: DecompositionLine[];
  history: { model: string; dates: string[]; termPremiumPct: number[]; expectedRatesPct: number[] }[];
  dataVintage: string;
  assumptions: string[];
  warnings: Warning[];
}

export interface SectionOptions {
  maturityMonths?: number;
  /** Bootstrap replications per model (0 = no bands). */
  reps?: { acm: number; hw: number };
  seed?: number;
  bandPct?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

interface CachedBand {
  date: string;
  lowerPct: number;
  upperPct: number;
  reps: number;
}

function changeBp(run: TermPremiumRun, lag: number) {
  const s = run.series[0];
  const n = run.dates.length - 1;
  const d = (x: Float64Array) => (n - lag >= 0 ? (x[n] - x[n - lag]) * 100 : Number.NaN);
  return {
    fittedBp: d(s.fittedPct),
    expectedRatesBp: d(s.riskNeutralPct),
    termPremiumBp: d(s.termPremiumPct),
  };
}

async function latestBand(
  store: Store,
  model: TermModel,
  run: TermPremiumRun,
  maturity: number,
  reps: number,
  seed: number,
  bandPct: number,
  onProgress?: SectionOptions["onProgress"],
): Promise<CachedBand | null> {
  if (reps <= 0) return null;
  const key = `band:${model}:${maturity}:${run.sample.from}:${run.sample.to}:${run.dataVintage}:${reps}:${seed}:${bandPct}`;
  const cached = await store.getModelRun(key);
  if (cached) return cached.result as CachedBand;
  const withBands = await runTermPremium(store, {
    model,
    from: run.sample.from,
    to: run.sample.to,
    maturitiesMonths: [maturity],
    bands: { bandPct, reps, seed },
    onProgress: (stage, d, t) => onProgress?.(`${model === "acm" ? "ACM" : "Hamilton-Wu"} ${stage}`, d, t),
  });
  const s = withBands.series[0];
  const i = withBands.dates.length - 1;
  const band: CachedBand = {
    date: withBands.dates[i],
    lowerPct: s.lowerPct![i],
    upperPct: s.upperPct![i],
    reps: withBands.bands?.reps ?? reps,
  };
  if (!store.readOnly) {
    await store.recordModelRun({
      runId: key,
      model: `${model}-bands`,
      dataVintage: run.dataVintage,
      params: { model, maturity, sample: run.sample, reps, seed, bandPct },
      summary: withBands.bands?.method ?? "",
      result: band,
    });
  }
  return band;
}

export async function termPremiumSection(
  store: Store,
  opts: SectionOptions = {},
): Promise<{ data: TermPremiumSectionData; text: string }> {
  const maturity = opts.maturityMonths ?? 120;
  const reps = opts.reps ?? { acm: 500, hw: 200 };
  const seed = opts.seed ?? 1;
  const bandPct = opts.bandPct ?? 90;
  const warnings: Warning[] = [];
  const lines: DecompositionLine[] = [];
  const history: TermPremiumSectionData["history"] = [];
  let dataVintage = "";
  for (const model of ["acm", "hw"] as const) {
    const run = await runTermPremium(store, { model, maturitiesMonths: [maturity] });
    warnings.push(...run.warnings.filter((w) => !warnings.some((x) => x.message === w.message)));
    dataVintage = run.dataVintage;
    const s = run.series[0];
    const i = run.dates.length - 1;
    const band = await latestBand(
      store,
      model,
      run,
      maturity,
      model === "acm" ? reps.acm : reps.hw,
      seed,
      bandPct,
      opts.onProgress,
    );
    lines.push({
      model: run.model,
      date: run.dates[i],
      fittedPct: s.fittedPct[i],
      expectedRatesPct: s.riskNeutralPct[i],
      termPremiumPct: s.termPremiumPct[i],
      band: band ? { bandPct, lowerPct: band.lowerPct, upperPct: band.upperPct, reps: band.reps } : null,
      change1m: changeBp(run, 1),
      change1y: changeBp(run, 12),
      sample: { from: run.sample.from, to: run.sample.to },
    });
    history.push({
      model: run.model,
      dates: run.dates,
      termPremiumPct: Array.from(s.termPremiumPct),
      expectedRatesPct: Array.from(s.riskNeutralPct),
    });
  }
  const data: TermPremiumSectionData = {
    maturityMonths: maturity,
    lines,
    history,
    dataVintage,
    assumptions: [
      "GSW month-end zero curve (published Svensson parameters; NSS refit to SVENY where none are published)",
      "ACM: 5 principal components of 3..120-month yields, NY Fed production settings, pre-1982 one-month yield fitted on FEDFUNDS",
      "Hamilton-Wu: 1y/3y/5y priced exactly, 2y/7y/10y with error, sample from 1971-08",
      `bands: ${bandPct}% residual bootstrap (seed ${seed}), re-estimating the model on each replication`,
      "expected rates = risk-neutral yield (average expected short rate over the maturity)",
    ],
    warnings,
  };
  return { data, text: renderTermPremiumSection(data) };
}

export function renderTermPremiumSection(d: TermPremiumSectionData): string {
  const yrs = d.maturityMonths / 12;
  const out: string[] = [];
  out.push(`${yrs}-year Treasury: expected short rates + term premium (percent)`);
  out.push(
    formatTable(
      ["model", "as of", "fitted", "expected rates", "term premium", "band"],
      d.lines.map((l) => [
        l.model,
        l.date,
        num(l.fittedPct, 2),
        num(l.expectedRatesPct, 2),
        num(l.termPremiumPct, 2),
        l.band
          ? `${num(l.band.lowerPct, 2)} .. ${num(l.band.upperPct, 2)} (${l.band.bandPct}%, ${l.band.reps} reps)`
          : "",
      ]),
      ["left", "left", "right", "right", "right", "left"],
    ),
  );
  out.push("");
  out.push("Change in basis points, split into expected rates and term premium");
  out.push(
    formatTable(
      ["model", "horizon", "yield", "expected rates", "term premium"],
      d.lines.flatMap((l) => [
        [
          l.model,
          "1 month",
          num(l.change1m.fittedBp, 0),
          num(l.change1m.expectedRatesBp, 0),
          num(l.change1m.termPremiumBp, 0),
        ],
        [
          l.model,
          "1 year",
          num(l.change1y.fittedBp, 0),
          num(l.change1y.expectedRatesBp, 0),
          num(l.change1y.termPremiumBp, 0),
        ],
      ]),
      ["left", "left", "right", "right", "right"],
    ),
  );
  return out.join("\n");
}
