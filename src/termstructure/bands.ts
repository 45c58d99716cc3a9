/**
 * Bootstrap uncertainty bands for model term premia (ACM and Hamilton-Wu): a residual
 * ("model-based") bootstrap in the spirit of Efron (1979) and of the VAR residual bootstrap
 * (Runkle 1987, JBES 5(4); Kilian 1998, REStat 80(2)), as used to gauge estimation uncertainty
 * in affine term-structure models (Bauer, Rudebusch & Wu 2012, JBES 30(3)). Units: yields and
 * premia in percent per year, one period = one month, maturities in months.
 *
 * ACM (Adrian, Crump & Moench 2013). From the point estimate (μ̂, Φ̂, fitted-yield map
 * y(n) = a_n + b_nᵀX, a_n = −1200 A_n / n, b_n = −1200 B_n / n): for replication b,
 *   X*_0 = X_0,  X*_t = μ̂ + Φ̂ X*_{t−1} + v̂_{j_t},  Y*_t(n) = a_n + b_nᵀ X*_t + ê_{j_t}(n),
 * j_t drawn uniformly with replacement from the T transition months, v̂ the VAR residuals and ê
 * the yield pricing errors (observed − fitted). The VAR shock and the pricing-error row of the
 * same month are drawn together so their correlation survives. ACM is re-estimated on Y* with
 * the same settings except the pre-1982 short-rate fix (the synthetic 1-month yield already
 * descends from the fixed one), and the replication's PCA means/loadings and A_n, B_n are
 * applied to the ACTUAL yields (as the point estimate saw them, after the fix): TP*_t(n).
 *
 * Hamilton-Wu (2012). The reduced form is simulated with its OLS estimates and resampled
 * residuals, the same month for both blocks: Y1*_t = A1* + φ11* Y1*_{t−1} + û1_{j_t},
 * Y2*_t = A2* + φ21* Y1*_t + û2_{j_t}, Y1*_0 = Y1_0. Simulating the unrestricted reduced form
 * (not the structural model) keeps whatever misspecification the data have, so the bootstrap
 * χ² is not a null distribution; only the premia are used. Re-estimation starts once at the
 * point estimate's Q roots (the replication's optimum lies near them; a 35-start search per
 * replication would cost 15×); if that run does not converge the full default grid is tried.
 * The replication's structural parameters are applied to the actual Y1: F = B1⁻¹(Y1 − A1),
 * TP = (A_n − a_n) + (B_n − b_n)ᵀF.
 *
 * In a check on 60 replications of 1990-2025 the single start reached the roots of the 35-start
 * optimum to 1e-3 every time (χ² within 0.8 where the largest root sits on its bound at 1).
 *
 * Bands are pointwise (date, maturity) percentiles across successful replications, numpy's
 * "linear" rule. Replication b draws from its own generator seeded by a hash of (seed, b), so
 * the bands do not depend on how replications are split across worker threads. Replications
 * whose re-estimation fails are counted in `failed` and named in a warning.
 *
 * Limitation: these are percentile intervals around OLS estimates. The small-sample downward
 * bias of VAR persistence (Bauer, Rudebusch & Wu 2012) is reproduced by the bootstrap, not
 * corrected, so bands cover less than their nominal width: on data simulated from a known
 * 3-factor ACM model (300 months, 4 samples) the 90% band held the true premium on ~72% of
 * dates (test/termstructure/bands.test.ts). They measure estimation noise, not model risk.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ModelError, type Warning } from "../core/errors.ts";
import { type Dense, dense } from "../stats/dense.ts";
import { projectScores } from "../stats/pca.ts";
import { createRng, type Rng } from "../stats/random.ts";
import { eigenModuli } from "../stats/var.ts";
import { SIMD_MAX_FACTORS, type SimdKernels, simdKernels } from "../stats/wasm-simd.ts";
import { type AcmEstimate, type AcmOptions, estimateAcm, type YieldPanel } from "./acm.ts";
import { affineLoadings } from "./affine.ts";
import {
  fitHamiltonWu,
  type HamiltonWuOptions,
  type HamiltonWuResult,
  HW_DEFAULT_ERROR_MATURITIES,
  HW_DEFAULT_EXACT_MATURITIES,
  type YieldPanel as HwYieldPanel,
  hamiltonWuStructural,
} from "./hamilton-wu.ts";
import { riskNeutralLoadings } from "./hamilton-wu-loadings.ts";

export interface BandsOptions {
  /** Bootstrap replications, e.g. 500. */
  reps: number;
  /** Integer seed: the same seed gives identical bands whatever the number of workers. */
  seed: number;
  /** Central band width in percent, default 90 → 5th and 95th percentiles. */
  bandPct?: number;
  /** Maturities (months) to band, e.g. [24, 60, 120]. */
  maturitiesMonths: number[];
  /** Worker threads; default min(2, os.availableParallelism()); 1 = run inline (no threads). */
  workers?: number;
  /** Called after every finished replication (successful or failed). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Testing aid: replications (0-based) made to fail as if re-estimation had thrown, to check
   * that failures are counted. Leave unset in real use.
   */
  failReplications?: readonly number[];
}

export interface TermPremiumBands {
  model: "ACM" | "HW";
  /** The actual sample's dates. */
  dates: string[];
  maturitiesMonths: number[];
  bandPct: number;
  /** T × M row-major, percent: the (100 − bandPct)/2 percentile of the bootstrap premia. */
  lowerPct: Float64Array;
  medianPct: Float64Array;
  upperPct: Float64Array;
  /** T × M row-major, percent: the point estimate the bands surround. */
  pointPct: Float64Array;
  /** Replications that succeeded. */
  reps: number;
  /** Replications whose re-estimation failed (recorded, not dropped silently). */
  failed: number;
  seed: number;
  /** One paragraph: what was resampled and how, for the output's metadata. */
  method: string;
  elapsedMs: number;
  warnings: Warning[];
  summary(): string;
}

// ------------------------------------------------------------------------------------------
// Jobs: everything a replication needs, as structured-cloneable data (sent to workers as is)
// ------------------------------------------------------------------------------------------

export interface AcmBandsJob {
  model: "ACM";
  seed: number;
  dates: string[];
  /** Months in the sample (T + 1). */
  nObs: number;
  k: number;
  /** Synthetic panels carry maturities 1..nNeed. */
  nNeed: number;
  x0: Float64Array;
  mu: Float64Array;
  /** K × K row-major. */
  phi: Float64Array;
  /** T × K VAR residuals v̂_1..v̂_T (row t−1 = month t). */
  shocks: Float64Array;
  /** Fitted-yield map, percent: a (nNeed), b (nNeed × K). */
  yieldA: Float64Array;
  yieldB: Float64Array;
  /** (T + 1) × nNeed pricing errors observed − fitted, percent (row 0 = month 0). */
  pricingErrors: Float64Array;
  /** (T + 1) × nPc actual yields at the PCA maturities, after the short-rate fix. */
  pcaYields: Float64Array;
  nPc: number;
  /** Re-estimation settings: the point estimate's, without the short-rate fix. */
  options: AcmOptions;
  bandMonths: number[];
  failReplications: number[];
}

export interface HwBandsJob {
  model: "HW";
  seed: number;
  dates: string[];
  nObs: number;
  exact: number[];
  error: number[];
  /** nObs × 3 actual exactly priced yields, nObs × N2 actual error-priced yields. */
  y1: Float64Array;
  y2: Float64Array;
  a1Star: Float64Array;
  phi11Star: Float64Array;
  a2Star: Float64Array;
  phi21Star: Float64Array;
  /** T × 3 and T × N2 reduced-form residuals (row t−1 = month t). */
  u1: Float64Array;
  u2: Float64Array;
  /** Start of the re-estimation: the point estimate's Q roots. */
  startRoots: number[];
  maxIterations?: number;
  bandMonths: number[];
  failReplications: number[];
}

export type BandsJob = AcmBandsJob | HwBandsJob;

/** A replication's outcome: premia at (date, band maturity), T × M row-major, or why it failed. */
export type ReplicationOutcome =
  | { ok: true; tpPct: Float64Array; nonstationary: boolean }
  | { ok: false; error: string };

// ------------------------------------------------------------------------------------------
// Seeds and resampling
// ------------------------------------------------------------------------------------------

/** murmur3's 32-bit finaliser: a bijection that scatters nearby integers. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Seed of replication b for run seed `seed`: a hash of both, so each replication's stream is
 * fixed by (seed, b) alone and distinct replications of a run get distinct seeds (the map
 * b → seed is a bijection on 32-bit integers for a fixed run seed).
 */
export function replicationSeed(seed: number, b: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const base = fmix32(lo ^ fmix32(hi + 0x632be5ab));
  return fmix32((base + Math.imul(b + 1, 0x9e3779b1)) >>> 0);
}

/** Months 1..T drawn uniformly with replacement (index 0 unused: month 0 is the actual one). */
function drawMonths(rng: Rng, transitions: number): Int32Array {
  const j = new Int32Array(transitions + 1);
  for (let t = 1; t <= transitions; t++)
    j[t] = 1 + Math.min(transitions - 1, Math.floor(rng.uniform() * transitions));
  return j;
}

export interface SimulatedAcmPanel {
  /** (T + 1) × nNeed synthetic yields, percent, column n − 1 = maturity n. */
  yieldsPct: Float64Array;
  /** (T + 1) × K synthetic factors. */
  factors: Float64Array;
  /** Resampled month j_t for t = 1..T (entry 0 is 0: month 0 is the actual one). */
  months: Int32Array;
}

/** One synthetic ACM panel (see the file comment). */
export function simulateAcmPanel(job: AcmBandsJob, rng: Rng): SimulatedAcmPanel {
  const { nObs, k, nNeed, mu, phi, shocks, yieldA, yieldB, pricingErrors } = job;
  const months = drawMonths(rng, nObs - 1);
  const x = new Float64Array(nObs * k);
  x.set(job.x0);
  for (let t = 1; t < nObs; t++) {
    const j = months[t];
    for (let i = 0; i < k; i++) {
      let s = mu[i] + shocks[(j - 1) * k + i];
      for (let q = 0; q < k; q++) s += phi[i * k + q] * x[(t - 1) * k + q];
      x[t * k + i] = s;
    }
  }
  const simd = k <= SIMD_MAX_FACTORS ? simdKernels() : null;
  const np = nNeed + (nNeed & 1);
  if (simd?.fits((np * (1 + k + 2 * nObs) + nObs * k) * 8))
    return { yieldsPct: syntheticYieldsSimd(simd, job, x, months), factors: x, months };
  // Y*_t(n) = (a_n + ê_{j_t}(n)) + b_n,0 x_0 + … + b_n,K−1 x_K−1, built one factor at a time
  // over the whole row: each pass is a long loop of independent multiply-adds (the per-element
  // K-term chain was latency-bound), and every element still adds its terms in the same order
  const bt = new Float64Array(k * nNeed);
  for (let n = 0; n < nNeed; n++) for (let i = 0; i < k; i++) bt[i * nNeed + n] = yieldB[n * k + i];
  const y = new Float64Array(nObs * nNeed);
  for (let t = 0; t < nObs; t++) {
    const e = months[t] * nNeed; // month 0 keeps its own error: Y*_0 is the actual curve
    const o = t * nNeed;
    for (let n = 0; n < nNeed; n++) y[o + n] = yieldA[n] + pricingErrors[e + n];
    for (let i = 0; i < k; i++) {
      const xi = x[t * k + i];
      const ob = i * nNeed;
      for (let n = 0; n < nNeed; n++) y[o + n] += bt[ob + n] * xi;
    }
  }
  return { yieldsPct: y, factors: x, months };
}

/**
 * The synthetic yields of `simulateAcmPanel` on the WebAssembly SIMD kernel `affine`: the
 * resampled pricing-error rows are laid out in order, then one call prices every month with the
 * same order of additions as the JavaScript loop.
 */
function syntheticYieldsSimd(
  simd: SimdKernels,
  job: AcmBandsJob,
  x: Float64Array,
  months: Int32Array,
): Float64Array {
  const { nObs, k, nNeed, yieldA, yieldB, pricingErrors } = job;
  const np = nNeed + (nNeed & 1);
  // layout (in doubles): a | B (k × np) | x (nObs × k) | e (nObs × np) | out (nObs × np)
  const bAt = np;
  const xAt = bAt + k * np;
  const eAt = xAt + nObs * k;
  const outAt = eAt + nObs * np;
  const heap = simd.heap((outAt + nObs * np) * 8);
  heap.fill(0, 0, xAt);
  heap.set(yieldA, 0);
  for (let n = 0; n < nNeed; n++) for (let i = 0; i < k; i++) heap[bAt + i * np + n] = yieldB[n * k + i];
  heap.set(x, xAt);
  for (let t = 0; t < nObs; t++) {
    const e = months[t] * nNeed;
    heap.set(pricingErrors.subarray(e, e + nNeed), eAt + t * np);
    if (np > nNeed) heap[eAt + t * np + nNeed] = 0;
  }
  simd.affine(k)(xAt * 8, nObs, 0, eAt * 8, bAt * 8, np, outAt * 8);
  const y = new Float64Array(nObs * nNeed);
  if (np === nNeed) y.set(heap.subarray(outAt, outAt + nObs * np));
  else for (let t = 0; t < nObs; t++) y.set(heap.subarray(outAt + t * np, outAt + t * np + nNeed), t * nNeed);
  return y;
}

export interface SimulatedHwPanel {
  /** nObs × 3 and nObs × N2 synthetic yields, percent. */
  y1: Float64Array;
  y2: Float64Array;
  months: Int32Array;
}

/** One synthetic Hamilton-Wu reduced-form panel (see the file comment). */
export function simulateHamiltonWuPanel(job: HwBandsJob, rng: Rng): SimulatedHwPanel {
  const { nObs, a1Star, phi11Star, a2Star, phi21Star, u1, u2 } = job;
  const n2 = job.error.length;
  const months = drawMonths(rng, nObs - 1);
  const y1 = new Float64Array(nObs * 3);
  const y2 = new Float64Array(nObs * n2);
  y1.set(job.y1.subarray(0, 3));
  y2.set(job.y2.subarray(0, n2));
  for (let t = 1; t < nObs; t++) {
    const j = months[t] - 1;
    for (let i = 0; i < 3; i++) {
      let s = a1Star[i] + u1[j * 3 + i];
      for (let q = 0; q < 3; q++) s += phi11Star[i * 3 + q] * y1[(t - 1) * 3 + q];
      y1[t * 3 + i] = s;
    }
    for (let i = 0; i < n2; i++) {
      let s = a2Star[i] + u2[j * n2 + i];
      for (let q = 0; q < 3; q++) s += phi21Star[i * 3 + q] * y1[t * 3 + q];
      y2[t * n2 + i] = s;
    }
  }
  return { y1, y2, months };
}

// ------------------------------------------------------------------------------------------
// Applying an estimate to the actual yields
// ------------------------------------------------------------------------------------------

/**
 * ACM term premia (percent) at `months` for yields at the estimate's PCA maturities (rows ×
 * nPc): factors by projection on the estimate's PCA means and loadings, then
 * TP(n) = −(1200/n)[(A_n − A^RN_n) + (B_n − B^RN_n)ᵀX]. Rows × months, row-major.
 */
export function acmTermPremiumOn(
  est: AcmEstimate,
  pcaYields: Dense,
  months: readonly number[],
): Float64Array {
  const p = est.parameters;
  const k = p.k;
  const nMax = p.loadings.nMax;
  for (const n of months) {
    if (!Number.isInteger(n) || n < 1 || n > nMax)
      throw new ModelError(`ACM bands: maturity ${n} months is outside the priced range 1..${nMax}`);
  }
  const x = projectScores(pcaYields, est.pca.means, est.pca.loadings).data;
  const la = p.loadings.a;
  const lb = p.loadings.b;
  const ra = p.riskNeutralLoadings.a;
  const rb = p.riskNeutralLoadings.b;
  const m = months.length;
  const t = pcaYields.rows;
  const out = new Float64Array(t * m);
  for (let c = 0; c < m; c++) {
    const n = months[c];
    const s = -1200 / n;
    const da = la[n] - ra[n];
    const db = new Float64Array(k);
    for (let i = 0; i < k; i++) db[i] = lb[n * k + i] - rb[n * k + i];
    for (let r = 0; r < t; r++) {
      let acc = da;
      for (let i = 0; i < k; i++) acc += db[i] * x[r * k + i];
      out[r * m + c] = s * acc;
    }
  }
  return out;
}

/**
 * Hamilton-Wu term premia (percent) at `months` for exactly priced yields `y1` (rows × 3) under
 * the structural parameters of `res`: F = B1⁻¹(Y1 − A1), TP = (A_n − a_n) + (B_n − b_n)ᵀF with
 * a_n, b_n the P-expected average short rate. Rows × months, row-major.
 */
export function hamiltonWuTermPremiumOn(
  res: HamiltonWuResult,
  y1: Float64Array,
  months: readonly number[],
): Float64Array {
  for (const n of months) {
    if (!Number.isInteger(n) || n < 1)
      throw new ModelError(`Hamilton-Wu bands: maturity ${n} is not a whole number of months >= 1`);
  }
  const nOut = Math.max(...months, ...res.exactMaturities, ...res.errorMaturities);
  const p = res.params;
  const st = hamiltonWuStructural(
    res.reducedForm,
    p.lam,
    p.delta0Pct,
    res.exactMaturities,
    res.errorMaturities,
    nOut,
  );
  const rn = riskNeutralLoadings(st.c, st.rho, p.delta0Pct, p.delta1, nOut);
  const rows = y1.length / 3;
  const m = months.length;
  const out = new Float64Array(rows * m);
  const bi = st.b1Inv;
  const f = new Float64Array(3);
  for (let r = 0; r < rows; r++) {
    const d0 = y1[r * 3] - st.a1[0];
    const d1 = y1[r * 3 + 1] - st.a1[1];
    const d2 = y1[r * 3 + 2] - st.a1[2];
    for (let i = 0; i < 3; i++) f[i] = bi[i * 3] * d0 + bi[i * 3 + 1] * d1 + bi[i * 3 + 2] * d2;
    for (let c = 0; c < m; c++) {
      const n = months[c] - 1;
      let acc = st.aPct[n] - rn.a[n];
      for (let i = 0; i < 3; i++) acc += (st.b[n * 3 + i] - rn.b[n * 3 + i]) * f[i];
      out[r * m + c] = acc;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// One replication
// ------------------------------------------------------------------------------------------

function acmReplication(job: AcmBandsJob, rng: Rng): ReplicationOutcome {
  const sim = simulateAcmPanel(job, rng);
  const maturities = Array.from({ length: job.nNeed }, (_, i) => i + 1);
  const rep = estimateAcm(
    { dates: job.dates, maturitiesMonths: maturities, yieldsPct: sim.yieldsPct },
    job.options,
  );
  const tpPct = acmTermPremiumOn(rep, dense(job.nObs, job.nPc, job.pcaYields), job.bandMonths);
  return { ok: true, tpPct, nonstationary: eigenModuli(rep.parameters.phi)[0] >= 1 };
}

function hwReplication(job: HwBandsJob, rng: Rng): ReplicationOutcome {
  const sim = simulateHamiltonWuPanel(job, rng);
  const n2 = job.error.length;
  const nm = 3 + n2;
  const y = new Float64Array(job.nObs * nm);
  for (let t = 0; t < job.nObs; t++) {
    for (let i = 0; i < 3; i++) y[t * nm + i] = sim.y1[t * 3 + i];
    for (let i = 0; i < n2; i++) y[t * nm + 3 + i] = sim.y2[t * n2 + i];
  }
  const panel: HwYieldPanel = {
    dates: job.dates,
    maturitiesMonths: [...job.exact, ...job.error],
    yieldsPct: y,
  };
  const opts: HamiltonWuOptions = {
    exactMaturities: job.exact,
    errorMaturities: job.error,
    maxOutputMonths: Math.max(...job.bandMonths, ...job.exact, ...job.error),
    maxIterations: job.maxIterations,
  };
  let rep = fitHamiltonWu(panel, { ...opts, starts: [job.startRoots] });
  if (!rep.optimizer.converged) rep = fitHamiltonWu(panel, opts);
  if (!rep.optimizer.converged) {
    return { ok: false, error: `Hamilton-Wu re-estimation did not converge (${rep.optimizer.message})` };
  }
  const tpPct = hamiltonWuTermPremiumOn(rep, job.y1, job.bandMonths);
  return { ok: true, tpPct, nonstationary: rep.params.rhoEigenModuli[0] >= 1 };
}

/**
 * Replication b of a job: its own generator (seeded from (job.seed, b)), a synthetic panel, a
 * re-estimation and the premia on the actual yields. Errors become `{ ok: false }`.
 */
export function runReplication(job: BandsJob, b: number): ReplicationOutcome {
  try {
    if (job.failReplications.includes(b)) {
      throw new ModelError(`replication ${b} made to fail on purpose (failReplications testing aid)`);
    }
    const rng = createRng(replicationSeed(job.seed, b));
    const out = job.model === "ACM" ? acmReplication(job, rng) : hwReplication(job, rng);
    if (out.ok) {
      for (let i = 0; i < out.tpPct.length; i++) {
        if (!Number.isFinite(out.tpPct[i])) return { ok: false, error: "non-finite term premium" };
      }
    }
    return out;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, error: msg };
  }
}

// ------------------------------------------------------------------------------------------
// Percentiles
// ------------------------------------------------------------------------------------------

/** numpy's default ("linear") percentile of an ascending array: position p/100 · (n − 1). */
export function percentileSorted(sorted: ArrayLike<number>, pct: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = ((n - 1) * pct) / 100;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  if (h === lo) return sorted[lo]; // on a draw: exactly that draw
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/**
 * Lower, median and upper percentiles per cell of `draws` (nDraws × cells, row-major: one row
 * per replication). Lower/upper are the (100 − bandPct)/2 and (100 + bandPct)/2 percentiles.
 */
export function bandPercentiles(
  draws: Float64Array,
  nDraws: number,
  cells: number,
  bandPct: number,
): { lower: Float64Array; median: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(cells);
  const median = new Float64Array(cells);
  const upper = new Float64Array(cells);
  const col = new Float64Array(nDraws);
  const pLo = (100 - bandPct) / 2;
  const pHi = 100 - pLo;
  for (let c = 0; c < cells; c++) {
    for (let r = 0; r < nDraws; r++) col[r] = draws[r * cells + c];
    col.sort();
    lower[c] = percentileSorted(col, pLo);
    median[c] = percentileSorted(col, 50);
    upper[c] = percentileSorted(col, pHi);
  }
  return { lower, median, upper };
}

// ------------------------------------------------------------------------------------------
// Running replications: inline or on worker threads
// ------------------------------------------------------------------------------------------

/** What the worker posts per replication. */
export type WorkerMessage =
  | { type: "rep"; b: number; outcome: ReplicationOutcome }
  | { type: "done"; count: number };

export interface WorkerInput {
  job: BandsJob;
  reps: number;
  /** Int32Array over a SharedArrayBuffer: [next replication to claim]. */
  counter: Int32Array;
}

/**
 * A worker running ./bands-worker.{ts,js}. Compiled JS loads directly. Under tsx (CLI, tests),
 * Node 20 workers do not see the parent's `--import tsx` hooks for their entry module, so a tiny
 * ESM bootstrap registers tsx's loader in the worker first and then imports the TS entry.
 */
function startWorker(input: WorkerInput): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const entry = new URL("./bands-worker.ts", here).href;
    const tsxApi = import.meta.resolve("tsx/esm/api");
    const code =
      `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); ` +
      `return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { eval: true, workerData: input });
  }
  return new Worker(new URL("./bands-worker.js", here), { workerData: input });
}

/**
 * Run replications 0..reps−1 on `nWorkers` threads that claim them one at a time from a shared
 * counter (dynamic load balance on a busy machine). Resolves with the workers' error messages;
 * replications a crashed worker never reported stay unreported for the caller to run inline.
 */
function runOnWorkers(
  job: BandsJob,
  reps: number,
  nWorkers: number,
  onOutcome: (b: number, outcome: ReplicationOutcome) => void,
): Promise<string[]> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const errors: string[] = [];
  return new Promise((resolve) => {
    let running = nWorkers;
    for (let w = 0; w < nWorkers; w++) {
      let worker: Worker;
      try {
        worker = startWorker({ job, reps, counter });
      } catch (e) {
        errors.push(`worker ${w} did not start: ${e instanceof Error ? e.message : String(e)}`);
        running--;
        if (running === 0) resolve(errors);
        continue;
      }
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "rep") onOutcome(m.b, m.outcome);
        else void worker.terminate();
      });
      worker.on("error", (e: Error) => {
        errors.push(`worker ${w} failed: ${e.message}`);
      });
      worker.on("exit", () => {
        running--;
        if (running === 0) resolve(errors);
      });
    }
  });
}

interface Validated {
  reps: number;
  seed: number;
  bandPct: number;
  months: number[];
  workers: number;
}

function validate(bands: BandsOptions, what: string, maxMonths: number): Validated {
  const { reps, seed } = bands;
  if (!Number.isInteger(reps) || reps < 1)
    throw new ModelError(`${what}: reps must be a whole number >= 1, got ${reps}`);
  if (!Number.isSafeInteger(seed)) throw new ModelError(`${what}: seed must be an integer, got ${seed}`);
  const bandPct = bands.bandPct ?? 90;
  if (!(bandPct > 0 && bandPct < 100))
    throw new ModelError(`${what}: bandPct must lie strictly between 0 and 100, got ${bandPct}`);
  const months = [...bands.maturitiesMonths];
  if (months.length === 0) throw new ModelError(`${what}: no maturities to band (maturitiesMonths is empty)`);
  for (const n of months) {
    if (!Number.isInteger(n) || n < 1 || n > maxMonths) {
      throw new ModelError(
        `${what}: maturity ${n} months is not available: the model prices whole months 1..${maxMonths}`,
      );
    }
  }
  if (new Set(months).size !== months.length)
    throw new ModelError(`${what}: maturities repeat: ${months.join(", ")}`);
  const workers = bands.workers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1)
    throw new ModelError(`${what}: workers must be a whole number >= 1, got ${workers}`);
  return { reps, seed, bandPct, months, workers };
}

/** All replications' premia are held until the percentiles: 2^26 doubles = 512 MB at most. */
const MAX_DRAWS = 2 ** 26;

interface PointEstimate {
  model: "ACM" | "HW";
  dates: string[];
  pointPct: Float64Array;
  warnings: Warning[];
  method: string;
}

async function runBands(
  job: BandsJob,
  v: Validated,
  point: PointEstimate,
  onProgress: BandsOptions["onProgress"],
  started: number,
): Promise<TermPremiumBands> {
  const cells = point.dates.length * v.months.length;
  if (v.reps * cells > MAX_DRAWS) {
    throw new ModelError(
      `${point.model} bands: ${v.reps} replications × ${point.dates.length} dates × ${v.months.length} maturities ` +
        `would hold ${((v.reps * cells * 8) / 2 ** 20).toFixed(0)} MB of draws (limit ${(MAX_DRAWS * 8) / 2 ** 20} MB); ` +
        "band fewer maturities or run fewer replications",
    );
  }
  const draws = new Float64Array(v.reps * cells);
  const state = new Uint8Array(v.reps); // 0 pending, 1 ok, 2 failed
  const failures: { b: number; error: string }[] = [];
  let nonstationary = 0;
  let done = 0;
  const record = (b: number, o: ReplicationOutcome): void => {
    if (state[b] !== 0) return;
    if (o.ok && o.tpPct.length === cells) {
      draws.set(o.tpPct, b * cells);
      state[b] = 1;
      if (o.nonstationary) nonstationary++;
    } else {
      state[b] = 2;
      failures.push({ b, error: o.ok ? "wrong number of premia" : o.error });
    }
    done++;
    onProgress?.(done, v.reps);
  };
  onProgress?.(0, v.reps);
  const warnings: Warning[] = [...point.warnings];
  const nWorkers = Math.min(v.workers, v.reps);
  if (nWorkers > 1) {
    const errors = await runOnWorkers(job, v.reps, nWorkers, record);
    const pending = state.reduce((acc, s) => acc + (s === 0 ? 1 : 0), 0);
    if (errors.length > 0 || pending > 0) {
      warnings.push({
        code: "bands-worker-fallback",
        message:
          `bootstrap: ${errors.length ? errors.join("; ") : "a worker stopped early"}; ` +
          `${pending} replication(s) ran on the main thread instead (same seeds, same result)`,
      });
    }
  }
  for (let b = 0; b < v.reps; b++) {
    if (state[b] !== 0) continue;
    record(b, runReplication(job, b));
    // let a progress bar redraw between replications
    await new Promise<void>((r) => setImmediate(r));
  }
  failures.sort((p, q) => p.b - q.b);
  const okReps = v.reps - failures.length;
  if (okReps === 0) {
    throw new ModelError(
      `${point.model} bands: all ${v.reps} replications failed; first: ${failures[0]?.error ?? "unknown"}`,
    );
  }
  // rows sit at their replication index, so arrival order does not matter; failed rows are
  // squeezed out in place (successful ones keep their relative order)
  let w = 0;
  for (let b = 0; b < v.reps; b++) {
    if (state[b] !== 1) continue;
    if (w !== b) draws.copyWithin(w * cells, b * cells, (b + 1) * cells);
    w++;
  }
  const okDraws = draws.subarray(0, okReps * cells);
  const { lower, median, upper } = bandPercentiles(okDraws, okReps, cells, v.bandPct);
  if (failures.length > 0) {
    const distinct = [...new Set(failures.map((f) => f.error))];
    warnings.push({
      code: "bands-failed-replications",
      message:
        `bootstrap: ${failures.length} of ${v.reps} replications failed and are excluded from the bands ` +
        `(replications ${failures
          .slice(0, 8)
          .map((f) => f.b)
          .join(", ")}${failures.length > 8 ? ", ..." : ""}): ${distinct.slice(0, 3).join(" | ")}`,
    });
  }
  if (nonstationary > 0) {
    warnings.push({
      code: "bands-nonstationary-replications",
      message:
        `bootstrap: ${nonstationary} of ${okReps} replications estimated non-stationary P dynamics ` +
        "(an eigenvalue of modulus >= 1); they are kept, percentiles are robust to their extreme premia",
    });
  }
  const tail = (okReps - 1) * ((100 - v.bandPct) / 200);
  if (tail < 1) {
    warnings.push({
      code: "bands-few-replications",
      message:
        `bootstrap: ${okReps} successful replications are too few for a ${v.bandPct}% band: its ends are ` +
        "the extreme replications (use more reps)",
    });
  }
  const result: TermPremiumBands = {
    model: point.model,
    dates: point.dates,
    maturitiesMonths: v.months,
    bandPct: v.bandPct,
    lowerPct: lower,
    medianPct: median,
    upperPct: upper,
    pointPct: point.pointPct,
    reps: okReps,
    failed: failures.length,
    seed: v.seed,
    method: point.method,
    elapsedMs: performance.now() - started,
    warnings,
    summary: () => bandsSummary(result),
  };
  return result;
}

// ------------------------------------------------------------------------------------------
// ACM
// ------------------------------------------------------------------------------------------

/**
 * The bootstrap job of an ACM point estimate: resampling inputs (VAR residuals, pricing errors,
 * fitted-yield map to every synthetic maturity), the actual PCA-maturity yields (after the
 * short-rate fix) and the re-estimation settings (`acmOptions` without the fix). Also returns
 * the point estimate's premia at `months` (T × M), computed by the same route as replications.
 */
export function buildAcmJob(
  est: AcmEstimate,
  acmOptions: AcmOptions,
  months: readonly number[],
  seed: number,
  failReplications: readonly number[] = [],
): { job: AcmBandsJob; pointPct: Float64Array } {
  const p = est.parameters;
  const k = p.k;
  const nObs = est.dates.length;
  const obs = est.observedByMonth;
  const nNeed = obs.cols;
  // the fitted map must reach every synthetic maturity, which may exceed the output range
  const load = affineLoadings(
    { k, mu: p.mu, phi: p.phi, sigma: p.sigma, delta0: p.delta0, delta1: p.delta1, sigma2: p.sigma2 },
    p.lambda0,
    p.lambda1,
    nNeed,
  );
  const yieldA = new Float64Array(nNeed);
  const yieldB = new Float64Array(nNeed * k);
  for (let n = 1; n <= nNeed; n++) {
    const s = -1200 / n;
    yieldA[n - 1] = s * load.a[n];
    for (let i = 0; i < k; i++) yieldB[(n - 1) * k + i] = s * load.b[n * k + i];
  }
  const x = est.factors.data;
  const shocks = new Float64Array((nObs - 1) * k);
  for (let t = 1; t < nObs; t++) {
    for (let i = 0; i < k; i++) {
      let s = x[t * k + i] - p.mu[i];
      for (let q = 0; q < k; q++) s -= p.phi.data[i * k + q] * x[(t - 1) * k + q];
      shocks[(t - 1) * k + i] = s;
    }
  }
  const pricingErrors = new Float64Array(nObs * nNeed);
  for (let t = 0; t < nObs; t++) {
    for (let n = 0; n < nNeed; n++) {
      let fit = yieldA[n];
      for (let i = 0; i < k; i++) fit += yieldB[n * k + i] * x[t * k + i];
      pricingErrors[t * nNeed + n] = obs.data[t * nNeed + n] - fit;
    }
  }
  const pcaMats = est.pca.maturitiesMonths;
  const nPc = pcaMats.length;
  const pcaYields = new Float64Array(nObs * nPc);
  for (let t = 0; t < nObs; t++)
    for (let c = 0; c < nPc; c++) pcaYields[t * nPc + c] = obs.data[t * nNeed + pcaMats[c] - 1];
  const pointPct = acmTermPremiumOn(est, dense(nObs, nPc, pcaYields), months);
  const options: AcmOptions = { ...acmOptions, shortRateFix: undefined };
  const job: AcmBandsJob = {
    model: "ACM",
    seed,
    dates: est.dates,
    nObs,
    k,
    nNeed,
    x0: x.slice(0, k),
    mu: p.mu,
    phi: p.phi.data,
    shocks,
    yieldA,
    yieldB,
    pricingErrors,
    pcaYields,
    nPc,
    options,
    bandMonths: [...months],
    failReplications: [...failReplications],
  };
  return { job, pointPct };
}

/** Bootstrap bands around the monthly ACM term premium (see the file comment for the method). */
export async function acmBands(
  panel: YieldPanel,
  acmOptions: AcmOptions,
  bands: BandsOptions,
): Promise<TermPremiumBands> {
  const started = performance.now();
  const v = validate(bands, "ACM bands", acmOptions.outputMaxMonths ?? 120);
  const est = estimateAcm(panel, acmOptions);
  const { job, pointPct } = buildAcmJob(est, acmOptions, v.months, v.seed, bands.failReplications);
  const k = job.k;
  const nObs = job.nObs;
  const fix = est.shortRateFix;
  const method =
    `Residual bootstrap of ACM (Adrian, Crump & Moench 2013), ${v.reps} replications, seed ${v.seed}: ` +
    `in each, factor paths X*_t = mu + Phi X*_{t-1} + v_j from the actual X_0 (${k} principal components), ` +
    `with months j drawn uniformly with replacement from the ${nObs - 1} VAR residuals, and yields ` +
    "Y*_t = fitted-yield map(X*_t) + the pricing errors of the same month j (shock and pricing error drawn " +
    "together, keeping their correlation); ACM re-estimated on Y* with the point estimate's settings" +
    (fix
      ? ` (no short-rate fix: the synthetic 1-month yield descends from the FEDFUNDS-fixed one before ${fix.before})`
      : "") +
    "; each re-estimated model (its PCA means/loadings and pricing loadings) applied to the actual yields " +
    `gives TP*_t(n); bands are pointwise ${(100 - v.bandPct) / 2}th/50th/${(100 + v.bandPct) / 2}th ` +
    "percentiles (linear interpolation) over successful replications; replication b uses its own " +
    "random stream seeded by a hash of (seed, b), so results do not depend on the number of threads.";
  return runBands(
    job,
    v,
    { model: "ACM", dates: est.dates, pointPct, warnings: est.warnings, method },
    bands.onProgress,
    started,
  );
}

// ------------------------------------------------------------------------------------------
// Hamilton-Wu
// ------------------------------------------------------------------------------------------

/**
 * The bootstrap job of a Hamilton-Wu point estimate `res` fitted on `panel`: the sample's actual
 * Y1/Y2, the reduced-form estimates and residuals, the start roots. Also returns the point
 * estimate's premia at `months` (T × M), computed by the same route as replications.
 */
export function buildHamiltonWuJob(
  panel: HwYieldPanel,
  res: HamiltonWuResult,
  hwOptions: HamiltonWuOptions,
  months: readonly number[],
  seed: number,
  failReplications: readonly number[] = [],
): { job: HwBandsJob; pointPct: Float64Array } {
  const exact = res.exactMaturities;
  const error = res.errorMaturities;
  const n2 = error.length;
  const nObs = res.nObs;
  const colOf = new Map<number, number>();
  const nCols = panel.maturitiesMonths.length;
  for (let j = 0; j < nCols; j++) colOf.set(Number(panel.maturitiesMonths[j]), j);
  const rowOf = new Map<string, number>();
  panel.dates.forEach((d, i) => {
    rowOf.set(d, i);
  });
  const y1 = new Float64Array(nObs * 3);
  const y2 = new Float64Array(nObs * n2);
  res.dates.forEach((d, t) => {
    const r = rowOf.get(d) as number;
    for (let i = 0; i < 3; i++) y1[t * 3 + i] = panel.yieldsPct[r * nCols + (colOf.get(exact[i]) as number)];
    for (let i = 0; i < n2; i++)
      y2[t * n2 + i] = panel.yieldsPct[r * nCols + (colOf.get(error[i]) as number)];
  });
  const rf = res.reducedForm;
  const u1 = new Float64Array((nObs - 1) * 3);
  const u2 = new Float64Array((nObs - 1) * n2);
  for (let t = 1; t < nObs; t++) {
    for (let i = 0; i < 3; i++) {
      let s = y1[t * 3 + i] - rf.a1Star[i];
      for (let q = 0; q < 3; q++) s -= rf.phi11Star[i * 3 + q] * y1[(t - 1) * 3 + q];
      u1[(t - 1) * 3 + i] = s;
    }
    for (let i = 0; i < n2; i++) {
      let s = y2[t * n2 + i] - rf.a2Star[i];
      for (let q = 0; q < 3; q++) s -= rf.phi21Star[i * 3 + q] * y1[t * 3 + q];
      u2[(t - 1) * n2 + i] = s;
    }
  }
  const pointPct = hamiltonWuTermPremiumOn(res, y1, months);
  const job: HwBandsJob = {
    model: "HW",
    seed,
    dates: res.dates,
    nObs,
    exact,
    error,
    y1,
    y2,
    a1Star: rf.a1Star,
    phi11Star: rf.phi11Star,
    a2Star: rf.a2Star,
    phi21Star: rf.phi21Star,
    u1,
    u2,
    startRoots: Array.from(res.params.lam),
    maxIterations: hwOptions.maxIterations,
    bandMonths: [...months],
    failReplications: [...failReplications],
  };
  return { job, pointPct };
}

/** Bootstrap bands around the Hamilton-Wu term premium (see the file comment for the method). */
export async function hamiltonWuBands(
  panel: HwYieldPanel,
  hwOptions: HamiltonWuOptions,
  bands: BandsOptions,
): Promise<TermPremiumBands> {
  const started = performance.now();
  const maxMonths = Math.max(
    hwOptions.maxOutputMonths ?? 120,
    ...(hwOptions.exactMaturities ?? HW_DEFAULT_EXACT_MATURITIES),
    ...(hwOptions.errorMaturities ?? HW_DEFAULT_ERROR_MATURITIES),
  );
  const v = validate(bands, "Hamilton-Wu bands", maxMonths);
  const res = fitHamiltonWu(panel, hwOptions);
  const { job, pointPct } = buildHamiltonWuJob(
    panel,
    res,
    hwOptions,
    v.months,
    v.seed,
    bands.failReplications,
  );
  const { exact, error, nObs } = job;
  const method =
    `Residual bootstrap of the Hamilton-Wu (2012) minimum-chi-square model, ${v.reps} replications, ` +
    `seed ${v.seed}: in each, the reduced form is simulated from its OLS estimates, ` +
    `Y1*_t = A1* + phi11* Y1*_{t-1} + u1_j (exact yields ${exact.join("/")}m, from the actual first month) and ` +
    `Y2*_t = A2* + phi21* Y1*_t + u2_j (error yields ${error.join("/")}m), the residual month j drawn ` +
    `uniformly with replacement from the ${nObs - 1} months and shared by both blocks; the model is ` +
    "re-estimated from one start at the point estimate's Q roots (the full 35-start grid if that run does " +
    "not converge; replications that still fail are counted as failed); each replication's structural " +
    "parameters are applied to the actual exactly priced yields to give TP*_t(n); bands are pointwise " +
    `${(100 - v.bandPct) / 2}th/50th/${(100 + v.bandPct) / 2}th percentiles (linear interpolation) over ` +
    "successful replications; replication b uses its own random stream seeded by a hash of (seed, b), so " +
    "results do not depend on the number of threads.";
  return runBands(
    job,
    v,
    { model: "HW", dates: res.dates, pointPct, warnings: res.warnings, method },
    bands.onProgress,
    started,
  );
}

// ------------------------------------------------------------------------------------------
// Summary
// ------------------------------------------------------------------------------------------

function bandsSummary(r: TermPremiumBands): string {
  const W = 84;
  const rule = "=".repeat(W);
  const thin = "-".repeat(W);
  const m = r.maturitiesMonths.length;
  const t = r.dates.length;
  const last = t - 1;
  const name = r.model === "ACM" ? "ACM (Adrian-Crump-Moench 2013)" : "Hamilton-Wu (2012)";
  const lines = [
    `Term-premium bootstrap bands: ${name}`,
    rule,
    `Sample: ${r.dates[0]} .. ${r.dates[last]} (${t} months)    band: central ${r.bandPct}%    seed: ${r.seed}`,
    `Replications: ${r.reps} succeeded, ${r.failed} failed    elapsed: ${(r.elapsedMs / 1000).toFixed(2)} s`,
    thin,
    `${"maturity".padEnd(10)}${"point %".padStart(11)}${"lower %".padStart(11)}${"median %".padStart(11)}` +
      `${"upper %".padStart(11)}${"width bp".padStart(11)}${"avg width bp".padStart(15)}   as of ${r.dates[last]}`,
    thin,
  ];
  for (let c = 0; c < m; c++) {
    const o = last * m + c;
    let avg = 0;
    for (let i = 0; i < t; i++) avg += (r.upperPct[i * m + c] - r.lowerPct[i * m + c]) / t;
    lines.push(
      `${`${r.maturitiesMonths[c]}m`.padEnd(10)}${r.pointPct[o].toFixed(3).padStart(11)}` +
        `${r.lowerPct[o].toFixed(3).padStart(11)}${r.medianPct[o].toFixed(3).padStart(11)}` +
        `${r.upperPct[o].toFixed(3).padStart(11)}${(100 * (r.upperPct[o] - r.lowerPct[o])).toFixed(1).padStart(11)}` +
        `${(100 * avg).toFixed(1).padStart(15)}`,
    );
  }
  lines.push(rule);
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}
