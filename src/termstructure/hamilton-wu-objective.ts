/**
 * The concentrated minimum-chi-square objective of Hamilton & Wu (2012) as a function of the
 * Q-polynomial coefficients a (companion form; recipe step 6 in reference/README.md):
 *
 *   χ²(a) = min_δ0 T Σ_i d_i'(X2'X2/T) d_i / σ_i²,   d_i = (A2*_i, φ21*_i)^ − (A2*_i, φ21*_i)(a, δ0)
 *   φ21* = B2 B1⁻¹,  A2* = A2 − φ21* A1,  Ω = B1⁻¹ Ω1* B1⁻ᵀ (the Ω1* block matched exactly).
 *
 * δ0 enters A2* with slope 1 − φ21* 1, so it is profiled out by weighted least squares. The
 * residual vector e (4·N2 numbers) has e'e = χ²; it is what Levenberg-Marquardt sees.
 *
 * Why a separate fast path: the search evaluates this a few thousand times. The convexity sums
 * Σ_{j<n} j² B_j'ΩB_j are rewritten as tr(Ω M_n) with M_n = Σ_{j<n} s_j s_j', s_j = j B_j the
 * partial sums of (Φ^Q')^i δ1, so one pass over n = 1..120 needs no Ω (which itself depends on
 * B1) and no allocation. The estimator recomputes the optimum through the general loadings
 * (hamilton-wu-loadings.ts) and checks the full statistic against this one.
 */
import { cholesky } from "./hamilton-wu-linalg.ts";
import type { HamiltonWuReducedForm } from "./hamilton-wu-reduced-form.ts";

export interface ConcentratedObjective {
  /** e(a) with δ0 profiled out, or null where the model is undefined (B1 singular, δ0 unidentified). */
  residual(a: ArrayLike<number>): Float64Array | null;
  /** e(a) at a given δ0 (percent). */
  residualAt(a: ArrayLike<number>, delta0Pct: number): Float64Array | null;
  /** The profiled δ0 at a. */
  delta0(a: ArrayLike<number>): number | null;
  /** ∂e/∂δ0 at a (independent of δ0). */
  delta0Derivative(a: ArrayLike<number>): Float64Array | null;
}

export function makeConcentratedObjective(
  rf: HamiltonWuReducedForm,
  exactMonths: readonly number[],
  errorMonths: readonly number[],
): ConcentratedObjective {
  const n2 = errorMonths.length;
  const months = [...exactMonths, ...errorMonths];
  const nMax = Math.max(...months);
  const slot = new Int32Array(nMax + 1).fill(-1);
  months.forEach((m, i) => {
    slot[m] = i;
  });
  const nSel = months.length;
  const bSel = new Float64Array(nSel * 3);
  const mSel = new Float64Array(nSel * 6); // M_n upper triangle: 00 01 02 11 12 22
  const a0Sel = new Float64Array(nSel);
  const b1Inv = new Float64Array(9);
  const tmp = new Float64Array(9);
  const e0 = new Float64Array(n2 * 4);
  const g = new Float64Array(n2 * 4);
  const d = new Float64Array(4);
  const l2 = cholesky(rf.s2, 4);
  const w = rf.omega2StarDiag.map((s) => 1 / Math.sqrt(s));
  const o1 = rf.omega1Star;
  const sqrtT = Math.sqrt(rf.T);
  let delta0Hat = Number.NaN;

  /** Fill e0, g and delta0Hat for a; false where undefined. */
  const core = (a: ArrayLike<number>): boolean => {
    if (l2 === null) return false;
    const a1 = a[0];
    const a2 = a[1];
    const a3 = a[2];
    let v0 = 1;
    let v1 = 0;
    let v2 = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let m00 = 0;
    let m01 = 0;
    let m02 = 0;
    let m11 = 0;
    let m12 = 0;
    let m22 = 0;
    for (let n = 1; n <= nMax; n++) {
      s0 += v0;
      s1 += v1;
      s2 += v2;
      const k = slot[n];
      if (k >= 0) {
        bSel[k * 3] = s0 / n;
        bSel[k * 3 + 1] = s1 / n;
        bSel[k * 3 + 2] = s2 / n;
        const o = k * 6;
        mSel[o] = m00;
        mSel[o + 1] = m01;
        mSel[o + 2] = m02;
        mSel[o + 3] = m11;
        mSel[o + 4] = m12;
        mSel[o + 5] = m22;
      }
      m00 += s0 * s0;
      m01 += s0 * s1;
      m02 += s0 * s2;
      m11 += s1 * s1;
      m12 += s1 * s2;
      m22 += s2 * s2;
      const nv = a1 * v0 + a2 * v1 + a3 * v2;
      v2 = v1;
      v1 = v0;
      v0 = nv;
    }
    // B1⁻¹ by the adjugate; singular when |det| is negligible next to the product of row norms
    const b00 = bSel[0];
    const b01 = bSel[1];
    const b02 = bSel[2];
    const b10 = bSel[3];
    const b11 = bSel[4];
    const b12 = bSel[5];
    const b20 = bSel[6];
    const b21 = bSel[7];
    const b22 = bSel[8];
    const c00 = b11 * b22 - b12 * b21;
    const c01 = b12 * b20 - b10 * b22;
    const c02 = b10 * b21 - b11 * b20;
    const det = b00 * c00 + b01 * c01 + b02 * c02;
    const hadamard = Math.hypot(b00, b01, b02) * Math.hypot(b10, b11, b12) * Math.hypot(b20, b21, b22);
    if (!(Math.abs(det) > 1e-13 * hadamard)) return false;
    b1Inv[0] = c00 / det;
    b1Inv[1] = (b02 * b21 - b01 * b22) / det;
    b1Inv[2] = (b01 * b12 - b02 * b11) / det;
    b1Inv[3] = c01 / det;
    b1Inv[4] = (b00 * b22 - b02 * b20) / det;
    b1Inv[5] = (b02 * b10 - b00 * b12) / det;
    b1Inv[6] = c02 / det;
    b1Inv[7] = (b01 * b20 - b00 * b21) / det;
    b1Inv[8] = (b00 * b11 - b01 * b10) / det;
    // Ω = B1⁻¹ Ω1* B1⁻ᵀ (symmetric by construction: only the upper triangle is formed)
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        tmp[i * 3 + j] = b1Inv[i * 3] * o1[j] + b1Inv[i * 3 + 1] * o1[3 + j] + b1Inv[i * 3 + 2] * o1[6 + j];
      }
    }
    const om = (i: number, j: number): number =>
      tmp[i * 3] * b1Inv[j * 3] + tmp[i * 3 + 1] * b1Inv[j * 3 + 1] + tmp[i * 3 + 2] * b1Inv[j * 3 + 2];
    const w00 = om(0, 0);
    const w01 = om(0, 1);
    const w02 = om(0, 2);
    const w11 = om(1, 1);
    const w12 = om(1, 2);
    const w22 = om(2, 2);
    for (let k = 0; k < nSel; k++) {
      const o = k * 6;
      const tr =
        w00 * mSel[o] +
        w11 * mSel[o + 3] +
        w22 * mSel[o + 5] +
        2 * (w01 * mSel[o + 1] + w02 * mSel[o + 2] + w12 * mSel[o + 4]);
      a0Sel[k] = -tr / (2400 * months[k]);
    }
    let eg = 0;
    let gg = 0;
    for (let i = 0; i < n2; i++) {
      const r = (3 + i) * 3;
      let rowSum = 0;
      let base = a0Sel[3 + i];
      for (let j = 0; j < 3; j++) {
        const p = bSel[r] * b1Inv[j] + bSel[r + 1] * b1Inv[3 + j] + bSel[r + 2] * b1Inv[6 + j];
        rowSum += p;
        base -= p * a0Sel[j];
        d[1 + j] = rf.phi21Star[i * 3 + j] - p;
      }
      d[0] = rf.a2Star[i] - base;
      const slope = 1 - rowSum;
      // ‖L'd‖² = d'S2 d, S2 = L L' (L lower triangular)
      for (let k = 0; k < 4; k++) {
        let s = 0;
        for (let m = k; m < 4; m++) s += d[m] * l2[m * 4 + k];
        const e = w[i] * s;
        const gk = w[i] * slope * l2[k];
        e0[i * 4 + k] = e;
        g[i * 4 + k] = gk;
        eg += e * gk;
        gg += gk * gk;
      }
    }
    // gg = 0 at a root exactly 1: δ0 and the level factor are then the same direction
    if (!(gg > 0)) return false;
    delta0Hat = eg / gg;
    return Number.isFinite(delta0Hat);
  };

  /** e from the last core() at a given δ0. */
  const fromCore = (delta0: number): Float64Array | null => {
    const r = new Float64Array(n2 * 4);
    for (let i = 0; i < r.length; i++) {
      const v = sqrtT * (e0[i] - delta0 * g[i]);
      if (!Number.isFinite(v)) return null;
      r[i] = v;
    }
    return r;
  };

  return {
    residual: (a) => (core(a) ? fromCore(delta0Hat) : null),
    residualAt: (a, delta0) => (core(a) ? fromCore(delta0) : null),
    delta0: (a) => (core(a) ? delta0Hat : null),
    delta0Derivative: (a) => (core(a) ? g.map((v) => -sqrtT * v) : null),
  };
}
