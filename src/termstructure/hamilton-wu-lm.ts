/**
 * Levenberg-Marquardt (Levenberg 1944, Marquardt 1963) for the few-parameter, box-constrained
 * least-squares problems of the Hamilton-Wu estimator, with the settings of the project's
 * numpy oracle (reference/README.md, Hamilton-Wu recipe step 7): forward-difference Jacobian,
 * Marquardt scaling (damping on diag(JᵀJ)), damping ×10 on a rejected step and ÷10 on an
 * accepted one, steps leaving the box rejected, stop when an accepted step both decreases the
 * sum of squares by < 1e-12 (relative) and moves every coordinate by < 1e-10, or when 25
 * successive damping increases find no decrease (the minimum to machine precision).
 * Private to src/termstructure until a shared optimiser lands (then this file goes).
 */
import { solve } from "./hamilton-wu-linalg.ts";

/** Residuals at x, or null where the model is undefined (singular matrix, not positive definite). */
export type ResidualFn = (x: Float64Array) => Float64Array | null;

export interface LmOptions {
  lower: number;
  upper: number;
  maxIterations?: number;
  /** Forward-difference step. */
  h?: number;
  maxDampingTries?: number;
}

export type LmStop = "converged-step" | "converged-no-descent" | "max-iterations" | "infeasible";

export interface LmOutcome {
  x: Float64Array;
  /** Sum of squared residuals at x. */
  f: number;
  iterations: number;
  evaluations: number;
  stop: LmStop;
}

function sumSq(r: Float64Array): number {
  let s = 0;
  for (const v of r) s += v * v;
  return s;
}

export function levenbergMarquardt(fun: ResidualFn, x0: ArrayLike<number>, opts: LmOptions): LmOutcome {
  const { lower, upper, maxIterations = 300, h = 1e-7, maxDampingTries = 25 } = opts;
  const p = x0.length;
  let x = Float64Array.from(x0);
  let r = fun(x);
  let evaluations = 1;
  if (r === null || !Number.isFinite(sumSq(r))) {
    return { x, f: Number.POSITIVE_INFINITY, iterations: 0, evaluations, stop: "infeasible" };
  }
  let f = sumSq(r);
  let mu = 1e-3;
  const m = r.length;
  const jac = new Float64Array(m * p);
  const xp = new Float64Array(p);
  for (let iter = 1; iter <= maxIterations; iter++) {
    for (let k = 0; k < p; k++) {
      xp.set(x);
      xp[k] += h;
      let rk = fun(xp);
      evaluations++;
      let step = h;
      if (rk === null) {
        // the forward point is outside the model's domain: difference backwards instead
        xp[k] = x[k] - h;
        rk = fun(xp);
        evaluations++;
        step = -h;
        if (rk === null) return { x, f, iterations: iter, evaluations, stop: "infeasible" };
      }
      for (let i = 0; i < m; i++) jac[i * p + k] = (rk[i] - r[i]) / step;
    }
    const g = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < p; a++) {
        const ja = jac[i * p + a];
        g[a] += ja * r[i];
        for (let b = 0; b < p; b++) hess[a * p + b] += ja * jac[i * p + b];
      }
    }
    const negG = g.map((v) => -v);
    let accepted = false;
    let done = false;
    for (let tries = 0; tries < maxDampingTries; tries++) {
      const damped = Float64Array.from(hess);
      for (let a = 0; a < p; a++) damped[a * p + a] += mu * (hess[a * p + a] + 1e-12);
      const step = solve(damped, negG, p);
      if (step === null) {
        mu *= 10;
        continue;
      }
      const xn = new Float64Array(p);
      let inBox = true;
      let maxStep = 0;
      for (let a = 0; a < p; a++) {
        xn[a] = x[a] + step[a];
        if (xn[a] < lower || xn[a] > upper) inBox = false;
        maxStep = Math.max(maxStep, Math.abs(step[a]));
      }
      if (!inBox) {
        mu *= 10;
        continue;
      }
      const rn = fun(xn);
      evaluations++;
      const fn = rn === null ? Number.NaN : sumSq(rn);
      if (rn !== null && Number.isFinite(fn) && fn < f) {
        done = f - fn < 1e-12 * Math.max(f, 1) && maxStep < 1e-10;
        x = xn;
        r = rn;
        f = fn;
        mu = Math.max(mu / 10, 1e-12);
        accepted = true;
        break;
      }
      mu *= 10;
    }
    if (!accepted) return { x, f, iterations: iter, evaluations, stop: "converged-no-descent" };
    if (done) return { x, f, iterations: iter, evaluations, stop: "converged-step" };
  }
  return { x, f, iterations: maxIterations, evaluations, stop: "max-iterations" };
}
