/**
 * "State of the data": for each series, its range, last value and staleness as of a date.
 * Staleness is judged against the series' publication cadence: a monthly series stamped on the
 * first of the month (FRED's convention) is only published weeks after that month ends, so the
 * thresholds allow for the usual lag rather than flagging every monthly series.
 */
import { daysBetween } from "../core/dates.ts";
import type { Frequency } from "../core/series.ts";
import type { SeriesInfo } from "../store/store.ts";

/** Days after the last observation's date beyond which a series counts as stale. */
export const STALE_AFTER_DAYS: Record<Frequency, number> = {
  d: 10,
  w: 21,
  m: 75,
  q: 200,
  a: 500,
  irregular: 400,
};

export interface SeriesState {
  id: string;
  title: string;
  units: string;
  frequency: Frequency;
  firstDate: string | null;
  lastDate: string | null;
  observations: number;
  lastValue: number | null;
  /** Days from the last observation to `asOf`; negative for future-dated rows (projections). */
  ageDays: number | null;
  stale: boolean;
  /** The last observation lies after `asOf` (e.g. FOMC projections dated by projection year). */
  projection: boolean;
  source: string;
  licence: string;
  vintage: string;
}

export interface DataStateReport {
  asOf: string;
  series: SeriesState[];
  counts: { series: number; stale: number; observations: number };
  /** The newest observation date over all series that are not projections. */
  newestObservation: string | null;
  /** Series ids grouped by the part of the id before the first dot ("fred" for plain FRED ids). */
  groups: Record<string, number>;
}

export function groupOf(id: string): string {
  const dot = id.indexOf(".");
  return dot < 0 ? "fred" : id.slice(0, dot);
}

export function dataState(infos: SeriesInfo[], asOf: string): DataStateReport {
  const series = infos.map((s): SeriesState => {
    const ageDays = s.lastDate ? daysBetween(s.lastDate, asOf) : null;
    return {
      id: s.meta.id,
      title: s.meta.title,
      units: s.meta.units,
      frequency: s.meta.frequency,
      firstDate: s.firstDate,
      lastDate: s.lastDate,
      observations: s.count,
      lastValue: s.lastValue,
      ageDays,
      stale: ageDays === null || ageDays > STALE_AFTER_DAYS[s.meta.frequency],
      projection: ageDays !== null && ageDays < 0,
      source: s.meta.source,
      licence: s.meta.licence,
      vintage: s.vintage,
    };
  });
  const groups: Record<string, number> = {};
  for (const s of series) groups[groupOf(s.id)] = (groups[groupOf(s.id)] ?? 0) + 1;
  return {
    asOf,
    series,
    counts: {
      series: series.length,
      stale: series.filter((s) => s.stale).length,
      observations: series.reduce((n, s) => n + s.observations, 0),
    },
    groups,
    newestObservation: series.reduce<string | null>(
      (m, s) => (!s.projection && s.lastDate && (m === null || s.lastDate > m) ? s.lastDate : m),
      null,
    ),
  };
}
