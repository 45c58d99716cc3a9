/**
 * Hamilton & Wu (2012), "Identification and estimation of Gaussian affine term structure
 * models", J. Econometrics 168(2), 315–331: minimum-chi-square estimation of the latent
 * 3-factor Gaussian ATSM, following the recipe in reference/README.md ("Hamilton-Wu (2012)
 * minimum chi square"). Units: yields, δ0 and the term premium in percent per year
 * (continuously compounded), one period = one month, Ω = ΣΣ' in percent² per month.
 *
 * The 3 exactly priced yields Y1 (12, 36, 60 months) identify the factors, F_t = B1⁻¹(Y1_t − A1);
 * Y2 (24, 84, 120) are priced with independent errors. Why minimum chi-square rather than ML:
 * the reduced form (a VAR of Y1 and a regression of Y2 on Y1) is OLS, and given the Q roots λ
 * every structural block except the (A2*, φ21*) one is matched exactly (Ω, ρ, c, σ_e in closed
 * form), while δ0 enters A2* linearly, so the search is over 3 numbers, not 25:
 *   χ²(λ) = T Σ_i d_i'(X2'X2/T)d_i / σ_i²,  d_i = (A2*_i, φ21*_i)^ − model(λ, δ0(λ)).
 * At the minimum, χ² ~ χ²(4 N2 − 4) under the model: a specification test.
 * λ is restricted to real roots in (0, 1] (unrestricted roots can put the optimum where the
 * model's 1-month rate is absurd; see the README caveat) and Φ^Q is written in companion form
 * (hamilton-wu-loadings.ts) so repeated roots stay regular.
 * Decomposition: risk-neutral yield = average expected short rate under P (no convexity term),
 * term premium = fitted − risk-neutral, at every maturity 1..120 months.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { ModelError, type Warning } from "../core/errors.ts";
import { chiSquareSf } from "../stats/chisquare.ts";
import { cholesky, invert, matMul, solve, transpose } from "./hamilton-wu-linalg.ts";
import { type LmOutcome, levenbergMarquardt } from "./hamilton-wu-lm.ts";
import {
  companionFromRoots,
  companionPhiQ,
  companionYieldLoadings,
  riskNeutralLoadings,
  yieldIntercepts,
} from "./hamilton-wu-loadings.ts";
import { type ConcentratedObjective, makeConcentratedObjective } from "./hamilton-wu-objective.ts";
import {
  chiSquareDistance,
  estimateReducedForm,
  type HamiltonWuReducedForm,
  type ImpliedReducedForm,
} from "./hamilton-wu-reduced-form.ts";
import type { YieldPanel } from "./yield-panel.ts";

export type { YieldPanel };

export interface HamiltonWuOptions {
  /** Yields priced without error: exactly 3 maturities (months). Default 12, 36, 60. */
  exactMaturities?: readonly number[];
  /** Yields priced with error (months), at least 2. Default 24, 84, 120. */
  errorMaturities?: readonly number[];
  /** Starting Q roots for the multi-start search, each 3 numbers in (0, 1]. Default: the 35 triples. */
  starts?: readonly (readonly number[])[];
  /** First / last date kept (ISO `YYYY-MM-DD`, or `YYYY-MM` for a whole month), inclusive. */
  from?: string;
  to?: string;
  /** Longest maturity of the fitted / risk-neutral / term-premium outputs. Default 120. */
  maxOutputMonths?: number;
  /** Levenberg-Marquardt iterations per start. Default 300. */
  maxIterations?: number;
}

export interface HamiltonWuParams {
  /** Eigenvalues of Φ^Q (monthly), real, in (0, 1], descending. */
  lam: Float64Array;
  /** Φ^Q (3×3 row-major) in observer companion form of the polynomial with roots `lam`. */
  phiQ: Float64Array;
  /** Short-rate intercept, percent per year. */
  delta0Pct: number;
  /** Short-rate factor loading (companion form: (1, 0, 0)). */
  delta1: Float64Array;
  /** Σ (3×3 row-major, lower triangular, positive diagonal), percent per month. */
  sigma: Float64Array;
  /** Ω = ΣΣ' (3×3 row-major). */
  omega: Float64Array;
  /** P-dynamics F_{t+1} = c + ρ F_t + Σ u_{t+1}: c (3), percent. */
  c: Float64Array;
  /** ρ (3×3 row-major). */
  rho: Float64Array;
  /** Eigenvalue moduli of ρ, descending (rotation-invariant persistence under P). */
  rhoEigenModuli: Float64Array;
  /** Measurement-error standard deviations of the error-priced yields, percent. */
  sigmaEPct: Float64Array;
}

export interface HamiltonWuLocalMinimum {
  chi2: number;
  lam: number[];
  /** How many starts ended here. */
  starts: number;
}

export interface HamiltonWuOptimizerReport {
  method: string;
  converged: boolean;
  /** LM iterations of the start that gave the minimum. */
  iterations: number;
  /** Objective evaluations over all starts (Jacobians included). */
  evaluations: number;
  starts: number;
  message: string;
  /** Distinct end points, best first (at most 5). */
  localMinima: HamiltonWuLocalMinimum[];
}

/** A linear map from the exactly priced yields: value_t = interceptPct + weights · Y1_t. */
export interface YieldMap {
  interceptPct: number;
  weights: Float64Array;
}

export interface FitRmse {
  months: number;
  rmseBp: number;
}

export interface HamiltonWuResult {
  readonly model: "Hamilton-Wu (2012) minimum chi-square";
  /** Sample dates (nObs). */
  dates: string[];
  exactMaturities: number[];
  errorMaturities: number[];
  /** Output maturities 1..maxOutputMonths. */
  maturitiesMonths: Int32Array;
  nObs: number;
  /** Transitions used by the reduced form (nObs − 1). */
  T: number;
  /** Minimised statistic (concentrated form). */
  chi2: number;
  /** The statistic by its full definition at the estimate (equal to `chi2` up to rounding). */
  chi2Full: number;
  df: number;
  pValue: number;
  params: HamiltonWuParams;
  /**
   * Asymptotic standard error of δ0 (percent), from the (λ, δ0) block of the minimum-distance
   * covariance, conditional on Ω1* (ignores the small convexity channel); null if singular.
   */
  delta0StdErrPct: number | null;
  reducedForm: HamiltonWuReducedForm;
  /** Implied 1-month short rate as a function of Y1 (invariant to the factor rotation). */
  shortRateMap: YieldMap;
  /** Fitted 10-year yield as a function of Y1 (invariant to the factor rotation). */
  fitted10yMap: YieldMap;
  /** Factors F_t (nObs×3 row-major), percent. */
  factors: Float64Array;
  /** nObs × maturities, row-major, percent. */
  fittedPct: Float64Array;
  riskNeutralPct: Float64Array;
  termPremiumPct: Float64Array;
  /** Fit of the observed yields at every panel maturity within the output range. */
  fitRmseBp: FitRmse[];
  optimizer: HamiltonWuOptimizerReport;
  warnings: Warning[];
  summary(): string;
  toJSON(): HamiltonWuJson;
}

/** Plain-JSON form of a result (typed arrays as arrays, matrices as arrays of rows). */
export interface HamiltonWuJson {
  model: string;
  sample: { from: string; to: string; nObs: number; T: number };
  exactMaturities: number[];
  errorMaturities: number[];
  chi2: number;
  chi2Full: number;
  df: number;
  pValue: number;
  params: {
    lam: number[];
    phiQ: number[][];
    delta0Pct: number;
    delta0StdErrPct: number | null;
    delta1: number[];
    sigma: number[][];
    c: number[];
    rho: number[][];
    rhoEigenModuli: number[];
    sigmaEPct: number[];
  };
  shortRateMap: { interceptPct: number; weights: number[] };
  fitted10yMap: { interceptPct: number; weights: number[] };
  fitRmseBp: FitRmse[];
  optimizer: HamiltonWuOptimizerReport;
  warnings: Warning[];
  dates: string[];
  maturitiesMonths: number[];
  fittedPct: number[][];
  riskNeutralPct: number[][];
  termPremiumPct: number[][];
}

export const HW_DEFAULT_EXACT_MATURITIES: readonly number[] = [12, 36, 60];
export const HW_DEFAULT_ERROR_MATURITIES: readonly number[] = [24, 84, 120];
/** Start grid of the recipe: all 35 descending triples from these roots. */
export const HW_START_ROOTS: readonly number[] = [0.999, 0.995, 0.98, 0.95, 0.9, 0.8, 0.6];
/** Box for the Q roots: real, in (0, 1]. */
const ROOT_LOWER = 1e-6;
const ROOT_UPPER = 1;
/**
 * δ0 counts as weakly identified when the largest Q root is this close to 1 (the level factor's
 * loading is then ~1 at every maturity, like δ0's) or when its standard error exceeds 2.5 pp
 * (a 95% interval wider than ±5 pp: wider than the whole range of plausible mean short rates).
 */
const WEAK_DELTA0_ROOT = 0.999;
const WEAK_DELTA0_SE_PCT = 2.5;
/** Fewer months than this cannot support a 4-regressor VAR with meaningful residual covariances. */
export const HW_MIN_OBSERVATIONS = 24;

/** The 35 default starts. */
export function hamiltonWuDefaultStarts(): number[][] {
  const r = HW_START_ROOTS;
  const out: number[][] = [];
  for (let i = 0; i < r.length; i++)
    for (let j = i + 1; j < r.length; j++)
      for (let k = j + 1; k < r.length; k++) out.push([r[i], r[j], r[k]]);
  return out;
}

function monthIndex(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

function inRange(date: string, from?: string, to?: string): boolean {
  if (from !== undefined && date.slice(0, from.length) < from) return false;
  if (to !== undefined && date.slice(0, to.length) > to) return false;
  return true;
}

function checkMaturities(label: string, mats: readonly number[]): void {
  for (const m of mats) {
    if (!Number.isInteger(m) || m < 1)
      throw new ModelError(`Hamilton-Wu: ${label} maturity ${m} is not a whole number of months >= 1`);
  }
  if (new Set(mats).size !== mats.length)
    throw new ModelError(`Hamilton-Wu: ${label} maturities repeat: ${mats.join(", ")}`);
}

interface Selected {
  dates: string[];
  y1: Float64Array;
  y2: Float64Array;
  rows: number[];
}

/** Pick the sample rows and the Y1/Y2 columns, refusing gaps, NaN and missing maturities. */
function selectPanel(
  panel: YieldPanel,
  exact: readonly number[],
  error: readonly number[],
  from?: string,
  to?: string,
): Selected {
  const nCols = panel.maturitiesMonths.length;
  if (panel.yieldsPct.length !== panel.dates.length * nCols) {
    throw new ModelError(
      `Hamilton-Wu: yield panel has ${panel.yieldsPct.length} values, expected ` +
        `${panel.dates.length} dates × ${nCols} maturities`,
    );
  }
  const colOf = new Map<number, number>();
  for (let j = 0; j < nCols; j++) colOf.set(Number(panel.maturitiesMonths[j]), j);
  const col = (m: number, kind: string): number => {
    const j = colOf.get(m);
    if (j === undefined) {
      throw new ModelError(
        `Hamilton-Wu: the panel has no ${m}-month yield (needed as ${kind}); it has ${nCols} maturities ` +
          `${nCols ? `${panel.maturitiesMonths[0]}..${panel.maturitiesMonths[nCols - 1]}` : ""}`,
      );
    }
    return j;
  };
  const c1 = exact.map((m) => col(m, "an exactly priced yield"));
  const c2 = error.map((m) => col(m, "a yield priced with error"));
  const rows: number[] = [];
  for (let i = 0; i < panel.dates.length; i++) if (inRange(panel.dates[i], from, to)) rows.push(i);
  const dates = rows.map((i) => panel.dates[i]);
  if (rows.length < HW_MIN_OBSERVATIONS) {
    throw new ModelError(
      `Hamilton-Wu: ${rows.length} months in the sample` +
        `${from || to ? ` ${from ?? "start"}..${to ?? "end"}` : ""}; ` +
        `at least ${HW_MIN_OBSERVATIONS} consecutive month-ends are needed`,
    );
  }
  for (let k = 1; k < dates.length; k++) {
    if (monthIndex(dates[k]) !== monthIndex(dates[k - 1]) + 1) {
      throw new ModelError(
        `Hamilton-Wu: the sample must be consecutive months (one period = one month), but ${dates[k]} ` +
          `follows ${dates[k - 1]}`,
      );
    }
  }
  const y1 = new Float64Array(rows.length * 3);
  const y2 = new Float64Array(rows.length * error.length);
  rows.forEach((r, t) => {
    const pick = (c: number, m: number): number => {
      const v = panel.yieldsPct[r * nCols + c];
      if (!Number.isFinite(v))
        throw new ModelError(`Hamilton-Wu: the ${m}-month yield is ${v} on ${panel.dates[r]}`);
      return v;
    };
    for (let i = 0; i < 3; i++) y1[t * 3 + i] = pick(c1[i], exact[i]);
    for (let i = 0; i < error.length; i++) y2[t * error.length + i] = pick(c2[i], error[i]);
  });
  return { dates, y1, y2, rows };
}

/**
 * Asymptotic standard error of δ0: e = √T R̂^{1/2}(π̂ − g) is N(0, I) at the truth, so the
 * minimum-distance covariance of (a, δ0) is (J'J)⁻¹ with J = ∂e/∂(a, δ0). Differentiating in the
 * polynomial coefficients a (not the roots) keeps J regular at repeated roots. Columns are
 * scaled to unit length before inverting: ∂e/∂a is orders of magnitude larger than ∂e/∂δ0.
 */
function delta0StdErr(obj: ConcentratedObjective, a: Float64Array, delta0: number): number | null {
  const gd = obj.delta0Derivative(a);
  if (gd === null) return null;
  const m = gd.length;
  const jac = new Float64Array(m * 4);
  for (let k = 0; k < 3; k++) {
    const h = 1e-6 * Math.max(1, Math.abs(a[k]));
    const ap = Float64Array.from(a);
    const am = Float64Array.from(a);
    ap[k] += h;
    am[k] -= h;
    const rp = obj.residualAt(ap, delta0);
    const rm = obj.residualAt(am, delta0);
    if (rp === null || rm === null) return null;
    for (let i = 0; i < m; i++) jac[i * 4 + k] = (rp[i] - rm[i]) / (2 * h);
  }
  for (let i = 0; i < m; i++) jac[i * 4 + 3] = gd[i];
  const jtj = new Float64Array(16);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < 4; p++) for (let q = 0; q < 4; q++) jtj[p * 4 + q] += jac[i * 4 + p] * jac[i * 4 + q];
  const scale = [0, 1, 2, 3].map((k) => Math.sqrt(jtj[k * 5]));
  if (scale.some((s) => !(s > 0))) return null;
  for (let p = 0; p < 4; p++) for (let q = 0; q < 4; q++) jtj[p * 4 + q] /= scale[p] * scale[q];
  const inv = invert(jtj, 4);
  if (inv === null || !(inv[15] > 0)) return null;
  return Math.sqrt(inv[15]) / scale[3];
}

/** Structural parameters and implied reduced form at given Q roots and δ0 (companion form). */
export interface HamiltonWuStructural {
  /** Companion coefficients of the roots. */
  a: Float64Array;
  /** Yield loadings B_n (nOut×3) and intercepts A_n (nOut), n = 1..nOut. */
  b: Float64Array;
  aPct: Float64Array;
  b1: Float64Array;
  b1Inv: Float64Array;
  omega: Float64Array;
  sigma: Float64Array;
  rho: Float64Array;
  c: Float64Array;
  /** A at the exact maturities. */
  a1: number[];
  /** g(θ): the reduced form these parameters imply (σ_e² = Ω2* as in the concentration). */
  implied: ImpliedReducedForm;
}

/**
 * θ(λ, δ0) with every block other than (A2*, φ21*) matched to the reduced form, by the
 * closed forms of the concentration (recipe step 6): Ω = B1⁻¹Ω1*B1⁻ᵀ, ρ = B1⁻¹φ11*B1,
 * c = B1⁻¹(A1* − (I − φ11*)A1), σ_e² = Ω2*. `chiSquareDistance(rf, s.implied)` is then the
 * statistic at (λ, δ0) by its full definition.
 */
export function hamiltonWuStructural(
  rf: HamiltonWuReducedForm,
  lam: ArrayLike<number>,
  delta0: number,
  exactMonths: readonly number[],
  errorMonths: readonly number[],
  nOut = Math.max(...exactMonths, ...errorMonths),
): HamiltonWuStructural {
  const n2 = errorMonths.length;
  const exactIdx = exactMonths.map((m) => m - 1);
  const errorIdx = errorMonths.map((m) => m - 1);
  const a = companionFromRoots(lam);
  const bOut = companionYieldLoadings(a, nOut);
  const b1 = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) b1[i * 3 + j] = bOut[exactIdx[i] * 3 + j];
  const b1Inv = invert(b1, 3);
  if (b1Inv === null)
    throw new ModelError("Hamilton-Wu: B1 (loadings of the exact yields) is singular at the optimum");
  const omega = matMul(matMul(b1Inv, rf.omega1Star, 3, 3, 3), transpose(b1Inv, 3, 3), 3, 3, 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (omega[i * 3 + j] + omega[j * 3 + i]);
      omega[i * 3 + j] = s;
      omega[j * 3 + i] = s;
    }
  }
  const aOut = yieldIntercepts(bOut, 3, nOut, delta0, omega);
  const sigma = cholesky(omega, 3);
  if (sigma === null)
    throw new ModelError("Hamilton-Wu: implied factor covariance Ω is not positive definite");

  // P side: ρ = B1⁻¹ φ11* B1, c = B1⁻¹ (A1* − (I − φ11*) A1)
  const a1 = exactIdx.map((n) => aOut[n]);
  const rho = matMul(matMul(b1Inv, rf.phi11Star, 3, 3, 3), b1, 3, 3, 3);
  const resid1 = new Float64Array(3);
  for (let i = 0; i < 3; i++) {
    let s = rf.a1Star[i] - a1[i];
    for (let j = 0; j < 3; j++) s += rf.phi11Star[i * 3 + j] * a1[j];
    resid1[i] = s;
  }
  const c = matMul(b1Inv, resid1, 3, 3, 1);
  const sigmaE = rf.omega2StarDiag.map(Math.sqrt);

  const implied: ImpliedReducedForm = (() => {
    const phi11 = matMul(matMul(b1, rho, 3, 3, 3), b1Inv, 3, 3, 3);
    const bc = matMul(b1, c, 3, 3, 1);
    const a1s = new Float64Array(3);
    for (let i = 0; i < 3; i++) {
      let s = bc[i] + a1[i];
      for (let j = 0; j < 3; j++) s -= phi11[i * 3 + j] * a1[j];
      a1s[i] = s;
    }
    const b2 = new Float64Array(n2 * 3);
    for (let i = 0; i < n2; i++) for (let j = 0; j < 3; j++) b2[i * 3 + j] = bOut[errorIdx[i] * 3 + j];
    const phi21 = matMul(b2, b1Inv, n2, 3, 3);
    const a2s = new Float64Array(n2);
    for (let i = 0; i < n2; i++) {
      let s = aOut[errorIdx[i]];
      for (let j = 0; j < 3; j++) s -= phi21[i * 3 + j] * a1[j];
      a2s[i] = s;
    }
    const om1 = matMul(matMul(b1, omega, 3, 3, 3), transpose(b1, 3, 3), 3, 3, 3);
    return {
      a1Star: a1s,
      phi11Star: phi11,
      omega1Star: om1,
      a2Star: a2s,
      phi21Star: phi21,
      omega2StarDiag: sigmaE.map((s) => s * s),
    };
  })();
  return { a, b: bOut, aPct: aOut, b1, b1Inv, omega, sigma, rho, c, a1, implied };
}

/**
 * Factors F_t = B1⁻¹(Y1_t − A1) and, at n = 1..nOut, fitted y = A_n + B_n'F_t, risk-neutral
 * rn = a_n + b_n'F_t and tp = fitted − rn (nObs × nOut, row-major). Kept out of fitHamiltonWu so
 * the engine optimises this hot loop on its own.
 */
function decompose(
  y1: Float64Array,
  nObs: number,
  a1: number[],
  b1Inv: Float64Array,
  bOut: Float64Array,
  aOut: Float64Array,
  rn: { a: Float64Array; b: Float64Array },
  nOut: number,
) {
  const factors = new Float64Array(nObs * 3);
  const fitted = new Float64Array(nObs * nOut);
  const riskNeutral = new Float64Array(nObs * nOut);
  const termPremium = new Float64Array(nObs * nOut);
  const ra = rn.a;
  const rb = rn.b;
  for (let t = 0; t < nObs; t++) {
    const d0 = y1[t * 3] - a1[0];
    const d1 = y1[t * 3 + 1] - a1[1];
    const d2 = y1[t * 3 + 2] - a1[2];
    const f0 = b1Inv[0] * d0 + b1Inv[1] * d1 + b1Inv[2] * d2;
    const f1 = b1Inv[3] * d0 + b1Inv[4] * d1 + b1Inv[5] * d2;
    const f2 = b1Inv[6] * d0 + b1Inv[7] * d1 + b1Inv[8] * d2;
    factors[t * 3] = f0;
    factors[t * 3 + 1] = f1;
    factors[t * 3 + 2] = f2;
    const row = t * nOut;
    for (let n = 0; n < nOut; n++) {
      const fit = aOut[n] + bOut[n * 3] * f0 + bOut[n * 3 + 1] * f1 + bOut[n * 3 + 2] * f2;
      const r = ra[n] + rb[n * 3] * f0 + rb[n * 3 + 1] * f1 + rb[n * 3 + 2] * f2;
      fitted[row + n] = fit;
      riskNeutral[row + n] = r;
      termPremium[row + n] = fit - r;
    }
  }
  return { factors, fitted, riskNeutral, termPremium };
}

/** RMSE (bp) of fitted vs observed at every panel maturity in 1..nOut observed on all sample rows. */
function fitRmse(panel: YieldPanel, rows: number[], fitted: Float64Array, nOut: number): FitRmse[] {
  const out: FitRmse[] = [];
  const nCols = panel.maturitiesMonths.length;
  const y = panel.yieldsPct;
  for (let j = 0; j < nCols; j++) {
    const m = Number(panel.maturitiesMonths[j]);
    if (!Number.isInteger(m) || m < 1 || m > nOut) continue;
    let ss = 0;
    for (let t = 0; t < rows.length; t++) ss += (fitted[t * nOut + m - 1] - y[rows[t] * nCols + j]) ** 2;
    if (Number.isFinite(ss)) out.push({ months: m, rmseBp: 100 * Math.sqrt(ss / rows.length) });
  }
  return out;
}

/** Fit the Hamilton-Wu model to a month-end yield panel. */
export function fitHamiltonWu(panel: YieldPanel, options: HamiltonWuOptions = {}): HamiltonWuResult {
  const exact = [...(options.exactMaturities ?? HW_DEFAULT_EXACT_MATURITIES)];
  const error = [...(options.errorMaturities ?? HW_DEFAULT_ERROR_MATURITIES)];
  if (exact.length !== 3) {
    throw new ModelError(
      `Hamilton-Wu: need exactly 3 exactly priced maturities (one per factor), got ${exact.length}`,
    );
  }
  if (error.length < 2) {
    throw new ModelError(
      `Hamilton-Wu: need at least 2 maturities priced with error (df = 4·N2 − 4 > 0), got ${error.length}`,
    );
  }
  checkMaturities("exactly priced", exact);
  checkMaturities("error-priced", error);
  const both = exact.filter((m) => error.includes(m));
  if (both.length)
    throw new ModelError(`Hamilton-Wu: maturity ${both.join(", ")} cannot be both exact and with error`);
  const maxMat = Math.max(...exact, ...error);
  const nOut = Math.max(options.maxOutputMonths ?? 120, maxMat);
  if (!Number.isInteger(nOut) || nOut < 1)
    throw new ModelError(`Hamilton-Wu: maxOutputMonths ${nOut} is not a month count`);
  const starts = (options.starts ?? hamiltonWuDefaultStarts()).map((s, i) => {
    if (s.length !== 3 || s.some((v) => !(v >= ROOT_LOWER && v <= ROOT_UPPER))) {
      throw new ModelError(`Hamilton-Wu: start ${i} (${s.join(", ")}) must be 3 roots in (0, 1]`);
    }
    return Float64Array.from(s);
  });
  if (starts.length === 0) throw new ModelError("Hamilton-Wu: no starting values");

  const sel = selectPanel(panel, exact, error, options.from, options.to);
  const nObs = sel.dates.length;
  const n2 = error.length;
  const rf = estimateReducedForm(
    sel.y1,
    sel.y2,
    nObs,
    n2,
    exact.map((m) => `${m}m`),
    error.map((m) => `${m}m`),
  );
  const objective = makeConcentratedObjective(rf, exact, error);
  const fun = (lam: Float64Array): Float64Array | null => objective.residual(companionFromRoots(lam));

  // multi-start LM over the roots
  let best: LmOutcome | null = null;
  let evaluations = 0;
  const ends: { f: number; lam: number[] }[] = [];
  for (const s0 of starts) {
    const out = levenbergMarquardt(fun, s0, {
      lower: ROOT_LOWER,
      upper: ROOT_UPPER,
      maxIterations: options.maxIterations ?? 300,
    });
    evaluations += out.evaluations;
    if (!Number.isFinite(out.f)) continue;
    ends.push({ f: out.f, lam: Array.from(out.x).sort((p, q) => q - p) });
    if (best === null || out.f < best.f) best = out;
  }
  if (best === null) {
    throw new ModelError(
      "Hamilton-Wu: the statistic is undefined at every start (B1, the loadings of the exact yields, " +
        "is singular or δ0 is unidentified); check the exact maturities",
    );
  }
  // the objective is symmetric in the roots: report them sorted
  const lam = Float64Array.from(Array.from(best.x).sort((p, q) => q - p));
  const a = companionFromRoots(lam);
  const eBest = objective.residual(a);
  const delta0 = objective.delta0(a);
  if (eBest === null || delta0 === null) {
    throw new ModelError(
      `Hamilton-Wu: the model is singular at the optimum λ = ${Array.from(lam).join(", ")}`,
    );
  }
  let chi2 = 0;
  for (const v of eBest) chi2 += v * v;

  // structural parameters at the optimum, through the general loadings (not the fast objective)
  const st = hamiltonWuStructural(rf, lam, delta0, exact, error, nOut);
  const { b: bOut, aPct: aOut, b1, b1Inv, omega, sigma, rho, c, a1, implied } = st;
  const delta1 = Float64Array.from([1, 0, 0]);
  const sigmaE = rf.omega2StarDiag.map(Math.sqrt);
  const chi2Full = chiSquareDistance(rf, implied);
  const df = 4 * n2 - 4;
  const pValue = chiSquareSf(chi2, df);

  // decomposition at 1..nOut months
  const rn = riskNeutralLoadings(c, rho, delta0, delta1, nOut);
  const { factors, fitted, riskNeutral, termPremium } = decompose(
    sel.y1,
    nObs,
    a1,
    b1Inv,
    bOut,
    aOut,
    rn,
    nOut,
  );

  const yieldMap = (n: number): YieldMap => {
    // y(n) = A_n + B_n'B1⁻¹(Y1 − A1) = (A_n − w·A1) + w·Y1 with w = B1⁻ᵀ B_n
    const wts = solve(transpose(b1, 3, 3), bOut.subarray((n - 1) * 3, n * 3), 3) ?? new Float64Array(3);
    let icpt = aOut[n - 1];
    for (let i = 0; i < 3; i++) icpt -= wts[i] * a1[i];
    return { interceptPct: icpt, weights: wts };
  };

  const fitRmseBp = fitRmse(panel, sel.rows, fitted, nOut);

  const eig = new EigenvalueDecomposition(
    new Matrix([...Array(3)].map((_, i) => Array.from(rho.subarray(i * 3, i * 3 + 3)))),
  );
  const rhoEigenModuli = Float64Array.from(
    eig.realEigenvalues.map((re, i) => Math.hypot(re, eig.imaginaryEigenvalues[i])).sort((p, q) => q - p),
  );
  const delta0StdErrPct = delta0StdErr(objective, a, delta0);

  // optimiser report: distinct end points, best first
  ends.sort((p, q) => p.f - q.f);
  const localMinima: HamiltonWuLocalMinimum[] = [];
  for (const e of ends) {
    const same = localMinima.find(
      (m) =>
        // same point to the precision the recipe asks of λ (1e-3); the λ2 ≈ λ3 valley is flat
        Math.abs(m.chi2 - e.f) < 1e-4 * Math.max(1, e.f) &&
        m.lam.every((v, i) => Math.abs(v - e.lam[i]) < 1e-3),
    );
    if (same) same.starts++;
    else if (localMinima.length < 5) localMinima.push({ chi2: e.f, lam: e.lam, starts: 1 });
  }
  const converged = best.stop === "converged-step" || best.stop === "converged-no-descent";
  const optimizer: HamiltonWuOptimizerReport = {
    method: "Levenberg-Marquardt over the Q roots, forward-difference Jacobian, box (0, 1]",
    converged,
    iterations: best.iterations,
    evaluations,
    starts: starts.length,
    message: {
      "converged-step": "converged: step and decrease below tolerance",
      "converged-no-descent":
        "converged: no decrease found along damped steps (minimum to machine precision)",
      "max-iterations": `stopped at the iteration limit (${options.maxIterations ?? 300}) before converging`,
      infeasible: "the model became undefined along the search",
    }[best.stop],
    localMinima,
  };

  const warnings: Warning[] = [];
  const last = sel.dates[nObs - 1];
  if (!converged) {
    warnings.push({
      code: "hw-not-converged",
      message:
        `Hamilton-Wu: the best start ${optimizer.message}; ` +
        "the statistic and term premia may be off the minimum",
      date: last,
    });
  }
  const atBound = Array.from(lam).filter((l) => l >= ROOT_UPPER - 1e-9 || l <= ROOT_LOWER * (1 + 1e-9));
  if (atBound.length) {
    warnings.push({
      code: "hw-root-at-bound",
      message:
        `Hamilton-Wu: Q root(s) ${atBound.map((l) => l.toFixed(6)).join(", ")} sit on the edge of ` +
        "(0, 1]; the " +
        "constrained minimum is on the boundary, so the chi-square p-value is only indicative",
      date: last,
    });
  }
  if (lam[0] > WEAK_DELTA0_ROOT || delta0StdErrPct === null || delta0StdErrPct > WEAK_DELTA0_SE_PCT) {
    warnings.push({
      code: "hw-weak-delta0",
      message:
        `Hamilton-Wu: δ0 = ${delta0.toFixed(2)}% is weakly identified (largest Q root ${lam[0].toFixed(6)}` +
        `${lam[0] > WEAK_DELTA0_ROOT ? " ≈ 1, so δ0 trades off against the level factor" : ""}; ` +
        `standard error ${
          delta0StdErrPct === null ? "undefined" : `${delta0StdErrPct.toFixed(2)} pp`
        }). Fitted yields, the implied short rate and term premia are unaffected; do not read δ0 itself`,
      date: last,
    });
  }
  if (rhoEigenModuli[0] >= 1) {
    warnings.push({
      code: "hw-explosive-p",
      message:
        "Hamilton-Wu: the P dynamics are non-stationary " +
        `(largest |eig(ρ)| = ${rhoEigenModuli[0].toFixed(4)}); ` +
        "long-horizon expected short rates, hence risk-neutral yields and term premia, are unreliable",
      date: last,
    });
  }
  if (pValue < 0.01) {
    warnings.push({
      code: "hw-spec-rejected",
      message:
        `Hamilton-Wu: the over-identifying restrictions are rejected (chi2 ${chi2.toFixed(2)}, df ${df}, ` +
        `p ${pValue.toExponential(1)}): the 3-factor model does not price the error maturities ` +
        "within their " +
        "reduced-form precision; read the decomposition as a model-based approximation",
      date: last,
    });
  }
  const rival = localMinima.find(
    (m) => m.chi2 - chi2 < 1 && m.lam.some((v, i) => Math.abs(v - lam[i]) > 1e-2),
  );
  if (rival) {
    warnings.push({
      code: "hw-multiple-minima",
      message:
        `Hamilton-Wu: a different local minimum (λ = ${rival.lam.map((v) => v.toFixed(4)).join(", ")}, ` +
        `chi2 ${rival.chi2.toFixed(3)}) is within 1 of the best (${chi2.toFixed(3)}); ` +
        "the Q roots are poorly determined",
      date: last,
    });
  }

  const params: HamiltonWuParams = {
    lam,
    phiQ: companionPhiQ(a),
    delta0Pct: delta0,
    delta1,
    sigma,
    omega,
    c,
    rho,
    rhoEigenModuli,
    sigmaEPct: sigmaE,
  };
  const result: HamiltonWuResult = {
    model: "Hamilton-Wu (2012) minimum chi-square",
    dates: sel.dates,
    exactMaturities: exact,
    errorMaturities: error,
    maturitiesMonths: Int32Array.from({ length: nOut }, (_, i) => i + 1),
    nObs,
    T: rf.T,
    chi2,
    chi2Full,
    df,
    pValue,
    params,
    delta0StdErrPct,
    reducedForm: rf,
    shortRateMap: yieldMap(1),
    fitted10yMap: yieldMap(Math.min(120, nOut)),
    factors,
    fittedPct: fitted,
    riskNeutralPct: riskNeutral,
    termPremiumPct: termPremium,
    fitRmseBp,
    optimizer,
    warnings,
    summary: () => hamiltonWuSummary(result),
    toJSON: () => hamiltonWuToJson(result),
  };
  return result;
}

/** One output column (nObs values) of a result: fitted, risk-neutral or term premium at `months`. */
export function hamiltonWuColumn(
  res: HamiltonWuResult,
  what: "fitted" | "riskNeutral" | "termPremium",
  months: number,
): Float64Array {
  const nOut = res.maturitiesMonths.length;
  if (!Number.isInteger(months) || months < 1 || months > nOut) {
    throw new ModelError(`Hamilton-Wu: outputs cover 1..${nOut} months, not ${months}`);
  }
  const src =
    what === "fitted" ? res.fittedPct : what === "riskNeutral" ? res.riskNeutralPct : res.termPremiumPct;
  const out = new Float64Array(res.nObs);
  for (let t = 0; t < res.nObs; t++) out[t] = src[t * nOut + months - 1];
  return out;
}

function rowsOf(a: Float64Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += cols) out.push(Array.from(a.subarray(i, i + cols)));
  return out;
}

function hamiltonWuToJson(r: HamiltonWuResult): HamiltonWuJson {
  const nOut = r.maturitiesMonths.length;
  const p = r.params;
  return {
    model: r.model,
    sample: { from: r.dates[0], to: r.dates[r.nObs - 1], nObs: r.nObs, T: r.T },
    exactMaturities: r.exactMaturities,
    errorMaturities: r.errorMaturities,
    chi2: r.chi2,
    chi2Full: r.chi2Full,
    df: r.df,
    pValue: r.pValue,
    params: {
      lam: Array.from(p.lam),
      phiQ: rowsOf(p.phiQ, 3),
      delta0Pct: p.delta0Pct,
      delta0StdErrPct: r.delta0StdErrPct,
      delta1: Array.from(p.delta1),
      sigma: rowsOf(p.sigma, 3),
      c: Array.from(p.c),
      rho: rowsOf(p.rho, 3),
      rhoEigenModuli: Array.from(p.rhoEigenModuli),
      sigmaEPct: Array.from(p.sigmaEPct),
    },
    shortRateMap: { interceptPct: r.shortRateMap.interceptPct, weights: Array.from(r.shortRateMap.weights) },
    fitted10yMap: { interceptPct: r.fitted10yMap.interceptPct, weights: Array.from(r.fitted10yMap.weights) },
    fitRmseBp: r.fitRmseBp,
    optimizer: r.optimizer,
    warnings: r.warnings,
    dates: r.dates,
    maturitiesMonths: Array.from(r.maturitiesMonths),
    fittedPct: rowsOf(r.fittedPct, nOut),
    riskNeutralPct: rowsOf(r.riskNeutralPct, nOut),
    termPremiumPct: rowsOf(r.termPremiumPct, nOut),
  };
}

/** Greedy word wrap to `width` columns, continuation lines indented by `indent`. */
function wrap(text: string, width: number, indent = ""): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

function hamiltonWuSummary(r: HamiltonWuResult): string {
  const W = 78;
  const rule = "=".repeat(W);
  const thin = "-".repeat(W);
  // statsmodels-style two-column header: label 21 + value 22, gap 4, label 21 + value 10
  const pair = (l: string, lv: string, rt: string, rv: string) =>
    `${l.padEnd(21)}${lv.padStart(22)}    ${rt.padEnd(21)}${rv.padStart(10)}`;
  const row = (label: string, value: string) => `${label.padEnd(26)}${value.padStart(W - 26)}`;
  const p = r.params;
  const tpMonths = Math.min(120, r.maturitiesMonths.length);
  const tp = hamiltonWuColumn(r, "termPremium", tpMonths);
  let mean = 0;
  let lo = 0;
  let hi = 0;
  for (let t = 0; t < tp.length; t++) {
    mean += tp[t] / tp.length;
    if (tp[t] < tp[lo]) lo = t;
    if (tp[t] > tp[hi]) hi = t;
  }
  const sd = Math.sqrt(tp.reduce((acc, v) => acc + (v - mean) ** 2, 0) / tp.length);
  const ymap = (m: YieldMap) =>
    `${m.interceptPct.toFixed(4)} ${r.exactMaturities
      .map((n, i) => `${m.weights[i] < 0 ? "-" : "+"} ${Math.abs(m.weights[i]).toFixed(4)} y${n}`)
      .join(" ")}`;
  const title = "Hamilton-Wu (2012) minimum-chi-square Gaussian ATSM";
  const lines = [
    " ".repeat(Math.floor((W - title.length) / 2)) + title,
    rule,
    pair("Sample:", `${r.dates[0]}..${r.dates[r.nObs - 1]}`, "Observations:", `${r.nObs}`),
    pair("Exact yields:", r.exactMaturities.map((m) => `${m}m`).join(", "), "Transitions (T):", `${r.T}`),
    pair("Error yields:", r.errorMaturities.map((m) => `${m}m`).join(", "), "Df:", `${r.df}`),
    pair("Min chi-square:", r.chi2.toFixed(3), "Prob (chi-square):", r.pValue.toExponential(2)),
    pair("Q form:", "companion, real roots", "Converged:", r.optimizer.converged ? "yes" : "NO"),
    thin,
    row("Q roots λ (monthly)", Array.from(p.lam, (v) => v.toFixed(6).padStart(12)).join("")),
    row(
      "δ0 (% p.a.)",
      `${p.delta0Pct.toFixed(4)}${r.delta0StdErrPct === null ? "" : ` (se ${r.delta0StdErrPct.toFixed(4)})`}`,
    ),
    row("σ_e (bp)", r.errorMaturities.map((m, i) => `${m}m ${(p.sigmaEPct[i] * 100).toFixed(2)}`).join("  ")),
    row("|eig(ρ)| (P persistence)", Array.from(p.rhoEigenModuli, (v) => v.toFixed(6).padStart(12)).join("")),
    row("short rate r_t (%)", ymap(r.shortRateMap)),
    row(`fitted ${tpMonths}m (%)`, ymap(r.fitted10yMap)),
    row("chi-square, full definition", r.chi2Full.toFixed(3)),
    thin,
    ...wrap(
      `Fit RMSE (bp): ${r.fitRmseBp
        .filter((f) => r.exactMaturities.includes(f.months) || r.errorMaturities.includes(f.months))
        .map((f) => `${f.months}m ${f.rmseBp.toFixed(2)}`)
        .join(", ")}`,
      W,
      "  ",
    ),
    ...wrap(
      `Term premium ${tpMonths}m (%): mean ${mean.toFixed(3)}, sd ${sd.toFixed(3)}, ` +
        `min ${tp[lo].toFixed(3)} ` +
        `(${r.dates[lo]}), max ${tp[hi].toFixed(3)} (${r.dates[hi]}), last ${tp[tp.length - 1].toFixed(3)} ` +
        `(${r.dates[r.nObs - 1]})`,
      W,
      "  ",
    ),
    ...wrap(
      `Optimizer: ${r.optimizer.starts} starts, ${r.optimizer.evaluations} evaluations, best start ` +
        `${r.optimizer.iterations} iterations; ${r.optimizer.message}`,
      W,
      "  ",
    ),
    "Local minima (chi2: λ1/λ2/λ3, starts ending there):",
    ...r.optimizer.localMinima.map(
      (m) => `  ${m.chi2.toFixed(3)}: ${m.lam.map((v) => v.toFixed(6)).join("/")} (${m.starts})`,
    ),
    rule,
  ];
  if (r.warnings.length) {
    lines.push("Warnings:");
    for (const [i, w] of r.warnings.entries()) lines.push(...wrap(`[${i + 1}] ${w.message}`, W, "    "));
  }
  return lines.join("\n");
}
