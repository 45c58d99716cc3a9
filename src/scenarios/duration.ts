/**
 * Modified duration of a Treasury coupon security priced at par, the conversion behind
 * "10-year duration equivalents" (METHODS.md §1c: amount × duration / duration of the 10y note).
 * With semiannual coupons at rate c = y (a par bond), price 1 and v = 1 / (1 + y/2):
 *
 *   D_mod = (1/P) Σ_k (k/2) · CF_k · v^(k+1) = (1 − v^(2T)) / y,
 *
 * the par-bond annuity identity; y → 0 gives D = T. Maturities between coupon dates use the
 * same formula at fractional 2T (a smooth interpolation between whole coupon periods, not an
 * accrued-interest calculation). Units: years; yields in percent per year (bond-equivalent).
 */

/** Modified duration in years of a par bond with `maturityYears` left, yield `yieldPct`. */
export function parModifiedDurationYears(maturityYears: number, yieldPct: number): number {
  if (!(maturityYears > 0)) return 0;
  const y = yieldPct / 100;
  if (Math.abs(y) < 1e-10) return maturityYears;
  // −expm1(−2T·log1p(y/2)) = 1 − (1 + y/2)^(−2T), accurate for small y
  return -Math.expm1(-2 * maturityYears * Math.log1p(y / 2)) / y;
}

/** Duration of the 10-year note at par (the unit of "10-year equivalents"). */
export function tenYearDurationYears(yieldPct: number): number {
  return parModifiedDurationYears(10, yieldPct);
}
