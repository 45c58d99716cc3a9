/**
 * From two level series to the paired changes a relation is measured on: an asset's log return
 * against a yield's change over the *same* interval.
 *
 * - Asset prices become log returns in percent, 100 Δln P (additive over time, symmetric);
 *   yields, spreads and other series in percent become changes in percentage points (1 pp = 100 bp).
 * - Daily pairs are matched on the days both series have a value, and each change runs from the
 *   previous common day: a bond-market holiday does not pair gold's two-day move with a one-day
 *   yield move. A change across a gap longer than `maxGapDays` is dropped (recorded as a Warning).
 * - Monthly pairs: each series is first brought to months. When one side is natively monthly the
 *   daily side is averaged over the month by default, because the published monthly asset series
 *   we bundle (Shiller's S&P price, the Datahub gold series, IMF copper) are monthly averages:
 *   pairing an average with an end-of-month yield would misalign the timing by half a month.
 *   Two daily series are sampled at month end (METHODS.md's default). Either can be forced.
 * Nothing is filled or spliced. Series that do not overlap, an overlap too short for the window,
 * and constant series are errors that say which series and which dates.
 */
import { epochDayUnchecked } from "../core/dates.ts";
import { InputError, type Warning } from "../core/errors.ts";
import { dropMissing, FREQUENCY_NAMES, type Series } from "../core/series.ts";
import { type Aggregation, toMonthly } from "../transforms/resample.ts";

export type ChangeTransform = "logReturn" | "change";
export type RelationFrequency = "d" | "m";

export interface PairOptions {
  freq: RelationFrequency;
  /** How daily series become monthly (freq "m"): mean or last; default see the module comment. */
  aggregation?: "mean" | "last";
  /** Transform of x (the driver); default from its units (percent → change, else log return). */
  xTransform?: ChangeTransform;
  /** Transform of y (the asset); default from its units. */
  yTransform?: ChangeTransform;
  /** Daily: the longest calendar gap a change may span (default 7 days). */
  maxGapDays?: number;
  /** First and last date kept (ISO, inclusive), applied to the levels before differencing. */
  from?: string;
  to?: string;
}

/** Paired changes: x (driver) and y (asset) over the interval ending at dates[i]. */
export interface RelationInput {
  dates: string[];
  x: Float64Array;
  y: Float64Array;
  xId: string;
  yId: string;
  xTransform: ChangeTransform;
  yTransform: ChangeTransform;
  /** Units of the changes, e.g. "percentage points" or "percent (log return)". */
  xUnits: string;
  yUnits: string;
  freq: RelationFrequency;
  aggregation: Aggregation | null;
  warnings: Warning[];
}

/** Yields and spreads (units in percent) change additively; prices and indices by log return. */
export function defaultTransform(s: Series): ChangeTransform {
  const u = s.meta.units.trim().toLowerCase();
  return u === "percent" || u.startsWith("percent ") || u === "percentage points" ? "change" : "logReturn";
}

export function transformUnits(t: ChangeTransform): string {
  return t === "change" ? "percentage points" : "percent (log return)";
}

function range(s: Series): string {
  return s.dates.length ? `${s.dates[0]}..${s.dates[s.dates.length - 1]}` : "no observations";
}

function restrict(s: Series, from?: string, to?: string): Series {
  if (!from && !to) return s;
  let lo = 0;
  let hi = s.dates.length;
  if (from) while (lo < hi && s.dates[lo] < from) lo++;
  if (to) while (hi > lo && s.dates[hi - 1] > to) hi--;
  return { meta: s.meta, dates: s.dates.slice(lo, hi), values: s.values.slice(lo, hi) };
}

function monthly(s: Series, agg: Aggregation): Series {
  const f = s.meta.frequency;
  // monthly input goes through toMonthly too: it relabels month-end stamps (ACM) to YYYY-MM-01
  if (f === "q" || f === "a") {
    throw new InputError(
      `series ${s.meta.id} is ${FREQUENCY_NAMES[f]}: a monthly relation needs daily, weekly or monthly data`,
    );
  }
  return toMonthly(s, { how: agg });
}

function monthIndex(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

function validCount(v: Float64Array): number {
  let c = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) c++;
  return c;
}

function checkPositive(s: Series, t: ChangeTransform, dates: readonly string[], values: Float64Array): void {
  if (t !== "logReturn") return;
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] > 0)) {
      throw new InputError(
        `series ${s.meta.id} is ${values[i]} at ${dates[i]}: log returns need positive prices ` +
          "(for a yield or spread in percent, use the change transform)",
      );
    }
  }
}

/**
 * Paired changes of driver x and asset y (see the module comment). Throws InputError when the
 * series do not overlap or leave fewer than two common observations, when a log return meets a
 * non-positive price, and when either change series is constant (no correlation exists).
 */
export function prepareRelationInput(x: Series, y: Series, opts: PairOptions): RelationInput {
  const warnings: Warning[] = [];
  const xt = opts.xTransform ?? defaultTransform(x);
  const yt = opts.yTransform ?? defaultTransform(y);
  let xs = x;
  let ys = y;
  let aggregation: Aggregation | null = null;
  if (opts.freq === "m") {
    const nativeMonthly = x.meta.frequency === "m" || y.meta.frequency === "m";
    aggregation = opts.aggregation ?? (nativeMonthly ? "mean" : "last");
    xs = monthly(x, aggregation);
    ys = monthly(y, aggregation);
    if (nativeMonthly && aggregation === "last") {
      warnings.push({
        code: "timing-mismatch",
        message:
          `${x.meta.frequency === "m" ? x.meta.id : y.meta.id} is published monthly (often a monthly average) ` +
          "but the daily side is sampled at month end: the two changes can be misaligned by up to half a month",
      });
    }
  } else {
    for (const s of [x, y]) {
      if (s.meta.frequency !== "d" && s.meta.frequency !== "irregular") {
        throw new InputError(
          `series ${s.meta.id} is ${FREQUENCY_NAMES[s.meta.frequency] ?? s.meta.frequency}: a daily relation ` +
            "needs two daily series (use the monthly frequency, --freq m)",
        );
      }
    }
  }
  xs = restrict(xs, opts.from, opts.to);
  ys = restrict(ys, opts.from, opts.to);
  const xValid = validCount(xs.values);
  const yValid = validCount(ys.values);
  if (xValid === 0 || yValid === 0) {
    const empty = xValid === 0 ? x : y;
    throw new InputError(
      `series ${empty.meta.id} has no observations${opts.from || opts.to ? ` between ${opts.from ?? "the start"} and ${opts.to ?? "the end"}` : ""}`,
    );
  }
  // inner join on dates (both sorted), skipping missing values; typed buffers, no intermediate copies
  const cap = Math.min(xValid, yValid);
  const dates: string[] = [];
  const xLevels = new Float64Array(cap);
  const yLevels = new Float64Array(cap);
  let m = 0;
  const xd = xs.dates;
  const yd = ys.dates;
  for (let i = 0, j = 0; i < xd.length && j < yd.length; ) {
    const xv = xs.values[i];
    const yv = ys.values[j];
    if (Number.isNaN(xv)) {
      i++;
      continue;
    }
    if (Number.isNaN(yv)) {
      j++;
      continue;
    }
    const a = xd[i];
    const b = yd[j];
    if (a === b) {
      dates.push(a);
      xLevels[m] = xv;
      yLevels[m] = yv;
      m++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  if (m < 2) {
    throw new InputError(
      `series ${x.meta.id} (${range(dropMissing(xs))}) and ${y.meta.id} (${range(dropMissing(ys))}) ` +
        (m === 0 ? "do not overlap" : "share a single observation") +
        (opts.freq === "m" ? " at monthly frequency" : " on common days"),
    );
  }
  checkPositive(x, xt, dates, xLevels.subarray(0, m));
  checkPositive(y, yt, dates, yLevels.subarray(0, m));

  const maxGap = opts.maxGapDays ?? 7;
  const outDates: string[] = [];
  const dx = new Float64Array(m - 1);
  const dy = new Float64Array(m - 1);
  let k = 0;
  let skipped = 0;
  let firstSkip = "";
  const monthlyFreq = opts.freq === "m";
  const xLog = xt === "logReturn";
  const yLog = yt === "logReturn";
  let prevKey = monthlyFreq ? monthIndex(dates[0]) : epochDayUnchecked(dates[0]);
  for (let i = 1; i < m; i++) {
    const key = monthlyFreq ? monthIndex(dates[i]) : epochDayUnchecked(dates[i]);
    const ok = monthlyFreq ? key - prevKey === 1 : key - prevKey <= maxGap;
    prevKey = key;
    if (!ok) {
      skipped++;
      if (!firstSkip) firstSkip = dates[i];
      continue;
    }
    outDates.push(dates[i]);
    dx[k] = xLog ? 100 * Math.log(xLevels[i] / xLevels[i - 1]) : xLevels[i] - xLevels[i - 1];
    dy[k] = yLog ? 100 * Math.log(yLevels[i] / yLevels[i - 1]) : yLevels[i] - yLevels[i - 1];
    k++;
  }
  if (skipped > 0) {
    warnings.push({
      code: "gap-skipped",
      message:
        `${skipped} change(s) spanning a gap (${opts.freq === "m" ? "a missing month" : `more than ${maxGap} days`}) ` +
        `between common ${x.meta.id}/${y.meta.id} observations were dropped (first ending ${firstSkip})`,
      date: firstSkip,
    });
  }
  const input: RelationInput = {
    dates: outDates,
    x: dx.slice(0, k),
    y: dy.slice(0, k),
    xId: x.meta.id,
    yId: y.meta.id,
    xTransform: xt,
    yTransform: yt,
    xUnits: transformUnits(xt),
    yUnits: transformUnits(yt),
    freq: opts.freq,
    aggregation,
    warnings,
  };
  requireVariation(input);
  return input;
}

/** Throw when either side of a relation input never moves (no correlation or beta exists). */
export function requireVariation(input: RelationInput): void {
  for (const [id, v] of [
    [input.xId, input.x],
    [input.yId, input.y],
  ] as const) {
    let constant = v.length > 0;
    for (let i = 1; i < v.length && constant; i++) if (v[i] !== v[0]) constant = false;
    if (constant) {
      throw new InputError(
        `series ${id} does not change over ${input.dates[0] ?? "?"}..${input.dates[input.dates.length - 1] ?? "?"} ` +
          "(zero variance): its correlation and beta with anything are undefined",
      );
    }
  }
}
