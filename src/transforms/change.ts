/**
 * Changes and growth rates, FRED's unit transforms: `chg` (difference), `pch` (percent change),
 * `pc1` (percent change from a year ago) and `log`. Percent changes are in percent (x 100):
 * 100 (x_t / x_{t-k} - 1). Differences of a series in percent are in percentage points, which is
 * what a strategist means by "the 10y rose 0.25" (25 bp), so the units say so.
 */
import { addMonths, toEpochDay } from "../core/dates.ts";
import { InputError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { derived, deriveMeta, requireInt } from "./common.ts";

function changeUnits(units: string): string {
  return units.trim().toLowerCase() === "percent" ? "percentage points" : `change in ${units}`;
}

/**
 * `x_t - x_{t-k}` over k observations (k >= 1, default 1). NaN policy: NaN inputs propagate; the
 * first k values are NaN. Units: percentage points for a series in percent, else "change in <units>".
 */
export function difference(s: Series, k = 1): Series {
  requireInt("difference", "k", k, 1);
  const x = s.values;
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = k; i < x.length; i++) out[i] = x[i] - x[i - k];
  return derived(
    s,
    out,
    deriveMeta(s.meta, {
      suffix: k === 1 ? "change" : `change over ${k} obs`,
      note: `difference over ${k} observations`,
      units: changeUnits(s.meta.units),
    }),
  );
}

/** 100 (x / base - 1), refusing a zero base (a percent change of a series through zero is meaningless). */
function pct(s: Series, fn: string, i: number, j: number): number {
  const x = s.values[i];
  const base = s.values[j];
  if (base === 0) {
    throw new InputError(
      `${fn}: series ${s.meta.id} is 0 at ${s.dates[j]}, the base of the change to ${s.dates[i]}; ` +
        "a percent change is undefined there (use difference() for series that cross zero)",
    );
  }
  return 100 * (x / base - 1);
}

/**
 * Percent change over k observations (k >= 1, default 1): 100 (x_t / x_{t-k} - 1).
 * NaN policy: NaN inputs propagate; the first k values are NaN. A zero base throws an InputError
 * naming its date; a negative base is computed as is (the sign is then hard to read).
 */
export function pctChange(s: Series, k = 1): Series {
  requireInt("pctChange", "k", k, 1);
  const out = new Float64Array(s.values.length).fill(Number.NaN);
  for (let i = k; i < out.length; i++) {
    if (!Number.isNaN(s.values[i]) && !Number.isNaN(s.values[i - k])) out[i] = pct(s, "pctChange", i, i - k);
  }
  return derived(
    s,
    out,
    deriveMeta(s.meta, {
      suffix: k === 1 ? "% change" : `% change over ${k} obs`,
      note: `percent change over ${k} observations`,
      units: "percent change",
    }),
  );
}

export interface YoyOptions {
  /**
   * Daily (and irregular) series only: how far before the date one year earlier the matched
   * observation may lie, in calendar days (default 7: a long weekend plus holidays).
   */
  maxGapDays?: number;
}

/**
 * Percent change from a year ago, 100 (x_t / x_{t-1y} - 1), FRED's `pc1`. The year-ago value is
 * found by calendar, which equals the usual k = 12 (monthly), 4 (quarterly), 52 (weekly), 1
 * (annual) observations when the series has no gaps and is right when it does:
 * - monthly / quarterly / annual: the observation in the same period one year earlier;
 * - weekly: the observation exactly 52 weeks (364 days) earlier;
 * - daily / irregular: the last valid observation on or before the same date one year earlier
 *   (29 Feb maps to 28 Feb), at most `maxGapDays` before it; holidays are thereby skipped.
 * NaN policy: NaN at t gives NaN; no year-ago match (or a NaN one, except daily) gives NaN.
 * A zero base throws an InputError naming its date.
 */
export function yoy(s: Series, opts: YoyOptions = {}): Series {
  const maxGap = opts.maxGapDays ?? 7;
  requireInt("yoy", "maxGapDays", maxGap, 0);
  const n = s.dates.length;
  const base = new Int32Array(n).fill(-1);
  const f = s.meta.frequency;
  if (f === "m" || f === "q" || f === "a") {
    // Key by period so that labels need not be first-of-period (2023-02-28 and 2024-02-29 match).
    const key = (iso: string): string =>
      f === "a"
        ? iso.slice(0, 4)
        : f === "m"
          ? iso.slice(0, 7)
          : `${iso.slice(0, 4)}-${Math.floor((Number(iso.slice(5, 7)) - 1) / 3)}`;
    const byPeriod = new Map<string, number>();
    for (let i = 0; i < n; i++) byPeriod.set(key(s.dates[i]), i);
    for (let i = 0; i < n; i++) base[i] = byPeriod.get(key(addMonths(s.dates[i], -12))) ?? -1;
  } else if (f === "w") {
    const byDay = new Map<number, number>();
    for (let i = 0; i < n; i++) byDay.set(toEpochDay(s.dates[i]), i);
    for (let i = 0; i < n; i++) base[i] = byDay.get(toEpochDay(s.dates[i]) - 364) ?? -1;
  } else if (f === "d" || f === "irregular") {
    const day = s.dates.map(toEpochDay);
    let j = -1; // last index with date <= target; targets increase with i, so j only moves forward
    let lastValid = -1;
    for (let i = 0; i < n; i++) {
      const target = toEpochDay(addMonths(s.dates[i], -12));
      while (j + 1 < n && day[j + 1] <= target) {
        j++;
        if (!Number.isNaN(s.values[j])) lastValid = j;
      }
      if (lastValid >= 0 && target - day[lastValid] <= maxGap) base[i] = lastValid;
    }
  } else {
    throw new InputError(`yoy: series ${s.meta.id} has unknown frequency "${f}"`);
  }
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const j = base[i];
    if (j >= 0 && !Number.isNaN(s.values[i]) && !Number.isNaN(s.values[j])) out[i] = pct(s, "yoy", i, j);
  }
  return derived(
    s,
    out,
    deriveMeta(s.meta, {
      suffix: "% change from year ago",
      note: "percent change from a year ago (matched by calendar)",
      units: "percent change from year ago",
    }),
  );
}

/**
 * Natural logarithm. Non-positive values throw an InputError naming the first offending date
 * (a NaN there would silently end a chart or a regression sample). NaN inputs propagate.
 */
export function logTransform(s: Series): Series {
  const x = s.values;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (x[i] <= 0) {
      throw new InputError(
        `logTransform: series ${s.meta.id} is ${x[i]} at ${s.dates[i]}; the log needs positive values`,
      );
    }
    out[i] = Math.log(x[i]);
  }
  return derived(
    s,
    out,
    deriveMeta(s.meta, { suffix: "log", note: "natural log", units: `log of ${s.meta.units}` }),
  );
}
