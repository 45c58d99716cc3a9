/**
 * Small dense linear algebra for the Hamilton-Wu estimator: 3×3 and 4×4 systems inside an
 * objective evaluated thousands of times, plus one tall least-squares fit per estimation.
 * Row-major Float64Array, dimensions passed explicitly. Failures (singular, not positive
 * definite) return null so the caller can say *which* matrix failed and why it matters.
 */

/** C = A B with A n×k and B k×m. */
export function matMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] += aip * b[p * m + j];
    }
  }
  return c;
}

/** Aᵀ for A n×m. */
export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}

/**
 * A⁻¹ by Gauss-Jordan elimination with partial pivoting; null when a pivot falls below
 * 1e-13 × the largest entry (numerically singular at double precision).
 */
export function invert(a: Float64Array, n: number): Float64Array | null {
  const w = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(w[r * n + col]) > Math.abs(w[piv * n + col])) piv = r;
    const p = w[piv * n + col];
    if (!(Math.abs(p) > 1e-13 * scale)) return null;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        let t = w[col * n + j];
        w[col * n + j] = w[piv * n + j];
        w[piv * n + j] = t;
        t = inv[col * n + j];
        inv[col * n + j] = inv[piv * n + j];
        inv[piv * n + j] = t;
      }
    }
    for (let j = 0; j < n; j++) {
      w[col * n + j] /= p;
      inv[col * n + j] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = w[r * n + col];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        w[r * n + j] -= f * w[col * n + j];
        inv[r * n + j] -= f * inv[col * n + j];
      }
    }
  }
  return inv;
}

/** Solve A x = b (A n×n) by Gaussian elimination with partial pivoting; null when singular. */
export function solve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const w = Float64Array.from(a);
  const x = Float64Array.from(b);
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(w[r * n + col]) > Math.abs(w[piv * n + col])) piv = r;
    if (!(Math.abs(w[piv * n + col]) > 1e-15 * scale)) return null;
    if (piv !== col) {
      for (let j = col; j < n; j++) {
        const t = w[col * n + j];
        w[col * n + j] = w[piv * n + j];
        w[piv * n + j] = t;
      }
      const t = x[col];
      x[col] = x[piv];
      x[piv] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const f = w[r * n + col] / w[col * n + col];
      if (f === 0) continue;
      for (let j = col; j < n; j++) w[r * n + j] -= f * w[col * n + j];
      x[r] -= f * x[col];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= w[i * n + j] * x[j];
    x[i] = s / w[i * n + i];
  }
  return x;
}

/** Lower-triangular L with A = L Lᵀ (A symmetric n×n); null unless A is positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Least squares B = argmin ‖Y − X B‖ for tall X (rows×k) and Y (rows×m) by Householder QR:
 * yields of neighbouring maturities are nearly collinear, and QR keeps the digits the normal
 * equations (condition number squared) would lose. null when X is rank deficient.
 */
export function leastSquares(
  x: Float64Array,
  rows: number,
  k: number,
  y: Float64Array,
  m: number,
): Float64Array | null {
  const r = Float64Array.from(x);
  const qy = Float64Array.from(y);
  const v = new Float64Array(rows);
  let colScale = 0;
  for (const e of x) colScale = Math.max(colScale, Math.abs(e));
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < rows; i++) norm += r[i * k + j] * r[i * k + j];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12 * colScale * Math.sqrt(rows))) return null;
    const alpha = r[j * k + j] > 0 ? -norm : norm;
    let vnorm2 = 0;
    for (let i = j; i < rows; i++) {
      v[i] = r[i * k + j] - (i === j ? alpha : 0);
      vnorm2 += v[i] * v[i];
    }
    if (vnorm2 === 0) continue;
    for (let c = j; c < k; c++) {
      let s = 0;
      for (let i = j; i < rows; i++) s += v[i] * r[i * k + c];
      const f = (2 * s) / vnorm2;
      for (let i = j; i < rows; i++) r[i * k + c] -= f * v[i];
    }
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let i = j; i < rows; i++) s += v[i] * qy[i * m + c];
      const f = (2 * s) / vnorm2;
      for (let i = j; i < rows; i++) qy[i * m + c] -= f * v[i];
    }
  }
  const b = new Float64Array(k * m);
  for (let c = 0; c < m; c++) {
    for (let i = k - 1; i >= 0; i--) {
      let s = qy[i * m + c];
      for (let j = i + 1; j < k; j++) s -= r[i * k + j] * b[j * m + c];
      b[i * m + c] = s / r[i * k + i];
    }
  }
  return b;
}
