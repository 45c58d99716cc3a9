/**
 * VAR(1) against statsmodels' VAR (golden JSON from make_var_pca_golden.py) and on data simulated
 * from known parameters.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ModelError } from "../../src/core/errors.ts";
import { dense, fromRows } from "../../src/stats/dense.ts";
import { fitVar1 } from "../../src/stats/var.ts";
import { assertAllClose, REPO_ROOT } from "../helpers.ts";

const golden = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/stats/var_golden.json"), "utf8")) as {
  X: number[][];
  params: number[][];
  sigma_u: number[][];
  sigma_u_mle: number[][];
  resid: number[][];
};

test("VAR(1) matches statsmodels: mu, Phi, residuals, Sigma for two divisors", () => {
  const x = fromRows(golden.X);
  const k = x.cols;
  const r = fitVar1(x, { ddof: k + 1 });
  const mu = golden.params[0];
  const phi: number[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) phi.push(golden.params[1 + j][i]);
  // 149 x 4 least squares: QR vs statsmodels' lstsq agree to rounding; 1e-10 relative is ample
  assertAllClose(r.mu, mu, { rtol: 1e-10, atol: 1e-12, label: "mu" });
  assertAllClose(r.phi.data, phi, { rtol: 1e-10, atol: 1e-12, label: "Phi" });
  assertAllClose(r.residuals.data, golden.resid.flat(), { rtol: 1e-10, atol: 1e-12, label: "resid" });
  // statsmodels sigma_u divides by T - K - 1 (ddof K + 1); sigma_u_mle by T (ddof 0)
  assertAllClose(r.sigma.data, golden.sigma_u.flat(), { rtol: 1e-10, label: "sigma_u" });
  assertAllClose(fitVar1(x).sigma.data, golden.sigma_u_mle.flat(), { rtol: 1e-10, label: "sigma_u_mle" });
  assert.equal(r.nobs, golden.X.length - 1);
  assert.match(r.summary(), /VAR\(1\)/);
});

test("VAR(1) recovers known parameters from a long simulation", () => {
  const k = 2;
  const t1 = 20001;
  const phi = [0.95, 0.02, -0.1, 0.6];
  const mu = [0.05, 0.2];
  const x = dense(t1, k);
  let s = 42;
  const unif = () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return (s + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
  for (let t = 1; t < t1; t++) {
    const e0 = 0.5 * normal();
    const e1 = 0.3 * normal() + 0.1 * e0;
    x.data[t * 2] = mu[0] + phi[0] * x.data[(t - 1) * 2] + phi[1] * x.data[(t - 1) * 2 + 1] + e0;
    x.data[t * 2 + 1] = mu[1] + phi[2] * x.data[(t - 1) * 2] + phi[3] * x.data[(t - 1) * 2 + 1] + e1;
  }
  const r = fitVar1(x);
  // Asymptotic s.e. of Phi entries at T = 20000 is below 0.01 for these parameters
  // (sqrt(sigma_ii / (T var(x_j))) <= 0.5 / sqrt(20000 * 0.8) ~ 0.004); 0.03 is > 5 s.e.
  assertAllClose(r.phi.data, phi, { atol: 0.03, label: "Phi" });
  // innovation covariance: Var(e0) = 0.25, Cov = 0.025, Var(e1) = 0.09 + 0.0025; s.e. ~ 0.0025
  assertAllClose(r.sigma.data, [0.25, 0.025, 0.025, 0.0925], { atol: 0.015, label: "Sigma" });
  assert.ok(r.eigenvalueModuli[0] < 1);
});

test("VAR(1) errors: NaN names the row and column; too short a sample", () => {
  const x = fromRows(golden.X);
  x.data[10 * 3 + 1] = Number.NaN;
  assert.throws(
    () => fitVar1(x, { colNames: ["a", "b", "c"] }),
    (e: unknown) => e instanceof ModelError && /row 10/.test(e.message) && /\(b\)/.test(e.message),
  );
  assert.throws(
    () =>
      fitVar1(
        fromRows([
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ]),
      ),
    (e: unknown) => e instanceof ModelError && /too few/.test(e.message),
  );
});
