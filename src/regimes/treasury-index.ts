/**
 * A Treasury total-return index from a constant-maturity par yield (DGS10), for "gold vs the
 * Treasury index" when no priced index is available (the ICE / Bloomberg indices are proprietary).
 *
 * Method: the duration approximation of Swinkels (2019, "Data: International government bond
 * returns since 1947", Data in Brief 24), applied observation by observation. Between two
 * observations the index holds a par bond of maturity N years bought at yield y₀ (decimal,
 * semiannual coupons, so its coupon is y₀); its return when the yield moves to y₁ is
 *   r = y₀ Δt  −  D(y₀) Δy  +  ½ C(y₀) Δy²,   Δy = y₁ − y₀,  Δt = calendar days / 365,
 * carry (coupon accrual) minus duration times the yield change plus the convexity term, where for
 * a par bond with v = 1 / (1 + y/2):
 *   modified duration D = (1 − v^{2N}) / y                       (years),
 *   convexity         C = 2 (1 − v^{2N}) / y² − 2N v^{2N+1} / y  (years²),
 * obtained by differentiating P(y) = (c / y)(1 − v^{2N}) + v^{2N} at c = y. Ignored, as in the
 * source: roll-down (the bond is resold at maturity N each period), the par-vs-zero distinction and
 * the third-order term (P'''Δy³/6: about 0.0014 bp for a 10 bp move of a 10y bond at 4%).
 * Returns and the index are in percent; the index starts at 100.
 */
import { epochDayUnchecked, isIsoDate } from "../core/dates.ts";
import { InputError, type Warning } from "../core/errors.ts";
import type { Series } from "../core/series.ts";

/** 1 − v^{2N} with v = 1/(1 + y/2), y decimal, without cancellation near y = 0. */
function oneMinusDiscount(y: number, years: number): number {
  return -Math.expm1(-2 * years * Math.log1p(y / 2));
}

/** Modified duration (years) of an N-year par bond with semiannual coupons at yield `yieldPct`. */
export function parBondModifiedDuration(yieldPct: number, maturityYears: number): number {
  const y = yieldPct / 100;
  // limit y → 0: (1 − v^{2N}) / y → N
  if (Math.abs(y) < 1e-9) return maturityYears;
  return oneMinusDiscount(y, maturityYears) / y;
}

/** Convexity (years²) of an N-year par bond with semiannual coupons at yield `yieldPct`. */
export function parBondConvexity(yieldPct: number, maturityYears: number): number {
  const y = yieldPct / 100;
  const n = maturityYears;
  if (Math.abs(y) < 1e-6) {
    // the closed form cancels near y = 0: average it at ±0.01% (the function is smooth there)
    return 0.5 * (parBondConvexity(0.01, n) + parBondConvexity(-0.01, n));
  }
  const v2n1 = Math.exp(-(2 * n + 1) * Math.log1p(y / 2));
  return (2 * oneMinusDiscount(y, n)) / (y * y) - (2 * n * v2n1) / y;
}

/**
 * Return (decimal) of the par bond bought at y0 over dt days when the yield moves to y1 (decimals):
 * carry − D Δy + ½ C Δy², D and C sharing one log1p and one exp (this runs for every day of DGS10).
 */
function parBondReturn(y0: number, y1: number, dtDays: number, years: number): number {
  const dy = y1 - y0;
  if (Math.abs(y0) < 1e-6) {
    const d = parBondModifiedDuration(100 * y0, years);
    const c = parBondConvexity(100 * y0, years);
    return y0 * (dtDays / 365) - d * dy + 0.5 * c * dy * dy;
  }
  const l = Math.log1p(y0 / 2);
  const v2n = Math.exp(-2 * years * l);
  const om = 1 - v2n; // no cancellation at |y0| >= 1e-6 with 2N·y0/2 >= 1e-5
  const d = om / y0;
  const c = (2 * om) / (y0 * y0) - (2 * years * v2n) / (y0 * (1 + y0 / 2));
  return y0 * (dtDays / 365) - d * dy + 0.5 * c * dy * dy;
}

export interface TotalReturnOptions {
  /** Maturity of the constant-maturity bond, years (default 10). */
  maturityYears?: number;
  /** Calendar gap (days) above which a return is not computed (default 10: holidays pass, data gaps do not). */
  maxGapDays?: number;
}

export interface TotalReturnResult {
  dates: string[];
  /** Return from the previous observation to this one, percent; NaN at the start and across gaps. */
  returnsPct: Float64Array;
  /** Index level, 100 at the first valid observation; carried across gaps. */
  index: Float64Array;
  warnings: Warning[];
}

/**
 * Total return of a constant-maturity par bond from its yield history (percent), observation by
 * observation (see the module comment). NaN yields are skipped: the return runs from the last
 * valid observation, unless the gap exceeds `maxGapDays`, where the return is NaN (recorded as a
 * Warning) and the index level is carried.
 */
export function constantMaturityTotalReturn(
  dates: readonly string[],
  yieldsPct: Float64Array,
  opts: TotalReturnOptions = {},
): TotalReturnResult {
  const years = opts.maturityYears ?? 10;
  const maxGap = opts.maxGapDays ?? 10;
  if (dates.length !== yieldsPct.length) {
    throw new InputError(`constantMaturityTotalReturn: ${dates.length} dates but ${yieldsPct.length} yields`);
  }
  for (let i = 0; i < dates.length; i++) {
    if (!isIsoDate(dates[i]) || (i > 0 && dates[i] <= dates[i - 1])) {
      throw new InputError(
        `constantMaturityTotalReturn: date "${dates[i]}" at row ${i} is not a valid ISO date after the previous one`,
      );
    }
  }
  return totalReturnCore(dates, yieldsPct, years, maxGap);
}

/** The total-return computation on dates already known to be ISO and increasing (a Series' dates). */
function totalReturnCore(
  dates: readonly string[],
  yieldsPct: Float64Array,
  years: number,
  maxGap: number,
): TotalReturnResult {
  const n = dates.length;
  const returnsPct = new Float64Array(n).fill(Number.NaN);
  const index = new Float64Array(n).fill(Number.NaN);
  let last = -1;
  let lastDay = 0;
  let level = Number.NaN;
  let gaps = 0;
  let firstGap = "";
  for (let i = 0; i < n; i++) {
    const y1 = yieldsPct[i];
    if (Number.isNaN(y1)) continue;
    const day = epochDayUnchecked(dates[i]);
    if (last < 0) {
      level = 100;
    } else {
      const dt = day - lastDay;
      if (dt > maxGap) {
        gaps++;
        if (!firstGap) firstGap = dates[i];
      } else {
        const r = parBondReturn(yieldsPct[last] / 100, y1 / 100, dt, years);
        returnsPct[i] = 100 * r;
        level *= 1 + r;
      }
    }
    index[i] = level;
    last = i;
    lastDay = day;
  }
  const warnings: Warning[] = [];
  if (gaps > 0) {
    warnings.push({
      code: "total-return-gap",
      message: `${gaps} gap(s) longer than ${maxGap} days in the yield history (first ending ${firstGap}): no return computed across them`,
      date: firstGap,
    });
  }
  return { dates: [...dates], returnsPct, index, warnings };
}

/** Id of the virtual 10-year Treasury total-return index built from DGS10. */
export const TREASURY_TR_ID = "tr.UST10";

/** The 10-year constant-maturity total-return index as a Series (id tr.UST10) from DGS10. */
export function treasuryTotalReturnIndex(
  dgs10: Series,
  opts: TotalReturnOptions = {},
): { series: Series; warnings: Warning[] } {
  const years = opts.maturityYears ?? 10;
  // a Series' dates are ISO and strictly increasing by contract: skip the per-date validation
  const r = totalReturnCore(dgs10.dates, dgs10.values, years, opts.maxGapDays ?? 10);
  const series: Series = {
    meta: {
      id: TREASURY_TR_ID,
      title: `${years}-year constant-maturity Treasury total-return index (from ${dgs10.meta.id})`,
      units: "index",
      frequency: dgs10.meta.frequency,
      source: `yardstick, computed from ${dgs10.meta.id} (${dgs10.meta.source})`,
      licence: dgs10.meta.licence,
      notes:
        "par-bond duration approximation: carry − duration × Δy + ½ convexity × Δy² (Swinkels 2019); " +
        "roll-down ignored; 100 at the first observation",
    },
    dates: r.dates,
    values: r.index,
  };
  return { series, warnings: r.warnings };
}
