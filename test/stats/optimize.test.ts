import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Matrix, solve } from "ml-matrix";
import { ModelError } from "../../src/core/errors.ts";
import { levenbergMarquardt, nelderMead } from "../../src/stats/optimize.ts";
import { assertAllClose } from "../helpers.ts";

/** Rosenbrock's banana, minimum 0 at (1, …, 1). */
function rosenbrock(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}

/** Rosenbrock as least squares: r = (10 (x2 − x1²), 1 − x1), Σr² = rosenbrock. */
function rosenResiduals(x: Float64Array, out: Float64Array): void {
  out[0] = 10 * (x[1] - x[0] * x[0]);
  out[1] = 1 - x[0];
}
function rosenJacobian(x: Float64Array, jac: Float64Array): void {
  jac[0] = -20 * x[0];
  jac[1] = 10;
  jac[2] = -1;
  jac[3] = 0;
}

test("Nelder-Mead finds the Rosenbrock minimum (1, 1) from the classic start (-1.2, 1)", () => {
  const r = nelderMead(rosenbrock, [-1.2, 1], { xatol: 1e-10, fatol: 1e-20 });
  assert.equal(r.converged, true, r.message);
  // The simplex is shrunk to 1e-10 (xatol) around the minimum; observed distance to (1, 1) is
  // ~5e-11. 1e-8 allows for the flat valley direction (Hessian eigenvalues 0.4 vs 1000) without
  // letting a stalled simplex pass.
  assertAllClose(r.x, [1, 1], { atol: 1e-8, label: "x" });
  assert.ok(r.fun < 1e-14, `fun ${r.fun}`);
  assert.ok(r.evaluations > r.iterations, "each iteration evaluates at least once");
});

test("Nelder-Mead (adaptive coefficients) solves 4-D Rosenbrock from (0.5, 0.5, 0.5, 0.5)", () => {
  const r = nelderMead(rosenbrock, [0.5, 0.5, 0.5, 0.5], {
    adaptive: true,
    xatol: 1e-10,
    fatol: 1e-20,
    maxIterations: 20000,
    maxEvaluations: 40000,
  });
  assert.equal(r.converged, true, r.message);
  // Same reasoning as the 2-D case (observed error ~2e-11); the 4-D valley is flatter, 1e-8.
  assertAllClose(r.x, [1, 1, 1, 1], { atol: 1e-8, label: "x" });
});

test("bounded Nelder-Mead: Rosenbrock with x1 ≤ 0.5 has its constrained minimum at (0.5, 0.25)", () => {
  // Closed form: for fixed x1 the best x2 is x1², leaving (1 − x1)², decreasing up to the bound.
  for (const boundHandling of ["clamp", "transform"] as const) {
    const r = nelderMead(rosenbrock, [-1.2, 1], {
      lower: [-2, -2],
      upper: [0.5, 2],
      boundHandling,
      xatol: 1e-10,
      fatol: 1e-20,
      maxIterations: 5000,
      maxEvaluations: 10000,
    });
    assert.equal(r.converged, true, `${boundHandling}: ${r.message}`);
    // Clamping lands on the bound exactly; the transform reaches it through sin(z) → 1, where x1's
    // error is quadratic in the z-spread (1e-10): both leave x2 within ~4e-10 of x1² (observed).
    assertAllClose(r.x, [0.5, 0.25], { atol: 1e-8, label: boundHandling });
    assert.ok(r.x[0] <= 0.5, "x stays feasible");
    assert.ok(Math.abs(r.fun - 0.25) < 1e-10, `${boundHandling} fun ${r.fun}`);
  }
});

test("Nelder-Mead reports non-convergence instead of pretending", () => {
  const r = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5 });
  assert.equal(r.converged, false);
  assert.match(r.message, /maximum number of iterations/);
  assert.equal(r.iterations, 5);
  const r2 = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 10 });
  assert.equal(r2.converged, false);
  assert.match(r2.message, /evaluations/);
});

test("Nelder-Mead steps away from NaN objective values", () => {
  // NaN to the left of 0 (like log of a negative number): the minimum of (x − 2)² is still found.
  const r = nelderMead((x) => (x[0] < 0 ? Number.NaN : (x[0] - 2) ** 2), [0.5], {
    xatol: 1e-10,
    fatol: 1e-20,
  });
  assert.equal(r.converged, true);
  // f ≈ (x − 2)² with f-spread ≤ 1e-20: |x − 2| ≲ 1e-10.
  assert.ok(Math.abs(r.x[0] - 2) < 1e-8, `x ${r.x[0]}`);
});

test("Levenberg-Marquardt solves Rosenbrock (zero residual) with analytic and finite-difference Jacobians", () => {
  for (const jacobian of [rosenJacobian, undefined]) {
    const r = levenbergMarquardt(rosenResiduals, [-1.2, 1], 2, { jacobian });
    assert.equal(r.converged, true, r.message);
    // Zero-residual problem: Gauss-Newton converges quadratically near the solution, so x stops
    // within the xtol step (1e-10 relative) of (1, 1) (observed 3e-11 with forward differences,
    // whose ~1e-8 relative Jacobian error slows but does not bias the iteration).
    assertAllClose(r.x, [1, 1], { atol: 1e-9, label: jacobian ? "analytic" : "forward differences" });
    assert.ok(r.fun < 1e-18, `fun ${r.fun}`);
  }
});

test("Levenberg-Marquardt returns the Jacobian at the solution (forward differences ≈ analytic)", () => {
  const r = levenbergMarquardt(rosenResiduals, [-1.2, 1], 2);
  const exact = new Float64Array(4);
  rosenJacobian(r.x, exact);
  // Forward differences with h = √ε·max(1, |x|): truncation error h·|r''|/2 ~ 1.5e-8 · 20 / 2,
  // plus rounding ε·|r|/h; 1e-6 absolute is ~10× the bound.
  assertAllClose(r.jacobian, exact, { atol: 1e-6, label: "jacobian" });
});

/** Deterministic pseudo-random numbers for test data (a 32-bit LCG is plenty here). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

test("Levenberg-Marquardt on linear least squares equals the normal-equations solution (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 5 }), (seed, n) => {
      const rnd = lcg(seed);
      const m = 3 * n + 5;
      const a = Matrix.zeros(m, n);
      const b = Matrix.zeros(m, 1);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) a.set(i, j, rnd() * 4);
        b.set(i, 0, rnd() * 10);
      }
      // Closed form, independent of the optimiser: (AᵀA) x = Aᵀb by ml-matrix's LU solve.
      const xStar = solve(a.transpose().mmul(a), a.transpose().mmul(b)).getColumn(0);
      const r = levenbergMarquardt(
        (x, out) => {
          for (let i = 0; i < m; i++) {
            let s = -b.get(i, 0);
            for (let j = 0; j < n; j++) s += a.get(i, j) * x[j];
            out[i] = s;
          }
        },
        new Float64Array(n),
        m,
        { jacobian: (_x, jac) => jac.set(a.to1DArray()) },
      );
      assert.equal(r.converged, true, r.message);
      // A linear problem is solved in a handful of damped Gauss-Newton steps; the stopping rule
      // (relative reduction ≤ 1e-10) leaves x within ~1e-5·‖x‖·√cond of the optimum in the worst
      // case, but these well-conditioned random designs land within 1e-7 relative.
      const scale = Math.max(1, ...xStar.map(Math.abs));
      assertAllClose(r.x, xStar, { atol: 1e-7 * scale, label: `seed ${seed} n ${n}` });
      const resid = a.mmul(Matrix.columnVector(xStar)).sub(b);
      const ssr = resid.to1DArray().reduce((s, v) => s + v * v, 0);
      // The SSR is flat at the optimum: a 1e-7 error in x changes it by ~1e-14 relative.
      assert.ok(Math.abs(r.fun - ssr) <= 1e-10 * ssr, `fun ${r.fun} vs ${ssr}`);
    }),
    { numRuns: 40 },
  );
});

test("box-bounded Levenberg-Marquardt: separable problem whose optimum is the clamped unconstrained one", () => {
  // r_j = d_j x_j − c_j: unconstrained x_j = c_j / d_j; with a box, separable, so the constrained
  // optimum is exactly clamp(c_j / d_j, lo_j, hi_j).
  const d = [2, 0.5, 3, 1];
  const c = [4, -1, 0.3, 10];
  const lo = [0, 0, 0, 0];
  const hi = [1, 5, 5, 5];
  const r = levenbergMarquardt(
    (x, out) => {
      for (let j = 0; j < 4; j++) out[j] = d[j] * x[j] - c[j];
    },
    [0.5, 0.5, 0.5, 0.5],
    4,
    { lower: lo, upper: hi },
  );
  assert.equal(r.converged, true, r.message);
  const expected = c.map((cj, j) => Math.min(hi[j], Math.max(lo[j], cj / d[j])));
  // Projected steps land on the bounds exactly; the free coordinate (x3 = 0.1) is linear, exact
  // after the damping has decayed: 1e-9.
  assertAllClose(r.x, expected, { atol: 1e-9, label: "x" });
  for (let j = 0; j < 4; j++) assert.ok(r.x[j] >= lo[j] && r.x[j] <= hi[j], `x[${j}] inside the box`);
});

test("Levenberg-Marquardt reports an exhausted iteration budget as not converged", () => {
  const r = levenbergMarquardt(rosenResiduals, [-1.2, 1], 2, { maxIterations: 2 });
  assert.equal(r.converged, false);
  assert.match(r.message, /maximum number of iterations/);
  assert.equal(r.iterations, 2);
});

test("optimisers reject non-finite starts and inconsistent bounds with ModelError", () => {
  assert.throws(() => nelderMead(rosenbrock, [Number.NaN, 1]), ModelError);
  assert.throws(() => nelderMead(rosenbrock, [0, 0], { lower: [0] }), ModelError);
  assert.throws(() => nelderMead(rosenbrock, [0, 0], { lower: [1, 1], upper: [0, 0] }), ModelError);
  assert.throws(() => levenbergMarquardt(rosenResiduals, [0, Number.POSITIVE_INFINITY], 2), ModelError);
  assert.throws(
    () =>
      levenbergMarquardt(
        (_x, out) => {
          out[0] = Number.NaN;
        },
        [1],
        1,
      ),
    /not finite/,
  );
});
