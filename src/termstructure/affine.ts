/**
 * Discrete-time Gaussian affine bond pricing (one period = one month), in the notation of Adrian,
 * Crump & Moench (2013, JFE 110(1)) eqs. 25-26. With factors X_{t+1} = μ + Φ X_t + v_{t+1},
 * v ~ N(0, Σ), short rate r_t = δ₀ + δ₁ᵀ X_t (decimal per month) and prices of risk λ₀, λ₁, the
 * log price of an n-month zero is ln P_t(n) = A_n + B_nᵀ X_t with A_0 = 0, B_0 = 0 and
 *
 *   A_n  = A_{n−1} + B_{n−1}ᵀ(μ − λ₀) + ½ (B_{n−1}ᵀ Σ B_{n−1} + σ²) − δ₀
 *   B_nᵀ = B_{n−1}ᵀ (Φ − λ₁) − δ₁ᵀ
 *
 * σ² is the variance of the excess-return pricing errors (ACM keep it in the convexity term).
 * Risk-neutral ("expectations") loadings are the same recursion with λ₀ = λ₁ = 0, convexity
 * kept. Yields in annualised percent: y_t(n) = −(1200/n)(A_n + B_nᵀ X_t).
 *
 * Everything here is plain loops over Float64Array: K is small (≤ ~10) and n runs to 120, so a
 * matrix library's per-call overhead would dominate. The decomposition of long (daily) panels
 * runs on a WebAssembly SIMD kernel where available, with the same arithmetic order.
 */
import type { Dense } from "../stats/dense.ts";
import { SIMD_MAX_FACTORS, type SimdKernels, simdKernels } from "../stats/wasm-simd.ts";

export interface AffineDynamics {
  /** Number of factors K. */
  k: number;
  /** K: intercept of the factor VAR. */
  mu: Float64Array;
  /** K × K. */
  phi: Dense;
  /** K × K innovation covariance. */
  sigma: Dense;
  /** Short-rate intercept (decimal per month). */
  delta0: number;
  /** K short-rate loadings (decimal per month per unit of factor). */
  delta1: Float64Array;
  /** Pricing-error variance in the convexity term (0 for an exact affine model). */
  sigma2: number;
}

export interface AffineLoadings {
  /** Longest maturity n_max (months). */
  nMax: number;
  k: number;
  /** A_0..A_nMax (length nMax + 1). */
  a: Float64Array;
  /** (nMax + 1) × K, row n = B_n. */
  b: Float64Array;
}

/**
 * A_n, B_n for n = 0..nMax. `lambda0`/`lambda1` null = risk-neutral (λ₀ = 0, λ₁ = 0).
 */
export function affineLoadings(
  dyn: AffineDynamics,
  lambda0: Float64Array | null,
  lambda1: Dense | null,
  nMax: number,
): AffineLoadings {
  const k = dyn.k;
  const a = new Float64Array(nMax + 1);
  const b = new Float64Array((nMax + 1) * k);
  // μ − λ₀ and (Φ − λ₁) once; recursion then costs O(K²) per maturity
  const muQ = new Float64Array(k);
  const phiQ = new Float64Array(k * k);
  for (let i = 0; i < k; i++) muQ[i] = dyn.mu[i] - (lambda0 ? lambda0[i] : 0);
  for (let i = 0; i < k * k; i++) phiQ[i] = dyn.phi.data[i] - (lambda1 ? lambda1.data[i] : 0);
  const s = dyn.sigma.data;
  const half = 0.5;
  for (let n = 1; n <= nMax; n++) {
    const op = (n - 1) * k;
    const on = n * k;
    let drift = 0;
    let quad = 0;
    for (let i = 0; i < k; i++) {
      const bi = b[op + i];
      drift += bi * muQ[i];
      let si = 0;
      for (let j = 0; j < k; j++) si += s[i * k + j] * b[op + j];
      quad += bi * si;
    }
    a[n] = a[n - 1] + drift + half * (quad + dyn.sigma2) - dyn.delta0;
    for (let j = 0; j < k; j++) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += b[op + i] * phiQ[i * k + j];
      b[on + j] = acc - dyn.delta1[j];
    }
  }
  return { nMax, k, a, b };
}

/**
 * Fitted yields (loadings `withRisk`), risk-neutral yields (`riskNeutral`) and their difference,
 * the term premium, all in percent, row-major T × nMax (column n−1 = maturity n), in one pass
 * over the factors. Each row is A + Σ_i x_i B_·,i built in sweeps over contiguous maturities
 * (independent across n, so they pipeline), then scaled by −1200/n from a table: a division
 * per element would dominate.
 */
export function affineDecomposition(
  withRisk: AffineLoadings,
  riskNeutral: AffineLoadings,
  factors: Dense,
): { fitted: Float64Array; riskNeutral: Float64Array; termPremium: Float64Array } {
  const { nMax, k } = withRisk;
  const t = factors.rows;
  const fit = new Float64Array(t * nMax);
  const rn = new Float64Array(t * nMax);
  const tp = new Float64Array(t * nMax);
  const scale = Float64Array.from({ length: nMax }, (_, i) => -1200 / (i + 1));
  const simd = k <= SIMD_MAX_FACTORS ? simdKernels() : null;
  if (simd !== null) {
    decomposeSimd(simd, withRisk, riskNeutral, factors, scale, fit, rn, tp);
    return { fitted: fit, riskNeutral: rn, termPremium: tp };
  }
  if (k <= 6) {
    decomposeUpTo6(withRisk, riskNeutral, factors, scale, fit, rn, tp);
    return { fitted: fit, riskNeutral: rn, termPremium: tp };
  }
  const x = factors.data;
  const { a, b } = withRisk;
  const { a: ar, b: br } = riskNeutral;
  for (let r = 0; r < t; r++) {
    for (let n = 1; n <= nMax; n++) {
      let f = a[n];
      let g = ar[n];
      for (let i = 0; i < k; i++) {
        f += b[n * k + i] * x[r * k + i];
        g += br[n * k + i] * x[r * k + i];
      }
      const o = r * nMax + n - 1;
      fit[o] = f * scale[n - 1];
      rn[o] = g * scale[n - 1];
      tp[o] = fit[o] - rn[o];
    }
  }
  return { fitted: fit, riskNeutral: rn, termPremium: tp };
}

/**
 * Rows per call of the SIMD kernel: 3 × 64 × 120 results (184 KB) stay in the L2 cache between
 * the kernel writing them and the copy into the output arrays (2048 rows was ~25% slower).
 */
const PRICE_CHUNK_ROWS = 64;

/**
 * The WebAssembly SIMD route (kernel `price` of ../stats/wasm-simd.ts, two maturities per
 * instruction): loadings transposed to one row per factor and padded to an even number of
 * maturities are copied in once, then chunks of factor rows go in and fitted / risk-neutral /
 * premium rows come out. Same order of operations as the JavaScript loops: A_n, then
 * + B_n,i x_i for i = 0..K−1, then × −1200/n.
 */
function decomposeSimd(
  simd: SimdKernels,
  withRisk: AffineLoadings,
  riskNeutral: AffineLoadings,
  factors: Dense,
  scale: Float64Array,
  fit: Float64Array,
  rn: Float64Array,
  tp: Float64Array,
): void {
  const { nMax, k } = withRisk;
  const t = factors.rows;
  const np = nMax + (nMax & 1);
  const chunk = Math.max(1, Math.min(t, PRICE_CHUNK_ROWS));
  // layout (in doubles): A | A^RN | scale | B (k × np) | B^RN | x (chunk × k) | fit | rn | tp
  const aAt = 0;
  const arAt = np;
  const scAt = 2 * np;
  const bAt = 3 * np;
  const brAt = bAt + k * np;
  const xAt = brAt + k * np;
  const fitAt = xAt + chunk * k;
  const rnAt = fitAt + chunk * np;
  const tpAt = rnAt + chunk * np;
  const heap = simd.heap((tpAt + chunk * np) * 8);
  heap.fill(0, 0, xAt); // padding slot (odd nMax) prices to zero and is dropped
  heap.set(withRisk.a.subarray(1, nMax + 1), aAt);
  heap.set(riskNeutral.a.subarray(1, nMax + 1), arAt);
  heap.set(scale, scAt);
  for (let n = 1; n <= nMax; n++) {
    for (let i = 0; i < k; i++) {
      heap[bAt + i * np + n - 1] = withRisk.b[n * k + i];
      heap[brAt + i * np + n - 1] = riskNeutral.b[n * k + i];
    }
  }
  const kernel = simd.price(k);
  for (let r0 = 0; r0 < t; r0 += chunk) {
    const rows = Math.min(chunk, t - r0);
    heap.set(factors.data.subarray(r0 * k, (r0 + rows) * k), xAt);
    kernel(xAt * 8, rows, aAt * 8, arAt * 8, bAt * 8, brAt * 8, scAt * 8, np, fitAt * 8, rnAt * 8, tpAt * 8);
    if (np === nMax) {
      fit.set(heap.subarray(fitAt, fitAt + rows * np), r0 * nMax);
      rn.set(heap.subarray(rnAt, rnAt + rows * np), r0 * nMax);
      tp.set(heap.subarray(tpAt, tpAt + rows * np), r0 * nMax);
    } else {
      for (let r = 0; r < rows; r++) {
        const o = (r0 + r) * nMax;
        fit.set(heap.subarray(fitAt + r * np, fitAt + r * np + nMax), o);
        rn.set(heap.subarray(rnAt + r * np, rnAt + r * np + nMax), o);
        tp.set(heap.subarray(tpAt + r * np, tpAt + r * np + nMax), o);
      }
    }
  }
}

/**
 * The K ≤ 6 kernel: loadings padded to six factors (zeros), factor values held in locals and two
 * days per sweep over maturities, so each loaded B_n,i serves two multiply-adds. The summation
 * order is A_n + B_n,0 x_0 + … + B_n,5 x_5 for every row, whichever slot of the pair it is in.
 */
function decomposeUpTo6(
  withRisk: AffineLoadings,
  riskNeutral: AffineLoadings,
  factors: Dense,
  scale: Float64Array,
  fit: Float64Array,
  rn: Float64Array,
  tp: Float64Array,
): void {
  const { nMax, k } = withRisk;
  const t = factors.rows;
  const p = 6;
  const bt = new Float64Array(p * nMax);
  const brt = new Float64Array(p * nMax);
  for (let n = 1; n <= nMax; n++)
    for (let i = 0; i < k; i++) {
      bt[i * nMax + n - 1] = withRisk.b[n * k + i];
      brt[i * nMax + n - 1] = riskNeutral.b[n * k + i];
    }
  const b0 = bt.subarray(0, nMax);
  const b1 = bt.subarray(nMax, 2 * nMax);
  const b2 = bt.subarray(2 * nMax, 3 * nMax);
  const b3 = bt.subarray(3 * nMax, 4 * nMax);
  const b4 = bt.subarray(4 * nMax, 5 * nMax);
  const b5 = bt.subarray(5 * nMax, 6 * nMax);
  const c0 = brt.subarray(0, nMax);
  const c1 = brt.subarray(nMax, 2 * nMax);
  const c2 = brt.subarray(2 * nMax, 3 * nMax);
  const c3 = brt.subarray(3 * nMax, 4 * nMax);
  const c4 = brt.subarray(4 * nMax, 5 * nMax);
  const c5 = brt.subarray(5 * nMax, 6 * nMax);
  const a1 = withRisk.a.subarray(1);
  const ar1 = riskNeutral.a.subarray(1);
  // factors padded to six per row, plus one zero row so an odd last day still has a partner
  const xp = new Float64Array((t + 1) * p);
  for (let r = 0; r < t; r++) for (let i = 0; i < k; i++) xp[r * p + i] = factors.data[r * k + i];
  for (let r = 0; r < t; r += 2) {
    const o = r * p;
    const x0 = xp[o];
    const x1 = xp[o + 1];
    const x2 = xp[o + 2];
    const x3 = xp[o + 3];
    const x4 = xp[o + 4];
    const x5 = xp[o + 5];
    const y0 = xp[o + 6];
    const y1 = xp[o + 7];
    const y2 = xp[o + 8];
    const y3 = xp[o + 9];
    const y4 = xp[o + 10];
    const y5 = xp[o + 11];
    const oo = r * nMax;
    const second = r + 1 < t;
    for (let n = 0; n < nMax; n++) {
      const B0 = b0[n];
      const B1 = b1[n];
      const B2 = b2[n];
      const B3 = b3[n];
      const B4 = b4[n];
      const B5 = b5[n];
      const C0 = c0[n];
      const C1 = c1[n];
      const C2 = c2[n];
      const C3 = c3[n];
      const C4 = c4[n];
      const C5 = c5[n];
      const s = scale[n];
      const aa = a1[n];
      const rr = ar1[n];
      const f = (aa + B0 * x0 + B1 * x1 + B2 * x2 + B3 * x3 + B4 * x4 + B5 * x5) * s;
      const g = (rr + C0 * x0 + C1 * x1 + C2 * x2 + C3 * x3 + C4 * x4 + C5 * x5) * s;
      fit[oo + n] = f;
      rn[oo + n] = g;
      tp[oo + n] = f - g;
      if (second) {
        const f2 = (aa + B0 * y0 + B1 * y1 + B2 * y2 + B3 * y3 + B4 * y4 + B5 * y5) * s;
        const g2 = (rr + C0 * y0 + C1 * y1 + C2 * y2 + C3 * y3 + C4 * y4 + C5 * y5) * s;
        fit[oo + nMax + n] = f2;
        rn[oo + nMax + n] = g2;
        tp[oo + nMax + n] = f2 - g2;
      }
    }
  }
}
