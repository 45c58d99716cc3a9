/**
 * Shared plumbing of the transforms: argument checks with messages that name the function, the
 * argument and the series, and the one way a derived series records what was done to it (a
 * title suffix and a note, so a chart or a report can always say "YoY % of CPIAUCSL", not just
 * "CPIAUCSL"). Internal: not re-exported from index.ts.
 */
import { ModelError } from "../core/errors.ts";
import type { Series, SeriesMeta } from "../core/series.ts";

/** Throw unless `value` is an integer >= `min` (window lengths, lags, minimum sample sizes). */
export function requireInt(fn: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ModelError(`${fn}: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Throw unless `value` is one of `allowed` (string options arriving from configs or the CLI). */
export function requireOneOf<T extends string>(
  fn: string,
  name: string,
  value: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ModelError(
      `${fn}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got "${value}"`,
    );
  }
  return value as T;
}

/** Resolve `minPeriods` (default `fallback`) and check 1 <= lower <= minPeriods <= upper. */
export function resolveMinPeriods(
  fn: string,
  minPeriods: number | undefined,
  fallback: number,
  lower: number,
  upper = Number.POSITIVE_INFINITY,
): number {
  const m = minPeriods ?? fallback;
  requireInt(fn, "minPeriods", m, lower);
  if (m > upper) throw new ModelError(`${fn}: minPeriods (${m}) cannot exceed the window (${upper})`);
  return m;
}

/** Meta of a derived series: same id and source, a title suffix, a note appended, units if changed. */
export function deriveMeta(
  meta: SeriesMeta,
  { suffix, note, units, id }: { suffix: string; note: string; units?: string; id?: string },
): SeriesMeta {
  return {
    ...meta,
    id: id ?? meta.id,
    title: `${meta.title} (${suffix})`,
    units: units ?? meta.units,
    notes: meta.notes ? `${meta.notes}; ${note}` : note,
  };
}

/** A new Series with the same dates as `s` (labels in, labels out). */
export function derived(s: Series, values: Float64Array, meta: SeriesMeta): Series {
  return { meta, dates: s.dates, values };
}
