/**
 * Principal components of a T × N panel (Pearson 1901; Hotelling 1933): eigen-decomposition of
 * the sample covariance of the column-demeaned data (not the correlation matrix: for yields all
 * columns share one unit, percent, and their variances carry information).
 *
 *   S = Y_cᵀ Y_c / (T − ddof) = W Λ Wᵀ,   scores F = Y_c W,   Var(F_i) = λ_i.
 *
 * Sign convention (eigenvectors are defined up to sign): each loading vector is flipped so that
 * its elements sum to a positive number, so the first PC of a yield panel is "level up" and the
 * scores are reproducible across machines. Models that only use the span of the components (ACM)
 * do not depend on it.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { covarianceOfColumns } from "./covariance.ts";
import { type AxisNames, assertFinite, type Dense, dense } from "./dense.ts";
import { type EigenMethod, symmetricEigenTop } from "./eigen.ts";
import { SIMD_MAX_FACTORS, type SimdKernels, simdKernels } from "./wasm-simd.ts";

export interface PcaOptions extends AxisNames {
  /** Number of components k (1 ≤ k ≤ N). */
  components: number;
  /** Covariance divisor T − ddof. Default 1 (sample covariance, as numpy.cov). */
  ddof?: number;
  /** Eigen-solver: "auto" (subspace iteration, verified, full fallback) or "full". */
  method?: EigenMethod;
}

export interface PcaResult {
  nobs: number;
  nvars: number;
  components: number;
  ddof: number;
  /** Column means removed before projecting (length N). */
  means: Float64Array;
  /** N × k, column i = unit eigenvector of the i-th largest eigenvalue. */
  loadings: Dense;
  /** T × k scores (Y − means) · loadings. */
  scores: Dense;
  /** Variances of the k scores (the eigenvalues), largest first. */
  eigenvalues: Float64Array;
  /** Trace of the covariance: total variance of the panel. */
  totalVariance: number;
  /** eigenvalues / totalVariance. */
  explainedVarianceRatio: Float64Array;
  solver: { method: "full" | "subspace"; iterations: number; relativeResidual: number };
  colNames: string[];
  warnings: Warning[];
  summary(): string;
}

/**
 * Scores of any panel with the same N columns on given means and loadings:
 * F = (Y − means) · W. Used both for the estimation sample and for projecting new data
 * (daily curves on monthly loadings); one loop order, so the same row gives bit-identical
 * scores either way.
 */
export function projectScores(data: Dense, means: Float64Array, loadings: Dense): Dense {
  const { rows: t, cols: n } = data;
  if (n !== means.length || loadings.rows !== n) {
    throw new ModelError(`PCA projection: data has ${n} columns but the loadings are for ${loadings.rows}`);
  }
  const scores = projectRows(
    data.data,
    t,
    n,
    Int32Array.from({ length: n }, (_, j) => j),
    means,
    loadings,
  );
  if (scores.badRow >= 0) {
    const r = scores.badRow;
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(data.data[r * n + j])) {
        throw new ModelError(`PCA projection: ${data.data[r * n + j]} at row ${r}, column ${j}`);
      }
    }
  }
  return scores.scores;
}

/**
 * Scores of the rows of a row-major panel `y` (t rows, `stride` values per row) using the
 * columns `cols` (one per loading row): F[r, c] = Σ_j (y[r, cols_j] − means_j) W[j, c].
 * The first row with a non-finite score is reported as `badRow` (a NaN or ±Inf input always
 * makes one: NaN·0 is NaN), so callers can name the date and maturity.
 *
 * This is the inner loop of the daily decomposition (16,000 days × 118 maturities), hence the
 * care: contiguous columns and up to 8 components go to the WebAssembly SIMD kernel (./wasm-simd.ts);
 * otherwise up to six components run in one sweep with six accumulators. Every route sums
 * j = 0..n−1 in order, so they agree bit for bit.
 */
export function projectRows(
  y: Float64Array,
  t: number,
  stride: number,
  cols: Int32Array,
  means: Float64Array,
  loadings: Dense,
): { scores: Dense; badRow: number } {
  const n = cols.length;
  const k = loadings.cols;
  const out = new Float64Array(t * k);
  let badRow = -1;
  let contiguous = true;
  for (let j = 1; j < n; j++) if (cols[j] !== cols[0] + j) contiguous = false;
  const simd = contiguous && n > 0 && k <= SIMD_MAX_FACTORS ? simdKernels() : null;
  if (simd !== null) {
    projectSimd(simd, y, t, stride, cols[0], n, means, loadings, out);
    for (let r = 0; r < t; r++) {
      if (!Number.isFinite(out[r * k])) {
        badRow = r;
        break;
      }
    }
    return { scores: dense(t, k, out), badRow };
  }
  if (k <= 6) {
    const wt = new Float64Array(6 * n);
    for (let j = 0; j < n; j++) for (let c = 0; c < k; c++) wt[c * n + j] = loadings.data[j * k + c];
    const w0 = wt.subarray(0, n);
    const w1 = wt.subarray(n, 2 * n);
    const w2 = wt.subarray(2 * n, 3 * n);
    const w3 = wt.subarray(3 * n, 4 * n);
    const w4 = wt.subarray(4 * n, 5 * n);
    const w5 = wt.subarray(5 * n, 6 * n);
    const off = cols[0];
    for (let r = 0; r < t; r++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      if (contiguous) {
        const o = r * stride + off;
        for (let j = 0; j < n; j++) {
          const z = y[o + j] - means[j];
          s0 += z * w0[j];
          s1 += z * w1[j];
          s2 += z * w2[j];
          s3 += z * w3[j];
          s4 += z * w4[j];
          s5 += z * w5[j];
        }
      } else {
        const o = r * stride;
        for (let j = 0; j < n; j++) {
          const z = y[o + cols[j]] - means[j];
          s0 += z * w0[j];
          s1 += z * w1[j];
          s2 += z * w2[j];
          s3 += z * w3[j];
          s4 += z * w4[j];
          s5 += z * w5[j];
        }
      }
      if (badRow < 0 && !Number.isFinite(s0)) badRow = r;
      const q = r * k;
      out[q] = s0;
      if (k > 1) out[q + 1] = s1;
      if (k > 2) out[q + 2] = s2;
      if (k > 3) out[q + 3] = s3;
      if (k > 4) out[q + 4] = s4;
      if (k > 5) out[q + 5] = s5;
    }
    return { scores: dense(t, k, out), badRow };
  }
  const centred = new Float64Array(n);
  const wt = new Float64Array(k * n);
  for (let j = 0; j < n; j++) for (let c = 0; c < k; c++) wt[c * n + j] = loadings.data[j * k + c];
  for (let r = 0; r < t; r++) {
    const o = r * stride;
    for (let j = 0; j < n; j++) centred[j] = y[o + cols[j]] - means[j];
    for (let c = 0; c < k; c++) {
      const oc = c * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += centred[j] * wt[oc + j];
      out[r * k + c] = acc;
    }
    if (badRow < 0 && !Number.isFinite(out[r * k])) badRow = r;
  }
  return { scores: dense(t, k, out), badRow };
}

/** Rows per call of the SIMD kernel: 256 rows of 120 yields (245 KB) stay in the L2 cache. */
const PROJECT_CHUNK_ROWS = 256;

/**
 * The SIMD route of `projectRows` for contiguous columns: means, loadings (padded to an even
 * number of components) and chunks of whole panel rows are copied into wasm memory, the
 * `project` kernel sums over the columns in the same order as the JavaScript loop.
 */
function projectSimd(
  simd: SimdKernels,
  y: Float64Array,
  t: number,
  stride: number,
  offset: number,
  n: number,
  means: Float64Array,
  loadings: Dense,
  out: Float64Array,
): void {
  const k = loadings.cols;
  const kp = k + (k & 1);
  const chunk = Math.min(t, PROJECT_CHUNK_ROWS);
  // layout (in doubles): means | W (n × kp) | scores (chunk × kp) | rows (chunk × stride)
  const wAt = n;
  const outAt = wAt + n * kp;
  const yAt = outAt + chunk * kp;
  const heap = simd.heap((yAt + chunk * stride) * 8);
  heap.set(means, 0);
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < k; c++) heap[wAt + j * kp + c] = loadings.data[j * k + c];
    if (kp > k) heap[wAt + j * kp + k] = 0;
  }
  const kernel = simd.project(kp);
  for (let r0 = 0; r0 < t; r0 += chunk) {
    const rows = Math.min(chunk, t - r0);
    heap.set(y.subarray(r0 * stride, (r0 + rows) * stride), yAt);
    kernel((yAt + offset) * 8, rows, stride * 8, n, 0, wAt * 8, outAt * 8);
    for (let r = 0; r < rows; r++) {
      const o = (r0 + r) * k;
      const h = outAt + r * kp;
      for (let c = 0; c < k; c++) out[o + c] = heap[h + c];
    }
  }
}

export function pca(data: Dense, options: PcaOptions): PcaResult {
  const { rows: t, cols: n } = data;
  checkShape(t, n, options.components);
  assertFinite(data, "covariance: data", options);
  return pcaOfPanel(data.data, t, n, 0, n, options);
}

function checkShape(t: number, n: number, k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new ModelError(`PCA: number of components must be a positive integer, got ${k}`);
  if (k > n) throw new ModelError(`PCA: ${k} components requested from ${n} variables`);
  if (t < k + 1)
    throw new ModelError(`PCA: ${t} observations are too few for ${k} components (need at least ${k + 1})`);
}

/**
 * PCA of the `n` contiguous columns from `offset` of a row-major panel `y` (t rows, `stride`
 * values per row) without copying them out: the ACM estimation's fast path. The caller has
 * checked that the values are finite. Same bits as `pca` on the extracted columns.
 */
export function pcaOfPanel(
  y: Float64Array,
  t: number,
  stride: number,
  offset: number,
  n: number,
  options: PcaOptions,
): PcaResult {
  const k = options.components;
  const ddof = options.ddof ?? 1;
  checkShape(t, n, k);
  const { means, covariance } = covarianceOfColumns(y, t, stride, offset, n, ddof);
  const eig = symmetricEigenTop(covariance, k, { method: options.method });
  const w = eig.vectors.data;
  for (let c = 0; c < k; c++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += w[j * k + c];
    if (sum < 0) for (let j = 0; j < n; j++) w[j * k + c] = -w[j * k + c];
  }
  let trace = 0;
  for (let j = 0; j < n; j++) trace += covariance.data[j * n + j];
  const lam0 = eig.values[0];
  if (!(eig.values[k - 1] > 1e-13 * lam0)) {
    throw new ModelError(
      `PCA: the data have fewer than ${k} independent directions (eigenvalue ${k} is ` +
        `${eig.values[k - 1].toExponential(2)} vs ${lam0.toExponential(2)} for the first): ` +
        "columns are collinear or constant",
    );
  }
  const cols = Int32Array.from({ length: n }, (_, j) => offset + j);
  const scores = projectRows(y, t, stride, cols, means, eig.vectors).scores;
  const ratio = eig.values.map((v) => v / trace);
  const colNames = Array.from({ length: n }, (_, j) => options.colNames?.[j] ?? `x${j}`);
  const result: PcaResult = {
    nobs: t,
    nvars: n,
    components: k,
    ddof,
    means,
    loadings: eig.vectors,
    scores,
    eigenvalues: eig.values,
    totalVariance: trace,
    explainedVarianceRatio: ratio,
    solver: { method: eig.method, iterations: eig.iterations, relativeResidual: eig.relativeResidual },
    colNames,
    warnings: [],
    summary: () => pcaSummary(result),
  };
  return result;
}

function pcaSummary(r: PcaResult): string {
  const lines = [
    `PCA (covariance, divisor T - ${r.ddof}); T = ${r.nobs}, N = ${r.nvars}, k = ${r.components}; ` +
      `solver ${r.solver.method} (${r.solver.iterations} it., residual ${r.solver.relativeResidual.toExponential(1)})`,
    "=".repeat(60),
    `${"component".padEnd(12)}${"eigenvalue".padStart(16)}${"explained".padStart(14)}${"cumulative".padStart(14)}`,
    "-".repeat(60),
  ];
  let cum = 0;
  for (let c = 0; c < r.components; c++) {
    cum += r.explainedVarianceRatio[c];
    lines.push(
      `${`PC${c + 1}`.padEnd(12)}${r.eigenvalues[c].toPrecision(6).padStart(16)}` +
        `${(100 * r.explainedVarianceRatio[c]).toFixed(4).padStart(13)}%${(100 * cum).toFixed(4).padStart(13)}%`,
    );
  }
  lines.push("=".repeat(60));
  return lines.join("\n");
}
