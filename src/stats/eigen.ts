/**
 * Leading eigenpairs of a symmetric positive semi-definite matrix S (n × n), e.g. a covariance.
 *
 * "full": Householder tridiagonalisation + QL (ml-matrix EVD), all n pairs, O(n³).
 * "subspace": block subspace iteration with Rayleigh-Ritz (Rutishauser 1970; Saad, "Numerical
 * Methods for Large Eigenvalue Problems", ch. 5): V ← orth(S V) on a block of p = max(2k, k + 4)
 * vectors, the Ritz pairs of Vᵀ S V each step. The leading k Ritz vectors converge at rate
 * (λ_{p+1}/λ_k) per step; for yield panels (eigenvalues falling by ~10x each) that is 3-5
 * steps, a fraction of the cost of the full decomposition. Convergence is *checked*, not
 * assumed: every returned pair has ‖S u − θ u‖ ≤ tol · θ₁; if the iteration stalls (clustered
 * eigenvalues around λ_k) the full decomposition is used instead, so "auto" is as reliable as
 * "full".
 *
 * Output is sorted by decreasing eigenvalue; eigenvector signs are left to the caller.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { ModelError } from "../core/errors.ts";
import { type Dense, dense } from "./dense.ts";
import { simdKernels } from "./wasm-simd.ts";

export type EigenMethod = "auto" | "full" | "subspace";

export interface TopEigen {
  /** k eigenvalues, largest first. */
  values: Float64Array;
  /** n × k, column i = unit eigenvector of values[i]. */
  vectors: Dense;
  /** Which algorithm produced the result. */
  method: "full" | "subspace";
  iterations: number;
  /** max_i ‖S u_i − θ_i u_i‖ / θ₁ of the returned pairs. */
  relativeResidual: number;
}

export interface TopEigenOptions {
  method?: EigenMethod;
  /** Required max_i ‖S u_i − θ_i u_i‖ / θ₁ for the subspace iteration. Default 1e-14. */
  tol?: number;
  maxIterations?: number;
}

/** All eigenpairs of symmetric S, sorted by decreasing eigenvalue (ml-matrix EVD). */
export function symmetricEigenFull(s: Dense): { values: Float64Array; vectors: Dense } {
  const n = s.rows;
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, s.data[i * n + j]);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const ev = evd.realEigenvalues;
  const vecs = evd.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ev[b] - ev[a]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    values[c] = ev[order[c]];
    for (let i = 0; i < n; i++) vectors[i * n + c] = vecs.get(i, order[c]);
  }
  return { values, vectors: dense(n, n, vectors) };
}

/** Deterministic pseudo-random numbers in (-1, 1) (xorshift32): reproducible start blocks. */
function fillPseudoRandom(out: Float64Array, seed: number): void {
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x / 2147483648 - 1;
  }
}

/**
 * Orthonormalise the p columns of V (n × p, column-major, column c at c·n) in place by modified
 * Gram-Schmidt applied twice ("twice is enough", Kahan/Parlett). A column that vanishes (S has
 * rank < p) is replaced by a fresh pseudo-random direction.
 */
function orthonormalise(v: Float64Array, n: number, p: number, seed: number): void {
  const spare = new Float64Array(n);
  for (let c = 0; c < p; c++) {
    const oc = c * n;
    let before = 0;
    for (let i = 0; i < n; i++) before += v[oc + i] * v[oc + i];
    before = Math.sqrt(before);
    for (let pass = 0; pass < 2; pass++) {
      for (let d = 0; d < c; d++) {
        const od = d * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[od + i] * v[oc + i];
        for (let i = 0; i < n; i++) v[oc + i] -= dot * v[od + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[oc + i] * v[oc + i];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-10 * before) || norm === 0) {
      fillPseudoRandom(spare, seed + 7919 * (c + 1));
      v.set(spare, oc);
      c--; // redo this column with the fresh direction
      seed += 104729;
      continue;
    }
    for (let i = 0; i < n; i++) v[oc + i] /= norm;
  }
}

/**
 * W = S V for symmetric S (n × n, row-major) and a column-major block V of p columns: four
 * columns per sweep over a row of S, so each loaded S_ij feeds four independent accumulators
 * (the loop is otherwise bound by the latency of one long addition chain).
 */
function symmetricTimesBlock(a: Float64Array, n: number, v: Float64Array, p: number, w: Float64Array): void {
  let c = 0;
  for (; c + 4 <= p; c += 4) {
    const o0 = c * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    for (let i = 0; i < n; i++) {
      const oi = i * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n; j++) {
        const sij = a[oi + j];
        s0 += sij * v[o0 + j];
        s1 += sij * v[o1 + j];
        s2 += sij * v[o2 + j];
        s3 += sij * v[o3 + j];
      }
      w[o0 + i] = s0;
      w[o1 + i] = s1;
      w[o2 + i] = s2;
      w[o3 + i] = s3;
    }
  }
  for (; c < p; c++) {
    const oc = c * n;
    for (let i = 0; i < n; i++) {
      const oi = i * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += a[oi + j] * v[oc + j];
      w[oc + i] = acc;
    }
  }
}

/**
 * W = S V for the iteration's block (p columns, column-major, n per column): on the WebAssembly
 * SIMD kernel `symm` when S is exactly symmetric (it reads S[i, j] as S[j, i]), with S copied
 * into wasm memory once; otherwise `symmetricTimesBlock`. Both sum over j in order: same bits.
 */
function blockProduct(a: Float64Array, n: number, p: number): (v: Float64Array, w: Float64Array) => void {
  const simd = simdKernels();
  let symmetric = simd !== null;
  for (let i = 0; i < n && symmetric; i++)
    for (let j = i + 1; j < n; j++)
      if (a[i * n + j] !== a[j * n + i]) {
        symmetric = false;
        break;
      }
  const ns = (n + 7) & ~7;
  const p2 = p + (p & 1);
  if (simd === null || !symmetric || !simd.fits((ns * ns + 2 * p2 * ns) * 8)) {
    return (v, w) => symmetricTimesBlock(a, n, v, p, w);
  }
  // layout (doubles): S (ns × ns, zero-padded) | V (p2 columns of ns) | W (the same)
  const vAt = ns * ns;
  const wAt = vAt + p2 * ns;
  // S goes in once: no other kernel runs while the iteration does
  const heap = simd.heap((wAt + p2 * ns) * 8);
  heap.fill(0, 0, wAt);
  for (let i = 0; i < n; i++) heap.set(a.subarray(i * n, (i + 1) * n), i * ns);
  return (v, w) => {
    for (let c = 0; c < p; c++) heap.set(v.subarray(c * n, (c + 1) * n), vAt + c * ns);
    simd.symm(0, n, ns, vAt * 8, p2, wAt * 8);
    for (let c = 0; c < p; c++) w.set(heap.subarray(wAt + c * ns, wAt + c * ns + n), c * n);
  };
}

const startBlocks = new Map<string, Float64Array>();

/**
 * The iteration's first block: pseudo-random (seed 12345), orthonormalised. It depends only on
 * (n, p), so it is built once per shape and copied (a PCA per bootstrap replication would
 * otherwise redo the same Gram-Schmidt every time).
 */
function startBlock(n: number, p: number): Float64Array {
  const key = `${n}x${p}`;
  let v = startBlocks.get(key);
  if (v === undefined) {
    v = new Float64Array(n * p);
    fillPseudoRandom(v, 12345);
    orthonormalise(v, n, p, 12345);
    if (startBlocks.size < 64) startBlocks.set(key, v);
  }
  return v.slice();
}

/** The k leading eigenpairs of symmetric positive semi-definite S. */
export function symmetricEigenTop(s: Dense, k: number, options: TopEigenOptions = {}): TopEigen {
  const n = s.rows;
  if (s.cols !== n) throw new ModelError(`eigen: matrix is ${s.rows}x${s.cols}, not square`);
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new ModelError(`eigen: cannot take ${k} eigenpairs of a ${n}x${n} matrix`);
  const method = options.method ?? "auto";
  const p = Math.min(n, Math.max(2 * k, k + 4));
  // small matrices: the full decomposition is cheap and needs no convergence check
  if (method === "full" || p >= n || (method === "auto" && n <= 24)) return fullTop(s, k);
  const tol = options.tol ?? 1e-14;
  const maxIter = options.maxIterations ?? 200;
  const a = s.data;
  const v = startBlock(n, p); // column-major blocks
  const w = new Float64Array(n * p);
  const u = new Float64Array(n * p);
  const au = new Float64Array(n * p);
  const h = new Matrix(p, p);
  const gc = new Float64Array(p);
  let best = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  const times = blockProduct(a, n, p);
  for (let iter = 1; iter <= maxIter; iter++) {
    times(v, w);
    // Rayleigh-Ritz on H = Vᵀ S V
    // four entries per sweep: independent dot products overlap instead of waiting on one chain
    for (let c = 0; c < p; c++) {
      const oc = c * n;
      let d = c;
      for (; d + 4 <= p; d += 4) {
        const o0 = d * n;
        const o1 = o0 + n;
        const o2 = o1 + n;
        const o3 = o2 + n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < n; i++) {
          const vi = v[oc + i];
          s0 += vi * w[o0 + i];
          s1 += vi * w[o1 + i];
          s2 += vi * w[o2 + i];
          s3 += vi * w[o3 + i];
        }
        h.set(c, d, s0);
        h.set(d, c, s0);
        h.set(c, d + 1, s1);
        h.set(d + 1, c, s1);
        h.set(c, d + 2, s2);
        h.set(d + 2, c, s2);
        h.set(c, d + 3, s3);
        h.set(d + 3, c, s3);
      }
      for (; d < p; d++) {
        let acc = 0;
        const od = d * n;
        for (let i = 0; i < n; i++) acc += v[oc + i] * w[od + i];
        h.set(c, d, acc);
        h.set(d, c, acc);
      }
    }
    const evd = new EigenvalueDecomposition(h, { assumeSymmetric: true });
    const theta = evd.realEigenvalues;
    const g = evd.eigenvectorMatrix;
    const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => theta[y] - theta[x]);
    // Ritz vectors U = V G and S U = W G (in the sorted order): each element sums d = 0..p−1
    // from zero; two elements per sweep keep four chains in flight
    for (let c = 0; c < p; c++) {
      for (let d = 0; d < p; d++) gc[d] = g.get(d, order[c]);
      const oc = c * n;
      let i = 0;
      for (; i + 2 <= n; i += 2) {
        let u0 = 0;
        let u1 = 0;
        let w0 = 0;
        let w1 = 0;
        for (let d = 0; d < p; d++) {
          const gd = gc[d];
          const od = d * n + i;
          u0 += gd * v[od];
          u1 += gd * v[od + 1];
          w0 += gd * w[od];
          w1 += gd * w[od + 1];
        }
        u[oc + i] = u0;
        u[oc + i + 1] = u1;
        au[oc + i] = w0;
        au[oc + i + 1] = w1;
      }
      for (; i < n; i++) {
        let u0 = 0;
        let w0 = 0;
        for (let d = 0; d < p; d++) {
          u0 += gc[d] * v[d * n + i];
          w0 += gc[d] * w[d * n + i];
        }
        u[oc + i] = u0;
        au[oc + i] = w0;
      }
    }
    const top = Math.abs(theta[order[0]]);
    let worst = 0;
    for (let c = 0; c < k; c++) {
      const oc = c * n;
      const th = theta[order[c]];
      let r2 = 0;
      for (let i = 0; i < n; i++) r2 += (au[oc + i] - th * u[oc + i]) ** 2;
      worst = Math.max(worst, Math.sqrt(r2));
    }
    const rel = top > 0 ? worst / top : 0;
    if (rel <= tol) {
      const values = new Float64Array(k);
      const vectors = new Float64Array(n * k);
      for (let c = 0; c < k; c++) {
        values[c] = theta[order[c]];
        for (let i = 0; i < n; i++) vectors[i * k + c] = u[c * n + i];
      }
      return {
        values,
        vectors: dense(n, k, vectors),
        method: "subspace",
        iterations: iter,
        relativeResidual: rel,
      };
    }
    if (rel < best * 0.5) {
      best = rel;
      sinceBest = 0;
    } else if (++sinceBest >= 8) {
      break; // stalled: eigenvalues around λ_k too close for this block size
    }
    v.set(au);
    orthonormalise(v, n, p, 12345 + iter);
  }
  return fullTop(s, k);
}

function fullTop(s: Dense, k: number): TopEigen {
  const n = s.rows;
  const full = symmetricEigenFull(s);
  const values = full.values.slice(0, k);
  const vectors = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) vectors[i * k + c] = full.vectors.data[i * n + c];
  const top = Math.abs(values[0]);
  let worst = 0;
  for (let c = 0; c < k; c++) {
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += s.data[i * n + j] * vectors[j * k + c];
      r2 += (acc - values[c] * vectors[i * k + c]) ** 2;
    }
    worst = Math.max(worst, Math.sqrt(r2));
  }
  return {
    values,
    vectors: dense(n, k, vectors),
    method: "full",
    iterations: 0,
    relativeResidual: top > 0 ? worst / top : 0,
  };
}
