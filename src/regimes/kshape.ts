/**
 * K-shape monitor (METHODS.md §3): stocks and gold both far above their traditional models at
 * once, the research's reading of a hidden fiscal risk premium. "Far above" = the deviation of
 * each asset from its model exceeds `thresholdSe` prediction standard errors (default 1) in the
 * same month. An episode is a run of consecutive such months; the K-shape is "on" when the latest
 * month both models cover is in an episode, and it "began" on that episode's first month.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import type { DivergenceResult } from "./divergence.ts";

export interface KShapeRow {
  date: string;
  goldSe: number;
  equitySe: number;
  both: boolean;
}

export interface KShapeEpisode {
  from: string;
  to: string;
  months: number;
}

export interface KShapeResult {
  thresholdSe: number;
  /** Latest month covered by both models. */
  asOf: string;
  on: boolean;
  /** First month of the current episode (null when off). */
  since: string | null;
  latest: KShapeRow;
  episodes: KShapeEpisode[];
  rows: KShapeRow[];
  training: { gold: { from: string; to: string }; equity: { from: string; to: string } };
  warnings: Warning[];
  summary(): string;
}

function monthIndex(d: string): number {
  return Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
}

export function kShapeMonitor(
  gold: DivergenceResult,
  equity: DivergenceResult,
  { thresholdSe = 1 }: { thresholdSe?: number } = {},
): KShapeResult {
  if (!(thresholdSe >= 0))
    throw new ModelError(`K-shape threshold must be >= 0 standard errors, got ${thresholdSe}`);
  const eq = new Map(equity.rows.map((r) => [r.date.slice(0, 7), r.deviationSe]));
  const rows: KShapeRow[] = [];
  for (const g of gold.rows) {
    const e = eq.get(g.date.slice(0, 7));
    if (e === undefined) continue;
    rows.push({
      date: g.date,
      goldSe: g.deviationSe,
      equitySe: e,
      both: g.deviationSe > thresholdSe && e > thresholdSe,
    });
  }
  if (rows.length === 0) {
    throw new ModelError("K-shape: the gold and equity model rows share no month");
  }
  const episodes: KShapeEpisode[] = [];
  let cur: KShapeEpisode | null = null;
  let prev = "";
  for (const r of rows) {
    const consecutive = prev !== "" && monthIndex(r.date) - monthIndex(prev) === 1;
    if (r.both) {
      if (cur && consecutive) {
        cur.to = r.date;
        cur.months++;
      } else {
        cur = { from: r.date, to: r.date, months: 1 };
        episodes.push(cur);
      }
    } else cur = null;
    prev = r.date;
  }
  const latest = rows[rows.length - 1];
  const lastEp = episodes[episodes.length - 1];
  const on = latest.both;
  const result: KShapeResult = {
    thresholdSe,
    asOf: latest.date,
    on,
    since: on && lastEp ? lastEp.from : null,
    latest,
    episodes,
    rows,
    training: { gold: gold.fit.train, equity: equity.fit.train },
    warnings: [...gold.warnings, ...equity.warnings],
    summary: () => renderKShape(result),
  };
  return result;
}

export function renderKShape(k: KShapeResult): string {
  const status = k.on
    ? `ON since ${k.since?.slice(0, 7)} (${k.episodes[k.episodes.length - 1].months} months)`
    : "off";
  const lines = [
    `K-shape (gold and stocks both > ${num(k.thresholdSe, 1)} s.e. above their models) as of ${k.asOf.slice(0, 7)}: ${status}; ` +
      `gold ${num(k.latest.goldSe, 1)} s.e., stocks ${num(k.latest.equitySe, 1)} s.e. ` +
      `(gold model trained ${k.training.gold.from}..${k.training.gold.to}, equity ${k.training.equity.from}..${k.training.equity.to})`,
  ];
  const eps = k.episodes.filter((e) => e.months >= 3).slice(-5);
  if (eps.length) {
    lines.push(
      formatTable(
        ["episode from", "to", "months"],
        eps.map((e) => [e.from.slice(0, 7), e.to.slice(0, 7), e.months]),
        ["left", "left", "right"],
      ),
    );
  }
  return lines.join("\n");
}
