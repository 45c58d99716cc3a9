/**
 * Linear least squares min ‖A b − y‖₂ for the tiny, tall systems of curve fitting (30 × 4), by
 * Householder QR (Golub & Van Loan, Matrix Computations, §5.2-5.3). Used in the inner loop of the
 * variable-projection fit (thousands of solves per curve), so it works in preallocated buffers
 * instead of allocating matrices. QR rather than normal equations because the Nelson-Siegel
 * hump loadings for τ1 ≈ τ2 are nearly collinear: AᵀA would square that condition number.
 * A column whose remaining norm after orthogonalisation is below 1e-13 of its original norm is
 * treated as dependent (its coefficient is set to 0: a basic solution), e.g. τ1 = τ2 exactly.
 */
import { ModelError } from "../core/errors.ts";

export class SmallLeastSquares {
  readonly maxRows: number;
  readonly maxCols: number;
  /** Numerical rank of the last factorisation. */
  rank = 0;
  private m = 0;
  private n = 0;
  private readonly q: Float64Array;
  private readonly qty: Float64Array;
  private readonly diag: Float64Array;
  private readonly scales: Float64Array;
  private readonly pivotRow: Int32Array;

  constructor(maxRows: number, maxCols: number) {
    this.maxRows = maxRows;
    this.maxCols = maxCols;
    this.q = new Float64Array(maxRows * maxCols);
    this.qty = new Float64Array(maxRows);
    this.diag = new Float64Array(maxCols);
    this.scales = new Float64Array(maxCols);
    this.pivotRow = new Int32Array(maxCols);
  }

  /**
   * Householder QR of A (column-major, A[i + j m], m rows, n ≤ m columns) into this workspace.
   * Returns the numerical rank.
   */
  factorize(a: Float64Array, m: number, n: number): number {
    if (m > this.maxRows || n > this.maxCols || n > m) {
      throw new ModelError(
        `least squares: ${m} × ${n} system does not fit ${this.maxRows} × ${this.maxCols} (or n > m)`,
      );
    }
    const q = this.q;
    const diag = this.diag;
    const scales = this.scales;
    const pivotRow = this.pivotRow;
    q.set(a.subarray(0, m * n));
    let rank = 0; // also the next pivot row: dropped columns do not consume a row
    for (let j = 0; j < n; j++) {
      const cj = j * m;
      const p = rank;
      let orig = 0;
      for (let i = 0; i < m; i++) orig += a[cj + i] * a[cj + i];
      let norm2 = 0;
      for (let i = p; i < m; i++) norm2 += q[cj + i] * q[cj + i];
      const norm = Math.sqrt(norm2);
      if (norm === 0 || norm2 <= 1e-26 * orig) {
        pivotRow[j] = -1;
        continue;
      }
      pivotRow[j] = p;
      rank++;
      const head = q[cj + p];
      const alpha = head > 0 ? -norm : norm;
      // v = x − alpha e_p stored in place of the column; H = I − 2 v vᵀ / vᵀv, vᵀv = 2(‖x‖² − alpha x_p).
      q[cj + p] = head - alpha;
      const scale = 1 / (norm2 - alpha * head);
      scales[j] = scale;
      for (let k = j + 1; k < n; k++) {
        const ck = k * m;
        let s = 0;
        for (let i = p; i < m; i++) s += q[cj + i] * q[ck + i];
        s *= scale;
        for (let i = p; i < m; i++) q[ck + i] -= s * q[cj + i];
      }
      diag[j] = alpha;
    }
    this.m = m;
    this.n = n;
    this.rank = rank;
    return rank;
  }

  /**
   * v ← Qᵀ v for the last factorisation (v of length m). Returns Σ_{i ≥ rank} v_i², the squared
   * norm of v's component orthogonal to the column space.
   */
  applyQt(v: Float64Array): number {
    const { m, n, q, scales, pivotRow } = this;
    for (let j = 0; j < n; j++) {
      const p = pivotRow[j];
      if (p < 0) continue;
      const cj = j * m;
      let s = 0;
      for (let i = p; i < m; i++) s += q[cj + i] * v[i];
      s *= scales[j];
      for (let i = p; i < m; i++) v[i] -= s * q[cj + i];
    }
    let out = 0;
    for (let i = this.rank; i < m; i++) out += v[i] * v[i];
    return out;
  }

  /**
   * Solve for `coef` (length ≥ n). Returns the residual sum of squares ‖A coef − y‖², as the
   * squared norm of the part of Qᵀy outside the column space (backward stable: accurate to ~ε‖y‖
   * per component, so a fit exact to 1e-6 still gets its ~1e-11 SSR right).
   */
  solve(a: Float64Array, m: number, n: number, y: Float64Array, coef: Float64Array): number {
    this.factorize(a, m, n);
    const qty = this.qty;
    qty.set(y.subarray(0, m));
    const ssr = this.applyQt(qty);
    const { q, diag, pivotRow } = this;
    // Back substitution on R: row pivotRow[j] holds R's row for column j.
    for (let j = n - 1; j >= 0; j--) {
      const p = pivotRow[j];
      if (p < 0) {
        coef[j] = 0;
        continue;
      }
      let s = qty[p];
      for (let k = j + 1; k < n; k++) s -= q[k * m + p] * coef[k];
      coef[j] = s / diag[j];
    }
    return ssr;
  }
}
