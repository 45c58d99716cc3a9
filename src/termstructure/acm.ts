/**
 * ACM term-structure model: Adrian, Crump & Moench (2013), "Pricing the term structure with
 * linear regressions", JFE 110(1), 110-138 — the model behind the NY Fed's ACM term premia.
 *
 * Input: zero-coupon yields, annualised percent, continuously compounded, consecutive month-ends,
 * maturities 1..120 months. One model period = one month. Three regression steps:
 *
 *  0. Factors X_t = first K principal components of demeaned yields at 3..120 months.
 *  1. VAR(1): X_{t+1} = μ + Φ X_t + v_{t+1};  Σ = V̂ᵀV̂ / (T − ddof)         (eq. 1; ddof 0 paper, 1 NY Fed)
 *  2. Excess returns rx_{t+1}(n) = ln P_{t+1}(n−1) − ln P_t(n) − r_t,  ln P_t(n) = −n y_t(n)/1200,
 *     r_t = y_t(1)/1200, regressed as rx = a + βᵀ v_{t+1} + c X_t + e, σ² = tr(ÊᵀÊ)/(N T)   (eq. 14)
 *  3. Prices of risk by cross-sectional regression (eqs. 16-17):
 *     λ₁ = (β βᵀ)⁻¹ β c,   λ₀ = (β βᵀ)⁻¹ β (a + ½(B* vec Σ + σ² ι)),  (B* vec Σ)_n = β_nᵀ Σ β_n.
 *  Short rate r_t = δ₀ + δ₁ᵀ X_t by OLS; then the affine recursions of ./affine.ts give fitted
 *  yields (with λ) and risk-neutral yields (λ = 0, convexity kept); term premium = fitted − RN.
 *
 * NY Fed production details (optional here, on by default in the CLI): excess returns on
 * n = 6, 12, 24, 36, ..., 120 ("production") rather than 6, 12, ..., 120 ("paper"); Σ divided by
 * T − 1; and before 1982-01 the 1-month yield — poorly pinned down by GSW curves fitted to notes
 * and bonds — is replaced by a + b·FEDFUNDS, (a, b) from OLS of the 1-month yield on the monthly
 * effective fed funds rate over 1982-01 .. sample end.
 *
 * The recipe and its numpy oracle: shared/reference/README.md "ACM recipe implemented",
 * shared/reference/acm_reference.py. All yields in and out are percent; A_n, B_n are log-price
 * loadings (decimal, per month).
 */
import { monthKey } from "../core/dates.ts";
import { ModelError, type Warning } from "../core/errors.ts";
import { type Dense, dense, solveSquare, toRows } from "../stats/dense.ts";
import type { EigenMethod } from "../stats/eigen.ts";
import { olsMulti } from "../stats/ols.ts";
import { type PcaResult, pca, pcaOfPanel, projectRows } from "../stats/pca.ts";
import { eigenModuli, estimateVar1 } from "../stats/var.ts";
import { simdKernels } from "../stats/wasm-simd.ts";
import { type AffineDynamics, type AffineLoadings, affineDecomposition, affineLoadings } from "./affine.ts";
import type { YieldPanel } from "./yield-panel.ts";

export type { YieldPanel };

/** A monthly series stamped by any day of its month (FRED uses the 1st). */
export interface MonthlyInput {
  dates: readonly string[];
  values: ArrayLike<number>;
}

export interface ShortRateFix {
  /** Monthly effective fed funds rate, percent (FRED FEDFUNDS: monthly average, dated the 1st). */
  fedFundsPct: MonthlyInput;
  /** First month (YYYY-MM) not replaced, and first month of the fit window. Default "1982-01". */
  before?: string;
}

/** 6, 12, 24, 36, ..., 120: the set of the NY Fed production code. */
export const PRODUCTION_RX_MATURITIES: readonly number[] = [6, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120];
/** 6, 12, 18, ..., 120: the set of the paper. */
export const PAPER_RX_MATURITIES: readonly number[] = Array.from({ length: 20 }, (_, i) => 6 * (i + 1));
/** 3..120 months: the maturities whose principal components are the factors. */
export const DEFAULT_PCA_MATURITIES: readonly number[] = Array.from({ length: 118 }, (_, i) => i + 3);

export interface AcmOptions {
  /** Number of pricing factors K (principal components). Default 5. */
  factors?: number;
  /** Maturities (months) whose PCs are the factors. Default 3..120. */
  pcaMaturities?: readonly number[];
  /** Bonds whose one-month excess returns identify the prices of risk. Default "production". */
  excessReturnMaturities?: "production" | "paper" | readonly number[];
  /** Σ = V̂ᵀV̂ / (T − sigmaDdof): 1 NY Fed production (default), 0 paper. */
  sigmaDdof?: number;
  /** NY Fed pre-1982 short-rate replacement. Off unless given. */
  shortRateFix?: ShortRateFix;
  /** Longest maturity priced in the outputs (months). Default 120. */
  outputMaxMonths?: number;
  /** Eigen-solver of the PCA. Default "auto" (verified subspace iteration). */
  pcaMethod?: EigenMethod;
}

/** Options after defaults, as recorded on the result. */
export interface AcmSettings {
  factors: number;
  pcaMaturities: number[];
  excessReturnMaturities: number[];
  excessReturnSet: "production" | "paper" | "custom";
  sigmaDdof: number;
  outputMaxMonths: number;
  shortRateFix: { before: string } | null;
}

export interface AcmParameters {
  k: number;
  /** VAR intercept μ (K). */
  mu: Float64Array;
  /** VAR slope Φ (K × K). */
  phi: Dense;
  /** Innovation covariance Σ (K × K). */
  sigma: Dense;
  /** Excess-return regression: intercepts a (N_rx), loadings β (K × N_rx), c (N_rx × K). */
  a: Float64Array;
  beta: Dense;
  c: Dense;
  /** Variance of the excess-return pricing errors (per month², decimal log returns). */
  sigma2: number;
  lambda0: Float64Array;
  lambda1: Dense;
  delta0: number;
  delta1: Float64Array;
  /** Log-price loadings with prices of risk: A_0..A_n, B (rows 0..n). */
  loadings: AffineLoadings;
  /** Risk-neutral loadings (λ = 0, convexity kept). */
  riskNeutralLoadings: AffineLoadings;
}

export interface AcmPcaInfo {
  maturitiesMonths: number[];
  means: Float64Array;
  /** N_pc × K. */
  loadings: Dense;
  eigenvalues: Float64Array;
  explainedVarianceRatio: Float64Array;
}

export interface ShortRateFixInfo {
  before: string;
  /** y₁ₘ = a + b · FEDFUNDS. */
  a: number;
  b: number;
  rSquared: number;
  /** Months in the fit window (from `before` to the sample end, with both series). */
  nobsFit: number;
  firstFitMonth: string;
  lastFitMonth: string;
  /** Months before `before` whose 1-month yield was replaced. */
  monthsReplaced: number;
}

export interface AcmDiagnostics {
  /** Months in the sample (T + 1). */
  nobs: number;
  /** Per maturity 1..outputMaxMonths: fitted − observed yield (observed after the short-rate fix). */
  pricingErrors: { maturitiesMonths: Int32Array; rmseBp: Float64Array; meanBp: Float64Array };
  /** √σ² in basis points of log price per month. */
  excessReturnErrorSdBp: number;
  /** Moduli of eig(Φ) (P) and eig(Φ − λ₁) (Q), largest first. */
  eigenModuliP: Float64Array;
  eigenModuliQ: Float64Array;
  shortRateFix: ShortRateFixInfo | null;
}

export interface AcmDecomposition {
  dates: string[];
  /** 1..outputMaxMonths. */
  maturitiesMonths: Int32Array;
  /** T × K. */
  factors: Dense;
  /** T × nMax, percent: column n−1 = maturity n. */
  fittedPct: Dense;
  riskNeutralPct: Dense;
  termPremiumPct: Dense;
}

export interface AcmResult extends AcmDecomposition {
  model: "ACM";
  settings: AcmSettings;
  parameters: AcmParameters;
  pca: AcmPcaInfo;
  diagnostics: AcmDiagnostics;
  warnings: Warning[];
  summary(): string;
  toJSON(): AcmJson;
}

// ------------------------------------------------------------------------------------------
// Panel checks
// ------------------------------------------------------------------------------------------

/** monthIndex of a date whose first seven characters are "YYYY-MM" (month 01-12), else −1. */
function monthNumber(d: string): number {
  if (d.length < 7 || d.charCodeAt(4) !== 45) return -1;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = d.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    year = year * 10 + c;
  }
  const m1 = d.charCodeAt(5) - 48;
  const m2 = d.charCodeAt(6) - 48;
  if (m1 < 0 || m1 > 1 || m2 < 0 || m2 > 9) return -1;
  const month = m1 * 10 + m2;
  return month >= 1 && month <= 12 ? year * 12 + month - 1 : -1;
}

/** monthIndex of a date already matched against YYYY-MM-DD, from char codes (no substrings). */
function monthOfDate(d: string): number {
  const year =
    (d.charCodeAt(0) - 48) * 1000 +
    (d.charCodeAt(1) - 48) * 100 +
    (d.charCodeAt(2) - 48) * 10 +
    d.charCodeAt(3) -
    48;
  return year * 12 + (d.charCodeAt(5) - 48) * 10 + d.charCodeAt(6) - 48 - 1;
}

/** Months since year 0 of a "YYYY-MM" key or a "YYYY-MM-DD" date. */
function monthIndex(key: string): number {
  return Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1;
}

function isMonthKey(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

/** Column of each maturity in the panel; throws on duplicates or bad maturities. */
function maturityColumns(panel: YieldPanel, what: string): Map<number, number> {
  const cols = new Map<number, number>();
  const mats = panel.maturitiesMonths;
  for (let j = 0; j < mats.length; j++) {
    const m = mats[j];
    if (!Number.isInteger(m) || m <= 0)
      throw new ModelError(`${what}: maturity ${m} (column ${j}) is not a positive whole number of months`);
    if (cols.has(m))
      throw new ModelError(`${what}: maturity ${m} months appears twice (columns ${cols.get(m)} and ${j})`);
    cols.set(m, j);
  }
  const t = panel.dates.length;
  if (panel.yieldsPct.length !== t * mats.length) {
    throw new ModelError(
      `${what}: ${panel.yieldsPct.length} yields for ${t} dates x ${mats.length} maturities (expected ${t * mats.length})`,
    );
  }
  return cols;
}

function requireMaturities(
  cols: Map<number, number>,
  needed: Iterable<number>,
  what: string,
  why: string,
): void {
  const missing = [...new Set(needed)].filter((m) => !cols.has(m)).sort((x, y) => x - y);
  if (missing.length > 0) {
    const shown =
      missing.length > 12
        ? `${missing.slice(0, 12).join(", ")}, ... (${missing.length} in all)`
        : missing.join(", ");
    throw new ModelError(`${what}: panel lacks maturities ${shown} months (${why})`);
  }
}

/**
 * Whether every value is finite: NaN·0 and ±Inf·0 are NaN, so Σ v·0 is 0 exactly when all are
 * finite. On the WebAssembly SIMD kernel `finiteProbe` when available (a copy and a vector sweep
 * beat a scalar sweep several times), else four interleaved scalar sums.
 */
function allFinite(v: Float64Array): boolean {
  const len = v.length;
  const simd = simdKernels();
  if (simd?.fits(len * 8)) {
    const heap = simd.heap(len * 8);
    heap.set(v, 0);
    const odd = len & 1 ? v[len - 1] * 0 : 0;
    return simd.finiteProbe(0, len >>> 1) + odd === 0;
  }
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    s0 += v[i] * 0;
    s1 += v[i + 1] * 0;
    s2 += v[i + 2] * 0;
    s3 += v[i + 3] * 0;
  }
  for (; i < len; i++) s0 += v[i] * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** T × m matrix of the panel's columns for `maturities`, rejecting NaN with date and maturity. */
function extractColumns(
  panel: YieldPanel,
  cols: Map<number, number>,
  maturities: readonly number[],
  what: string,
): Dense {
  const t = panel.dates.length;
  const n = panel.maturitiesMonths.length;
  const m = maturities.length;
  const y = panel.yieldsPct;
  const src = Int32Array.from(maturities, (mat) => cols.get(mat) as number);
  let leading = m <= n;
  for (let c = 0; c < m && leading; c++) leading = src[c] === c;
  if (leading) {
    // the usual panel (columns 1..120 in order): copy rows whole, then one finiteness sweep;
    // NaN·0 and ±Inf·0 are NaN, so four running sums of v·0 stay 0 exactly when all are finite
    const out = new Float64Array(t * m);
    if (m === n) out.set(y.subarray(0, t * n));
    else for (let r = 0; r < t; r++) out.set(y.subarray(r * n, r * n + m), r * m);
    if (allFinite(out)) return dense(t, m, out);
  }
  const out = new Float64Array(t * m);
  // rows outer: the panel is row-major, so this streams through it once
  for (let r = 0; r < t; r++) {
    const o = r * n;
    const w = r * m;
    for (let c = 0; c < m; c++) {
      const v = y[o + src[c]];
      if (!Number.isFinite(v)) {
        throw new ModelError(
          `${what}: yield is ${Number.isNaN(v) ? "NaN (missing)" : String(v)} at ${panel.dates[r]}, maturity ${maturities[c]} months`,
        );
      }
      out[w + c] = v;
    }
  }
  return dense(t, m, out);
}

function checkDates(dates: readonly string[], what: string, consecutiveMonths: boolean): void {
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d))
      throw new ModelError(`${what}: date "${d}" at row ${i} is not YYYY-MM-DD`);
    if (i === 0) continue;
    if (consecutiveMonths) {
      const gap = monthOfDate(d) - monthOfDate(dates[i - 1]);
      if (gap !== 1) {
        throw new ModelError(
          gap === 0
            ? `${what}: two rows in month ${monthKey(d)} (${dates[i - 1]}, ${d}); the model needs one observation per month`
            : gap < 0
              ? `${what}: dates are not increasing (${d} follows ${dates[i - 1]})`
              : `${what}: gap of ${gap - 1} month(s) between ${dates[i - 1]} and ${d}; the model needs consecutive months`,
        );
      }
    } else if (d <= dates[i - 1]) {
      throw new ModelError(`${what}: dates must be strictly increasing (${d} follows ${dates[i - 1]})`);
    }
  }
}

// ------------------------------------------------------------------------------------------
// Settings
// ------------------------------------------------------------------------------------------

function resolveSettings(options: AcmOptions): AcmSettings {
  const factors = options.factors ?? 5;
  if (!Number.isInteger(factors) || factors < 1)
    throw new ModelError(`ACM: factors must be a positive integer, got ${factors}`);
  const pcaMaturities = [...(options.pcaMaturities ?? DEFAULT_PCA_MATURITIES)];
  const rxOpt = options.excessReturnMaturities ?? "production";
  const excessReturnMaturities =
    rxOpt === "production"
      ? [...PRODUCTION_RX_MATURITIES]
      : rxOpt === "paper"
        ? [...PAPER_RX_MATURITIES]
        : [...rxOpt];
  const excessReturnSet = rxOpt === "production" || rxOpt === "paper" ? rxOpt : "custom";
  const sigmaDdof = options.sigmaDdof ?? 1;
  const outputMaxMonths = options.outputMaxMonths ?? 120;
  if (!Number.isInteger(outputMaxMonths) || outputMaxMonths < 1) {
    throw new ModelError(`ACM: outputMaxMonths must be a positive integer, got ${outputMaxMonths}`);
  }
  for (const n of excessReturnMaturities) {
    if (!Number.isInteger(n) || n < 2) {
      throw new ModelError(
        `ACM: excess-return maturity ${n} is invalid (whole months >= 2: the bond is n-1 months old a month later)`,
      );
    }
  }
  if (new Set(excessReturnMaturities).size !== excessReturnMaturities.length) {
    throw new ModelError("ACM: excess-return maturities contain duplicates");
  }
  if (excessReturnMaturities.length < factors) {
    throw new ModelError(
      `ACM: ${excessReturnMaturities.length} excess-return maturities cannot identify ${factors} prices of risk (need >= factors)`,
    );
  }
  if (pcaMaturities.length < factors) {
    throw new ModelError(
      `ACM: ${factors} principal components need at least ${factors} PCA maturities, got ${pcaMaturities.length}`,
    );
  }
  let shortRateFix: AcmSettings["shortRateFix"] = null;
  if (options.shortRateFix) {
    const before = options.shortRateFix.before ?? "1982-01";
    const key = before.length >= 7 ? before.slice(0, 7) : before;
    if (!isMonthKey(key)) throw new ModelError(`ACM: shortRateFix.before must be YYYY-MM, got "${before}"`);
    shortRateFix = { before: key };
  }
  return {
    factors,
    pcaMaturities,
    excessReturnMaturities,
    excessReturnSet,
    sigmaDdof,
    outputMaxMonths,
    shortRateFix,
  };
}

/** Residual degrees of freedom the excess-return regression must keep: the sample-length floor. */
const MIN_RESIDUAL_DOF = 10;

/** Shortest sample (months) for K factors: T − (1 + 2K) ≥ 10 in the excess-return regression. */
export function acmMinimumMonths(factors: number): number {
  return 2 * factors + 2 + MIN_RESIDUAL_DOF;
}

// ------------------------------------------------------------------------------------------
// Short-rate fix
// ------------------------------------------------------------------------------------------

/**
 * Replace the 1-month yield before `before` by a + b·FEDFUNDS, (a, b) by OLS over months from
 * `before` to the sample end (months matched by YYYY-MM). Mutates `shortRatePct` in place.
 */
function applyShortRateFix(
  dates: readonly string[],
  shortRatePct: Float64Array,
  fix: ShortRateFix,
  before: string,
  warnings: Warning[],
): ShortRateFixInfo {
  const fd = fix.fedFundsPct.dates;
  const fv = fix.fedFundsPct.values;
  if (fd.length !== fv.length)
    throw new ModelError(`short-rate fix: FEDFUNDS has ${fd.length} dates but ${fv.length} values`);
  // fed funds by panel row (the panel's months are consecutive, checked): NaN where absent.
  // Integer month numbers instead of a map of "YYYY-MM" strings: this runs in every estimation.
  const first = monthIndex(dates[0]);
  const ff = new Float64Array(dates.length).fill(Number.NaN);
  for (let i = 0; i < fd.length; i++) {
    const m = monthNumber(fd[i]);
    if (m >= first && m - first < dates.length && Number.isFinite(fv[i])) ff[m - first] = fv[i];
  }
  const beforeIdx = monthIndex(before);
  const fitRows: number[] = [];
  const repRows: number[] = [];
  const unmatched: string[] = [];
  for (let r = 0; r < dates.length; r++) {
    const has = !Number.isNaN(ff[r]);
    if (first + r >= beforeIdx) {
      if (has) fitRows.push(r);
    } else if (has) repRows.push(r);
    else unmatched.push(monthKey(dates[r]));
  }
  if (fitRows.length < 12) {
    throw new ModelError(
      `short-rate fix: only ${fitRows.length} months from ${before} to the sample end have both a 1-month yield and ` +
        "FEDFUNDS; the fit needs at least 12 (does the sample reach past the cutoff, does FEDFUNDS cover it?)",
    );
  }
  const n = fitRows.length;
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = fitRows[i];
    x[2 * i] = 1;
    x[2 * i + 1] = ff[r];
    y[i] = shortRatePct[r];
  }
  const fit = olsMulti(dense(n, 1, y), dense(n, 2, x), "short-rate fix (1-month yield on FEDFUNDS)", {
    colNames: ["const", "FEDFUNDS"],
    rowNames: fitRows.map((r) => dates[r]),
  });
  const a = fit.coefficients.data[0];
  const b = fit.coefficients.data[1];
  let ssr = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    ssr += fit.residuals.data[i] ** 2;
    tss += (y[i] - mean) ** 2;
  }
  for (const r of repRows) shortRatePct[r] = a + b * ff[r];
  if (unmatched.length > 0) {
    warnings.push({
      code: "short-rate-fix-gap",
      message:
        `short-rate fix: no FEDFUNDS for ${unmatched.length} month(s) before ${before} ` +
        `(${unmatched[0]}${unmatched.length > 1 ? ` .. ${unmatched[unmatched.length - 1]}` : ""}); their 1-month yield is kept`,
      series: "FEDFUNDS",
      date: unmatched[0],
    });
  }
  return {
    before,
    a,
    b,
    rSquared: tss > 0 ? 1 - ssr / tss : Number.NaN,
    nobsFit: n,
    firstFitMonth: monthKey(dates[fitRows[0]]),
    lastFitMonth: monthKey(dates[fitRows[n - 1]]),
    monthsReplaced: repRows.length,
  };
}

// ------------------------------------------------------------------------------------------
// Estimation
// ------------------------------------------------------------------------------------------

/** The estimation input after checks: yields by maturity 1..nNeed and the short rate. */
interface PreparedPanel {
  dates: string[];
  /** T × nNeed, column n−1 = maturity n (1-month column after the short-rate fix). */
  byMonth: Dense;
  /** Maturities 1..nNeed present. */
  nNeed: number;
  fix: ShortRateFixInfo | null;
  warnings: Warning[];
}

function preparePanel(panel: YieldPanel, s: AcmSettings, options: AcmOptions): PreparedPanel {
  const what = "ACM";
  const cols = maturityColumns(panel, what);
  const t = panel.dates.length;
  const minMonths = acmMinimumMonths(s.factors);
  if (t < minMonths) {
    throw new ModelError(
      `${what}: ${t} months is too short a sample for ${s.factors} factors: need at least ${minMonths} ` +
        `(T - 1 - 2K >= ${MIN_RESIDUAL_DOF} residual degrees of freedom in the excess-return regression)`,
    );
  }
  checkDates(panel.dates, what, true);
  const nNeed = Math.max(s.outputMaxMonths, ...s.excessReturnMaturities, ...s.pcaMaturities);
  const all = Array.from({ length: nNeed }, (_, i) => i + 1);
  requireMaturities(
    cols,
    all,
    what,
    `needs every month 1..${nNeed} for the short rate, excess returns, PCA and outputs`,
  );
  const byMonth = extractColumns(panel, cols, all, what);
  const warnings: Warning[] = [];
  let fix: ShortRateFixInfo | null = null;
  if (options.shortRateFix && s.shortRateFix) {
    const y1 = new Float64Array(t);
    for (let r = 0; r < t; r++) y1[r] = byMonth.data[r * nNeed];
    fix = applyShortRateFix(panel.dates, y1, options.shortRateFix, s.shortRateFix.before, warnings);
    for (let r = 0; r < t; r++) byMonth.data[r * nNeed] = y1[r];
  }
  return { dates: [...panel.dates], byMonth, nNeed, fix, warnings };
}

/**
 * Steps 1-3 and the short-rate regression for given factors X (T × K) and yields by maturity
 * (T × nNeed, column n−1 = maturity n): everything after the PCA. ACM's estimates of yields and
 * premia are invariant to replacing X by X M + c for invertible M, which tests exploit.
 */
function estimateGivenFactors(
  byMonth: Dense,
  nNeed: number,
  x: Dense,
  s: AcmSettings,
  dates: readonly string[],
): AcmParameters {
  const t1 = byMonth.rows; // T + 1 months
  const t = t1 - 1;
  const k = x.cols;
  const y = byMonth.data;
  const rx = s.excessReturnMaturities;
  const nRx = rx.length;
  // excess returns rx_{t+1}(n) = p_{t+1}(n−1) − p_t(n) − r_t with p(n) = −n y(n)/1200
  const rxData = new Float64Array(t * nRx);
  for (let r = 0; r < t; r++) {
    const shortRate = y[r * nNeed] / 1200;
    for (let i = 0; i < nRx; i++) {
      const n = rx[i];
      const pNext = (-(n - 1) / 1200) * y[(r + 1) * nNeed + n - 2];
      const pNow = (-n / 1200) * y[r * nNeed + n - 1];
      rxData[r * nRx + i] = pNext - pNow - shortRate;
    }
  }
  // step 1: VAR(1)
  const v1 = estimateVar1(x, { ddof: s.sigmaDdof, rowNames: dates });
  // step 2: rx = a + β'v + c X + e
  const p2 = 1 + 2 * k;
  const z2 = new Float64Array(t * p2);
  const vd = v1.residuals.data;
  for (let r = 0; r < t; r++) {
    z2[r * p2] = 1;
    for (let i = 0; i < k; i++) {
      z2[r * p2 + 1 + i] = vd[r * k + i];
      z2[r * p2 + 1 + k + i] = x.data[r * k + i];
    }
  }
  const reg = olsMulti(dense(t, nRx, rxData), dense(t, p2, z2), "ACM excess-return regression", {
    rowNames: dates.slice(1),
  });
  const g = reg.coefficients.data; // p2 × nRx
  const a = new Float64Array(nRx);
  const beta = new Float64Array(k * nRx);
  const c = new Float64Array(nRx * k);
  for (let i = 0; i < nRx; i++) {
    a[i] = g[i];
    for (let j = 0; j < k; j++) {
      beta[j * nRx + i] = g[(1 + j) * nRx + i];
      c[i * k + j] = g[(1 + k + j) * nRx + i];
    }
  }
  let sse = 0;
  for (const e of reg.residuals.data) sse += e * e;
  const sigma2 = sse / (nRx * t);
  // step 3: prices of risk
  const bbt = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = i; j < k; j++) {
      let acc = 0;
      for (let q = 0; q < nRx; q++) acc += beta[i * nRx + q] * beta[j * nRx + q];
      bbt[i * k + j] = acc;
      bbt[j * k + i] = acc;
    }
  const sig = v1.sigma.data;
  const rhs = new Float64Array(k * (k + 1)); // [β c | β (a + ½(B* vec Σ + σ²))]
  const adj = new Float64Array(nRx);
  for (let q = 0; q < nRx; q++) {
    let quad = 0;
    for (let i = 0; i < k; i++) {
      let si = 0;
      for (let j = 0; j < k; j++) si += sig[i * k + j] * beta[j * nRx + q];
      quad += beta[i * nRx + q] * si;
    }
    adj[q] = a[q] + 0.5 * (quad + sigma2);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let acc = 0;
      for (let q = 0; q < nRx; q++) acc += beta[i * nRx + q] * c[q * k + j];
      rhs[i * (k + 1) + j] = acc;
    }
    let acc = 0;
    for (let q = 0; q < nRx; q++) acc += beta[i * nRx + q] * adj[q];
    rhs[i * (k + 1) + k] = acc;
  }
  const sol = solveSquare(
    dense(k, k, bbt),
    dense(k, k + 1, rhs),
    "ACM prices of risk (beta beta' is singular: the excess returns do not load on every factor shock)",
  ).data;
  const lambda1 = new Float64Array(k * k);
  const lambda0 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) lambda1[i * k + j] = sol[i * (k + 1) + j];
    lambda0[i] = sol[i * (k + 1) + k];
  }
  // short rate r_t = δ₀ + δ₁'X_t over all T + 1 months
  const z3 = new Float64Array(t1 * (k + 1));
  const rShort = new Float64Array(t1);
  for (let r = 0; r < t1; r++) {
    z3[r * (k + 1)] = 1;
    for (let i = 0; i < k; i++) z3[r * (k + 1) + 1 + i] = x.data[r * k + i];
    rShort[r] = y[r * nNeed] / 1200;
  }
  const sr = olsMulti(dense(t1, 1, rShort), dense(t1, k + 1, z3), "ACM short-rate regression", {
    rowNames: dates,
  });
  const delta0 = sr.coefficients.data[0];
  const delta1 = sr.coefficients.data.slice(1);
  const dyn: AffineDynamics = { k, mu: v1.mu, phi: v1.phi, sigma: v1.sigma, delta0, delta1, sigma2 };
  const l1 = dense(k, k, lambda1);
  return {
    k,
    mu: v1.mu,
    phi: v1.phi,
    sigma: v1.sigma,
    a,
    beta: dense(k, nRx, beta),
    c: dense(nRx, k, c),
    sigma2,
    lambda0,
    lambda1: l1,
    delta0,
    delta1,
    loadings: affineLoadings(dyn, lambda0, l1, s.outputMaxMonths),
    riskNeutralLoadings: affineLoadings(dyn, null, null, s.outputMaxMonths),
  };
}

export interface AcmEstimate {
  settings: AcmSettings;
  dates: string[];
  parameters: AcmParameters;
  pca: AcmPcaInfo;
  /** T × K factors of the estimation sample. */
  factors: Dense;
  shortRateFix: ShortRateFixInfo | null;
  warnings: Warning[];
  /** Estimation yields by maturity 1..nNeed (after the short-rate fix). */
  observedByMonth: Dense;
}

/**
 * Principal components of the (checked, short-rate-fixed) yields at the PCA maturities. The
 * usual contiguous range (3..120) is read in place from the by-maturity panel; any other set is
 * copied out first. Both give the same bits.
 */
function factorPca(prep: PreparedPanel, s: AcmSettings, method: EigenMethod | undefined): PcaResult {
  const mats = s.pcaMaturities;
  const nPc = mats.length;
  const t = prep.byMonth.rows;
  const opts = { components: s.factors, method, rowNames: prep.dates, colNames: mats.map((m) => `${m}m`) };
  let contiguous = true;
  for (let c = 1; c < nPc; c++) if (mats[c] !== mats[0] + c) contiguous = false;
  if (contiguous) return pcaOfPanel(prep.byMonth.data, t, prep.nNeed, mats[0] - 1, nPc, opts);
  const pcaData = dense(t, nPc);
  for (let r = 0; r < t; r++)
    for (let c = 0; c < nPc; c++) pcaData.data[r * nPc + c] = prep.byMonth.data[r * prep.nNeed + mats[c] - 1];
  return pca(pcaData, opts);
}

/**
 * The estimation alone (PCA, regressions, loadings), without pricing every month: the unit of
 * work of a bootstrap. `fitAcm` adds the decomposition and diagnostics.
 */
export function estimateAcm(panel: YieldPanel, options: AcmOptions = {}): AcmEstimate {
  const s = resolveSettings(options);
  const prep = preparePanel(panel, s, options);
  const p = factorPca(prep, s, options.pcaMethod);
  const parameters = estimateGivenFactors(prep.byMonth, prep.nNeed, p.scores, s, prep.dates);
  return {
    settings: s,
    dates: prep.dates,
    parameters,
    pca: {
      maturitiesMonths: s.pcaMaturities,
      means: p.means,
      loadings: p.loadings,
      eigenvalues: p.eigenvalues,
      explainedVarianceRatio: p.explainedVarianceRatio,
    },
    factors: p.scores,
    shortRateFix: prep.fix,
    warnings: [...prep.warnings, ...p.warnings],
    observedByMonth: prep.byMonth,
  };
}

/**
 * ACM estimation with factors supplied by the caller instead of the panel's PCs (T × K, one row
 * per panel date). For research and for the invariance check: any invertible affine map of the
 * PCs gives the same fitted, risk-neutral and term-premium yields.
 */
export function estimateAcmWithFactors(
  panel: YieldPanel,
  factors: Dense,
  options: AcmOptions = {},
): AcmEstimate {
  const s = resolveSettings({ ...options, factors: factors.cols });
  const prep = preparePanel(panel, s, options);
  if (factors.rows !== prep.dates.length) {
    throw new ModelError(`ACM: ${factors.rows} rows of factors for ${prep.dates.length} months`);
  }
  for (let i = 0; i < factors.data.length; i++) {
    if (!Number.isFinite(factors.data[i])) {
      const r = Math.floor(i / factors.cols);
      throw new ModelError(`ACM: factor ${i - r * factors.cols} is not finite at ${prep.dates[r]}`);
    }
  }
  const parameters = estimateGivenFactors(prep.byMonth, prep.nNeed, factors, s, prep.dates);
  return {
    settings: s,
    dates: prep.dates,
    parameters,
    pca: {
      maturitiesMonths: [],
      means: new Float64Array(0),
      loadings: dense(0, factors.cols),
      eigenvalues: new Float64Array(0),
      explainedVarianceRatio: new Float64Array(0),
    },
    factors,
    shortRateFix: prep.fix,
    warnings: prep.warnings,
    observedByMonth: prep.byMonth,
  };
}

/** Fitted, risk-neutral and term-premium yields (percent) for factor rows X. */
function price(params: AcmParameters, x: Dense): { fitted: Dense; riskNeutral: Dense; termPremium: Dense } {
  const nMax = params.loadings.nMax;
  const { fitted, riskNeutral, termPremium } = affineDecomposition(
    params.loadings,
    params.riskNeutralLoadings,
    x,
  );
  const t = x.rows;
  return {
    fitted: dense(t, nMax, fitted),
    riskNeutral: dense(t, nMax, riskNeutral),
    termPremium: dense(t, nMax, termPremium),
  };
}

/** Full monthly ACM: estimation, decomposition at maturities 1..outputMaxMonths, diagnostics. */
export function fitAcm(panel: YieldPanel, options: AcmOptions = {}): AcmResult {
  return completeFit(estimateAcm(panel, options));
}

/** Decomposition and diagnostics for an estimate (from `estimateAcm` or `estimateAcmWithFactors`). */
export function completeFit(est: AcmEstimate): AcmResult {
  const params = est.parameters;
  const nMax = est.settings.outputMaxMonths;
  const priced = price(params, est.factors);
  const t = est.dates.length;
  const obs = est.observedByMonth;
  const rmse = new Float64Array(nMax);
  const mean = new Float64Array(nMax);
  const fit = priced.fitted.data;
  const od = obs.data;
  const oc = obs.cols;
  // four maturities per sweep down the months, sums in registers: each maturity still adds its
  // months in order from zero (same bits as a row-by-row loop), without a load and store of the
  // running sums per element
  let n0 = 0;
  for (; n0 + 4 <= nMax; n0 += 4) {
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    let q3 = 0;
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    for (let r = 0; r < t; r++) {
      const of = r * nMax + n0;
      const oo = r * oc + n0;
      const e0 = (fit[of] - od[oo]) * 100;
      const e1 = (fit[of + 1] - od[oo + 1]) * 100;
      const e2 = (fit[of + 2] - od[oo + 2]) * 100;
      const e3 = (fit[of + 3] - od[oo + 3]) * 100;
      q0 += e0 * e0;
      q1 += e1 * e1;
      q2 += e2 * e2;
      q3 += e3 * e3;
      m0 += e0;
      m1 += e1;
      m2 += e2;
      m3 += e3;
    }
    rmse[n0] = q0;
    rmse[n0 + 1] = q1;
    rmse[n0 + 2] = q2;
    rmse[n0 + 3] = q3;
    mean[n0] = m0;
    mean[n0 + 1] = m1;
    mean[n0 + 2] = m2;
    mean[n0 + 3] = m3;
  }
  for (let n = n0; n < nMax; n++) {
    for (let r = 0; r < t; r++) {
      const e = (fit[r * nMax + n] - od[r * oc + n]) * 100;
      rmse[n] += e * e;
      mean[n] += e;
    }
  }
  for (let n = 0; n < nMax; n++) {
    rmse[n] = Math.sqrt(rmse[n] / t);
    mean[n] /= t;
  }
  const k = params.k;
  const phiQ = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) phiQ[i] = params.phi.data[i] - params.lambda1.data[i];
  const diagnostics: AcmDiagnostics = {
    nobs: t,
    pricingErrors: { maturitiesMonths: maturityAxis(nMax), rmseBp: rmse, meanBp: mean },
    excessReturnErrorSdBp: Math.sqrt(params.sigma2) * 1e4,
    eigenModuliP: eigenModuli(params.phi),
    eigenModuliQ: eigenModuli(dense(k, k, phiQ)),
    shortRateFix: est.shortRateFix,
  };
  const warnings = [...est.warnings];
  if (diagnostics.eigenModuliP[0] >= 1) {
    warnings.push({
      code: "acm-var-nonstationary",
      message: `VAR(1) of the factors has an eigenvalue of modulus ${diagnostics.eigenModuliP[0].toFixed(5)} >= 1: expected short rates do not mean-revert`,
    });
  }
  const result: AcmResult = {
    model: "ACM",
    dates: est.dates,
    maturitiesMonths: maturityAxis(nMax),
    factors: est.factors,
    fittedPct: priced.fitted,
    riskNeutralPct: priced.riskNeutral,
    termPremiumPct: priced.termPremium,
    settings: est.settings,
    parameters: params,
    pca: est.pca,
    diagnostics,
    warnings,
    summary: () => acmSummary(result),
    toJSON: () => acmToJson(result),
  };
  return result;
}

function maturityAxis(nMax: number): Int32Array {
  return Int32Array.from({ length: nMax }, (_, i) => i + 1);
}

/**
 * Daily (or any-frequency) decomposition with the MONTHLY parameters: daily yields at the PCA
 * maturities are projected on the monthly means and loadings, then priced with the monthly
 * A_n, B_n — the NY Fed's daily series is built this way. A day that is also a month-end of the
 * estimation sample gets exactly (bit for bit) the monthly values, because both go through the
 * same projection and pricing code.
 */
export function decomposeDaily(result: AcmResult, daily: YieldPanel): AcmDecomposition {
  const what = "ACM daily decomposition";
  if (result.pca.maturitiesMonths.length === 0) {
    throw new ModelError(
      `${what}: the result was estimated with user-supplied factors; there are no PCA loadings to project on`,
    );
  }
  const cols = maturityColumns(daily, what);
  checkDates(daily.dates, what, false);
  const pcMats = result.pca.maturitiesMonths;
  requireMaturities(cols, pcMats, what, "the monthly factors are principal components of these maturities");
  // project straight from the panel (no copy): the same arithmetic as the monthly scores
  const src = Int32Array.from(pcMats, (m) => cols.get(m) as number);
  const nCols = daily.maturitiesMonths.length;
  const proj = projectRows(
    daily.yieldsPct,
    daily.dates.length,
    nCols,
    src,
    result.pca.means,
    result.pca.loadings,
  );
  if (proj.badRow >= 0) {
    const r = proj.badRow;
    for (let c = 0; c < src.length; c++) {
      const v = daily.yieldsPct[r * nCols + src[c]];
      if (!Number.isFinite(v)) {
        throw new ModelError(
          `${what}: yield is ${Number.isNaN(v) ? "NaN (missing)" : String(v)} at ${daily.dates[r]}, maturity ${pcMats[c]} months`,
        );
      }
    }
  }
  const x = proj.scores;
  const priced = price(result.parameters, x);
  return {
    dates: [...daily.dates],
    maturitiesMonths: maturityAxis(result.settings.outputMaxMonths),
    factors: x,
    fittedPct: priced.fitted,
    riskNeutralPct: priced.riskNeutral,
    termPremiumPct: priced.termPremium,
  };
}

/** One maturity of a decomposition as a column: `which` of fitted / riskNeutral / termPremium. */
export function acmColumn(
  dec: AcmDecomposition,
  which: "fitted" | "riskNeutral" | "termPremium",
  months: number,
): Float64Array {
  const m =
    which === "fitted" ? dec.fittedPct : which === "riskNeutral" ? dec.riskNeutralPct : dec.termPremiumPct;
  if (!Number.isInteger(months) || months < 1 || months > m.cols) {
    throw new ModelError(`ACM: maturity ${months} months is outside the priced range 1..${m.cols}`);
  }
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + months - 1];
  return out;
}

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------

export interface AcmJson {
  model: "ACM";
  reference: string;
  settings: AcmSettings;
  dates: string[];
  maturitiesMonths: number[];
  /** Row per date, column per maturity 1..n (percent). */
  fittedPct: number[][];
  riskNeutralPct: number[][];
  termPremiumPct: number[][];
  factors: number[][];
  parameters: {
    mu: number[];
    phi: number[][];
    sigma: number[][];
    lambda0: number[];
    lambda1: number[][];
    delta0: number;
    delta1: number[];
    sigma2: number;
    excessReturnIntercepts: number[];
    beta: number[][];
    c: number[][];
    A: number[];
    B: number[][];
    riskNeutralA: number[];
    riskNeutralB: number[][];
  };
  pca: {
    maturitiesMonths: number[];
    means: number[];
    loadings: number[][];
    eigenvalues: number[];
    explainedVarianceRatio: number[];
  };
  diagnostics: {
    nobs: number;
    pricingErrors: { maturitiesMonths: number[]; rmseBp: number[]; meanBp: number[] };
    excessReturnErrorSdBp: number;
    eigenModuliP: number[];
    eigenModuliQ: number[];
    shortRateFix: ShortRateFixInfo | null;
  };
  warnings: Warning[];
}

function loadingRows(l: AffineLoadings): number[][] {
  return toRows(dense(l.nMax + 1, l.k, l.b));
}

function acmToJson(r: AcmResult): AcmJson {
  const p = r.parameters;
  return {
    model: "ACM",
    reference:
      "Adrian, Crump & Moench (2013), Pricing the term structure with linear regressions, JFE 110(1)",
    settings: r.settings,
    dates: r.dates,
    maturitiesMonths: Array.from(r.maturitiesMonths),
    fittedPct: toRows(r.fittedPct),
    riskNeutralPct: toRows(r.riskNeutralPct),
    termPremiumPct: toRows(r.termPremiumPct),
    factors: toRows(r.factors),
    parameters: {
      mu: Array.from(p.mu),
      phi: toRows(p.phi),
      sigma: toRows(p.sigma),
      lambda0: Array.from(p.lambda0),
      lambda1: toRows(p.lambda1),
      delta0: p.delta0,
      delta1: Array.from(p.delta1),
      sigma2: p.sigma2,
      excessReturnIntercepts: Array.from(p.a),
      beta: toRows(p.beta),
      c: toRows(p.c),
      A: Array.from(p.loadings.a),
      B: loadingRows(p.loadings),
      riskNeutralA: Array.from(p.riskNeutralLoadings.a),
      riskNeutralB: loadingRows(p.riskNeutralLoadings),
    },
    pca: {
      maturitiesMonths: r.pca.maturitiesMonths,
      means: Array.from(r.pca.means),
      loadings: toRows(r.pca.loadings),
      eigenvalues: Array.from(r.pca.eigenvalues),
      explainedVarianceRatio: Array.from(r.pca.explainedVarianceRatio),
    },
    diagnostics: {
      nobs: r.diagnostics.nobs,
      pricingErrors: {
        maturitiesMonths: Array.from(r.diagnostics.pricingErrors.maturitiesMonths),
        rmseBp: Array.from(r.diagnostics.pricingErrors.rmseBp),
        meanBp: Array.from(r.diagnostics.pricingErrors.meanBp),
      },
      excessReturnErrorSdBp: r.diagnostics.excessReturnErrorSdBp,
      eigenModuliP: Array.from(r.diagnostics.eigenModuliP),
      eigenModuliQ: Array.from(r.diagnostics.eigenModuliQ),
      shortRateFix: r.diagnostics.shortRateFix,
    },
    warnings: r.warnings,
  };
}

function rxLabel(s: AcmSettings): string {
  const m = s.excessReturnMaturities;
  const list = m.length > 6 ? `${m.slice(0, 4).join(",")},...,${m[m.length - 1]}` : m.join(",");
  return `${m.length} maturities (${s.excessReturnSet}: ${list})`;
}

function num(v: number, w: number, d = 4): string {
  const s = v !== 0 && (Math.abs(v) < 10 ** -d || Math.abs(v) >= 1e6) ? v.toExponential(2) : v.toFixed(d);
  return s.padStart(w);
}

function acmSummary(r: AcmResult): string {
  const W = 92;
  const rule = "=".repeat(W);
  const thin = "-".repeat(W);
  const s = r.settings;
  const p = r.parameters;
  const k = p.k;
  const d = r.diagnostics;
  const kv = (a: string, b: string, c = "", e = "") =>
    `${a.padEnd(22)}${b.padEnd(26)}${c.padEnd(26)}${e.padStart(18)}`;
  const explained = r.pca.explainedVarianceRatio.reduce((x, y) => x + y, 0);
  const pcs = r.pca.maturitiesMonths;
  const lines = [
    "ACM term-structure model (Adrian, Crump & Moench 2013)".padStart(73),
    rule,
    kv(
      "Sample:",
      `${monthKey(r.dates[0])} .. ${monthKey(r.dates[r.dates.length - 1])}`,
      "Months (T+1):",
      String(d.nobs),
    ),
    kv(
      "Factors:",
      pcs.length ? `${k} PCs of ${pcs[0]}..${pcs[pcs.length - 1]}m` : `${k} user-supplied`,
      pcs.length ? "Variance explained:" : "",
      pcs.length ? `${(100 * explained).toFixed(4)}%` : "",
    ),
    kv("Excess returns:", rxLabel(s)),
    kv("Sigma divisor:", `T - ${s.sigmaDdof}`, "Rx error s.d. (bp/mo):", d.excessReturnErrorSdBp.toFixed(3)),
  ];
  const f = d.shortRateFix;
  lines.push(
    f
      ? kv(
          "Short-rate fix:",
          `1m = ${f.a.toFixed(4)} + ${f.b.toFixed(4)} FF`,
          `before ${f.before}: replaced`,
          `${f.monthsReplaced} months`,
        ) +
          `\n${kv("", `fit ${f.firstFitMonth}..${f.lastFitMonth}`, "fit obs / R-squared:", `${f.nobsFit} / ${f.rSquared.toFixed(4)}`)}`
      : kv("Short-rate fix:", "none"),
  );
  lines.push(rule);
  const cw = 12;
  lines.push(
    `${"factor".padEnd(8)}${"mu".padStart(cw)}${"lambda0".padStart(cw)}${Array.from({ length: k }, (_, j) => `lambda1[${j + 1}]`.padStart(cw)).join("")}`,
  );
  lines.push(thin);
  for (let i = 0; i < k; i++) {
    let line = `${`X${i + 1}`.padEnd(8)}${num(p.mu[i], cw)}${num(p.lambda0[i], cw)}`;
    for (let j = 0; j < k; j++) line += num(p.lambda1.data[i * k + j], cw);
    lines.push(line);
  }
  lines.push(thin);
  lines.push(
    `short rate (decimal/month): delta0 = ${p.delta0.toExponential(4)}; delta1 = ${Array.from(p.delta1, (v) => v.toExponential(3)).join(", ")}`,
  );
  lines.push(`|eig(Phi)| (P):          ${Array.from(d.eigenModuliP, (v) => v.toFixed(5)).join("  ")}`);
  lines.push(`|eig(Phi - lambda1)| (Q): ${Array.from(d.eigenModuliQ, (v) => v.toFixed(5)).join("  ")}`);
  lines.push(rule);
  const last = r.dates.length - 1;
  const nMax = s.outputMaxMonths;
  const cw2 = 13;
  lines.push(
    `${"maturity".padEnd(10)}${"RMSE (bp)".padStart(cw2)}${"mean (bp)".padStart(cw2)}` +
      `${"fitted %".padStart(cw2)}${"risk-neutral %".padStart(cw2 + 2)}${"term prem. %".padStart(cw2)}   as of ${r.dates[last]}`,
  );
  lines.push(thin);
  for (const n of [1, 3, 6, 12, 24, 36, 60, 84, 120].filter((m) => m <= nMax)) {
    const o = last * nMax + n - 1;
    lines.push(
      `${`${n}m`.padEnd(10)}${num(d.pricingErrors.rmseBp[n - 1], cw2, 3)}${num(d.pricingErrors.meanBp[n - 1], cw2, 3)}` +
        `${num(r.fittedPct.data[o], cw2)}${num(r.riskNeutralPct.data[o], cw2 + 2)}${num(r.termPremiumPct.data[o], cw2)}`,
    );
  }
  lines.push(rule);
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.map((l) => l.trimEnd()).join("\n");
}
