/**
 * Frequency conversion (downsampling only) with an explicit aggregation. The default is
 * end-of-period ("last"): a monthly observation is the last available value of the month, the
 * sampling ACM and the NY Fed use (METHODS.md, STACK.md 1.7); GS10 is a monthly *average* of
 * DGS10 and differs from end-of-month DGS10 by several bp, which is why the aggregation is never
 * implicit in a caller's head. Output periods are labelled by their first day (FRED's convention:
 * 2024-03-01 is March 2024) whatever the day of the observation that was picked.
 *
 * The output is a gap-free grid of periods from the period of the first input date to that of the
 * last: a period with no valid value (a missing month, a month of holidays) is kept as NaN rather
 * than dropped, so that lags and year-over-year changes counted in observations stay aligned
 * with the calendar. The last period may be partial (a daily series ending mid-month gives that
 * month's latest value so far). Weekly observations are assigned by their label date (FRED labels a
 * week by its last day); irregular series are bucketed the same way. Target frequencies coarser
 * than or equal to the source are accepted; finer ones (upsampling) throw.
 */
import { InputError } from "../core/errors.ts";
import { FREQUENCY_NAMES, type Frequency, type Series } from "../core/series.ts";
import { deriveMeta, requireOneOf } from "./common.ts";

export type Aggregation = "last" | "mean" | "sum" | "first";
export const AGGREGATIONS: readonly Aggregation[] = ["last", "mean", "sum", "first"];

export interface ResampleOptions {
  /**
   * last: last valid value of the period (end-of-period; default). first: first valid value.
   * mean / sum: over the valid values of the period. NaN is skipped in every case; a period with
   * no valid value is NaN (sum included: an empty sum is missing data, not zero).
   */
  how?: Aggregation;
}

type TargetFrequency = "m" | "q" | "a";

/** Coarseness order; a conversion may only go up (or stay at the same frequency). */
const RANK: Record<Frequency, number> = { d: 0, w: 1, irregular: 1, m: 2, q: 3, a: 4 };

/** Daily or weekly → monthly, labelled YYYY-MM-01. See the module comment for the grid and NaN policy. */
export function toMonthly(s: Series, opts: ResampleOptions = {}): Series {
  return resample(s, "m", opts);
}

/** Daily, weekly or monthly → quarterly, labelled by the first day of the quarter (YYYY-01/04/07/10-01). */
export function toQuarterly(s: Series, opts: ResampleOptions = {}): Series {
  return resample(s, "q", opts);
}

/** Any frequency up to quarterly → annual, labelled YYYY-01-01. */
export function toAnnual(s: Series, opts: ResampleOptions = {}): Series {
  return resample(s, "a", opts);
}

/** Period number of an ISO date: months since year 0, quarters since year 0, or the year. */
function periodIndex(iso: string, target: TargetFrequency): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1;
  if (target === "m") return y * 12 + m;
  if (target === "q") return y * 4 + Math.floor(m / 3);
  return y;
}

/** First-day label of a period number. */
function periodLabel(p: number, target: TargetFrequency): string {
  let y: number;
  let m: number;
  if (target === "m") {
    y = Math.floor(p / 12);
    m = p - y * 12;
  } else if (target === "q") {
    y = Math.floor(p / 4);
    m = (p - y * 4) * 3;
  } else {
    y = p;
    m = 0;
  }
  return `${String(y).padStart(4, "0")}-${String(m + 1).padStart(2, "0")}-01`;
}

function resample(s: Series, target: TargetFrequency, opts: ResampleOptions): Series {
  const fn = { m: "toMonthly", q: "toQuarterly", a: "toAnnual" }[target];
  const how = requireOneOf(fn, "how", opts.how ?? "last", AGGREGATIONS);
  const freq = s.meta.frequency as string;
  const from = FREQUENCY_NAMES[freq as Frequency];
  const to = FREQUENCY_NAMES[target];
  if (!(freq in RANK)) {
    throw new InputError(
      `cannot convert series ${s.meta.id} to ${to}: unknown frequency "${freq}" ` +
        `(expected one of ${Object.keys(RANK).join(", ")})`,
    );
  }
  if (RANK[freq as Frequency] > RANK[target]) {
    throw new InputError(`cannot convert ${from} series ${s.meta.id} to ${to}: upsampling is not supported`);
  }
  const meta = deriveMeta(s.meta, {
    suffix: `${to}, ${how === "last" ? "end of period" : how}`,
    note: `resampled ${from} -> ${to} (${how}, NaN skipped)`,
  });
  meta.frequency = target;
  const n = s.dates.length;
  if (n === 0) return { meta, dates: [], values: new Float64Array(0) };

  const p0 = periodIndex(s.dates[0], target);
  const np = periodIndex(s.dates[n - 1], target) - p0 + 1;
  const out = new Float64Array(np).fill(Number.NaN);
  const count = new Float64Array(np);
  const sum = new Float64Array(np);
  for (let i = 0; i < n; i++) {
    const v = s.values[i];
    if (Number.isNaN(v)) continue;
    const k = periodIndex(s.dates[i], target) - p0;
    // Dates are increasing, so the first valid value met is the period's first and the last met its last.
    if (how === "last" || (how === "first" && count[k] === 0)) out[k] = v;
    count[k] += 1;
    sum[k] += v;
  }
  if (how === "mean" || how === "sum") {
    for (let k = 0; k < np; k++) {
      if (count[k] > 0) out[k] = how === "sum" ? sum[k] : sum[k] / count[k];
    }
  }
  const dates = new Array<string>(np);
  for (let k = 0; k < np; k++) dates[k] = periodLabel(p0 + k, target);
  return { meta, dates, values: out };
}
