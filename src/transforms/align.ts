/**
 * Aligning several series on one date index: the step before any regression, correlation or
 * score that combines series. Dates are matched exactly (ISO labels), so series must first be
 * brought to one frequency and one labelling (resample.ts): a monthly series labelled 2024-03-01
 * and a daily one share only first-of-month days, which is why mixed frequencies are refused
 * unless asked for. Nothing is filled unless asked; forward fill is limited and every fill is
 * reported as a Warning, since a carried-forward yield is a stale price, not data.
 */
import { InputError, ModelError, type Warning } from "../core/errors.ts";
import { FREQUENCY_NAMES, type Series } from "../core/series.ts";
import { requireInt, requireOneOf } from "./common.ts";

export type JoinHow = "inner" | "outer";
export type FillMethod = "none" | "ffill";

export interface AlignOptions {
  /** inner (default): dates present in every series; outer: dates present in any (missing → NaN). */
  how?: JoinHow;
  /** none (default) or ffill: carry the last valid value forward over NaN. */
  fill?: FillMethod;
  /** Most consecutive rows one value may be carried over (ffill only); default unlimited. */
  ffillLimit?: number;
  /** Allow series of different frequencies (default false: resample first). */
  allowMixedFrequency?: boolean;
}

/** Series on a common date index: columns[j][i] is series ids[j] at dates[i]. */
export interface Panel {
  dates: string[];
  ids: string[];
  columns: Float64Array[];
  /** One per series that was forward filled, with counts and the longest run. */
  warnings: Warning[];
}

/**
 * Align series on their dates. Inner join keeps the dates common to all, outer the union (sorted);
 * a series' NaN stays NaN and a date it lacks becomes NaN. With fill "ffill", each NaN after a
 * valid value (a missing date or a NaN such as a FRED holiday) takes the last valid value, at most
 * `ffillLimit` rows in a row; leading NaN are never filled. Each filled series gets a Warning.
 */
export function align(series: readonly Series[], opts: AlignOptions = {}): Panel {
  const how = requireOneOf("align", "how", opts.how ?? "inner", ["inner", "outer"] as const);
  const fill = requireOneOf("align", "fill", opts.fill ?? "none", ["none", "ffill"] as const);
  const limit = opts.ffillLimit ?? Number.POSITIVE_INFINITY;
  if (opts.ffillLimit !== undefined) {
    requireInt("align", "ffillLimit", opts.ffillLimit, 1);
    if (fill !== "ffill") throw new ModelError('align: ffillLimit is only meaningful with fill "ffill"');
  }
  if (series.length === 0) throw new ModelError("align: no series given");
  if (!opts.allowMixedFrequency) {
    const f0 = series[0].meta.frequency;
    const other = series.find((s) => s.meta.frequency !== f0);
    if (other) {
      throw new InputError(
        `align: ${FREQUENCY_NAMES[f0] ?? f0} series ${series[0].meta.id} and ` +
          `${FREQUENCY_NAMES[other.meta.frequency] ?? other.meta.frequency} series ${other.meta.id} ` +
          "cannot be aligned by date: resample to one frequency first (toMonthly, toQuarterly), " +
          "or pass allowMixedFrequency",
      );
    }
  }

  const seen = new Map<string, number>();
  for (const s of series) for (const d of s.dates) seen.set(d, (seen.get(d) ?? 0) + 1);
  const dates = [...seen.keys()].filter((d) => how === "outer" || seen.get(d) === series.length).sort();
  const row = new Map<string, number>();
  for (let i = 0; i < dates.length; i++) row.set(dates[i], i);

  const warnings: Warning[] = [];
  const columns = series.map((s) => {
    const col = new Float64Array(dates.length).fill(Number.NaN);
    for (let i = 0; i < s.dates.length; i++) {
      const r = row.get(s.dates[i]);
      if (r !== undefined) col[r] = s.values[i];
    }
    if (fill === "ffill") {
      const w = forwardFill(col, limit, dates, s.meta.id);
      if (w) warnings.push(w);
    }
    return col;
  });
  return { dates, ids: series.map((s) => s.meta.id), columns, warnings };
}

/** Forward fill `col` in place (at most `limit` rows per run); a Warning describing the fills, or null. */
function forwardFill(col: Float64Array, limit: number, dates: readonly string[], id: string): Warning | null {
  let last = Number.NaN;
  let run = 0;
  let filled = 0;
  let longest = 0;
  let first = -1;
  let unfilled = 0;
  for (let i = 0; i < col.length; i++) {
    if (!Number.isNaN(col[i])) {
      last = col[i];
      run = 0;
    } else if (!Number.isNaN(last)) {
      if (run < limit) {
        col[i] = last;
        run++;
        filled++;
        longest = Math.max(longest, run);
        if (first < 0) first = i;
      } else {
        unfilled++;
      }
    }
  }
  if (filled === 0) return null;
  const limitNote = Number.isFinite(limit) ? `; limit ${limit}, ${unfilled} rows past it left NaN` : "";
  return {
    code: "forward-filled",
    message:
      `${id}: forward-filled ${filled} of ${col.length} rows ` +
      `(first ${dates[first]}, longest run ${longest} rows)${limitNote}`,
    series: id,
    date: dates[first],
  };
}

/**
 * Inner-join two series on their dates (no fill): the form `rollingCorrelation` and
 * `rollingBeta` require. Values NaN in either are kept (the rolling kernels skip such pairs).
 */
export function alignPair(
  x: Series,
  y: Series,
  opts: { allowMixedFrequency?: boolean } = {},
): { x: Series; y: Series } {
  const p = align([x, y], { how: "inner", allowMixedFrequency: opts.allowMixedFrequency });
  return {
    x: { meta: x.meta, dates: p.dates, values: p.columns[0] },
    y: { meta: y.meta, dates: p.dates, values: p.columns[1] },
  };
}
