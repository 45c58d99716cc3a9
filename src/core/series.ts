/**
 * A series is dates + values + metadata. Dates are ISO labels carried through every transform;
 * values are a Float64Array where NaN means "missing". Monthly and quarterly periods are
 * labelled by their first day (FRED's convention: 2020-01-01 is January 2020); daily series keep
 * their observation dates.
 */
import { isIsoDate } from "./dates.ts";
import { InputError, ModelError } from "./errors.ts";

/** d daily, w weekly, m monthly, q quarterly, a annual, irregular when none fits. */
export type Frequency = "d" | "w" | "m" | "q" | "a" | "irregular";

export const FREQUENCY_NAMES: Record<Frequency, string> = {
  d: "daily",
  w: "weekly",
  m: "monthly",
  q: "quarterly",
  a: "annual",
  irregular: "irregular",
};

export interface SeriesMeta {
  /** Identifier: FRED ids as FRED spells them (DGS10); other sources prefixed (gsw.SVENY10). */
  id: string;
  title: string;
  /** Units as the publisher states them, e.g. "percent", "index 1982-84=100", "USD/oz". */
  units: string;
  frequency: Frequency;
  /** Publisher and origin. */
  source: string;
  /** Terms under which the data may be used or redistributed. */
  licence: string;
  /** When the publisher last updated the series (ISO date), if known. */
  lastUpdated?: string;
  notes?: string;
}

export interface Series {
  readonly meta: SeriesMeta;
  readonly dates: readonly string[];
  readonly values: Float64Array;
}

/** Build a series, checking that dates are valid ISO dates, strictly increasing and as many as values. */
export function makeSeries(meta: SeriesMeta, dates: readonly string[], values: ArrayLike<number>): Series {
  if (dates.length !== values.length) {
    throw new ModelError(`series ${meta.id}: ${dates.length} dates but ${values.length} values`);
  }
  for (let i = 0; i < dates.length; i++) {
    if (!isIsoDate(dates[i]))
      throw new InputError(`series ${meta.id}: invalid date "${dates[i]}" at index ${i}`);
    if (i > 0 && dates[i] <= dates[i - 1]) {
      throw new InputError(
        `series ${meta.id}: dates must be strictly increasing, "${dates[i]}" follows "${dates[i - 1]}"`,
      );
    }
  }
  return { meta, dates: [...dates], values: Float64Array.from(values) };
}

/** The same series with new values (same dates); `metaPatch` records what was done to it. */
export function withValues(s: Series, values: Float64Array, metaPatch: Partial<SeriesMeta> = {}): Series {
  if (values.length !== s.dates.length) throw new ModelError(`series ${s.meta.id}: length mismatch`);
  return { meta: { ...s.meta, ...metaPatch }, dates: s.dates, values };
}

/** Rows between `from` and `to` inclusive (ISO dates; either may be omitted). */
export function slice(s: Series, from?: string, to?: string): Series {
  let lo = 0;
  let hi = s.dates.length;
  if (from) while (lo < hi && s.dates[lo] < from) lo++;
  if (to) while (hi > lo && s.dates[hi - 1] > to) hi--;
  return { meta: s.meta, dates: s.dates.slice(lo, hi), values: s.values.slice(lo, hi) };
}

/** Drop missing (NaN) observations. */
export function dropMissing(s: Series): Series {
  const dates: string[] = [];
  const vals: number[] = [];
  for (let i = 0; i < s.dates.length; i++) {
    if (!Number.isNaN(s.values[i])) {
      dates.push(s.dates[i]);
      vals.push(s.values[i]);
    }
  }
  return { meta: s.meta, dates, values: Float64Array.from(vals) };
}

/** Index of the last non-missing observation, or -1. */
export function lastValidIndex(s: Series): number {
  for (let i = s.values.length - 1; i >= 0; i--) if (!Number.isNaN(s.values[i])) return i;
  return -1;
}

/** Index of the first non-missing observation, or -1. */
export function firstValidIndex(s: Series): number {
  for (let i = 0; i < s.values.length; i++) if (!Number.isNaN(s.values[i])) return i;
  return -1;
}
