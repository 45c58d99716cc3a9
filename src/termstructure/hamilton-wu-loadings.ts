/**
 * Affine yield loadings of the 3-factor Gaussian term-structure model of Hamilton & Wu (2012,
 * J. Econometrics 168(2), "Identification and estimation of Gaussian affine term structure
 * models"), section 2. Units: yields and the short rate in percent per year (continuously
 * compounded), one period = one month, maturities n in months, factors F in percent.
 *
 *   r_t = δ0 + δ1'F_t,   Q: F_{t+1} = Φ^Q F_t + Σ u^Q_{t+1}  (c^Q = 0),   Ω = ΣΣ'
 *   y_t(n) = A_n + B_n'F_t,   B_n = (1/n) Σ_{j<n} (Φ^Q')^j δ1,
 *   A_n = δ0 − 1/(2400 n) Σ_{j=1}^{n−1} j² B_j'ΩB_j
 * (the log-price recursion ā_n = ā_{n−1} − δ0/1200 + ½ b̄'Ωb̄, b̄_n = Φ^Q' b̄_{n−1} − δ1/1200 in
 * yield form; 2400 = 2 × 1200 turns the percent-per-year factors into monthly decimals).
 *
 * Two rotations of the same model are provided. The diagonal form (Φ^Q = diag(λ), δ1 = 1) is
 * the paper's normalisation but degenerates when two roots coincide. The observer companion form
 * of (z−λ1)(z−λ2)(z−λ3) = z³ − a1 z² − a2 z − a3, Φ^Q = [[a1,1,0],[a2,0,1],[a3,0,0]], δ1 = e1,
 * gives identical yields for distinct roots and stays regular at repeated ones, which is where
 * the 1990–2025 optimum sits (λ2 ≈ λ3); the estimator uses it.
 */

/** Polynomial coefficients (a1, a2, a3) of (z−λ1)(z−λ2)(z−λ3) = z³ − a1 z² − a2 z − a3. */
export function companionFromRoots(lam: ArrayLike<number>): Float64Array {
  const [l1, l2, l3] = [lam[0], lam[1], lam[2]];
  return Float64Array.from([l1 + l2 + l3, -(l1 * l2 + l1 * l3 + l2 * l3), l1 * l2 * l3]);
}

/** Φ^Q (3×3 row-major) of the observer companion form for coefficients a. */
export function companionPhiQ(a: ArrayLike<number>): Float64Array {
  return Float64Array.from([a[0], 1, 0, a[1], 0, 1, a[2], 0, 0]);
}

/**
 * Yield loadings B (nMax×3 row-major, row n−1 = B_n) of the companion form with δ1 = (1, 0, 0).
 * Partial sums are accumulated exactly, so roots at or near 1 cost no precision.
 */
export function companionYieldLoadings(a: ArrayLike<number>, nMax: number, out?: Float64Array): Float64Array {
  const b = out ?? new Float64Array(nMax * 3);
  const a1 = a[0];
  const a2 = a[1];
  const a3 = a[2];
  // v = (Φ^Q')^j δ1; Φ^Q' = [[a1,a2,a3],[1,0,0],[0,1,0]]
  let v0 = 1;
  let v1 = 0;
  let v2 = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let n = 1; n <= nMax; n++) {
    s0 += v0;
    s1 += v1;
    s2 += v2;
    const k = (n - 1) * 3;
    b[k] = s0 / n;
    b[k + 1] = s1 / n;
    b[k + 2] = s2 / n;
    const w0 = a1 * v0 + a2 * v1 + a3 * v2;
    v2 = v1;
    v1 = v0;
    v0 = w0;
  }
  return b;
}

/**
 * Yield loadings of the diagonal form (δ1 = 1): B_{n,i} = (1 − λ_i^n) / (n (1 − λ_i)), with the
 * limit 1 at λ_i = 1. Written with expm1/log1p so λ near 1 does not cancel.
 */
export function diagonalYieldLoadings(lam: ArrayLike<number>, nMax: number): Float64Array {
  const k = lam.length;
  const b = new Float64Array(nMax * k);
  for (let i = 0; i < k; i++) {
    const l = lam[i];
    if (l > 0 && l !== 1) {
      const logL = Math.log1p(l - 1);
      for (let n = 1; n <= nMax; n++) b[(n - 1) * k + i] = -Math.expm1(n * logL) / (n * (1 - l));
    } else {
      // λ = 1 (limit) or λ ≤ 0 (no logarithm): plain partial sums
      let pw = 1;
      let s = 0;
      for (let n = 1; n <= nMax; n++) {
        s += pw;
        pw *= l;
        b[(n - 1) * k + i] = s / n;
      }
    }
  }
  return b;
}

/**
 * Intercepts A_n (n = 1..nMax) for loadings B (nMax×K) and Ω (K×K): the convexity term
 * −1/(2400 n) Σ_{j=1}^{n−1} j² B_j'ΩB_j added to δ0.
 */
export function yieldIntercepts(
  b: Float64Array,
  k: number,
  nMax: number,
  delta0Pct: number,
  omega: Float64Array,
  out?: Float64Array,
): Float64Array {
  const a = out ?? new Float64Array(nMax);
  let cum = 0;
  for (let n = 1; n <= nMax; n++) {
    a[n - 1] = delta0Pct - cum / (2400 * n);
    // add j = n for the next maturity
    const off = (n - 1) * k;
    let q = 0;
    for (let i = 0; i < k; i++) {
      let row = 0;
      for (let j = 0; j < k; j++) row += omega[i * k + j] * b[off + j];
      q += b[off + i] * row;
    }
    cum += n * n * q;
  }
  return a;
}

/**
 * Average expected short rate under P over the next n months, rn(n) = a_n + b_n'F_t with
 * rn(n) = (1/n) Σ_{j=0}^{n−1} E_t r_{t+j}, E_t F_{t+j} = m_j + ρ^j F_t, m_j = c + ρ m_{j−1},
 * m_0 = 0. No convexity term: this is the "expected path" leg of y = expected rates + TP.
 */
export function riskNeutralLoadings(
  c: Float64Array,
  rho: Float64Array,
  delta0Pct: number,
  delta1: Float64Array,
  nMax: number,
): { a: Float64Array; b: Float64Array } {
  const k = c.length;
  const a = new Float64Array(nMax);
  const b = new Float64Array(nMax * k);
  let m = new Float64Array(k);
  let row = Float64Array.from(delta1); // δ1'ρ^j
  let sa = 0;
  const sb = new Float64Array(k);
  for (let n = 1; n <= nMax; n++) {
    let dm = 0;
    for (let i = 0; i < k; i++) dm += delta1[i] * m[i];
    sa += delta0Pct + dm;
    for (let i = 0; i < k; i++) sb[i] += row[i];
    a[n - 1] = sa / n;
    for (let i = 0; i < k; i++) b[(n - 1) * k + i] = sb[i] / n;
    const mNext = new Float64Array(k);
    const rowNext = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = c[i];
      for (let j = 0; j < k; j++) {
        s += rho[i * k + j] * m[j];
        rowNext[j] += row[i] * rho[i * k + j];
      }
      mNext[i] = s;
    }
    m = mNext;
    row = rowNext;
  }
  return { a, b };
}
