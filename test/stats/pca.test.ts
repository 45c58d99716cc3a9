/**
 * PCA against numpy's eigh (golden JSON from make_var_pca_golden.py), on data with an exactly
 * known eigenstructure, and the eigen-solver's fallback when subspace iteration cannot converge.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ModelError } from "../../src/core/errors.ts";
import { covarianceMatrix } from "../../src/stats/covariance.ts";
import { type Dense, dense, fromRows } from "../../src/stats/dense.ts";
import { symmetricEigenFull, symmetricEigenTop } from "../../src/stats/eigen.ts";
import { pca, projectScores } from "../../src/stats/pca.ts";
import { assertAllClose, REPO_ROOT } from "../helpers.ts";

const golden = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/stats/pca_golden.json"), "utf8")) as {
  Y: number[][];
  k: number;
  means: number[];
  eigenvalues: number[];
  loadings: number[][];
  scores: number[][];
  explained_ratio: number[];
};

for (const method of ["full", "subspace"] as const) {
  test(`PCA matches numpy eigh (${method} solver)`, () => {
    const r = pca(fromRows(golden.Y), { components: golden.k, method });
    assert.equal(r.solver.method, method);
    // eigenvalues: both solvers are backward stable, agreement ~1e-14 relative to the largest
    assertAllClose(r.eigenvalues, golden.eigenvalues, {
      rtol: 1e-9,
      atol: 1e-12 * golden.eigenvalues[0],
      label: "eigenvalues",
    });
    assertAllClose(r.means, golden.means, { rtol: 1e-13, label: "means" });
    // eigenvector error ~ eps ||S|| / gap; the smallest gap here (PC3-PC4, noise level) is
    // ~1e-4 of ||S||, so ~1e-11; 1e-8 leaves margin and would catch a wrong sign or order
    assertAllClose(r.loadings.data, golden.loadings.flat(), { atol: 1e-8, label: "loadings" });
    assertAllClose(r.scores.data, golden.scores.flat(), { atol: 1e-7, label: "scores" });
    assertAllClose(r.explainedVarianceRatio, golden.explained_ratio, { rtol: 1e-9, label: "explained" });
  });
}

/** Deterministic uniform(-0.5, 0.5) stream. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

/** Orthonormal columns of a random n × m matrix by Gram-Schmidt (twice). */
function orthonormalColumns(n: number, m: number, next: () => number, centre: boolean): Dense {
  const q = dense(n, m);
  for (let c = 0; c < m; c++) {
    const v = Array.from({ length: n }, next);
    if (centre) {
      const mean = v.reduce((a, b) => a + b, 0) / n;
      for (let i = 0; i < n; i++) v[i] -= mean;
    }
    for (let pass = 0; pass < 2; pass++)
      for (let d = 0; d < c; d++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q.data[i * m + d] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * q.data[i * m + d];
      }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) q.data[i * m + c] = v[i] / norm;
  }
  return q;
}

/** Panel T × N whose sample covariance is exactly Q diag(λ) Qᵀ (scores centred and orthogonal). */
function panelWithSpectrum(t: number, lambdas: number[], seed: number): { y: Dense; q: Dense } {
  const n = lambdas.length;
  const next = rng(seed);
  const q = orthonormalColumns(n, n, next, false);
  const u = orthonormalColumns(t, n, next, true);
  const y = dense(t, n);
  for (let r = 0; r < t; r++)
    for (let j = 0; j < n; j++) {
      let acc = 3; // a common mean, removed by the PCA
      for (let c = 0; c < n; c++)
        acc += u.data[r * n + c] * Math.sqrt((t - 1) * lambdas[c]) * q.data[j * n + c];
      y.data[r * n + j] = acc;
    }
  return { y, q };
}

test("PCA recovers an exactly known spectrum (subspace iteration, N = 40)", () => {
  const lambdas = Array.from({ length: 40 }, (_, i) => 100 * 0.3 ** i);
  const { y, q } = panelWithSpectrum(300, lambdas, 11);
  const r = pca(y, { components: 5 });
  assert.equal(r.solver.method, "subspace", "N = 40 > 24 takes the iterative path");
  // construction is exact up to rounding of Gram-Schmidt and the sums (~1e-14 relative)
  assertAllClose(r.eigenvalues, lambdas.slice(0, 5), { rtol: 1e-10, label: "eigenvalues" });
  for (let c = 0; c < 5; c++) {
    let dot = 0;
    for (let j = 0; j < 40; j++) dot += r.loadings.data[j * 5 + c] * q.data[j * 40 + c];
    // |cos| between recovered and true eigenvector; gaps are >= 70% of the eigenvalue
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-10, `PC${c + 1}: |cos| = ${Math.abs(dot)}`);
    let sum = 0;
    for (let j = 0; j < 40; j++) sum += r.loadings.data[j * 5 + c];
    assert.ok(sum > 0, "sign convention: loadings sum to a positive number");
  }
  // scores have the eigenvalues as variances and are uncorrelated
  const cov = covarianceMatrix(r.scores).covariance;
  for (let a = 0; a < 5; a++)
    for (let b = 0; b < 5; b++) {
      const expected = a === b ? lambdas[a] : 0;
      assert.ok(Math.abs(cov.data[a * 5 + b] - expected) < 1e-9 * lambdas[0], `score cov ${a},${b}`);
    }
  // projecting the estimation data reproduces the scores bit for bit
  assert.deepEqual(projectScores(y, r.means, r.loadings).data, r.scores.data);
});

test("eigen solver falls back to the full decomposition when the spectrum is clustered at k", () => {
  // λ5..λ12 within 0.01% of each other: the block of 10 converges at rate ~0.9999 per step
  const lambdas = [
    100,
    50,
    20,
    10,
    ...Array.from({ length: 8 }, (_, i) => 1 - 1e-5 * i),
    ...Array.from({ length: 28 }, (_, i) => 0.1 * 0.8 ** i),
  ];
  const { y } = panelWithSpectrum(200, lambdas, 5);
  const s = covarianceMatrix(y).covariance;
  const top = symmetricEigenTop(s, 5);
  assert.equal(top.method, "full", "stalled iteration must hand over to the full EVD");
  const full = symmetricEigenFull(s);
  assertAllClose(top.values, full.values.slice(0, 5), { rtol: 1e-12, label: "values" });
  // returned pairs are checked eigenpairs: residual at rounding level
  assert.ok(top.relativeResidual < 1e-12, `residual ${top.relativeResidual}`);
});

test("PCA errors: NaN names row and column; rank below k; too many components", () => {
  const y = fromRows(golden.Y);
  y.data[3 * y.cols + 4] = Number.NaN;
  assert.throws(
    () => pca(y, { components: 2, rowNames: golden.Y.map((_, i) => `d${i}`) }),
    (e: unknown) => e instanceof ModelError && /row 3 \(d3\)/.test(e.message) && /column 4/.test(e.message),
  );
  const lowRank = dense(50, 4);
  for (let r = 0; r < 50; r++)
    for (let j = 0; j < 4; j++) lowRank.data[r * 4 + j] = (j + 1) * Math.sin(r) + 2;
  assert.throws(
    () => pca(lowRank, { components: 2 }),
    (e: unknown) => e instanceof ModelError && /fewer than 2 independent directions/.test(e.message),
  );
  assert.throws(() => pca(fromRows(golden.Y), { components: 99 }), ModelError);
});

test("blocked covariance equals the naive two-pass formula for every column remainder mod 4", () => {
  const next = rng(3);
  for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 13]) {
    const t = 37;
    const y = dense(t, n);
    for (let i = 0; i < y.data.length; i++) y.data[i] = 100 + next() * (1 + (i % n));
    const { means, covariance } = covarianceMatrix(y);
    for (let a = 0; a < n; a++) {
      let m = 0;
      for (let r = 0; r < t; r++) m += y.data[r * n + a] / t;
      assert.ok(Math.abs(means[a] - m) < 1e-12, "mean");
      for (let b = 0; b < n; b++) {
        let mb = 0;
        for (let r = 0; r < t; r++) mb += y.data[r * n + b] / t;
        let s = 0;
        for (let r = 0; r < t; r++) s += (y.data[r * n + a] - m) * (y.data[r * n + b] - mb);
        // same products summed in the same order; means differ only in rounding (~1e-14)
        assert.ok(Math.abs(covariance.data[a * n + b] - s / (t - 1)) < 1e-12, `n=${n} (${a},${b})`);
      }
    }
  }
});
