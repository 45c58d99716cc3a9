/**
 * Sample covariance matrix of the columns of a T × N panel, S = Y_cᵀ Y_c / (T − ddof) with Y_c the
 * column-demeaned data (two passes: demean first, then cross-products, which avoids the
 * cancellation of the one-pass Σ y² − T ȳ² formula on yield levels).
 *
 * The cross-products are the cost of a PCA of a yield panel (≈ T N² / 2 multiply-adds, 5.4 M for
 * 769 months × 118 maturities). They run in the WebAssembly SIMD kernel `syrk` of
 * ./wasm-simd.ts (4 × 4 tiles of S over a row-major centred copy). Without SIMD the same tiles
 * run as scalar JavaScript over a column-major copy, ~2.5x slower.
 *
 * Both kernels add x_ri · x_rj to a zero-started accumulator in row order r = 0, 1, …, T−1, one
 * rounding per multiply and per add (WebAssembly forbids fusing them), so they produce the same
 * bits; test/stats/simd-perf-regression.test.ts checks that against a plain triple loop.
 */
import { ModelError } from "../core/errors.ts";
import { type AxisNames, assertFinite, type Dense, dense } from "./dense.ts";
import { simdKernels } from "./wasm-simd.ts";

export interface CovarianceResult {
  means: Float64Array;
  /** N × N, symmetric. */
  covariance: Dense;
}

/** Column means and the centred data as a column-major copy (column j at j·T). */
export function centreColumns(data: Dense): { means: Float64Array; centredColMajor: Float64Array } {
  return centreStrided(data.data, data.rows, data.cols, 0, data.cols);
}

/**
 * `centreColumns` for the `n` contiguous columns at `offset` of a row-major panel `y` with
 * `stride` values per row, read in place.
 */
function centreStrided(
  y: Float64Array,
  t: number,
  stride: number,
  offset: number,
  n: number,
): { means: Float64Array; centredColMajor: Float64Array } {
  const means = new Float64Array(n);
  for (let i = 0; i < t; i++) {
    const o = i * stride + offset;
    for (let j = 0; j < n; j++) means[j] += y[o + j];
  }
  for (let j = 0; j < n; j++) means[j] /= t;
  const c = new Float64Array(t * n);
  // transpose in blocks of 16 rows: each column's writes then fill whole cache lines
  const B = 16;
  for (let i0 = 0; i0 < t; i0 += B) {
    const i1 = Math.min(t, i0 + B);
    for (let j = 0; j < n; j++) {
      const m = means[j];
      const oj = j * t;
      for (let i = i0; i < i1; i++) c[oj + i] = y[i * stride + offset + j] - m;
    }
  }
  return { means, centredColMajor: c };
}

/** Cross-product matrix CᵀC (N × N) of a column-major T × N matrix C. */
export function crossProductColMajor(c: Float64Array, t: number, n: number): Float64Array {
  const s = new Float64Array(n * n);
  const nb = n - (n % 4);
  for (let i = 0; i < nb; i += 4) {
    const a0 = i * t;
    const a1 = a0 + t;
    const a2 = a1 + t;
    const a3 = a2 + t;
    for (let j = i; j < nb; j += 4) {
      const b0 = j * t;
      const b1 = b0 + t;
      const b2 = b1 + t;
      const b3 = b2 + t;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let r = 0; r < t; r++) {
        const x0 = c[a0 + r];
        const x1 = c[a1 + r];
        const x2 = c[a2 + r];
        const x3 = c[a3 + r];
        const y0 = c[b0 + r];
        const y1 = c[b1 + r];
        const y2 = c[b2 + r];
        const y3 = c[b3 + r];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      const r0 = i * n + j;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      s[r0] = s00;
      s[r0 + 1] = s01;
      s[r0 + 2] = s02;
      s[r0 + 3] = s03;
      s[r1] = s10;
      s[r1 + 1] = s11;
      s[r1 + 2] = s12;
      s[r1 + 3] = s13;
      s[r2] = s20;
      s[r2 + 1] = s21;
      s[r2 + 2] = s22;
      s[r2 + 3] = s23;
      s[r3] = s30;
      s[r3 + 1] = s31;
      s[r3 + 2] = s32;
      s[r3 + 3] = s33;
    }
  }
  // columns beyond the last full block of four: plain dot products against every column
  for (let j = nb; j < n; j++) {
    const b = j * t;
    for (let i = 0; i <= j; i++) {
      const a = i * t;
      let acc = 0;
      for (let r = 0; r < t; r++) acc += c[a + r] * c[b + r];
      s[i * n + j] = acc;
    }
  }
  // mirror the upper triangle (diagonal blocks filled both halves; they agree bit for bit)
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s[j * n + i] = s[i * n + j];
  return s;
}

/**
 * Column means and covariance of the `n` contiguous columns starting at `offset` of a row-major
 * panel `y` (t rows, `stride` values per row), read in place: no copy of the panel is needed.
 * The caller guarantees finite values. Same bits as `covarianceMatrix` on the extracted columns.
 */
export function covarianceOfColumns(
  y: Float64Array,
  t: number,
  stride: number,
  offset: number,
  n: number,
  ddof = 1,
): CovarianceResult {
  if (t - ddof <= 0) throw new ModelError(`covariance: ${t} observations are too few (ddof ${ddof})`);
  const np = (n + 3) & ~3;
  const simd = simdKernels();
  const k = simd?.fits((t * stride + 2 + np + t * np + np * np) * 8) ? simd : null;
  let means: Float64Array;
  let s: Float64Array;
  if (k === null) {
    const centred = centreStrided(y, t, stride, offset, n);
    means = centred.means;
    s = crossProductColMajor(centred.centredColMajor, t, n);
  } else {
    // wasm layout (doubles): panel rows (+2 slack for an odd last pair) | means | C | S, where
    // C is t × np centred rows, np = n padded to a multiple of 4 for the 4 × 4 tiles
    const n2 = n + (n & 1);
    const meansAt = t * stride + 2;
    const cAt = meansAt + np;
    const sAt = cAt + t * np;
    const heap = k.heap((sAt + np * np) * 8);
    heap.set(y.subarray(0, t * stride), 0);
    heap[t * stride] = 0;
    heap[t * stride + 1] = 0;
    k.centre(offset * 8, t, stride * 8, n2, meansAt * 8, cAt * 8, np * 8);
    k.syrk(cAt * 8, t, np, sAt * 8);
    means = heap.slice(meansAt, meansAt + n);
    s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const o = sAt + i * np;
      // the kernel fills whole 4 × 4 tiles on and above the diagonal: take i ≤ j, mirror below
      for (let j = i; j < n; j++) {
        const v = heap[o + j];
        s[i * n + j] = v;
        s[j * n + i] = v;
      }
    }
  }
  const inv = 1 / (t - ddof);
  for (let q = 0; q < s.length; q++) s[q] *= inv;
  return { means, covariance: dense(n, n, s) };
}

/** Means and covariance (divisor T − ddof, default 1) of the columns of `data`. */
export function covarianceMatrix(data: Dense, ddof = 1, names?: AxisNames): CovarianceResult {
  const { rows: t, cols: n } = data;
  if (t - ddof <= 0) throw new ModelError(`covariance: ${t} observations are too few (ddof ${ddof})`);
  assertFinite(data, "covariance: data", names);
  return covarianceOfColumns(data.data, t, n, 0, n, ddof);
}
