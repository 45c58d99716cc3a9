/**
 * Treasury quoting conventions linking a zero curve (discount factors per unit face) to quoted
 * yields, as used by the constant-maturity (CMT) curve behind FRED DGS1MO..DGS30 and by GSW's
 * SVENPY par yields. Maturities in years (ACT/365F fractions: a 1-month bill is 1/12), yields in
 * percent per year.
 *
 * - Bills (maturity T < 1 year) are zero-coupon, quoted as bond-equivalent ("investment") yields
 *   y (decimal): price P = 1 / (1 + y T) for T ≤ 1/2 (simple interest on a 365-day year), and for
 *   1/2 < T < 1 the Treasury's formula for bills longer than one coupon period, which compounds
 *   once at the half-year as if a coupon were paid: P (1 + y/2)(1 + y (T − 1/2)) = 1. Both agree at
 *   T = 1/2; at T = 1 the latter equals a 1-year par bond on a flat curve.
 * - Coupon securities (T ≥ 1 year) pay c/2 every half-year, the last coupon at T, the first at
 *   t1 = T − ½(n − 1) ∈ (0, ½]. The par yield c prices the bond at par clean of accrued interest
 *   c (½ − t1): c/2 Σ P(t_k) + P(T) − c (½ − t1) = 1, so c = (1 − P(T)) / (½ Σ P(t_k) − (½ − t1)).
 *   At whole and half years (t1 = ½) this is the textbook 2 (1 − P(T)) / Σ P(t_k), which reproduces
 *   GSW's SVENPY to their 4-decimal rounding.
 */
import { ModelError } from "../core/errors.ts";

/** Maturities below this many years are bills (zero-coupon); from it on, semiannual coupon notes/bonds. */
export const COUPON_FROM_YEARS = 1;

/** Number of semiannual coupons of a note/bond with `years` to maturity (tolerant to 13/12·2 rounding). */
export function couponCount(years: number): number {
  return Math.max(1, Math.ceil(2 * years - 1e-9));
}

/** Price per unit face of a bill with bond-equivalent yield `yieldPct` and `years` (< 1) to maturity. */
export function billDiscountFromYield(yieldPct: number, years: number): number {
  const y = yieldPct / 100;
  const growth = years <= 0.5 ? 1 + y * years : (1 + y / 2) * (1 + y * (years - 0.5));
  return 1 / growth;
}

/** Bond-equivalent yield (percent) of a bill priced `discount` per unit face, `years` (< 1) to maturity. */
export function billYieldFromDiscount(discount: number, years: number): number {
  const g = 1 / discount - 1;
  if (years <= 0.5) return (100 * g) / years;
  // (T/2 − 1/4) y² + T y − g = 0, positive root in the cancellation-free form 2g / (T + √(T² + 4ag)).
  const a = years / 2 - 0.25;
  return (100 * 2 * g) / (years + Math.sqrt(years * years + 4 * a * g));
}

/**
 * Par yield (percent, bond-equivalent) at maturity `years` implied by a discount function:
 * the bill yield below 1 year, the semiannual-coupon par yield from 1 year on (see the header).
 */
export function parYieldPct(discount: (years: number) => number, years: number): number {
  if (!(years > 0)) throw new ModelError(`par yield: maturity must be > 0 years, got ${years}`);
  if (years < COUPON_FROM_YEARS) return billYieldFromDiscount(discount(years), years);
  const n = couponCount(years);
  const t1 = years - 0.5 * (n - 1);
  let annuity = 0;
  let last = 1;
  for (let k = 0; k < n; k++) {
    last = discount(k === n - 1 ? years : t1 + 0.5 * k);
    annuity += last;
  }
  return (100 * (1 - last)) / (0.5 * annuity - (0.5 - t1));
}

/**
 * Par yields at a fixed set of maturities, priced from discount factors on the union of their
 * cash-flow times. A curve fit re-prices the same maturities thousands of times; sharing the
 * times turns 30 maturities' ~930 discount evaluations into 60.
 */
export class ParYieldSchedule {
  /** Distinct cash-flow times (years), increasing: where the caller supplies discount factors. */
  readonly times: Float64Array;
  private readonly maturities: Float64Array;
  /** Per maturity: indices into `times` of its cash flows (the last is the maturity). */
  private readonly flows: Int32Array[];

  constructor(maturitiesYears: ArrayLike<number>) {
    const key = (t: number) => Math.round(t * 1e9);
    const byKey = new Map<number, number>();
    const perMaturity: number[][] = [];
    for (let i = 0; i < maturitiesYears.length; i++) {
      const T = maturitiesYears[i];
      if (!(T > 0)) throw new ModelError(`par yield: maturity must be > 0 years, got ${T}`);
      const ts: number[] = [];
      if (T < COUPON_FROM_YEARS) ts.push(T);
      else {
        const n = couponCount(T);
        for (let k = n - 1; k >= 0; k--) ts.push(T - 0.5 * k);
      }
      for (const t of ts) if (!byKey.has(key(t))) byKey.set(key(t), t);
      perMaturity.push(ts);
    }
    const times = [...byKey.values()].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [key(t), i]));
    this.times = Float64Array.from(times);
    this.maturities = Float64Array.from(maturitiesYears);
    this.flows = perMaturity.map((ts) => Int32Array.from(ts, (t) => index.get(key(t)) as number));
  }

  /** Par yields (percent) from `discounts[k]` = P(times[k]); same conventions as parYieldPct. */
  parYields(discounts: Float64Array, out: Float64Array): Float64Array {
    for (let i = 0; i < this.flows.length; i++) {
      const T = this.maturities[i];
      const f = this.flows[i];
      const pT = discounts[f[f.length - 1]];
      if (T < COUPON_FROM_YEARS) {
        out[i] = billYieldFromDiscount(pT, T);
        continue;
      }
      const t1 = this.times[f[0]];
      let annuity = 0;
      for (let k = 0; k < f.length; k++) annuity += discounts[f[k]];
      out[i] = (100 * (1 - pT)) / (0.5 * annuity - (0.5 - t1));
    }
    return out;
  }

  /**
   * Jacobian of the par yields with respect to q parameters, given the discount factors and their
   * derivatives dDiscounts[k q + j] = ∂P(times[k])/∂θ_j; writes jac[i q + j] = ∂par_i/∂θ_j (percent).
   * Bills: y = 100 g/T (T ≤ ½) or 200 g/(T + s), s = √(T² + 4ag), with g = 1/P − 1, dg = −dP/P²;
   * coupons: c = 100 (1 − P_T)/A, A = ½ ΣP − (½ − t1), dc = −100 (dP_T A + (1 − P_T) ½ ΣdP) / A².
   */
  parJacobian(discounts: Float64Array, dDiscounts: Float64Array, q: number, jac: Float64Array): Float64Array {
    for (let i = 0; i < this.flows.length; i++) {
      const T = this.maturities[i];
      const f = this.flows[i];
      const kT = f[f.length - 1];
      const pT = discounts[kT];
      const row = i * q;
      if (T < COUPON_FROM_YEARS) {
        const g = 1 / pT - 1;
        let dyDg: number;
        if (T <= 0.5) dyDg = 100 / T;
        else {
          const a = T / 2 - 0.25;
          const sq = Math.sqrt(T * T + 4 * a * g);
          dyDg = (200 * (T + sq) - (200 * g * 2 * a) / sq) / ((T + sq) * (T + sq));
        }
        const dgDp = -1 / (pT * pT);
        for (let j = 0; j < q; j++) jac[row + j] = dyDg * dgDp * dDiscounts[kT * q + j];
        continue;
      }
      const t1 = this.times[f[0]];
      let annuity = 0;
      for (let k = 0; k < f.length; k++) annuity += discounts[f[k]];
      const A = 0.5 * annuity - (0.5 - t1);
      for (let j = 0; j < q; j++) {
        let dSum = 0;
        for (let k = 0; k < f.length; k++) dSum += dDiscounts[f[k] * q + j];
        jac[row + j] = (-100 * (dDiscounts[kT * q + j] * A + (1 - pT) * 0.5 * dSum)) / (A * A);
      }
    }
    return jac;
  }
}
