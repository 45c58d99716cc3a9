/**
 * Month-end zero-coupon panel (maturities 1..120 months) from the GSW (Gürkaynak, Sack & Wright
 * 2007, Fed Board `feds200628`) daily data, the input of the affine term-structure models
 * (ACM, Hamilton-Wu: METHODS.md §1a). Yields are continuously compounded, percent.
 *
 * Rule (the numpy oracle's, shared/reference/nss_reference.py `month_end_curves`):
 *   - the month-end is the last day of the calendar month with data (SVENY yields or parameters),
 *     never a monthly average;
 *   - the curve of that day is GSW eq. 22 with the *published* parameters when they reproduce the
 *     day's published SVENY yields (max |difference| at the nodes ≤ `paramTolBp`, default 0.5 bp;
 *     consistent parameters agree to the SVENY rounding, ≤ 0.005 bp, and the two inconsistent
 *     month-ends in the bundled data are off by ~1 and 1.7 bp);
 *   - otherwise (no parameters, e.g. 2018-04-23..2022-10-10 in the bundled data, or parameters
 *     that disagree with the day's SVENY) an NSS refit to that day's SVENY (./fit.ts), warm-started
 *     from the last accepted published parameters. Disagreement is recorded as a warning naming the
 *     date; a refit is never silent either: `source` says "refit" and `refitErrorBp` gives its
 *     max node error.
 */
import { isIsoDate } from "../core/dates.ts";
import type { Warning } from "../core/errors.ts";
import { InputError, ModelError } from "../core/errors.ts";
import { type CurveFitOptions, fitSvensson } from "./fit.ts";
import { isNelsonSiegel, type SvenssonParams, svenssonYield } from "./svensson.ts";

/** Daily GSW data: published parameters and/or published zero yields (SVENY) per day. */
export interface GswDaily {
  /** ISO dates, strictly increasing. */
  dates: readonly string[];
  /** Published Svensson parameters per day (null when not published). NS days: beta3 = 0 or −999.99. */
  params: readonly (SvenssonParams | null)[];
  /** Maturities of the SVENY columns, years (GSW: 1..30). */
  svenyYears: readonly number[];
  /** One column per maturity, each of length dates.length: zero yields, percent; NaN = missing. */
  sveny: readonly Float64Array[];
}

export type PanelSource = "params" | "refit";

export interface MonthEndPanelOptions {
  /** Maturities of the output, months (default 1..120). */
  maturitiesMonths?: ArrayLike<number>;
  /** Published parameters are used when they reproduce SVENY within this many bp (default 0.5). */
  paramTolBp?: number;
  /** First and last month to include, "YYYY-MM" (default: all). */
  startMonth?: string;
  endMonth?: string;
  /** Called before the first and after each NSS refit: (refits done, refits needed). */
  onProgress?: (done: number, total: number) => void;
  /** Options passed to the NSS refits (kind is always "zero"). */
  fit?: Omit<CurveFitOptions, "kind" | "weights" | "date" | "warmStart">;
}

export interface MonthEndPanel {
  /** The actual observation dates: the last day with data of each month. */
  dates: string[];
  maturitiesMonths: Int32Array;
  /** Row-major dates.length × maturitiesMonths.length, percent, continuously compounded. */
  yieldsPct: Float64Array;
  source: PanelSource[];
  /** The curve used on each date. */
  params: SvenssonParams[];
  /**
   * Max |curve − SVENY| over the day's nodes, bp: the refit error on "refit" rows, the published
   * parameters' reproduction error on "params" rows; NaN only where the day has no SVENY to check.
   */
  refitErrorBp: Float64Array;
  warnings: Warning[];
  /** Yield at row t, maturity column j. */
  at(t: number, j: number): number;
  summary(): string;
}

function validate(input: GswDaily): void {
  const n = input.dates.length;
  if (input.params.length !== n) {
    throw new InputError(`GSW panel: ${n} dates but ${input.params.length} parameter rows`);
  }
  if (input.sveny.length !== input.svenyYears.length) {
    throw new InputError(
      `GSW panel: ${input.svenyYears.length} SVENY maturities but ${input.sveny.length} columns`,
    );
  }
  for (const [j, col] of input.sveny.entries()) {
    if (col.length !== n) {
      throw new InputError(
        `GSW panel: SVENY column ${input.svenyYears[j]}y has ${col.length} values for ${n} dates`,
      );
    }
    const yrs = input.svenyYears[j];
    if (!(yrs > 0)) throw new InputError(`GSW panel: SVENY maturity #${j + 1} is ${yrs} years`);
  }
  for (let i = 0; i < n; i++) {
    const d = input.dates[i];
    if (!isIsoDate(d)) throw new InputError(`GSW panel: invalid date "${d}" at row ${i + 1}`);
    if (i > 0 && d <= input.dates[i - 1]) {
      throw new InputError(
        `GSW panel: dates must be strictly increasing, "${d}" follows "${input.dates[i - 1]}"`,
      );
    }
    const p = input.params[i];
    if (p) {
      const core = [p.beta0, p.beta1, p.beta2, p.tau1];
      if (!core.every(Number.isFinite) || !(p.tau1 > 0)) {
        throw new InputError(
          `GSW panel: parameters on ${d} are not usable (beta0..2, tau1 must be finite, tau1 > 0)`,
        );
      }
      if (!isNelsonSiegel(p) && !(Number.isFinite(p.beta3) && p.tau2 > 0)) {
        throw new InputError(`GSW panel: Svensson parameters on ${d} have beta3 ${p.beta3}, tau2 ${p.tau2}`);
      }
    }
  }
}

/**
 * Build the month-end panel. Throws InputError on malformed input and ModelError when no month
 * has data in the requested window.
 */
export function buildMonthEndPanel(input: GswDaily, options: MonthEndPanelOptions = {}): MonthEndPanel {
  validate(input);
  const months = Int32Array.from(options.maturitiesMonths ?? Array.from({ length: 120 }, (_, i) => i + 1));
  for (const mo of months) {
    if (!(mo > 0)) throw new InputError(`GSW panel: maturity ${mo} months, expected positive integers`);
  }
  const tolBp = options.paramTolBp ?? 0.5;
  const { dates, params, svenyYears, sveny } = input;
  const nNodes = svenyYears.length;

  const hasSveny = (i: number) => sveny.some((col) => !Number.isNaN(col[i]));
  const available = (i: number) => params[i] !== null || hasSveny(i);
  // Month-end rows: last available row of each calendar month within the window.
  const rows: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    if (!available(i)) continue;
    const mk = dates[i].slice(0, 7);
    if (options.startMonth && mk < options.startMonth) continue;
    if (options.endMonth && mk > options.endMonth) continue;
    if (rows.length > 0 && dates[rows[rows.length - 1]].slice(0, 7) === mk) rows[rows.length - 1] = i;
    else rows.push(i);
  }
  if (rows.length === 0) {
    throw new ModelError(
      `GSW panel: no data between ${options.startMonth ?? "the start"} and ${options.endMonth ?? "the end"}`,
    );
  }

  const nodeYields = (i: number) => Float64Array.from({ length: nNodes }, (_, j) => sveny[j][i]);
  const maxNodeDiffBp = (p: SvenssonParams, y: Float64Array) => {
    let e = Number.NaN;
    for (let j = 0; j < nNodes; j++) {
      if (Number.isNaN(y[j])) continue;
      const d = Math.abs(svenssonYield(p, svenyYears[j]) - y[j]) * 100;
      e = Number.isNaN(e) ? d : Math.max(e, d);
    }
    return e;
  };

  // First pass: decide the source of each month-end so progress can report a total.
  const warnings: Warning[] = [];
  const plan: { row: number; use: "params" | "refit"; errBp: number }[] = [];
  let unchecked = 0;
  for (const i of rows) {
    const p = params[i];
    if (p && !hasSveny(i)) {
      unchecked++;
      plan.push({ row: i, use: "params", errBp: Number.NaN });
      continue;
    }
    if (p) {
      const e = maxNodeDiffBp(p, nodeYields(i));
      if (e <= tolBp) {
        plan.push({ row: i, use: "params", errBp: e });
        continue;
      }
      warnings.push({
        code: "params-disagree-with-sveny",
        message: `${dates[i]}: published parameters miss that day's SVENY by up to ${e.toFixed(3)} bp (> ${tolBp} bp); NSS refit to SVENY used instead`,
        date: dates[i],
      });
    }
    plan.push({ row: i, use: "refit", errBp: Number.NaN });
  }
  if (unchecked > 0) {
    warnings.push({
      code: "params-unchecked",
      message: `${unchecked} month-end(s) have published parameters but no SVENY yields to check them against`,
    });
  }

  const total = plan.filter((p) => p.use === "refit").length;
  options.onProgress?.(0, total);
  let done = 0;
  const T = plan.length;
  const M = months.length;
  const yieldsPct = new Float64Array(T * M);
  const used: SvenssonParams[] = [];
  const source: PanelSource[] = [];
  const refitErrorBp = new Float64Array(T);
  let lastPublished: SvenssonParams | undefined;
  for (const [t, step] of plan.entries()) {
    const i = step.row;
    let p: SvenssonParams;
    if (step.use === "params") {
      p = params[i] as SvenssonParams;
      lastPublished = p;
      refitErrorBp[t] = step.errBp;
    } else {
      const fit = fitSvensson(svenyYears, nodeYields(i), {
        ...options.fit,
        date: dates[i],
        warmStart: lastPublished,
      });
      p = fit.params;
      refitErrorBp[t] = fit.maxAbsErrorBp;
      warnings.push(...fit.warnings);
      done++;
      options.onProgress?.(done, total);
    }
    used.push(p);
    source.push(step.use);
    for (let j = 0; j < M; j++) yieldsPct[t * M + j] = svenssonYield(p, months[j] / 12);
  }
  const outDates = plan.map((s) => dates[s.row]);

  return {
    dates: outDates,
    maturitiesMonths: months,
    yieldsPct,
    source,
    params: used,
    refitErrorBp,
    warnings,
    at: (t, j) => yieldsPct[t * M + j],
    summary() {
      let maxRefit = 0;
      for (let t = 0; t < T; t++) if (source[t] === "refit") maxRefit = Math.max(maxRefit, refitErrorBp[t]);
      const lines = [
        `GSW month-end zero panel: ${T} month-ends ${outDates[0]} .. ${outDates[T - 1]}, maturities ` +
          `${months[0]}..${months[M - 1]} months (percent, cont. comp.)`,
        `  published parameters: ${T - total}; NSS refits to SVENY: ${total}` +
          (total > 0 ? ` (max node error ${maxRefit.toFixed(4)} bp)` : ""),
        `  warnings: ${warnings.length === 0 ? "none" : ""}`,
        ...warnings.map((w) => `    - ${w.message}`),
      ];
      return lines.join("\n");
    },
  };
}
