/**
 * A daily zero-yield panel (maturities in months) from GSW data, for the ACM daily
 * decomposition: each day priced from its published Svensson parameters, or — where none are
 * published (2018-04-23..2022-10-10 in the bundled data) — from an NSS refit to that day's
 * SVENY zero yields, warm-started from the previous day's curve. The month-end panel
 * (`panel.ts`) applies the same rule at month ends.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { fitSvensson } from "./fit.ts";
import type { GswDaily } from "./panel.ts";
import { type SvenssonParams, svenssonYield } from "./svensson.ts";

export interface DailyPanel {
  dates: string[];
  maturitiesMonths: Int32Array;
  /** Row-major dates × maturities, percent, continuously compounded. */
  yieldsPct: Float64Array;
  source: ("params" | "refit")[];
  warnings: Warning[];
}

export function buildDailyPanel(
  input: GswDaily,
  {
    from,
    to,
    maturitiesMonths = Array.from({ length: 120 }, (_, i) => i + 1),
    onProgress,
  }: {
    from?: string;
    to?: string;
    maturitiesMonths?: ArrayLike<number>;
    onProgress?: (done: number, total: number) => void;
  } = {},
): DailyPanel {
  const months = Int32Array.from(maturitiesMonths);
  const rows: number[] = [];
  for (let i = 0; i < input.dates.length; i++) {
    const d = input.dates[i];
    if ((from && d < from) || (to && d > to)) continue;
    const hasNodes = input.sveny.some((c) => !Number.isNaN(c[i]));
    if (input.params[i] || hasNodes) rows.push(i);
  }
  if (rows.length === 0)
    throw new ModelError(`no GSW curve data between ${from ?? "the start"} and ${to ?? "the end"}`);
  const refits = rows.filter((i) => !input.params[i]).length;
  const yieldsPct = new Float64Array(rows.length * months.length);
  const source: ("params" | "refit")[] = [];
  const warnings: Warning[] = [];
  let warm: SvenssonParams | undefined;
  let done = 0;
  onProgress?.(0, refits);
  rows.forEach((i, r) => {
    let p = input.params[i];
    if (p) {
      source.push("params");
    } else {
      const years: number[] = [];
      const ys: number[] = [];
      input.svenyYears.forEach((y, k) => {
        const v = input.sveny[k][i];
        if (!Number.isNaN(v)) {
          years.push(y);
          ys.push(v);
        }
      });
      const fit = fitSvensson(years, ys, { date: input.dates[i], ...(warm ? { warmStart: warm } : {}) });
      if (fit.maxAbsErrorBp > 0.5) {
        warnings.push({
          code: "refit-error",
          date: input.dates[i],
          message: `NSS refit on ${input.dates[i]} misses SVENY by up to ${fit.maxAbsErrorBp.toFixed(2)} bp`,
        });
      }
      p = fit.params;
      source.push("refit");
      onProgress?.(++done, refits);
    }
    warm = p;
    for (let j = 0; j < months.length; j++)
      yieldsPct[r * months.length + j] = svenssonYield(p, months[j] / 12);
  });
  return { dates: rows.map((i) => input.dates[i]), maturitiesMonths: months, yieldsPct, source, warnings };
}
