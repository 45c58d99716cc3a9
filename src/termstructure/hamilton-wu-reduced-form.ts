/**
 * Reduced form of the Hamilton & Wu (2012) latent-factor Gaussian ATSM and its minimum-chi-square
 * distance (HW 2012, sections 3–4; recipe steps 3–5 in reference/README.md). Units: yields in
 * percent per year, one period = one month.
 *
 *   Y1_t = A1* + φ11* Y1_{t−1} + u1_t,  u1 ~ N(0, Ω1*)        (3 exactly priced yields)
 *   Y2_t = A2* + φ21* Y1_t + u2_t,      u2 ~ N(0, Ω2*), Ω2* diagonal
 *
 * estimated by OLS (= Gaussian MLE) on t = 1..T, conditional on the first month. The statistic is
 *   χ² = T (π̂ − g(θ))' R̂ (π̂ − g(θ)),
 * R̂ the per-observation information of π = (vec[A1*; φ11*'], vech Ω1*, vec[A2*; φ21*'], diag Ω2*),
 * block diagonal: Ω1*⁻¹ ⊗ X1'X1/T, ½ D'(Ω1*⁻¹ ⊗ Ω1*⁻¹)D, Ω2*⁻¹ ⊗ X2'X2/T, 1/(2σ_i⁴). Each block's
 * quadratic form is written as a trace (tr(Ω⁻¹ Dᵀ S D), ½ tr(Ω⁻¹ ΔΩ Ω⁻¹ ΔΩ), …) so no
 * 33×33 matrix is ever built.
 */
import { ModelError } from "../core/errors.ts";
import { cholesky, invert, leastSquares } from "./hamilton-wu-linalg.ts";

export interface HamiltonWuReducedForm {
  /** Number of transitions used (observations − 1). */
  T: number;
  n2: number;
  /** A1* (3). */
  a1Star: Float64Array;
  /** φ11* (3×3 row-major; row i = equation of the i-th exact yield). */
  phi11Star: Float64Array;
  /** Ω1* = U1'U1/T (3×3), percent² per month. */
  omega1Star: Float64Array;
  /** A2* (N2). */
  a2Star: Float64Array;
  /** φ21* (N2×3 row-major). */
  phi21Star: Float64Array;
  /** diag Ω2* = Σ u2²/T (N2), percent². */
  omega2StarDiag: Float64Array;
  /** X1'X1/T with X1 = [1, Y1_{t−1}] (4×4). */
  s1: Float64Array;
  /** X2'X2/T with X2 = [1, Y1_t] (4×4). */
  s2: Float64Array;
}

function crossOverT(x: Float64Array, rows: number, k: number): Float64Array {
  const s = new Float64Array(k * k);
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < k; i++) {
      const xi = x[t * k + i];
      for (let j = 0; j < k; j++) s[i * k + j] += xi * x[t * k + j];
    }
  }
  for (let i = 0; i < s.length; i++) s[i] /= rows;
  return s;
}

/**
 * OLS of the reduced form. `y1` is nObs×3 and `y2` nObs×N2 (row-major, percent); `y1Labels` /
 * `y2Labels` name the columns in error messages.
 */
export function estimateReducedForm(
  y1: Float64Array,
  y2: Float64Array,
  nObs: number,
  n2: number,
  y1Labels: readonly string[],
  y2Labels: readonly string[],
): HamiltonWuReducedForm {
  const T = nObs - 1;
  const x1 = new Float64Array(T * 4);
  const x2 = new Float64Array(T * 4);
  const z1 = new Float64Array(T * 3);
  const z2 = new Float64Array(T * n2);
  for (let t = 1; t <= T; t++) {
    const r = (t - 1) * 4;
    x1[r] = 1;
    x2[r] = 1;
    for (let i = 0; i < 3; i++) {
      x1[r + 1 + i] = y1[(t - 1) * 3 + i];
      x2[r + 1 + i] = y1[t * 3 + i];
      z1[(t - 1) * 3 + i] = y1[t * 3 + i];
    }
    for (let i = 0; i < n2; i++) z2[(t - 1) * n2 + i] = y2[t * n2 + i];
  }
  const what = `exact-maturity yields (${y1Labels.join(", ")})`;
  const p1 = leastSquares(x1, T, 4, z1, 3);
  if (p1 === null) {
    throw new ModelError(
      `Hamilton-Wu reduced form: regressors [1, lagged ${what}] are collinear (constant or perfectly ` +
        "related yields); the VAR of the exactly priced yields is not identified",
    );
  }
  const p2 = leastSquares(x2, T, 4, z2, n2);
  if (p2 === null) {
    throw new ModelError(`Hamilton-Wu reduced form: regressors [1, ${what}] are collinear`);
  }
  const a1Star = new Float64Array(3);
  const phi11Star = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    a1Star[i] = p1[i];
    for (let j = 0; j < 3; j++) phi11Star[i * 3 + j] = p1[(1 + j) * 3 + i];
  }
  const a2Star = new Float64Array(n2);
  const phi21Star = new Float64Array(n2 * 3);
  for (let i = 0; i < n2; i++) {
    a2Star[i] = p2[i];
    for (let j = 0; j < 3; j++) phi21Star[i * 3 + j] = p2[(1 + j) * n2 + i];
  }
  const omega1Star = new Float64Array(9);
  const omega2StarDiag = new Float64Array(n2);
  const u1 = new Float64Array(3);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < 3; i++) {
      let fit = p1[i];
      for (let j = 0; j < 3; j++) fit += p1[(1 + j) * 3 + i] * x1[t * 4 + 1 + j];
      u1[i] = z1[t * 3 + i] - fit;
    }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) omega1Star[i * 3 + j] += (u1[i] * u1[j]) / T;
    for (let i = 0; i < n2; i++) {
      let fit = p2[i];
      for (let j = 0; j < 3; j++) fit += p2[(1 + j) * n2 + i] * x2[t * 4 + 1 + j];
      const u = z2[t * n2 + i] - fit;
      omega2StarDiag[i] += (u * u) / T;
    }
  }
  if (cholesky(omega1Star, 3) === null) {
    throw new ModelError(
      `Hamilton-Wu reduced form: the covariance of the VAR shocks to ${what} is singular; ` +
        "the three yields must move independently",
    );
  }
  for (let i = 0; i < n2; i++) {
    // relative to the yield's own mean square: only an exact (to rounding) fit trips this
    let meanSq = 0;
    for (let t = 0; t < T; t++) meanSq += z2[t * n2 + i] ** 2 / T;
    if (!(omega2StarDiag[i] > 1e-24 * Math.max(meanSq, 1e-300))) {
      throw new ModelError(
        `Hamilton-Wu reduced form: the ${y2Labels[i]} yield is an exact linear function of ${what} ` +
          "(zero measurement-error variance), so it cannot be priced with error",
      );
    }
  }
  return {
    T,
    n2,
    a1Star,
    phi11Star,
    omega1Star,
    a2Star,
    phi21Star,
    omega2StarDiag,
    s1: crossOverT(x1, T, 4),
    s2: crossOverT(x2, T, 4),
  };
}

/** The reduced form implied by structural parameters θ (same layout as the estimate). */
export interface ImpliedReducedForm {
  a1Star: Float64Array;
  phi11Star: Float64Array;
  omega1Star: Float64Array;
  a2Star: Float64Array;
  phi21Star: Float64Array;
  omega2StarDiag: Float64Array;
}

/** T (π̂ − g)' R̂ (π̂ − g) by the full definition, block by block. */
export function chiSquareDistance(rf: HamiltonWuReducedForm, g: ImpliedReducedForm): number {
  const n2 = rf.n2;
  const o1i = invert(rf.omega1Star, 3);
  if (o1i === null) throw new ModelError("Hamilton-Wu: Ω1* is singular");
  // [A1*, φ11*]: column i = (A1*_i, φ11*_{i,·}); quadratic form tr(Ω1*⁻¹ D1' S1 D1)
  const d1 = new Float64Array(12); // 4×3
  for (let i = 0; i < 3; i++) {
    d1[i] = rf.a1Star[i] - g.a1Star[i];
    for (let j = 0; j < 3; j++) d1[(1 + j) * 3 + i] = rf.phi11Star[i * 3 + j] - g.phi11Star[i * 3 + j];
  }
  let q1 = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let sij = 0;
      for (let a = 0; a < 4; a++)
        for (let b = 0; b < 4; b++) sij += d1[a * 3 + i] * rf.s1[a * 4 + b] * d1[b * 3 + j];
      q1 += o1i[j * 3 + i] * sij;
    }
  }
  // vech Ω1*: ½ tr(Ω⁻¹ ΔΩ Ω⁻¹ ΔΩ)
  const dO = new Float64Array(9);
  for (let i = 0; i < 9; i++) dO[i] = rf.omega1Star[i] - g.omega1Star[i];
  const m = new Float64Array(9); // Ω⁻¹ ΔΩ
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += o1i[i * 3 + k] * dO[k * 3 + j];
      m[i * 3 + j] = s;
    }
  }
  let q2 = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) q2 += m[i * 3 + j] * m[j * 3 + i];
  q2 *= 0.5;
  // [A2*, φ21*]: Σ_i d_i' S2 d_i / σ_i²;  diag Ω2*: Σ Δσ_i⁴ / (2 σ_i⁴)
  let q3 = 0;
  let q4 = 0;
  const d = new Float64Array(4);
  for (let i = 0; i < n2; i++) {
    d[0] = rf.a2Star[i] - g.a2Star[i];
    for (let j = 0; j < 3; j++) d[1 + j] = rf.phi21Star[i * 3 + j] - g.phi21Star[i * 3 + j];
    let s = 0;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) s += d[a] * rf.s2[a * 4 + b] * d[b];
    const s2i = rf.omega2StarDiag[i];
    q3 += s / s2i;
    const ds = rf.omega2StarDiag[i] - g.omega2StarDiag[i];
    q4 += (ds * ds) / (2 * s2i * s2i);
  }
  return rf.T * (q1 + q2 + q3 + q4);
}
