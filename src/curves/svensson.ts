/**
 * Nelson-Siegel (1987) and Svensson (1994) zero-coupon curves, in the parameterisation of
 * Gürkaynak, Sack & Wright (2007, "The U.S. Treasury yield curve: 1961 to the present", JME),
 * eq. 22: with maturity n in years,
 *
 *   y(n) = β0 + β1 (1 − e^{−n/τ1}) / (n/τ1)
 *             + β2 [ (1 − e^{−n/τ1}) / (n/τ1) − e^{−n/τ1} ]
 *             + β3 [ (1 − e^{−n/τ2}) / (n/τ2) − e^{−n/τ2} ]
 *
 * continuously compounded, in percent when the βs are (GSW publish them so). The instantaneous
 * forward is f(n) = β0 + β1 e^{−n/τ1} + β2 (n/τ1) e^{−n/τ1} + β3 (n/τ2) e^{−n/τ2} (GSW eq. 21).
 * GSW mark the Nelson-Siegel period (before ~1980) with BETA3 = TAU2 = −999.99: the Svensson
 * term is then zero.
 */

export interface SvenssonParams {
  beta0: number;
  beta1: number;
  beta2: number;
  /** 0 (and tau2 irrelevant) for a Nelson-Siegel curve. */
  beta3: number;
  /** Years. */
  tau1: number;
  /** Years; NaN or ignored for a Nelson-Siegel curve. */
  tau2: number;
}

/** GSW's sentinel for "not used" (Nelson-Siegel period). */
export const GSW_MISSING = -999.99;

/** True for parameters of a pure Nelson-Siegel curve (β3 = 0 or the GSW sentinel). */
export function isNelsonSiegel(p: SvenssonParams): boolean {
  return p.beta3 === 0 || p.beta3 === GSW_MISSING || p.tau2 === GSW_MISSING || Number.isNaN(p.tau2);
}

/** (1 − e^{−x}) / x, with its limit 1 at x → 0 computed without cancellation. */
function loadingLevel(x: number): number {
  return Math.abs(x) < 1e-8 ? 1 - x / 2 : -Math.expm1(-x) / x;
}

/** Zero-coupon yield (percent, continuously compounded) at maturity `years` (> 0; 0 gives the limit β0 + β1). */
export function svenssonYield(p: SvenssonParams, years: number): number {
  const x1 = years / p.tau1;
  const l1 = loadingLevel(x1);
  let y = p.beta0 + p.beta1 * l1 + p.beta2 * (l1 - Math.exp(-x1));
  if (!isNelsonSiegel(p)) {
    const x2 = years / p.tau2;
    y += p.beta3 * (loadingLevel(x2) - Math.exp(-x2));
  }
  return y;
}

/** Instantaneous forward rate (percent, continuously compounded) at `years`. */
export function svenssonForward(p: SvenssonParams, years: number): number {
  const x1 = years / p.tau1;
  const e1 = Math.exp(-x1);
  let f = p.beta0 + p.beta1 * e1 + p.beta2 * x1 * e1;
  if (!isNelsonSiegel(p)) {
    const x2 = years / p.tau2;
    f += p.beta3 * x2 * Math.exp(-x2);
  }
  return f;
}

/** Discount factor exp(−y(n) n / 100) at `years`. */
export function svenssonDiscount(p: SvenssonParams, years: number): number {
  return Math.exp((-svenssonYield(p, years) * years) / 100);
}

/** Zero yields (percent) at maturities given in months (1..120 for the affine models). */
export function svenssonYieldsMonths(p: SvenssonParams, months: ArrayLike<number>): Float64Array {
  const out = new Float64Array(months.length);
  for (let i = 0; i < months.length; i++) out[i] = svenssonYield(p, months[i] / 12);
  return out;
}
