/**
 * Householder QR of a tall n × p matrix (Golub & Van Loan, "Matrix Computations", 4th ed.,
 * Alg. 5.2.1), on a column-major Float64Array copy so every inner loop is a contiguous stride-1
 * sweep. X = Q R with Q = H_0 H_1 … H_{p−1}, H_k = I − τ_k v_k v_kᵀ.
 *
 * Why not ml-matrix's QrDecomposition: its element access goes through get/set calls on arrays
 * of rows, which made QR + solve ~20% of an ACM estimation (four regressions of 500-800 rows);
 * this version is the same algorithm at typed-array speed. ml-matrix stays in use for the
 * eigen, SVD and LU decompositions.
 */
import { type Dense, dense } from "./dense.ts";
import { type SimdKernels, simdKernels } from "./wasm-simd.ts";

export interface HouseholderQr {
  n: number;
  p: number;
  /** Column-major n × p: Householder vectors on and below the diagonal, R strictly above. */
  factors: Float64Array;
  /** Diagonal of R. */
  rdiag: Float64Array;
  /** τ_k = 2 / v_kᵀv_k (0 when column k was already zero below the diagonal). */
  tau: Float64Array;
}

export function householderQr(x: Dense): HouseholderQr {
  const { rows: n, cols: p } = x;
  const simd = simdKernels();
  const ps = p + 3;
  if (simd?.fits((n * ps + 2 * p) * 8)) return householderQrSimd(simd, x, ps);
  const a = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) a[j * n + i] = x.data[i * p + j];
  const rdiag = new Float64Array(p);
  const tau = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const ok = k * n;
    // ‖x‖ with scaling: no overflow or underflow whatever the regressors' units
    let scale = 0;
    for (let i = k; i < n; i++) scale = Math.max(scale, Math.abs(a[ok + i]));
    if (scale === 0) {
      rdiag[k] = 0;
      tau[k] = 0;
      continue;
    }
    let ss = 0;
    for (let i = k; i < n; i++) {
      const v = a[ok + i] / scale;
      ss += v * v;
    }
    const sigma = scale * Math.sqrt(ss);
    const x0 = a[ok + k];
    // α takes the sign opposite to x₀ so v₀ = x₀ − α does not cancel
    const alpha = x0 >= 0 ? -sigma : sigma;
    const v0 = x0 - alpha;
    a[ok + k] = v0;
    const vtv = sigma * sigma - x0 * x0 + v0 * v0;
    const t = 2 / vtv;
    tau[k] = t;
    rdiag[k] = alpha;
    reflect(a, ok, k, n, t, a, (k + 1) * n, p - k - 1);
  }
  return { n, p, factors: a, rdiag, tau };
}

/**
 * The same factorisation on the WebAssembly SIMD kernel `qr` (./wasm-simd.ts), which works on
 * X row-major (four columns of a reflection per instruction pair) with the same operations in
 * the same order; the factors are transposed back to the column-major layout above.
 */
function householderQrSimd(simd: SimdKernels, x: Dense, ps: number): HouseholderQr {
  const { rows: n, cols: p } = x;
  const rdAt = n * ps;
  const tauAt = rdAt + p;
  const heap = simd.heap((tauAt + p) * 8);
  const xd = x.data;
  for (let i = 0; i < n; i++) {
    const o = i * ps;
    for (let j = 0; j < p; j++) heap[o + j] = xd[i * p + j];
    heap[o + p] = 0;
    heap[o + p + 1] = 0;
    heap[o + p + 2] = 0;
  }
  simd.qr(0, n, ps, p, rdAt * 8, tauAt * 8);
  const a = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) a[j * n + i] = heap[i * ps + j];
  return { n, p, factors: a, rdiag: heap.slice(rdAt, rdAt + p), tau: heap.slice(tauAt, tauAt + p) };
}

/**
 * Apply H = I − τ v vᵀ (v = a[ok + k .. ok + n), rows k..n−1) to `m` columns of `y` stored one
 * after another (column c at off + c·n). Four columns per sweep: a dot product is one chain
 * of dependent additions, bound by the adder's latency, and four independent chains fill the
 * pipeline. Each column still sums in row order i = k, k+1, …, so the bits are those of one
 * column at a time.
 */
function reflect(
  a: Float64Array,
  ok: number,
  k: number,
  n: number,
  tau: number,
  y: Float64Array,
  off: number,
  m: number,
): void {
  let c = 0;
  for (; c + 4 <= m; c += 4) {
    const o0 = off + c * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = k; i < n; i++) {
      const v = a[ok + i];
      s0 += v * y[o0 + i];
      s1 += v * y[o1 + i];
      s2 += v * y[o2 + i];
      s3 += v * y[o3 + i];
    }
    s0 *= tau;
    s1 *= tau;
    s2 *= tau;
    s3 *= tau;
    for (let i = k; i < n; i++) {
      const v = a[ok + i];
      y[o0 + i] -= s0 * v;
      y[o1 + i] -= s1 * v;
      y[o2 + i] -= s2 * v;
      y[o3 + i] -= s3 * v;
    }
  }
  for (; c < m; c++) {
    const oj = off + c * n;
    let s = 0;
    for (let i = k; i < n; i++) s += a[ok + i] * y[oj + i];
    s *= tau;
    for (let i = k; i < n; i++) y[oj + i] -= s * a[ok + i];
  }
}

/** Qᵀ y in place for one column vector y (length n). */
export function applyQt(qr: HouseholderQr, y: Float64Array): void {
  const { n, p, factors: a, tau } = qr;
  for (let k = 0; k < p; k++) {
    const t = tau[k];
    if (t === 0) continue;
    reflect(a, k * n, k, n, t, y, 0, 1);
  }
}

/** R (p × p, row-major, upper triangular). */
export function upperR(qr: HouseholderQr): Float64Array {
  const { n, p, factors: a, rdiag } = qr;
  const r = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    r[i * p + i] = rdiag[i];
    for (let j = i + 1; j < p; j++) r[i * p + j] = a[j * n + i];
  }
  return r;
}

/**
 * Least-squares coefficients B (p × m) for Y (n × m): R B = (Qᵀ Y)[0..p). The caller checks
 * the rank first (a zero R_kk would divide by zero here).
 */
export function qrSolve(qr: HouseholderQr, y: Dense): Dense {
  const { n, p, factors: a, rdiag, tau } = qr;
  const m = y.cols;
  const yd = y.data;
  const out = new Float64Array(p * m);
  // Qᵀ Y on a column-major copy, every column through each reflector in turn
  const cols = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let e = 0; e < m; e++) cols[e * n + i] = yd[i * m + e];
  for (let k = 0; k < p; k++) if (tau[k] !== 0) reflect(a, k * n, k, n, tau[k], cols, 0, m);
  for (let e = 0; e < m; e++) {
    const oc = e * n;
    for (let i = p - 1; i >= 0; i--) {
      let s = cols[oc + i];
      for (let j = i + 1; j < p; j++) s -= a[j * n + i] * out[j * m + e];
      out[i * m + e] = s / rdiag[i];
    }
  }
  return dense(p, m, out);
}
