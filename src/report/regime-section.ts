/**
 * Main-job section "When the anchor breaks" (issue 6, METHODS.md §3): each default relation's
 * latest rolling correlation against its own history (percentile) with its last structural break
 * and sign flip, the latest implied-rate gaps of gold, equities and copper against their
 * traditional models, whether the K-shape (stocks and gold both far above their models) is on and
 * since when, and the three fiscal-premium pathways as ranges.
 */
import { type Warning, YardstickError } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import type { Range } from "../regimes/pathways.ts";
import {
  DEFAULT_TRAIN,
  runDefaultBreaks,
  runDefaultRelations,
  runDivergence,
  runKShape,
  SeriesLoader,
} from "../regimes/service.ts";
import type { Store } from "../store/store.ts";

export interface RelationState {
  key: string;
  label: string;
  freq: "d" | "m";
  window: number;
  date: string;
  correlation: number;
  lower: number;
  upper: number;
  /** Percentile (0-100) of the latest rolling correlation in its history. */
  percentile: number;
  beta: number;
  fullSampleCorrelation: number;
  /** Monthly relations: the sup-Wald break test and the last sign flip. */
  lastBreak: { date: string; significance: string; supWald: number } | null;
  lastFlip: { date: string; from: string; to: string } | null;
}

export interface GapState {
  asset: string;
  date: string;
  actual: number;
  model: number;
  deviationPct: number;
  deviationSe: number;
  rate: string;
  impliedRatePct: number;
  actualRatePct: number;
  gapBp: number;
  train: { from: string; to: string };
}

export interface RegimeSectionData {
  relations: RelationState[];
  skipped: { key: string; freq: "d" | "m"; reason: string }[];
  gaps: GapState[];
  kshape: {
    on: boolean;
    since: string | null;
    asOf: string;
    thresholdSe: number;
    goldSe: number;
    equitySe: number;
  };
  pathways: {
    asOf: string;
    scenarios: { key: string; name: string; tenYearPct: Range; gold: Range; sp500: Range }[];
  };
  dataVintage: string;
  assumptions: string[];
  warnings: Warning[];
}

export interface RegimeSectionOptions {
  /** Training window of the traditional models (default 2006-01..2021-12). */
  train?: { from: string; to: string };
  /** Rolling windows (default 36 months, 250 days). */
  monthlyWindow?: number;
  dailyWindow?: number;
}

function dedupe(ws: Warning[]): Warning[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    if (seen.has(w.message)) return false;
    seen.add(w.message);
    return true;
  });
}

export async function regimeSection(
  store: Store,
  opts: RegimeSectionOptions = {},
): Promise<{ data: RegimeSectionData; text: string }> {
  const loader = new SeriesLoader(store);
  const warnings: Warning[] = [];
  const relations: RelationState[] = [];
  const skipped: RegimeSectionData["skipped"] = [];
  const monthly = await runDefaultRelations(store, { freq: "m", window: opts.monthlyWindow }, loader);
  const breaks = await runDefaultBreaks(store, { freq: "m", window: opts.monthlyWindow }, loader);
  const daily = await runDefaultRelations(store, { freq: "d", window: opts.dailyWindow }, loader);
  warnings.push(...monthly.warnings, ...daily.warnings);
  for (const run of [monthly, daily]) {
    for (const s of run.skipped) {
      // a relation that only exists monthly is not "missing" at daily frequency
      if (!s.reason.startsWith("monthly only"))
        skipped.push({ key: s.key, freq: run.freq, reason: s.reason });
    }
    for (const a of run.results) {
      if (!a.latest) continue;
      const b = run.freq === "m" ? breaks.results.find((x) => x.test.key === a.key) : undefined;
      const flip = b?.flips[b.flips.length - 1];
      relations.push({
        key: a.key,
        label: a.label,
        freq: run.freq,
        window: a.window,
        date: a.latest.date,
        correlation: a.latest.correlation,
        lower: a.latest.correlationLower,
        upper: a.latest.correlationUpper,
        percentile: 100 * a.latest.correlationPercentile,
        beta: a.latest.beta,
        fullSampleCorrelation: a.fullSample.correlation,
        lastBreak: b
          ? { date: b.test.breakDate, significance: b.test.significance, supWald: b.test.supWald }
          : null,
        lastFlip: flip ? { date: flip.date, from: flip.from, to: flip.to } : null,
      });
    }
  }
  const train = opts.train ?? { ...DEFAULT_TRAIN };
  const gaps: GapState[] = [];
  const k = await runKShape(store, { train }, loader);
  let copper = null;
  try {
    copper = await runDivergence(store, "copper", { train }, loader);
  } catch (err) {
    if (!(err instanceof YardstickError)) throw err;
    warnings.push({ code: "copper-unavailable", message: `copper model: ${err.message}` });
  }
  for (const r of [k.gold, k.equity, copper]) {
    if (!r?.latest) continue;
    warnings.push(...r.warnings);
    const l = r.latest;
    gaps.push({
      asset: r.spec.priceLabel,
      date: l.date,
      actual: l.actual,
      model: l.model,
      deviationPct: l.deviationPct,
      deviationSe: l.deviationSe,
      rate: r.spec.rateLabel,
      impliedRatePct: l.impliedRatePct,
      actualRatePct: l.actualRatePct,
      gapBp: l.gapBp,
      train: r.fit.train,
    });
  }
  const data: RegimeSectionData = {
    relations,
    skipped,
    gaps,
    kshape: {
      on: k.kshape.on,
      since: k.kshape.since,
      asOf: k.kshape.asOf,
      thresholdSe: k.kshape.thresholdSe,
      goldSe: k.kshape.latest.goldSe,
      equitySe: k.kshape.latest.equitySe,
    },
    pathways: {
      asOf: k.pathways.asOf,
      scenarios: k.pathways.scenarios.map((s) => ({
        key: s.key,
        name: s.name,
        tenYearPct: s.tenYearPct,
        gold: s.gold,
        sp500: s.sp500,
      })),
    },
    dataVintage: loader.vintage,
    assumptions: [
      "returns are 100 × Δln(price); yield changes in percentage points; betas are % return per 1 pp (100 bp) rise",
      "monthly relations pair monthly-average prices (Shiller S&P, Datahub gold, IMF copper) with monthly-average yields",
      "bands: Fisher z for correlations, OLS t for betas (iid assumption: indicative widths)",
      "breaks: Quandt-Andrews sup-Wald (intercept and beta, 15% trimming), Andrews (1993/2003) critical values",
      `traditional models trained ${train.from}..${train.to}: gold ln P on the 10y TIPS yield; S&P ln P on ln E and the 10y; copper ln P on the 10y breakeven`,
      `K-shape: gold and stocks both more than ${k.kshape.thresholdSe} prediction standard error(s) above their models`,
      "Treasury index: 10y constant-maturity total return from DGS10 (carry − duration × Δy + ½ convexity × Δy²)",
    ],
    warnings: dedupe(warnings),
  };
  return { data, text: renderRegimeSection(data) };
}

function month(d: string, freq: "d" | "m"): string {
  return freq === "m" ? d.slice(0, 7) : d;
}

function fmtRange(r: Range, d: number): string {
  return r.low === r.high ? num(r.mid, d) : `${num(r.low, d)} .. ${num(r.high, d)}`;
}

export function renderRegimeSection(d: RegimeSectionData): string {
  const out: string[] = [];
  out.push(
    "Correlation regimes: latest rolling correlation of each asset with its yield driver vs its history",
  );
  out.push(
    formatTable(
      [
        "relation",
        "window",
        "as of",
        "corr",
        "95% band",
        "pctile",
        "beta",
        "full sample",
        "break (sup-Wald)",
        "last sign flip",
      ],
      d.relations.map((r) => [
        r.label,
        `${r.window}${r.freq}`,
        month(r.date, r.freq),
        num(r.correlation, 2),
        `${num(r.lower, 2)}..${num(r.upper, 2)}`,
        num(r.percentile, 0),
        num(r.beta, 2),
        num(r.fullSampleCorrelation, 2),
        r.lastBreak
          ? `${r.lastBreak.date.slice(0, 7)} (${r.lastBreak.significance === "not significant" ? "n.s." : r.lastBreak.significance})`
          : "",
        r.lastFlip ? `${r.lastFlip.date.slice(0, 7)} to ${r.lastFlip.to}` : "",
      ]),
      ["left", "right", "left", "right", "left", "right", "right", "right", "left", "left"],
    ),
  );
  for (const s of d.skipped)
    out.push(`not computed, ${s.key} (${s.freq === "d" ? "daily" : "monthly"}): ${s.reason}`);
  out.push("");
  out.push("Traditional models and implied-rate gaps (gap = actual − implied rate)");
  out.push(
    formatTable(
      [
        "asset",
        "month",
        "actual",
        "model",
        "dev %",
        "dev s.e.",
        "driver",
        "implied %",
        "actual %",
        "gap bp",
        "trained",
      ],
      d.gaps.map((g) => [
        g.asset,
        g.date.slice(0, 7),
        num(g.actual, 0),
        num(g.model, 0),
        num(g.deviationPct, 0),
        num(g.deviationSe, 1),
        g.rate,
        num(g.impliedRatePct, 2),
        num(g.actualRatePct, 2),
        num(g.gapBp, 0),
        `${g.train.from}..${g.train.to}`,
      ]),
      ["left", "left", "right", "right", "right", "right", "left", "right", "right", "right", "left"],
    ),
  );
  const k = d.kshape;
  out.push("");
  out.push(
    `K-shape (stocks and gold both > ${k.thresholdSe} s.e. above their models) as of ${k.asOf.slice(0, 7)}: ` +
      (k.on ? `ON since ${k.since?.slice(0, 7)}` : "off") +
      ` (gold ${num(k.goldSe, 1)} s.e., stocks ${num(k.equitySe, 1)} s.e.)`,
  );
  out.push("");
  out.push(`Fiscal-premium pathways as of ${d.pathways.asOf.slice(0, 7)} (10th..90th percentile ranges)`);
  out.push(
    formatTable(
      ["scenario", "10y %", "gold", "S&P 500"],
      d.pathways.scenarios.map((s) => [
        `${s.key}. ${s.name}`,
        fmtRange(s.tenYearPct, 2),
        fmtRange(s.gold, 0),
        fmtRange(s.sp500, 0),
      ]),
      ["left", "left", "left", "left"],
    ),
  );
  return out.join("\n");
}
