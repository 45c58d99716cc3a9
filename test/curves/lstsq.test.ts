import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Matrix, QrDecomposition, SingularValueDecomposition } from "ml-matrix";
import { SmallLeastSquares } from "../../src/curves/lstsq.ts";
import { assertAllClose } from "../helpers.ts";

/** Column-major copy of a row-array matrix. */
function colMajor(rows: number[][]): Float64Array {
  const m = rows.length;
  const n = rows[0].length;
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = rows[i][j];
  return a;
}

/** Deterministic pseudo-random numbers for test data (a 32-bit LCG is plenty here). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

test("Householder least squares equals ml-matrix's QR solution (property)", () => {
  const ls = new SmallLeastSquares(40, 6);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 31 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 30 }),
      (seed, n, extra) => {
        const rnd = lcg(seed);
        const m = n + extra;
        const rows = Array.from({ length: m }, () => Array.from({ length: n }, () => 10 * rnd()));
        const y = Array.from({ length: m }, () => 10 * rnd());
        const A = new Matrix(rows);
        // Dense uniform designs are well conditioned with high probability; skip the rare bad one.
        const sv = new SingularValueDecomposition(A).diagonal;
        const cond = sv[0] / sv[sv.length - 1];
        if (!(cond < 1e6)) return;
        const ref = new QrDecomposition(A).solve(Matrix.columnVector(y)).to1DArray();
        const coef = new Float64Array(n);
        const ssr = ls.solve(colMajor(rows), m, n, Float64Array.from(y), coef);
        // Two backward-stable QR solvers: coefficients agree to O(ε·cond·‖x‖) (square) or
        // O(ε·cond²·‖r‖/‖A‖) (overdetermined); cond < 1e6 keeps that below 1e-5 relative.
        const scale = Math.max(1, ...ref.map(Math.abs));
        assertAllClose(coef, ref, { atol: 1e-5 * scale, label: `seed ${seed} ${m}×${n} cond ${cond}` });
        const r = A.mmul(Matrix.columnVector(coef)).sub(Matrix.columnVector(y)).to1DArray();
        const direct = r.reduce((s, v) => s + v * v, 0);
        const ySq = y.reduce((s, v) => s + v * v, 0);
        // SSR from the tail of Qᵀy vs recomputed from the residuals: ~ε‖y‖² apart.
        assert.ok(Math.abs(ssr - direct) <= 1e-10 * ySq, `${ssr} vs ${direct}`);
      },
    ),
    { numRuns: 200 },
  );
});

test("an exactly duplicated column is detected: rank drops, its coefficient is 0, SSR unchanged", () => {
  const t = Array.from({ length: 30 }, (_, i) => i + 1);
  const col = t.map((n) => (1 - Math.exp(-n / 2)) / (n / 2) - Math.exp(-n / 2));
  const rows3 = t.map((n, i) => [1, Math.exp(-n / 5), col[i]]);
  const rows4 = rows3.map((r, i) => [...r, col[i]]);
  const y = Float64Array.from(t, (n) => 3 + Math.sin(n));
  const ls = new SmallLeastSquares(30, 4);
  const c3 = new Float64Array(3);
  const ssr3 = ls.solve(colMajor(rows3), 30, 3, y, c3);
  assert.equal(ls.rank, 3);
  const c4 = new Float64Array(4);
  const ssr4 = ls.solve(colMajor(rows4), 30, 4, y, c4);
  assert.equal(ls.rank, 3);
  assert.equal(c4[3], 0);
  // The dependent column adds nothing: same fit as without it (rounding only, 1e-12 relative).
  assertAllClose(c4.subarray(0, 3), c3, { rtol: 1e-10, atol: 1e-12 });
  assert.ok(Math.abs(ssr4 - ssr3) <= 1e-12 * ssr3);
});

test("a square non-singular system is solved exactly (SSR 0)", () => {
  const rows = [
    [2, 1, 0],
    [1, 3, 1],
    [0, 1, 4],
  ];
  const x = [1, -2, 0.5];
  const y = Float64Array.from(rows, (r) => r.reduce((s, v, j) => s + v * x[j], 0));
  const coef = new Float64Array(3);
  const ssr = new SmallLeastSquares(3, 3).solve(colMajor(rows), 3, 3, y, coef);
  // Condition number ~5: x to 1e-14.
  assertAllClose(coef, x, { atol: 1e-14 });
  assert.ok(ssr < 1e-28);
});

test("a system larger than the workspace is refused", () => {
  assert.throws(() =>
    new SmallLeastSquares(3, 2).solve(new Float64Array(12), 4, 3, new Float64Array(4), new Float64Array(3)),
  );
});
