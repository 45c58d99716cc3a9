/**
 * First-order vector autoregression with intercept, estimated equation by equation by OLS
 * (= Gaussian maximum likelihood conditional on the first observation):
 *
 *   X_{t+1} = μ + Φ X_t + v_{t+1},   t = 0..T−1,   Σ = V̂ᵀV̂ / (T − ddof).
 *
 * X is (T+1) × K, so T transitions. `ddof` chooses the divisor of Σ because conventions differ
 * and the difference matters downstream (ACM convexity terms): 0 is the ML estimate (ACM paper),
 * 1 is what the NY Fed production code uses, K + 1 is the unbiased per-equation estimate
 * (statsmodels' `sigma_u`).
 */

import { EigenvalueDecomposition } from "ml-matrix";
import { ModelError, type Warning } from "../core/errors.ts";
import { type AxisNames, assertFinite, type Dense, dense, toMlMatrix } from "./dense.ts";
import { olsMulti } from "./ols.ts";

export interface Var1Options extends AxisNames {
  /** Σ = V̂ᵀV̂ / (T − ddof). Default 0. */
  ddof?: number;
}

export interface Var1Result {
  /** Number of transitions T (rows of X minus one). */
  nobs: number;
  k: number;
  mu: Float64Array;
  /** K × K, row i = equation of variable i: X_{t+1,i} = μ_i + Σ_j Φ_ij X_{t,j}. */
  phi: Dense;
  /** T × K innovations v_1..v_T. */
  residuals: Dense;
  sigma: Dense;
  ddof: number;
  /** Moduli of the eigenvalues of Φ, largest first (≥ 1 means a unit or explosive root). */
  eigenvalueModuli: Float64Array;
  names: string[];
  warnings: Warning[];
  summary(): string;
}

/** The estimates of a VAR(1) without the eigenvalue diagnostics and summary. */
export interface Var1Estimates {
  mu: Float64Array;
  /** K × K. */
  phi: Dense;
  /** T × K innovations. */
  residuals: Dense;
  sigma: Dense;
}

export function fitVar1(x: Dense, options: Var1Options = {}): Var1Result {
  const { rows, cols: k } = x;
  const t = rows - 1;
  const ddof = options.ddof ?? 0;
  const names = Array.from({ length: k }, (_, j) => options.colNames?.[j] ?? `x${j}`);
  const { mu, phi: phiD, residuals, sigma } = estimateVar1(x, options);
  const moduli = eigenModuli(phiD);
  const warnings: Warning[] = [];
  if (moduli[0] >= 1) {
    warnings.push({
      code: "var-nonstationary",
      message: `VAR(1) largest eigenvalue modulus ${moduli[0].toFixed(4)} >= 1: unit or explosive root`,
    });
  }
  const result: Var1Result = {
    nobs: t,
    k,
    mu,
    phi: phiD,
    residuals,
    sigma,
    ddof,
    eigenvalueModuli: moduli,
    names,
    warnings,
    summary: () => var1Summary(result),
  };
  return result;
}

/**
 * μ, Φ, residuals and Σ of `fitVar1` (same checks, same numbers), without the eigenvalues of Φ
 * (a general eigen-decomposition that callers such as the ACM estimation do not need).
 */
export function estimateVar1(x: Dense, options: Var1Options = {}): Var1Estimates {
  const { rows, cols: k } = x;
  const t = rows - 1;
  const ddof = options.ddof ?? 0;
  if (k === 0) throw new ModelError("VAR(1): no variables");
  assertFinite(x, "VAR(1): data", options);
  if (t - ddof <= 0 || t < k + 1) {
    throw new ModelError(
      `VAR(1): ${rows} observations (${t} transitions) are too few for ${k} variables: need at least ${k + 2} rows`,
    );
  }
  const p = k + 1;
  const design = new Float64Array(t * p);
  const y = new Float64Array(t * k);
  for (let i = 0; i < t; i++) {
    design[i * p] = 1;
    for (let j = 0; j < k; j++) {
      design[i * p + 1 + j] = x.data[i * k + j];
      y[i * k + j] = x.data[(i + 1) * k + j];
    }
  }
  const names = Array.from({ length: k }, (_, j) => options.colNames?.[j] ?? `x${j}`);
  const { coefficients, residuals } = olsMulti(dense(t, k, y), dense(t, p, design), "VAR(1)", {
    colNames: ["const", ...names.map((n) => `${n}(t-1)`)],
    rowNames: options.rowNames?.slice(0, t),
  });
  const mu = new Float64Array(k);
  const phi = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    mu[i] = coefficients.data[i];
    for (let j = 0; j < k; j++) phi[i * k + j] = coefficients.data[(1 + j) * k + i];
  }
  const sigma = new Float64Array(k * k);
  const v = residuals.data;
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < t; i++) s += v[i * k + a] * v[i * k + b];
      s /= t - ddof;
      sigma[a * k + b] = s;
      sigma[b * k + a] = s;
    }
  return { mu, phi: dense(k, k, phi), residuals, sigma: dense(k, k, sigma) };
}

/** Moduli of the eigenvalues of a square matrix, largest first. */
export function eigenModuli(m: Dense): Float64Array {
  const evd = new EigenvalueDecomposition(toMlMatrix(m));
  const re = evd.realEigenvalues;
  const im = evd.imaginaryEigenvalues;
  return Float64Array.from(re.map((r, i) => Math.hypot(r, im[i])))
    .sort()
    .reverse();
}

function var1Summary(r: Var1Result): string {
  const w = 12;
  const num = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(5)).padStart(w);
  const lines = [
    `VAR(1) with intercept, OLS; T = ${r.nobs} transitions, K = ${r.k}, Sigma divisor T - ${r.ddof}`,
    "=".repeat(14 + w * (r.k + 1)),
    `${"equation".padEnd(14)}${"mu".padStart(w)}${r.names.map((n) => `${n}(t-1)`.slice(0, w - 1).padStart(w)).join("")}`,
    "-".repeat(14 + w * (r.k + 1)),
  ];
  for (let i = 0; i < r.k; i++) {
    let line = `${r.names[i].slice(0, 13).padEnd(14)}${num(r.mu[i])}`;
    for (let j = 0; j < r.k; j++) line += num(r.phi.data[i * r.k + j]);
    lines.push(line);
  }
  lines.push("-".repeat(14 + w * (r.k + 1)));
  lines.push(`eigenvalue moduli of Phi: ${Array.from(r.eigenvalueModuli, (m) => m.toFixed(4)).join(", ")}`);
  for (const wn of r.warnings) lines.push(`warning: ${wn.message}`);
  return lines.join("\n");
}
