/**
 * The small dense-matrix helpers: products against hand-computed values, the linear solve
 * against a known solution, and the typed errors for NaN and singular systems.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ModelError } from "../../src/core/errors.ts";
import {
  assertFinite,
  column,
  conditionNumber,
  crossProduct,
  fromColumns,
  fromRows,
  identity,
  matMul,
  matVec,
  row,
  solveSquare,
  toRows,
  transpose,
} from "../../src/stats/dense.ts";
import { assertAllClose } from "../helpers.ts";

const a = fromRows([
  [1, 2, 3],
  [4, 5, 6],
]);
const b = fromRows([
  [1, 0],
  [0, 1],
  [2, -1],
]);

test("products, transpose, rows and columns (hand-computed)", () => {
  // [1 2 3; 4 5 6] [1 0; 0 1; 2 -1] = [7 -1; 16 -1]: small integers, exact in binary
  assert.deepEqual(toRows(matMul(a, b)), [
    [7, -1],
    [16, -1],
  ]);
  assert.deepEqual(toRows(crossProduct(transpose(a), b)), toRows(matMul(a, b)));
  assert.deepEqual(Array.from(matVec(a, [1, 1, 1])), [6, 15]);
  assert.deepEqual(Array.from(row(a, 1)), [4, 5, 6]);
  assert.deepEqual(Array.from(column(a, 2)), [3, 6]);
  assert.deepEqual(toRows(fromColumns([column(a, 0), column(a, 1), column(a, 2)])), toRows(a));
  assert.deepEqual(toRows(matMul(identity(2), a)), toRows(a));
  assert.throws(() => matMul(a, a), ModelError);
});

test("solveSquare solves a known system and rejects singular ones", () => {
  const m = fromRows([
    [4, 1, 0],
    [1, 3, 1],
    [0, 1, 2],
  ]);
  const x = fromRows([[1], [-2], [0.5]]);
  const rhs = matMul(m, x);
  // well-conditioned 3x3 (cond ~ 3.7): LU with pivoting is accurate to ~1e-15
  assertAllClose(solveSquare(m, rhs, "test").data, x.data, { atol: 1e-13 });
  assert.ok(conditionNumber(m) > 1 && conditionNumber(m) < 10);
  const singular = fromRows([
    [1, 2],
    [2, 4],
  ]);
  assert.throws(
    () => solveSquare(singular, fromRows([[1], [2]]), "prices of risk"),
    (e: unknown) => e instanceof ModelError && /prices of risk/.test(e.message) && /singular/.test(e.message),
  );
});

test("assertFinite names the first NaN or infinity", () => {
  const m = fromRows([
    [1, 2],
    [3, Number.POSITIVE_INFINITY],
  ]);
  assert.throws(
    () => assertFinite(m, "panel", { rowNames: ["d0", "d1"], colNames: ["1m", "2m"] }),
    (e: unknown) => e instanceof ModelError && /row 1 \(d1\), column 1 \(2m\)/.test(e.message),
  );
  assert.doesNotThrow(() => assertFinite(a, "ok"));
});
