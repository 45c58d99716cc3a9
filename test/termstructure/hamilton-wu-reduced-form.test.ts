/**
 * The Hamilton-Wu reduced form and chi-square distance against slow, literal constructions:
 * OLS by normal equations in ml-matrix, and the statistic T (π̂ − g)' R̂ (π̂ − g) with R̂ built
 * element by element from Kronecker products and the duplication matrix (recipe step 5 in
 * reference/README.md), with every block of π perturbed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { inverse, Matrix, solve } from "ml-matrix";
import { ModelError } from "../../src/core/errors.ts";
import { createRng } from "../../src/stats/random.ts";
import {
  chiSquareDistance,
  estimateReducedForm,
  type ImpliedReducedForm,
} from "../../src/termstructure/hamilton-wu-reduced-form.ts";
import { assertAllClose } from "../helpers.ts";

function sampleData(nObs: number, seed: number) {
  const rng = createRng(seed);
  const y1 = new Float64Array(nObs * 3);
  const y2 = new Float64Array(nObs * 2);
  let f = [5, 1, 0];
  for (let t = 0; t < nObs; t++) {
    f = [
      5 + 0.98 * (f[0] - 5) + 0.2 * rng.normal(),
      1 + 0.95 * (f[1] - 1) + 0.15 * rng.normal(),
      0.9 * f[2] + 0.1 * rng.normal(),
    ];
    y1.set([f[0] - 0.8 * f[1], f[0] - 0.4 * f[1] + 0.3 * f[2], f[0] - 0.1 * f[1] + 0.2 * f[2]], t * 3);
    y2.set(
      [f[0] - 0.6 * f[1] + 0.2 * f[2] + 0.03 * rng.normal(), f[0] + 0.1 * f[2] + 0.08 * rng.normal()],
      t * 2,
    );
  }
  return { y1, y2 };
}

test("reduced form equals OLS by normal equations", () => {
  const nObs = 400;
  const { y1, y2 } = sampleData(nObs, 3);
  const rf = estimateReducedForm(y1, y2, nObs, 2, ["a", "b", "c"], ["d", "e"]);
  const T = nObs - 1;
  const rows = (f: (t: number) => number[]) => new Matrix(Array.from({ length: T }, (_, i) => f(i + 1)));
  const x1 = rows((t) => [1, y1[(t - 1) * 3], y1[(t - 1) * 3 + 1], y1[(t - 1) * 3 + 2]]);
  const z1 = rows((t) => [y1[t * 3], y1[t * 3 + 1], y1[t * 3 + 2]]);
  const x2 = rows((t) => [1, y1[t * 3], y1[t * 3 + 1], y1[t * 3 + 2]]);
  const z2 = rows((t) => [y2[t * 2], y2[t * 2 + 1]]);
  const p1 = solve(x1.transpose().mmul(x1), x1.transpose().mmul(z1));
  const p2 = solve(x2.transpose().mmul(x2), x2.transpose().mmul(z2));
  // normal equations square the condition number (~1e4 here): agreement to ~1e-9 is expected
  const tol = { atol: 1e-8, rtol: 1e-8 };
  assertAllClose(rf.a1Star, p1.getRow(0), { ...tol, label: "A1*" });
  assertAllClose(rf.phi11Star, p1.subMatrix(1, 3, 0, 2).transpose().to1DArray(), { ...tol, label: "φ11*" });
  assertAllClose(rf.a2Star, p2.getRow(0), { ...tol, label: "A2*" });
  assertAllClose(rf.phi21Star, p2.subMatrix(1, 3, 0, 1).transpose().to1DArray(), { ...tol, label: "φ21*" });
  const u1 = z1.clone().sub(x1.mmul(p1));
  const u2 = z2.clone().sub(x2.mmul(p2));
  assertAllClose(rf.omega1Star, u1.transpose().mmul(u1).div(T).to1DArray(), { ...tol, label: "Ω1*" });
  assertAllClose(
    rf.omega2StarDiag,
    [0, 1].map((i) => u2.getColumn(i).reduce((s, v) => s + v * v, 0) / T),
    {
      ...tol,
      label: "diag Ω2*",
    },
  );
  assertAllClose(rf.s2, x2.transpose().mmul(x2).div(T).to1DArray(), { ...tol, label: "X2'X2/T" });
});

/** Literal R̂ (block diagonal) and π ordering of the recipe. */
function bruteForceChi2(rf: ReturnType<typeof estimateReducedForm>, g: ImpliedReducedForm): number {
  const n1 = 3;
  const n2 = rf.n2;
  const piOf = (x: ImpliedReducedForm) => {
    const v: number[] = [];
    for (let i = 0; i < n1; i++) v.push(x.a1Star[i], ...Array.from(x.phi11Star.subarray(i * 3, i * 3 + 3)));
    for (let j = 0; j < n1; j++) for (let i = j; i < n1; i++) v.push(x.omega1Star[i * 3 + j]); // vech
    for (let i = 0; i < n2; i++) v.push(x.a2Star[i], ...Array.from(x.phi21Star.subarray(i * 3, i * 3 + 3)));
    v.push(...x.omega2StarDiag);
    return v;
  };
  const d = piOf(rf).map((v, i) => v - piOf(g)[i]);
  const o1i = inverse(new Matrix([0, 1, 2].map((i) => Array.from(rf.omega1Star.subarray(i * 3, i * 3 + 3)))));
  const s1 = new Matrix([0, 1, 2, 3].map((i) => Array.from(rf.s1.subarray(i * 4, i * 4 + 4))));
  const s2 = new Matrix([0, 1, 2, 3].map((i) => Array.from(rf.s2.subarray(i * 4, i * 4 + 4))));
  // duplication matrix D: vec(S) = D vech(S), vec column-major
  const pairs: [number, number][] = [];
  for (let j = 0; j < n1; j++) for (let i = j; i < n1; i++) pairs.push([i, j]);
  const dup = Matrix.zeros(9, pairs.length);
  pairs.forEach(([i, j], k) => {
    dup.set(j * 3 + i, k, 1);
    dup.set(i * 3 + j, k, 1);
  });
  const blocks = [
    o1i.kroneckerProduct(s1),
    dup.transpose().mmul(o1i.kroneckerProduct(o1i)).mmul(dup).mul(0.5),
    Matrix.diag(Array.from(rf.omega2StarDiag, (s) => 1 / s)).kroneckerProduct(s2),
    Matrix.diag(Array.from(rf.omega2StarDiag, (s) => 1 / (2 * s * s))),
  ];
  const size = blocks.reduce((s, b) => s + b.rows, 0);
  const r = Matrix.zeros(size, size);
  let k = 0;
  for (const b of blocks) {
    r.setSubMatrix(b, k, k);
    k += b.rows;
  }
  const dv = Matrix.columnVector(d);
  return rf.T * dv.transpose().mmul(r).mmul(dv).get(0, 0);
}

test("chi-square distance equals the literal T (π̂ − g)' R̂ (π̂ − g) with every block perturbed", () => {
  const nObs = 300;
  const { y1, y2 } = sampleData(nObs, 4);
  const rf = estimateReducedForm(y1, y2, nObs, 2, ["a", "b", "c"], ["d", "e"]);
  const rng = createRng(9);
  for (let rep = 0; rep < 20; rep++) {
    const jitter = (x: Float64Array, scale: number) => x.map((v) => v + scale * rng.normal());
    const dO = jitter(new Float64Array(9), 0.002);
    const g: ImpliedReducedForm = {
      a1Star: jitter(rf.a1Star, 0.05),
      phi11Star: jitter(rf.phi11Star, 0.01),
      // keep the perturbed covariance symmetric, as a model-implied one is
      omega1Star: rf.omega1Star.map((v, i) => v + 0.5 * (dO[i] + dO[(i % 3) * 3 + Math.floor(i / 3)])),
      a2Star: jitter(rf.a2Star, 0.05),
      phi21Star: jitter(rf.phi21Star, 0.01),
      omega2StarDiag: rf.omega2StarDiag.map((v) => v * (1 + 0.2 * rng.normal())),
    };
    const fast = chiSquareDistance(rf, g);
    const slow = bruteForceChi2(rf, g);
    // same quadratic form by trace identities vs an explicit 28×28 matrix: rounding only
    assert.ok(Math.abs(fast - slow) <= 1e-9 * slow, `rep ${rep}: ${fast} vs ${slow}`);
  }
  // and zero at g = π̂
  assert.equal(chiSquareDistance(rf, rf), 0);
});

test("a degenerate sample (constant yields) is refused", () => {
  const { y1, y2 } = sampleData(50, 5);
  const flat = new Float64Array(y1.length).fill(3);
  assert.throws(
    () => estimateReducedForm(flat, y2, 50, 2, ["12m", "36m", "60m"], ["d", "e"]),
    (e: unknown) => e instanceof ModelError && /collinear/.test(e.message),
  );
});
