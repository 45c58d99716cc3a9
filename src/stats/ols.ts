/**
 * Ordinary least squares y = X b + u, solved by Householder QR of X (./qr.ts) rather than the
 * normal equations, so the condition number of X (not its square) limits accuracy: macro
 * regressors are often nearly collinear (yields of neighbouring maturities, PCA factors of very
 * different scales).
 *
 *   b̂ = R⁻¹ Qᵀ y,   û = y − X b̂,   σ̂² = ûᵀû / (T − p),   Var(b̂) = σ̂² (XᵀX)⁻¹ = σ̂² R⁻¹ R⁻ᵀ.
 *
 * R² is centred when X contains a constant column (as statsmodels does), else uncentred.
 *
 * Newey & West (1987, Econometrica 55(3)) HAC covariance with the Bartlett kernel:
 *   S = Σ_{l=-L..L} w_l Γ_l,  Γ_l = Σ_t (x_t û_t)(x_{t-l} û_{t-l})ᵀ,  w_l = 1 − |l|/(L + 1),
 *   Var_HAC(b̂) = (XᵀX)⁻¹ S (XᵀX)⁻¹  [× T/(T − p) with the small-sample correction].
 * Default lag L = floor(4 (T/100)^(2/9)), the Newey-West (1994) rule of thumb that statsmodels and
 * Stata's `newey` users quote. The correction is off by default, matching statsmodels'
 * `OLS.fit(cov_type="HAC")`.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { type AxisNames, assertFinite, colLabel, type Dense, dense, rowLabel } from "./dense.ts";
import { type HouseholderQr, householderQr, qrSolve, upperR } from "./qr.ts";
import { type SimdKernels, simdKernels } from "./wasm-simd.ts";

export interface OlsOptions extends AxisNames {
  /** Name of the dependent variable (summary and errors). */
  yName?: string;
  /** Newey-West truncation lag L; default floor(4 (T/100)^(2/9)). */
  hacLag?: number;
  /** Multiply the HAC covariance by T/(T − p). Default false (statsmodels' default). */
  hacSmallSample?: boolean;
  /**
   * Column j is treated as collinear with columns 0..j-1 when the part of it orthogonal to them
   * has norm below rankTol × ‖x_j‖ (|R_jj| / ‖x_j‖ of the QR). Default 1e-10.
   */
  rankTol?: number;
}

export interface HacCovariance {
  /** Truncation lag L of the Bartlett kernel. */
  lag: number;
  smallSample: boolean;
  covParams: Dense;
  standardErrors: Float64Array;
  tValues: Float64Array;
}

export interface OlsResult {
  nobs: number;
  nparams: number;
  dfResid: number;
  coefficients: Float64Array;
  standardErrors: Float64Array;
  tValues: Float64Array;
  residuals: Float64Array;
  fittedValues: Float64Array;
  /** Sum of squared residuals. */
  ssr: number;
  /** ûᵀû / (T − p). */
  sigma2: number;
  rSquared: number;
  adjRSquared: number;
  /** Whether X has a constant column (R² is then centred). */
  hasConstant: boolean;
  /** Classical σ̂² (XᵀX)⁻¹. */
  covParams: Dense;
  /** (XᵀX)⁻¹. */
  xtxInverse: Dense;
  hac: HacCovariance;
  colNames: string[];
  yName: string;
  warnings: Warning[];
  summary(): string;
}

/** Newey-West (1994) rule-of-thumb lag floor(4 (T/100)^(2/9)). */
export function neweyWestLag(nobs: number): number {
  return Math.floor(4 * (nobs / 100) ** (2 / 9));
}

/** A QR factorisation of a design that passed the rank check. */
export interface QrDesign {
  x: Dense;
  qr: HouseholderQr;
  /** R (p × p, upper triangular, row-major). */
  r: Float64Array;
}

/** QR of X with a rank check that names the offending column. */
export function factorDesign(
  x: Dense,
  what: string,
  options: AxisNames & { rankTol?: number } = {},
): QrDesign {
  const { rows: n, cols: p } = x;
  if (p === 0) throw new ModelError(`${what}: design matrix has no columns`);
  if (n < p) {
    throw new ModelError(`${what}: ${n} observations cannot identify ${p} coefficients (need at least ${p})`);
  }
  assertFinite(x, `${what}: design matrix`, options);
  const qr = householderQr(x);
  const r = upperR(qr);
  const tol = options.rankTol ?? 1e-10;
  for (let j = 0; j < p; j++) {
    let norm2 = 0;
    for (let i = 0; i < n; i++) norm2 += x.data[i * p + j] ** 2;
    const norm = Math.sqrt(norm2);
    if (norm === 0) throw new ModelError(`${what}: ${colLabel(j, options)} of the design is all zeros`);
    if (!(Math.abs(r[j * p + j]) > tol * norm)) {
      throw new ModelError(
        `${what}: design is rank deficient: ${colLabel(j, options)} is (numerically) a linear combination ` +
          `of the columns before it (|R_jj|/|x_j| = ${(Math.abs(r[j * p + j]) / norm).toExponential(2)})`,
      );
    }
  }
  return { x, qr, r };
}

/** R⁻¹ for upper-triangular R (p × p, row-major) by back substitution. */
function invertUpper(r: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    inv[j * p + j] = 1 / r[j * p + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * p + k] * inv[k * p + j];
      inv[i * p + j] = -s / r[i * p + i];
    }
  }
  return inv;
}

/** (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ from the QR factor. */
export function xtxInverseFromQr(design: QrDesign): Dense {
  const p = design.x.cols;
  const ri = invertUpper(design.r, p);
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += ri[i * p + k] * ri[j * p + k];
      out[i * p + j] = s;
      out[j * p + i] = s;
    }
  }
  return dense(p, p, out);
}

export interface OlsMultiResult {
  /** p × m: column e holds the coefficients of equation e. */
  coefficients: Dense;
  /** T × m. */
  residuals: Dense;
  design: QrDesign;
}

/**
 * Several regressions on one design, Y (T × m) on X (T × p): what a VAR or a cross-section of
 * bond returns needs. Coefficients and residuals only; use `ols` for inference on one equation.
 */
export function olsMulti(
  y: Dense,
  x: Dense,
  what = "OLS",
  options: AxisNames & { rankTol?: number } = {},
): OlsMultiResult {
  if (y.rows !== x.rows) {
    throw new ModelError(
      `${what}: ${y.rows} rows of the dependent variables but ${x.rows} rows in the design`,
    );
  }
  assertFinite(y, `${what}: dependent variable`, { rowNames: options.rowNames });
  const design = factorDesign(x, what, options);
  return { ...solveWithDesign(design, y), design };
}

/** Coefficients and residuals of Y on a factored design. */
export function solveWithDesign(design: QrDesign, y: Dense): { coefficients: Dense; residuals: Dense } {
  const simd = simdKernels();
  const { rows: n, cols: p } = design.x;
  const m4 = (y.cols + 3) & ~3;
  if (simd?.fits((2 * n * p + p + 3 * n * m4 + p * m4) * 8)) return solveSimd(simd, design, y);
  const x = design.x;
  const coef = qrSolve(design.qr, y);
  const m = y.cols;
  const res = new Float64Array(n * m);
  const xd = x.data;
  const yd = y.data;
  const b = coef.data;
  for (let t = 0; t < n; t++) {
    const ox = t * p;
    const oy = t * m;
    for (let e = 0; e < m; e++) {
      let s = yd[oy + e];
      for (let k = 0; k < p; k++) s -= xd[ox + k] * b[k * m + e];
      res[oy + e] = s;
    }
  }
  return { coefficients: coef, residuals: dense(n, m, res) };
}

/**
 * `solveWithDesign` on the WebAssembly SIMD kernels `qty` (Qᵀ Y, four equations per sweep) and
 * `resid` (Y − X B): the same operations in the same order as `qrSolve` and the residual loop,
 * so the same bits; the p × p back substitution stays in JavaScript.
 */
function solveSimd(simd: SimdKernels, design: QrDesign, y: Dense): { coefficients: Dense; residuals: Dense } {
  const { n, p, factors, rdiag, tau } = design.qr;
  const m = y.cols;
  const m4 = (m + 3) & ~3;
  const yd = y.data;
  // layout (doubles): QR factors (n × p) | τ | Qᵀ Y (n × m4) | Y | X (n × p) | B (p × m4) | Y − X B
  const tauAt = n * p;
  const qyAt = tauAt + p;
  const yAt = qyAt + n * m4;
  const xAt = yAt + n * m4;
  const bAt = xAt + n * p;
  const resAt = bAt + p * m4;
  const heap = simd.heap((resAt + n * m4) * 8);
  heap.set(factors, 0);
  heap.set(tau, tauAt);
  // element loops, not subarray copies: a view per row costs more than copying its m values
  if (m4 === m) heap.set(yd, qyAt);
  else {
    heap.fill(0, qyAt, yAt);
    for (let t = 0; t < n; t++) for (let e = 0; e < m; e++) heap[qyAt + t * m4 + e] = yd[t * m + e];
  }
  heap.copyWithin(yAt, qyAt, yAt);
  heap.set(design.x.data, xAt);
  simd.qty(0, n, p, tauAt * 8, qyAt * 8, m4);
  const coef = new Float64Array(p * m);
  heap.fill(0, bAt, resAt);
  for (let e = 0; e < m; e++) {
    for (let i = p - 1; i >= 0; i--) {
      let s = heap[qyAt + i * m4 + e];
      for (let j = i + 1; j < p; j++) s -= factors[j * n + i] * coef[j * m + e];
      coef[i * m + e] = s / rdiag[i];
      heap[bAt + i * m4 + e] = coef[i * m + e];
    }
  }
  simd.resid(xAt * 8, n, p, bAt * 8, yAt * 8, m4, resAt * 8);
  const res = new Float64Array(n * m);
  if (m4 === m) res.set(heap.subarray(resAt, resAt + n * m));
  else for (let t = 0; t < n; t++) for (let e = 0; e < m; e++) res[t * m + e] = heap[resAt + t * m4 + e];
  return { coefficients: dense(p, m, coef), residuals: dense(n, m, res) };
}

/** True when column j of X is constant and non-zero (an intercept). */
function constantColumn(x: Dense): boolean {
  for (let j = 0; j < x.cols; j++) {
    const v0 = x.data[j];
    if (v0 === 0) continue;
    let same = true;
    for (let i = 1; i < x.rows && same; i++) same = x.data[i * x.cols + j] === v0;
    if (same) return true;
  }
  return false;
}

/**
 * Newey-West HAC covariance of OLS coefficients (Bartlett kernel, lag `lag`): the sandwich
 * (XᵀX)⁻¹ S (XᵀX)⁻¹ of the header comment, × T/(T − p) when `smallSample`.
 */
export function neweyWestCovariance(
  x: Dense,
  residuals: ArrayLike<number>,
  xtxInverse: Dense,
  lag: number,
  smallSample = false,
): Dense {
  const { rows: n, cols: p } = x;
  if (!Number.isInteger(lag) || lag < 0)
    throw new ModelError(`Newey-West lag must be a non-negative integer, got ${lag}`);
  if (lag >= n) throw new ModelError(`Newey-West lag ${lag} must be below the number of observations ${n}`);
  const g = new Float64Array(n * p);
  for (let t = 0; t < n; t++) for (let k = 0; k < p; k++) g[t * p + k] = x.data[t * p + k] * residuals[t];
  const s = new Float64Array(p * p);
  for (let l = 0; l <= lag; l++) {
    const w = 1 - l / (lag + 1);
    for (let t = l; t < n; t++) {
      const a = t * p;
      const b = (t - l) * p;
      for (let i = 0; i < p; i++) {
        const gi = g[a + i];
        for (let j = 0; j < p; j++) {
          const v = w * gi * g[b + j];
          s[i * p + j] += v;
          if (l > 0) s[j * p + i] += v;
        }
      }
    }
  }
  const h = xtxInverse.data;
  const tmp = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += h[i * p + k] * s[k * p + j];
      tmp[i * p + j] = acc;
    }
  const scale = smallSample ? n / (n - p) : 1;
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let acc = 0;
      for (let k = 0; k < p; k++) acc += tmp[i * p + k] * h[k * p + j];
      out[i * p + j] = acc * scale;
    }
  // symmetrise: the two triangles differ only by rounding
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      const v = 0.5 * (out[i * p + j] + out[j * p + i]);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  return dense(p, p, out);
}

/** OLS of y on X with classical and Newey-West inference. */
export function ols(y: ArrayLike<number>, x: Dense, options: OlsOptions = {}): OlsResult {
  const { rows: n, cols: p } = x;
  const yName = options.yName ?? "y";
  if (y.length !== n) throw new ModelError(`OLS: ${y.length} values of ${yName} but ${n} rows in the design`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) {
      throw new ModelError(
        `OLS: ${yName} is ${Number.isNaN(y[i]) ? "NaN (missing)" : y[i]} at ${rowLabel(i, options)}`,
      );
    }
  }
  if (n <= p) {
    throw new ModelError(
      `OLS: ${n} observations leave no degrees of freedom for ${p} coefficients (need > ${p})`,
    );
  }
  const design = factorDesign(x, "OLS", options);
  const { coefficients, residuals } = solveWithDesign(design, dense(n, 1, Float64Array.from(y)));
  const b = coefficients.data.slice();
  const u = residuals.data.slice();
  const fitted = new Float64Array(n);
  let ssr = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    fitted[i] = y[i] - u[i];
    ssr += u[i] * u[i];
    mean += y[i];
  }
  mean /= n;
  const hasConstant = constantColumn(x);
  let tss = 0;
  for (let i = 0; i < n; i++) tss += hasConstant ? (y[i] - mean) ** 2 : y[i] * y[i];
  const dfResid = n - p;
  const sigma2 = ssr / dfResid;
  const rSquared = tss > 0 ? 1 - ssr / tss : Number.NaN;
  const dfModelAdj = hasConstant ? n - 1 : n;
  const adjRSquared = tss > 0 ? 1 - ((1 - rSquared) * dfModelAdj) / dfResid : Number.NaN;
  const xtxInverse = xtxInverseFromQr(design);
  const cov = new Float64Array(p * p);
  for (let k = 0; k < p * p; k++) cov[k] = sigma2 * xtxInverse.data[k];
  const se = new Float64Array(p);
  const tv = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    se[j] = Math.sqrt(cov[j * p + j]);
    tv[j] = b[j] / se[j];
  }
  const lag = options.hacLag ?? neweyWestLag(n);
  const smallSample = options.hacSmallSample ?? false;
  const hacCov = neweyWestCovariance(x, u, xtxInverse, lag, smallSample);
  const hacSe = new Float64Array(p);
  const hacT = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    hacSe[j] = Math.sqrt(hacCov.data[j * p + j]);
    hacT[j] = b[j] / hacSe[j];
  }
  const colNames = Array.from({ length: p }, (_, j) => options.colNames?.[j] ?? `x${j}`);
  const warnings: Warning[] = [];
  if (tss === 0) warnings.push({ code: "constant-dependent", message: `${yName} is constant: R² undefined` });
  const result: OlsResult = {
    nobs: n,
    nparams: p,
    dfResid,
    coefficients: b,
    standardErrors: se,
    tValues: tv,
    residuals: u,
    fittedValues: fitted,
    ssr,
    sigma2,
    rSquared,
    adjRSquared,
    hasConstant,
    covParams: dense(p, p, cov),
    xtxInverse,
    hac: { lag, smallSample, covParams: hacCov, standardErrors: hacSe, tValues: hacT },
    colNames,
    yName,
    warnings,
    summary: () => olsSummary(result),
  };
  return result;
}

function fmt(v: number, w = 11): string {
  const s = Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
  return s.padStart(w);
}

function olsSummary(r: OlsResult): string {
  const rule = "=".repeat(78);
  const thin = "-".repeat(78);
  const kv = (k: string, v: string) => `${k.padEnd(22)}${v.padStart(16)}`;
  const lines = [
    "OLS regression (QR)".padStart(48),
    rule,
    `${kv("Dep. variable:", r.yName)}    ${kv("R-squared:", r.rSquared.toFixed(4))}`,
    `${kv("No. observations:", String(r.nobs))}    ${kv("Adj. R-squared:", r.adjRSquared.toFixed(4))}`,
    `${kv("Df residuals:", String(r.dfResid))}    ${kv("Residual s.d.:", Math.sqrt(r.sigma2).toPrecision(5))}`,
    `${kv("HAC:", `NW Bartlett L=${r.hac.lag}`)}    ${kv("Small-sample corr.:", r.hac.smallSample ? "yes" : "no")}`,
    rule,
    `${"".padEnd(14)}${"coef".padStart(11)}${"std err".padStart(11)}${"t".padStart(11)}${"HAC se".padStart(11)}${"HAC t".padStart(11)}`,
    thin,
  ];
  for (let j = 0; j < r.nparams; j++) {
    lines.push(
      `${r.colNames[j].slice(0, 13).padEnd(14)}${fmt(r.coefficients[j])}${fmt(r.standardErrors[j])}${fmt(r.tValues[j])}` +
        `${fmt(r.hac.standardErrors[j])}${fmt(r.hac.tValues[j])}`,
    );
  }
  lines.push(rule);
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}
