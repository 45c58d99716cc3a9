/**
 * Small general-purpose optimisers, returning scipy-like results.
 *
 * - Nelder-Mead simplex (Nelder & Mead 1965, with the coefficients and tie rules of Lagarias,
 *   Reeds, Wright & Wright 1998, "Convergence properties of the Nelder-Mead simplex method in low
 *   dimensions", SIAM J. Optim.; `adaptive` uses Gao & Han 2012 coefficients ρ = 1, χ = 1 + 2/n,
 *   γ = 3/4 − 1/(2n), σ = 1 − 1/n). Box bounds by projection ("clamp") or by a change of variables
 *   ("transform": x = lo + (hi − lo)(1 + sin z)/2, or lo + z² / hi − z² for one-sided boxes).
 * - Levenberg-Marquardt for min Σ r_i(x)² (Levenberg 1944, Marquardt 1963): each step solves
 *   min ‖J p + r‖² + λ ‖D p‖² with Marquardt's scaling D² = diag(JᵀJ) (kept as the running maximum,
 *   as MINPACK does, so a parameter whose sensitivity vanishes is not let loose), λ ÷10 after an
 *   accepted step and ×10 after a rejected one; box bounds by projecting the trial point.
 *   The damped system is solved by QR of the stacked matrix [J; √λ D], not by forming JᵀJ, so
 *   the condition number is not squared (curve fits with nearly collinear loadings need this).
 *
 * `fun` is the objective value at `x`: f(x) for Nelder-Mead, the sum of squared residuals Σ r_i²
 * (not scipy's ½Σ r²) for Levenberg-Marquardt. NaN objective values are treated as +∞ so an
 * optimiser steps away from them instead of propagating NaN.
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { ModelError } from "../core/errors.ts";

export interface OptimizeResult {
  x: Float64Array;
  fun: number;
  /** Nelder-Mead: simplex iterations; Levenberg-Marquardt: accepted steps. */
  iterations: number;
  /** Calls of the objective / residual function (finite-difference Jacobians included). */
  evaluations: number;
  converged: boolean;
  message: string;
}

export interface LeastSquaresResult extends OptimizeResult {
  /** Residuals r(x) at the solution. */
  residuals: Float64Array;
  /** Jacobian at the solution, row-major m × n (∂r_i/∂x_j at [i * n + j]). */
  jacobian: Float64Array;
}

export type BoundHandling = "clamp" | "transform";

export interface NelderMeadOptions {
  /** Size of the initial simplex edges, per coordinate or one number (default 5% of |x0|, 0.00025 at 0). */
  initialStep?: number | ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** How bounds are enforced (default "clamp"). */
  boundHandling?: BoundHandling;
  /** Default 200 n. */
  maxIterations?: number;
  /** Default 400 n. */
  maxEvaluations?: number;
  /**
   * Converged when every vertex is within `xatol` of the best (∞-norm; in x for "clamp", in the
   * transformed z for "transform") and its value within `fatol` of the best (defaults 1e-8, 1e-12).
   */
  xatol?: number;
  fatol?: number;
  /** Dimension-dependent coefficients (Gao & Han 2012), better above ~5 parameters. */
  adaptive?: boolean;
}

export interface LeastSquaresOptions {
  /** Analytic Jacobian: write ∂r_i/∂x_j into jac[i * n + j]. Default: forward differences. */
  jacobian?: (x: Float64Array, jac: Float64Array) => void;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  /** Accepted steps (default 100 (n + 1)). */
  maxIterations?: number;
  /** Stop when the actual and predicted relative reductions of Σr² are both ≤ ftol (default 1e-10). */
  ftol?: number;
  /** Stop when the scaled step ‖D p‖ ≤ xtol (‖D x‖ + xtol) (default 1e-10). */
  xtol?: number;
  /** Stop when every |cos| between r and a column of J is ≤ gtol (default 1e-10). */
  gtol?: number;
  /** Initial damping (default 1e-3). */
  lambda0?: number;
  /** Relative forward-difference step (default √ε ≈ 1.5e-8). */
  diffStep?: number;
}

const SQRT_EPS = Math.sqrt(Number.EPSILON);
const LAMBDA_MAX = 1e20;

function boundsArrays(
  n: number,
  lower?: ArrayLike<number>,
  upper?: ArrayLike<number>,
): [Float64Array, Float64Array] {
  const lo = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const hi = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  if (lower && lower.length !== n)
    throw new ModelError(`optimize: lower has ${lower.length} entries, x0 has ${n}`);
  if (upper && upper.length !== n)
    throw new ModelError(`optimize: upper has ${upper.length} entries, x0 has ${n}`);
  for (let i = 0; i < n; i++) {
    if (lower) lo[i] = lower[i];
    if (upper) hi[i] = upper[i];
    if (Number.isNaN(lo[i]) || Number.isNaN(hi[i]) || lo[i] > hi[i]) {
      throw new ModelError(`optimize: invalid bounds for x[${i}]: [${lo[i]}, ${hi[i]}]`);
    }
  }
  return [lo, hi];
}

function checkStart(x0: ArrayLike<number>): void {
  if (x0.length === 0) throw new ModelError("optimize: x0 is empty");
  for (let i = 0; i < x0.length; i++) {
    if (!Number.isFinite(x0[i]))
      throw new ModelError(`optimize: x0[${i}] is ${x0[i]}, expected a finite number`);
  }
}

function clampInto(x: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
}

/** Change of variables z → x for "transform" bounds, and its inverse. */
function makeTransform(lo: Float64Array, hi: Float64Array) {
  const n = lo.length;
  const toX = (z: Float64Array, x: Float64Array) => {
    for (let i = 0; i < n; i++) {
      const l = lo[i];
      const h = hi[i];
      if (Number.isFinite(l) && Number.isFinite(h)) x[i] = l + ((h - l) * (1 + Math.sin(z[i]))) / 2;
      else if (Number.isFinite(l)) x[i] = l + z[i] * z[i];
      else if (Number.isFinite(h)) x[i] = h - z[i] * z[i];
      else x[i] = z[i];
    }
  };
  const toZ = (x: Float64Array, z: Float64Array) => {
    for (let i = 0; i < n; i++) {
      const l = lo[i];
      const h = hi[i];
      if (Number.isFinite(l) && Number.isFinite(h)) {
        z[i] = h > l ? Math.asin(Math.min(1, Math.max(-1, (2 * (x[i] - l)) / (h - l) - 1))) : 0;
      } else if (Number.isFinite(l)) z[i] = Math.sqrt(Math.max(0, x[i] - l));
      else if (Number.isFinite(h)) z[i] = Math.sqrt(Math.max(0, h - x[i]));
      else z[i] = x[i];
    }
  };
  return { toX, toZ };
}

/**
 * Minimise f over R^n (or a box) by the Nelder-Mead simplex method. `f` receives a scratch
 * array it must not keep. Deterministic: the initial simplex is x0 plus one step per axis
 * (a step that would leave the box is taken the other way).
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): OptimizeResult {
  checkStart(x0);
  const n = x0.length;
  const [lo, hi] = boundsArrays(n, options.lower, options.upper);
  const mode = options.boundHandling ?? "clamp";
  if (mode !== "clamp" && mode !== "transform") {
    throw new ModelError(`nelderMead: unknown boundHandling "${String(mode)}" (use "clamp" or "transform")`);
  }
  const maxIterations = options.maxIterations ?? 200 * n;
  const maxEvaluations = options.maxEvaluations ?? 400 * n;
  const xatol = options.xatol ?? 1e-8;
  const fatol = options.fatol ?? 1e-12;
  const adaptive = options.adaptive ?? false;
  const rho = 1;
  const chi = adaptive ? 1 + 2 / n : 2;
  const gamma = adaptive ? 0.75 - 1 / (2 * n) : 0.5;
  const sigma = adaptive ? 1 - 1 / n : 0.5;

  // The simplex lives in "search space" u: u = x (clamp) or u = z (transform).
  const tr = makeTransform(lo, hi);
  const xs = new Float64Array(n);
  let evaluations = 0;
  const evalAt = (u: Float64Array): number => {
    if (mode === "clamp") {
      clampInto(u, lo, hi);
      xs.set(u);
    } else tr.toX(u, xs);
    evaluations++;
    const v = f(xs);
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };

  const start = Float64Array.from(x0);
  clampInto(start, lo, hi);
  const pts: Float64Array[] = [];
  const vals = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    const xk = Float64Array.from(start);
    if (k > 0) {
      const i = k - 1;
      const s = options.initialStep;
      let step = s === undefined ? (xk[i] !== 0 ? 0.05 * xk[i] : 0.00025) : typeof s === "number" ? s : s[i];
      if (xk[i] + step > hi[i]) step = -step;
      xk[i] += step;
    }
    const u = new Float64Array(n);
    if (mode === "clamp") u.set(xk);
    else tr.toZ(xk, u);
    pts.push(u);
    vals[k] = evalAt(u);
  }

  const c = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  let message = "maximum number of iterations reached";
  // Insertion sort of the vertices by value (stable: ties keep their order, as in Lagarias et al.).
  const sortSimplex = () => {
    for (let k = 1; k <= n; k++) {
      const p = pts[k];
      const v = vals[k];
      let i = k - 1;
      while (i >= 0 && vals[i] > v) {
        pts[i + 1] = pts[i];
        vals[i + 1] = vals[i];
        i--;
      }
      pts[i + 1] = p;
      vals[i + 1] = v;
    }
  };
  sortSimplex();
  while (iterations < maxIterations) {
    let fSpread = 0;
    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      fSpread = Math.max(fSpread, Math.abs(vals[k] - vals[0]));
      for (let i = 0; i < n; i++) xSpread = Math.max(xSpread, Math.abs(pts[k][i] - pts[0][i]));
    }
    // Spread measured in search space; for "transform" the map is a contraction near the box
    // interior (|dx/dz| ≤ (hi − lo)/2), so a small z-spread bounds the x-spread.
    if (fSpread <= fatol && xSpread <= xatol) {
      converged = true;
      message = "simplex converged (xatol and fatol met)";
      break;
    }
    if (evaluations >= maxEvaluations) {
      message = "maximum number of function evaluations reached";
      break;
    }
    iterations++;
    c.fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) c[i] += pts[k][i] / n;
    const worst = pts[n];
    for (let i = 0; i < n; i++) xr[i] = c[i] + rho * (c[i] - worst[i]);
    const fr = evalAt(xr);
    if (fr < vals[0]) {
      for (let i = 0; i < n; i++) xe[i] = c[i] + rho * chi * (c[i] - worst[i]);
      const fe = evalAt(xe);
      if (fe < fr) {
        worst.set(xe);
        vals[n] = fe;
      } else {
        worst.set(xr);
        vals[n] = fr;
      }
    } else if (fr < vals[n - 1]) {
      worst.set(xr);
      vals[n] = fr;
    } else {
      let shrink = false;
      if (fr < vals[n]) {
        for (let i = 0; i < n; i++) xc[i] = c[i] + gamma * (xr[i] - c[i]);
        const fc = evalAt(xc);
        if (fc <= fr) {
          worst.set(xc);
          vals[n] = fc;
        } else shrink = true;
      } else {
        for (let i = 0; i < n; i++) xc[i] = c[i] - gamma * (c[i] - worst[i]);
        const fc = evalAt(xc);
        if (fc < vals[n]) {
          worst.set(xc);
          vals[n] = fc;
        } else shrink = true;
      }
      if (shrink) {
        for (let k = 1; k <= n; k++) {
          for (let i = 0; i < n; i++) pts[k][i] = pts[0][i] + sigma * (pts[k][i] - pts[0][i]);
          vals[k] = evalAt(pts[k]);
        }
      }
    }
    sortSimplex();
  }
  const x = new Float64Array(n);
  if (mode === "clamp") x.set(pts[0]);
  else tr.toX(pts[0], x);
  return { x, fun: vals[0], iterations, evaluations, converged, message };
}

/** Forward-difference Jacobian, row-major m × n; steps point into the box. */
function forwardJacobian(
  residuals: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  r: Float64Array,
  hi: Float64Array,
  jac: Float64Array,
  rel: number,
): number {
  const n = x.length;
  const m = r.length;
  const xh = Float64Array.from(x);
  const rh = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    let h = rel * Math.max(1, Math.abs(x[j]));
    if (x[j] + h > hi[j]) h = -h;
    xh[j] = x[j] + h;
    h = xh[j] - x[j]; // the step actually represented in floating point
    residuals(xh, rh);
    for (let i = 0; i < m; i++) jac[i * n + j] = (rh[i] - r[i]) / h;
    xh[j] = x[j];
  }
  return n;
}

function sumSquares(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return Number.isNaN(s) ? Number.POSITIVE_INFINITY : s;
}

/**
 * Minimise Σ r_i(x)² (m residuals, n ≤ m parameters) by Levenberg-Marquardt with Marquardt
 * scaling and optional box bounds (the trial point x + p is projected into the box).
 * `residuals(x, out)` writes r(x) into `out` (length m) and must not keep either array.
 */
export function levenbergMarquardt(
  residuals: (x: Float64Array, out: Float64Array) => void,
  x0: ArrayLike<number>,
  m: number,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  checkStart(x0);
  const n = x0.length;
  if (!Number.isInteger(m) || m < 1)
    throw new ModelError(`levenbergMarquardt: m = ${m} residuals, expected ≥ 1`);
  const [lo, hi] = boundsArrays(n, options.lower, options.upper);
  const maxIterations = options.maxIterations ?? 100 * (n + 1);
  const ftol = options.ftol ?? 1e-10;
  const xtol = options.xtol ?? 1e-10;
  const gtol = options.gtol ?? 1e-10;
  const diffStep = options.diffStep ?? SQRT_EPS;
  let lambda = options.lambda0 ?? 1e-3;

  let evaluations = 0;
  const resid = (x: Float64Array, out: Float64Array) => {
    evaluations++;
    residuals(x, out);
  };
  const x = Float64Array.from(x0);
  clampInto(x, lo, hi);
  let r = new Float64Array(m);
  resid(x, r);
  let f = sumSquares(r);
  if (!Number.isFinite(f)) {
    throw new ModelError("levenbergMarquardt: residuals are not finite at the starting point");
  }
  const jac = new Float64Array(m * n);
  const computeJac = () => {
    if (options.jacobian) options.jacobian(x, jac);
    else forwardJacobian(resid, x, r, hi, jac, diffStep);
  };
  computeJac();
  let jacAtX = true;

  const d2 = new Float64Array(n); // Marquardt scaling D² (running max of column sums of squares)
  const xn = new Float64Array(n);
  let rn = new Float64Array(m);
  const a = new Matrix(m + n, n);
  const b = new Matrix(m + n, 1);
  let iterations = 0;
  let converged = false;
  let message = "maximum number of iterations reached";

  outer: while (true) {
    if (f === 0) {
      converged = true;
      message = "exact fit: all residuals are zero";
      break;
    }
    // Gradient test (MINPACK gtol): cosine between r and each column of J, ignoring components
    // that point out of the box at an active bound.
    const rNorm = Math.sqrt(f);
    let maxCos = 0;
    for (let j = 0; j < n; j++) {
      let gj = 0;
      let cj = 0;
      for (let i = 0; i < m; i++) {
        const v = jac[i * n + j];
        gj += v * r[i];
        cj += v * v;
      }
      if (!Number.isFinite(cj))
        throw new ModelError(`levenbergMarquardt: Jacobian column ${j} is not finite`);
      d2[j] = Math.max(d2[j], cj);
      const atLo = x[j] <= lo[j] && gj > 0;
      const atHi = x[j] >= hi[j] && gj < 0;
      if (cj > 0 && !atLo && !atHi) maxCos = Math.max(maxCos, Math.abs(gj) / (Math.sqrt(cj) * rNorm));
    }
    if (maxCos <= gtol) {
      converged = true;
      message = "gradient orthogonal to the residuals (gtol met)";
      break;
    }
    if (iterations >= maxIterations) break;
    let d2max = 0;
    for (let j = 0; j < n; j++) d2max = Math.max(d2max, d2[j]);
    const d2floor = d2max > 0 ? d2max * 1e-30 : 1;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) a.set(i, j, jac[i * n + j]);
      b.set(i, 0, -r[i]);
    }
    for (let k = 0; k < n; k++) b.set(m + k, 0, 0);
    let xNorm = 0;
    for (let j = 0; j < n; j++) xNorm += Math.max(d2[j], d2floor) * x[j] * x[j];
    xNorm = Math.sqrt(xNorm);
    // Inner loop: raise λ until the (projected) step reduces Σ r².
    while (true) {
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) a.set(m + k, j, 0);
        a.set(m + k, k, Math.sqrt(lambda * Math.max(d2[k], d2floor)));
      }
      let p: Matrix;
      try {
        p = new QrDecomposition(a).solve(b);
      } catch {
        lambda *= 10;
        if (lambda > LAMBDA_MAX) {
          message = "damped system singular even at maximum damping";
          break outer;
        }
        continue;
      }
      let stepNorm = 0;
      for (let j = 0; j < n; j++) {
        xn[j] = Math.min(hi[j], Math.max(lo[j], x[j] + p.get(j, 0)));
        const dj = xn[j] - x[j];
        stepNorm += Math.max(d2[j], d2floor) * dj * dj;
      }
      stepNorm = Math.sqrt(stepNorm);
      if (stepNorm <= xtol * (xNorm + xtol)) {
        converged = true;
        message = "step below xtol: no further reduction possible";
        break outer;
      }
      resid(xn, rn);
      const fn = sumSquares(rn);
      if (fn < f) {
        // Predicted reduction of the linear model for the projected step.
        let pred = 0;
        for (let i = 0; i < m; i++) {
          let jp = r[i];
          for (let j = 0; j < n; j++) jp += jac[i * n + j] * (xn[j] - x[j]);
          pred += jp * jp;
        }
        const actualRel = (f - fn) / f;
        const predRel = Math.max(0, (f - pred) / f);
        x.set(xn);
        [r, rn] = [rn, r];
        f = fn;
        iterations++;
        jacAtX = false;
        lambda = Math.max(lambda / 10, 1e-15);
        if (actualRel <= ftol && predRel <= ftol) {
          converged = true;
          message = "relative reduction of the sum of squares below ftol";
          break outer;
        }
        if (stepNorm <= xtol * (xNorm + xtol)) {
          converged = true;
          message = "step below xtol";
          break outer;
        }
        computeJac();
        jacAtX = true;
        continue outer;
      }
      lambda *= 10;
      if (lambda > LAMBDA_MAX) {
        message = "damping reached its maximum without reducing the sum of squares";
        break outer;
      }
    }
  }
  if (!jacAtX) computeJac();
  return { x, fun: f, iterations, evaluations, converged, message, residuals: r, jacobian: jac };
}
