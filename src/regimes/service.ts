/**
 * The regime analyses as the CLI and the report ask for them: read series from the store (with a
 * few computed "virtual" ids), prepare the inputs and call the pure modules of this folder.
 *
 * Virtual ids:
 *   tr.UST10          10y constant-maturity Treasury total-return index from DGS10 (treasury-index.ts)
 *   shiller.EY        S&P earnings yield 100 × shiller.E / shiller.P, percent
 *   spread:A:B        A − B on common dates (both in percent), e.g. spread:DGS2:foreign.2y
 */
import { daysBetween, endOfMonth } from "../core/dates.ts";
import { InputError, NotFoundError, type Warning } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import type { Store } from "../store/store.ts";
import { runTermPremium, type TermModel } from "../termstructure/service.ts";
import { toMonthly } from "../transforms/resample.ts";
import { type AttributionResult, attributeYieldChanges } from "./attribution.ts";
import {
  type BreakCovariance,
  type BreakTestResult,
  breakTest,
  correlationSignFlips,
  type SignFlip,
} from "./breaks.ts";
import {
  type DivergenceAsset,
  type DivergenceData,
  type DivergenceResult,
  type DivergenceSpec,
  fitDivergence,
  type ModelForm,
} from "./divergence.ts";
import { type KShapeResult, kShapeMonitor } from "./kshape.ts";
import {
  type ChangeTransform,
  type PairOptions,
  prepareRelationInput,
  type RelationFrequency,
} from "./pairs.ts";
import { fiscalPathways, type PathwaysResult } from "./pathways.ts";
import {
  DAILY_GOLD_ID,
  DAILY_SP500_ID,
  DEFAULT_RELATIONS,
  EARNINGS_YIELD_ID,
  FOREIGN_2Y_ID,
  type RelationDefinition,
} from "./relations.ts";
import { analyseRelation, type RelationAnalysis } from "./rolling-relations.ts";
import { TREASURY_TR_ID, treasuryTotalReturnIndex } from "./treasury-index.ts";

/** Default rolling windows: 36 months, 250 trading days (about one year). */
export const DEFAULT_WINDOW: Record<RelationFrequency, number> = { m: 36, d: 250 };
/** Default shortest significant run for a sign flip: 3 months, 20 trading days. */
export const DEFAULT_MIN_RUN: Record<RelationFrequency, number> = { m: 3, d: 20 };
/** Default training window of the traditional models (documented in the issue report). */
export const DEFAULT_TRAIN = { from: "2006-01", to: "2021-12" } as const;

/** Reads series once per analysis, resolving virtual ids, and remembers the newest vintage. */
export class SeriesLoader {
  private readonly cache = new Map<string, Promise<Series>>();
  readonly warnings: Warning[] = [];
  vintage = "";

  constructor(private readonly store: Store) {}

  get(id: string): Promise<Series> {
    let p = this.cache.get(id);
    if (!p) {
      p = this.load(id);
      this.cache.set(id, p);
      // a failed load should be retried (or reported) by the next caller, not cached
      p.catch(() => this.cache.delete(id));
    }
    return p;
  }

  /** True when the store holds `id` (virtual ids: when their inputs exist). */
  async has(id: string): Promise<boolean> {
    try {
      await this.get(id);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  private async raw(id: string): Promise<Series> {
    const r = await this.store.getSeries(id);
    if (r.vintage > this.vintage) this.vintage = r.vintage;
    return r.series;
  }

  private async load(id: string): Promise<Series> {
    if (id === TREASURY_TR_ID) {
      const { series, warnings } = treasuryTotalReturnIndex(await this.raw("DGS10"));
      this.warnings.push(...warnings);
      return series;
    }
    if (id === EARNINGS_YIELD_ID) {
      const p = await this.raw("shiller.P");
      const e = await this.raw("shiller.E");
      const eBy = new Map(e.dates.map((d, i) => [d, e.values[i]]));
      const values = new Float64Array(p.dates.length);
      for (let i = 0; i < p.dates.length; i++) {
        const ei = eBy.get(p.dates[i]);
        values[i] = ei !== undefined && p.values[i] > 0 ? (100 * ei) / p.values[i] : Number.NaN;
      }
      return {
        meta: {
          ...p.meta,
          id: EARNINGS_YIELD_ID,
          title: "S&P Composite earnings yield (100 × trailing 12-month earnings / price)",
          units: "percent",
          notes: "computed from shiller.E and shiller.P (monthly average price)",
        },
        dates: p.dates,
        values,
      };
    }
    if (id.startsWith("spread:")) {
      const [, a, b] = id.split(":");
      if (!a || !b) throw new InputError(`spread id "${id}" must read spread:A:B`);
      const sa = await this.get(a);
      const sb = await this.get(b);
      const bBy = new Map(sb.dates.map((d, i) => [d, sb.values[i]]));
      const dates: string[] = [];
      const values: number[] = [];
      sa.dates.forEach((d, i) => {
        const v = bBy.get(d);
        if (v !== undefined) {
          dates.push(d);
          values.push(sa.values[i] - v);
        }
      });
      if (dates.length === 0) throw new InputError(`spread ${a} − ${b}: the two series share no date`);
      return {
        meta: { ...sa.meta, id, title: `${a} − ${b}`, units: "percent", notes: `spread ${a} minus ${b}` },
        dates,
        values: Float64Array.from(values),
      };
    }
    return this.raw(id);
  }
}

export interface RelationRequest {
  x: string;
  y: string;
  freq: RelationFrequency;
  window?: number;
  level?: number;
  from?: string;
  to?: string;
  aggregation?: "mean" | "last";
  xTransform?: ChangeTransform;
  yTransform?: ChangeTransform;
  key?: string;
  label?: string;
  xUpLabel?: string;
  expectedSign?: -1 | 0 | 1;
}

export interface RelationRun {
  analysis: RelationAnalysis;
  dataVintage: string;
}

async function pairInput(loader: SeriesLoader, req: RelationRequest) {
  const [xs, ys] = await Promise.all([loader.get(req.x), loader.get(req.y)]);
  const opts: PairOptions = {
    freq: req.freq,
    aggregation: req.aggregation,
    xTransform: req.xTransform,
    yTransform: req.yTransform,
    from: req.from,
    to: req.to,
  };
  return prepareRelationInput(xs, ys, opts);
}

/** One relation (rolling correlation / beta with bands, asymmetry) between two stored series. */
export async function runRelation(
  store: Store,
  req: RelationRequest,
  loader = new SeriesLoader(store),
): Promise<RelationRun> {
  const input = await pairInput(loader, req);
  input.warnings.push(...loader.warnings);
  const window = req.window ?? DEFAULT_WINDOW[req.freq];
  const analysis = analyseRelation(
    input,
    window,
    {
      key: req.key ?? `${req.y}~${req.x}`,
      label: req.label ?? `${req.y} vs ${req.x}`,
      xUpLabel: req.xUpLabel,
      expectedSign: req.expectedSign,
    },
    { level: req.level },
  );
  return { analysis, dataVintage: loader.vintage };
}

/** The ids a default relation uses at `freq` in this store (null: not available, with the reason). */
async function resolveDefault(
  loader: SeriesLoader,
  def: RelationDefinition,
  freq: RelationFrequency,
): Promise<{ x: string; y: string; note?: string } | { missing: string }> {
  const ids = freq === "d" ? def.daily : def.monthly;
  if (!ids) return { missing: "monthly only (its inputs are monthly)" };
  let x = ids.x;
  let note: string | undefined;
  if (x.startsWith("spread:") && !(await loader.has(FOREIGN_2Y_ID))) {
    x = x.split(":")[1];
    note = `no ${FOREIGN_2Y_ID} in the store: the US 2y yield (${x}) stands in for the 2y differential`;
  }
  for (const id of [x, ids.y]) {
    if (!(await loader.has(id))) {
      const hint =
        id === DAILY_GOLD_ID || id === DAILY_SP500_ID || id.startsWith("HG_F")
          ? ` (proprietary daily data: import your copy with \`yardstick data import <file> --id ${id}\`)`
          : "";
      return { missing: `${id} is not in the store${hint}` };
    }
  }
  return { x, y: ids.y, note };
}

export interface DefaultRelationsRun {
  freq: RelationFrequency;
  window: number;
  results: RelationAnalysis[];
  skipped: { key: string; label: string; reason: string }[];
  dataVintage: string;
  warnings: Warning[];
}

/** Every default relation available at `freq` (the others are listed as skipped, with why). */
export async function runDefaultRelations(
  store: Store,
  opts: { freq: RelationFrequency; window?: number; level?: number; from?: string; to?: string },
  loader = new SeriesLoader(store),
): Promise<DefaultRelationsRun> {
  const window = opts.window ?? DEFAULT_WINDOW[opts.freq];
  const results: RelationAnalysis[] = [];
  const skipped: DefaultRelationsRun["skipped"] = [];
  const warnings: Warning[] = [];
  for (const def of DEFAULT_RELATIONS) {
    const ids = await resolveDefault(loader, def, opts.freq);
    if ("missing" in ids) {
      skipped.push({ key: def.key, label: def.label, reason: ids.missing });
      continue;
    }
    try {
      const run = await runRelation(
        store,
        {
          ...opts,
          window,
          x: ids.x,
          y: ids.y,
          key: def.key,
          label: def.label,
          xUpLabel: def.xUpLabel,
          expectedSign: def.expectedSign,
        },
        loader,
      );
      if (ids.note) run.analysis.warnings.push({ code: "proxy", message: `${def.label}: ${ids.note}` });
      results.push(run.analysis);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      skipped.push({ key: def.key, label: def.label, reason: err.message });
    }
  }
  for (const r of results) warnings.push(...r.warnings);
  return {
    freq: opts.freq,
    window,
    results,
    skipped,
    dataVintage: loader.vintage,
    warnings: dedupe(warnings),
  };
}

function dedupe(ws: Warning[]): Warning[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    if (seen.has(w.message)) return false;
    seen.add(w.message);
    return true;
  });
}

export interface BreaksRun {
  test: BreakTestResult;
  flips: SignFlip[];
  zeroCrossings: number;
  window: number;
  minRun: number;
  dataVintage: string;
}

/** The sup-Wald break test and the rolling correlation's sign flips for one relation. */
export async function runBreaks(
  store: Store,
  req: RelationRequest & { covariance?: BreakCovariance; minRun?: number },
  loader = new SeriesLoader(store),
): Promise<BreaksRun> {
  const input = await pairInput(loader, req);
  input.warnings.push(...loader.warnings);
  const window = req.window ?? DEFAULT_WINDOW[req.freq];
  const minRun = req.minRun ?? DEFAULT_MIN_RUN[req.freq];
  const label = { key: req.key ?? `${req.y}~${req.x}`, label: req.label ?? `${req.y} vs ${req.x}` };
  const test = breakTest(input, label, { covariance: req.covariance });
  const rel = analyseRelation(input, window, label, { level: req.level });
  const sf = correlationSignFlips(
    rel.dates,
    rel.rolling.correlation,
    rel.rolling.correlationLower,
    rel.rolling.correlationUpper,
    {
      minRun,
    },
  );
  return {
    test,
    flips: sf.flips,
    zeroCrossings: sf.zeroCrossings,
    window,
    minRun,
    dataVintage: loader.vintage,
  };
}

/** Break tests for every default relation available at `freq`. */
export async function runDefaultBreaks(
  store: Store,
  opts: {
    freq: RelationFrequency;
    window?: number;
    covariance?: BreakCovariance;
    minRun?: number;
    from?: string;
    to?: string;
  },
  loader = new SeriesLoader(store),
): Promise<{ results: BreaksRun[]; skipped: { key: string; reason: string }[]; dataVintage: string }> {
  const results: BreaksRun[] = [];
  const skipped: { key: string; reason: string }[] = [];
  for (const def of DEFAULT_RELATIONS) {
    const ids = await resolveDefault(loader, def, opts.freq);
    if ("missing" in ids) {
      skipped.push({ key: def.key, reason: ids.missing });
      continue;
    }
    try {
      results.push(
        await runBreaks(store, { ...opts, x: ids.x, y: ids.y, key: def.key, label: def.label }, loader),
      );
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      skipped.push({ key: def.key, reason: err.message });
    }
  }
  return { results, skipped, dataVintage: loader.vintage };
}

/* ---------------------------------------------------------------- traditional models ---- */

export interface DivergenceRequest {
  train?: { from: string; to: string };
  /** Equity model form (default log-earnings). */
  equityForm?: ModelForm;
  /** Price series override, e.g. gold.LBMA.PM (monthly average of it is used). */
  priceId?: string;
  /** How daily series become monthly (default mean: the bundled monthly prices are averages). */
  aggregation?: "mean" | "last";
}

const ASSET_DEFAULTS: Record<DivergenceAsset, Omit<DivergenceSpec, "train" | "form"> & { form: ModelForm }> =
  {
    gold: {
      asset: "gold",
      form: "log-linear",
      priceId: "gold.USD.monthly",
      rateId: "DFII10",
      priceLabel: "gold (USD/oz)",
      rateLabel: "10y TIPS real yield",
      expectedRateSign: -1,
    },
    equity: {
      asset: "equity",
      form: "log-earnings",
      priceId: "shiller.P",
      rateId: "DGS10",
      earningsId: "shiller.E",
      priceLabel: "S&P Composite (Shiller)",
      rateLabel: "10y Treasury yield",
      expectedRateSign: -1,
    },
    copper: {
      asset: "copper",
      form: "log-linear",
      priceId: "PCOPPUSDM",
      rateId: "T10YIE",
      priceLabel: "copper (USD/t)",
      rateLabel: "10y breakeven inflation",
      expectedRateSign: 1,
    },
  };

/** The longest run of months earnings are carried forward past their last observation. */
const MAX_EARNINGS_CARRY = 3;

function monthMap(s: Series): Map<string, number> {
  const m = new Map<string, number>();
  s.dates.forEach((d, i) => {
    if (!Number.isNaN(s.values[i])) m.set(d.slice(0, 7), s.values[i]);
  });
  return m;
}

function toMonthlySeries(s: Series, agg: "mean" | "last"): Series {
  return s.meta.frequency === "m" ? s : toMonthly(s, { how: agg });
}

export interface DivergenceRun extends DivergenceResult {
  dataVintage: string;
  aggregation: "mean" | "last";
}

/** Fit one traditional model on the store's data and measure the divergence (divergence.ts). */
export async function runDivergence(
  store: Store,
  asset: DivergenceAsset,
  req: DivergenceRequest = {},
  loader = new SeriesLoader(store),
): Promise<DivergenceRun> {
  const base = ASSET_DEFAULTS[asset];
  const form = asset === "equity" ? (req.equityForm ?? base.form) : base.form;
  const spec: DivergenceSpec = {
    ...base,
    form,
    priceId: req.priceId ?? base.priceId,
    train: req.train ?? { ...DEFAULT_TRAIN },
    expectedRateSign: form === "earnings-yield" ? 1 : base.expectedRateSign,
  };
  const agg = req.aggregation ?? "mean";
  const rawPrice = await loader.get(spec.priceId);
  const rawRate = await loader.get(spec.rateId);
  const price = toMonthlySeries(rawPrice, agg);
  const rate = toMonthlySeries(rawRate, agg);
  const warnings: Warning[] = [];
  const pm = monthMap(price);
  const rm = monthMap(rate);
  const em = spec.earningsId ? monthMap(toMonthlySeries(await loader.get(spec.earningsId), agg)) : null;
  const months = [...pm.keys()].filter((m) => rm.has(m)).sort();
  if (months.length === 0) {
    throw new InputError(`${spec.priceId} and ${spec.rateId} have no month in common`);
  }
  let carried = 0;
  let lastE = Number.NaN;
  let lastEMonth = "";
  let run = 0;
  const earnings = new Float64Array(months.length).fill(Number.NaN);
  if (em) {
    months.forEach((m, i) => {
      const e = em.get(m);
      if (e !== undefined) {
        lastE = e;
        lastEMonth = m;
        run = 0;
        earnings[i] = e;
      } else if (lastEMonth && run < MAX_EARNINGS_CARRY) {
        run++;
        carried++;
        earnings[i] = lastE;
      }
    });
    if (carried > 0) {
      warnings.push({
        code: "earnings-carried",
        message: `${spec.earningsId}: earnings carried forward from ${lastEMonth} for ${carried} month(s) (at most ${MAX_EARNINGS_CARRY}); earnings are published with a lag`,
        series: spec.earningsId,
      });
    }
  }
  const data: DivergenceData = {
    dates: months.map((m) => `${m}-01`),
    price: Float64Array.from(months, (m) => pm.get(m) as number),
    ratePct: Float64Array.from(months, (m) => rm.get(m) as number),
    earnings: em ? earnings : undefined,
  };
  const result = fitDivergence(data, spec);
  // a daily series ending mid-month makes the latest monthly value a partial-month one
  const latestMonth = result.latest?.date.slice(0, 7);
  for (const s of [rawPrice, rawRate]) {
    const last = s.dates[s.dates.length - 1];
    if (
      s.meta.frequency !== "m" &&
      last?.slice(0, 7) === latestMonth &&
      daysBetween(last, endOfMonth(last)) > 4
    ) {
      warnings.push({
        code: "partial-month",
        series: s.meta.id,
        date: last,
        message: `${s.meta.id} ends ${last}: its ${latestMonth} value is the ${agg === "mean" ? "average" : "last value"} of a partial month`,
      });
    }
  }
  result.warnings.unshift(...warnings, ...loader.warnings);
  return Object.assign(result, { dataVintage: loader.vintage, aggregation: agg });
}

export interface KShapeRun {
  gold: DivergenceRun;
  equity: DivergenceRun;
  kshape: KShapeResult;
  pathways: PathwaysResult;
  dataVintage: string;
}

/** Gold and equity models, the K-shape monitor and the three fiscal-premium pathways. */
export async function runKShape(
  store: Store,
  req: DivergenceRequest & { goldTrain?: { from: string; to: string }; thresholdSe?: number } = {},
  loader = new SeriesLoader(store),
): Promise<KShapeRun> {
  const gold = await runDivergence(
    store,
    "gold",
    { ...req, train: req.goldTrain ?? req.train, priceId: undefined },
    loader,
  );
  const equity = await runDivergence(store, "equity", { ...req, priceId: undefined }, loader);
  const kshape = kShapeMonitor(gold, equity, { thresholdSe: req.thresholdSe });
  const pathways = fiscalPathways(gold, equity);
  return { gold, equity, kshape, pathways, dataVintage: loader.vintage };
}

/* ---------------------------------------------------------------- attribution ---- */

export interface AttributionRequest {
  model?: TermModel;
  /** First and last month YYYY-MM of the attribution (default 2003-01 .. the model's last month). */
  from?: string;
  to?: string;
  minMoveBp?: number;
}

export interface AttributionRun extends AttributionResult {
  model: "ACM" | "Hamilton-Wu";
  goldId: string;
  stocksId: string;
  dataVintage: string;
}

/** Month-end attribution of 10y changes (attribution.ts) with ACM (default) or Hamilton-Wu. */
export async function runAttribution(
  store: Store,
  req: AttributionRequest = {},
  loader = new SeriesLoader(store),
): Promise<AttributionRun> {
  const tp = await runTermPremium(store, { model: req.model ?? "acm", maturitiesMonths: [120] });
  const warnings: Warning[] = [...tp.warnings];
  const s = tp.series[0];
  const from = req.from ?? "2003-01";
  const to = req.to ?? tp.dates[tp.dates.length - 1].slice(0, 7);
  const idx: number[] = [];
  tp.dates.forEach((d, i) => {
    const m = d.slice(0, 7);
    if (m >= from && m <= to) idx.push(i);
  });
  if (idx.length < 2) {
    throw new InputError(
      `attribution: ${from}..${to} holds fewer than two months of the ${tp.model} decomposition (${tp.dates[0].slice(0, 7)}..${tp.dates[tp.dates.length - 1].slice(0, 7)})`,
    );
  }
  const months = idx.map((i) => tp.dates[i].slice(0, 7));
  const eom = (x: Series) => monthMap(x.meta.frequency === "m" ? x : toMonthly(x, { how: "last" }));
  const real = eom(await loader.get("DFII10"));
  const be = eom(await loader.get("T10YIE"));
  const pick = async (
    daily: string,
    monthly: string,
    what: string,
  ): Promise<[string, Map<string, number>]> => {
    if (await loader.has(daily)) return [daily, eom(await loader.get(daily))];
    warnings.push({
      code: "monthly-average-prices",
      message: `${what}: ${daily} is not in the store, so ${monthly} (a monthly average) is used; its returns lag month-end yield changes by about half a month`,
    });
    return [monthly, eom(await loader.get(monthly))];
  };
  const [goldId, gold] = await pick(DAILY_GOLD_ID, "gold.USD.monthly", "gold");
  const [stocksId, stocks] = await pick(DAILY_SP500_ID, "shiller.P", "stocks");
  const col = (m: Map<string, number>) => Float64Array.from(months, (k) => m.get(k) ?? Number.NaN);
  const result = attributeYieldChanges(
    {
      months,
      yieldPct: Float64Array.from(idx, (i) => s.fittedPct[i]),
      expectedPct: Float64Array.from(idx, (i) => s.riskNeutralPct[i]),
      termPremiumPct: Float64Array.from(idx, (i) => s.termPremiumPct[i]),
      realPct: col(real),
      breakevenPct: col(be),
      gold: col(gold),
      stocks: col(stocks),
    },
    { minMoveBp: req.minMoveBp ?? 0 },
  );
  result.warnings.push(...warnings, ...loader.warnings);
  return Object.assign(result, {
    model: tp.model,
    goldId,
    stocksId,
    dataVintage: loader.vintage || tp.dataVintage,
  });
}
