/**
 * Normal and Student-t distribution functions for confidence bands and tests on relations.
 *
 * Normal: Φ(z) = ½ P(½, z²/2) ± ½ (the chi-square(1) CDF, via the regularised incomplete gamma of
 * ../stats/chisquare.ts), each tail computed directly so small p-values keep relative precision.
 * Student t with ν degrees of freedom: for t > 0, P(T > t) = ½ I_x(ν/2, ½) with x = ν / (ν + t²)
 * (Abramowitz & Stegun 26.7.1 / 26.5.27), I_x the regularised incomplete beta function evaluated by
 * its continued fraction (A&S 26.5.8) with the modified Lentz algorithm. Quantiles invert the
 * CDFs by safeguarded Newton steps (bisection whenever a step leaves the bracket).
 */
import { ModelError } from "../core/errors.ts";
import { logGamma, regularizedGammaQ } from "./chisquare.ts";

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === 0) return 0.5;
  const half = 0.5 * regularizedGammaQ(0.5, 0.5 * z * z);
  return z > 0 ? half : 1 - half;
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

function checkProbability(fn: string, p: number): void {
  if (!(p > 0 && p < 1)) throw new ModelError(`${fn}: probability must lie in (0, 1), got ${p}`);
}

/**
 * Root of sf(x) = q for a decreasing survival function `sf` with density `pdf` (sf' = −pdf), by
 * Newton steps kept inside an expanding bracket (bisection whenever a step leaves it). Working on
 * the survival function keeps the relative precision of small tail probabilities.
 */
function invertSurvival(
  sf: (x: number) => number,
  pdf: (x: number) => number,
  q: number,
  start: number,
): number {
  let lo = start - 1;
  let hi = start + 1;
  while (sf(lo) < q) lo = start - 2 * (start - lo);
  while (sf(hi) > q) hi = start + 2 * (hi - start);
  let x = Math.min(Math.max(start, lo), hi);
  for (let it = 0; it < 200; it++) {
    const f = sf(x) - q;
    if (f === 0) return x;
    if (f > 0) lo = x;
    else hi = x;
    const d = pdf(x);
    let next = d > 0 ? x + f / d : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** z with Φ(z) = p. */
export function normalQuantile(p: number): number {
  checkProbability("normalQuantile", p);
  if (p === 0.5) return 0;
  // Symmetric: solve in the upper tail, P(Z > z) = q.
  const q = p < 0.5 ? p : 1 - p;
  const z = invertSurvival(normalSf, normalPdf, q, Math.sqrt(-2 * Math.log(q)));
  return p < 0.5 ? -z : z;
}

/** Regularised incomplete beta I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new ModelError(`regularizedBeta: shapes must be > 0, got ${a}, ${b}`);
  if (Number.isNaN(x) || x < 0 || x > 1)
    throw new ModelError(`regularizedBeta: x must lie in [0, 1], got ${x}`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  // The fraction converges fast for x < (a + 1)/(a + b + 2); use I_x(a, b) = 1 − I_{1−x}(b, a) beyond.
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const logFront =
    a * Math.log(x) + b * Math.log1p(-x) - Math.log(a) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    // even term d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m))
    let num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    // odd term d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
    num = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logFront) * h;
}

function checkDf(fn: string, df: number): void {
  if (!(df > 0) || !Number.isFinite(df))
    throw new ModelError(`${fn}: degrees of freedom must be > 0, got ${df}`);
}

/** P(T > t) for Student's t with `df` degrees of freedom. */
export function studentTSf(t: number, df: number): number {
  checkDf("studentTSf", df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === 0) return 0.5;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? tail : 1 - tail;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

function studentTPdf(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** t with P(T ≤ t) = p for Student's t with `df` degrees of freedom. */
export function studentTQuantile(p: number, df: number): number {
  checkProbability("studentTQuantile", p);
  checkDf("studentTQuantile", df);
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p;
  const t = invertSurvival(
    (x) => studentTSf(x, df),
    (x) => studentTPdf(x, df),
    q,
    normalQuantile(1 - q),
  );
  return p < 0.5 ? -t : t;
}
