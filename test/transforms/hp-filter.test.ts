import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { addMonths } from "../../src/core/dates.ts";
import { InputError, ModelError } from "../../src/core/errors.ts";
import {
  hpFilter,
  hpFilterOneSided,
  hpFilterOneSidedValues,
  hpFilterValues,
} from "../../src/transforms/hp-filter.ts";
import { assertAllClose, sharedPath, sharedSkip } from "../helpers.ts";
import { normals, series } from "./make.ts";

const FIXTURE = "reference/fixtures/hp_600.csv";

/**
 * Independent reference: build D (second differences) and A = I + λD'D as full matrices by
 * matrix multiplication, then Gaussian elimination with partial pivoting. O(n³), no band formulas.
 */
function hpDense(y: ArrayLike<number>, lambda: number): Float64Array {
  const n = y.length;
  const D: number[][] = [];
  for (let r = 0; r < n - 2; r++) {
    const row = new Array<number>(n).fill(0);
    row[r] = 1;
    row[r + 1] = -2;
    row[r + 2] = 1;
    D.push(row);
  }
  const A: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n + 1).fill(0);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < n - 2; r++) s += D[r][i] * D[r][j];
      row[j] = (i === j ? 1 : 0) + lambda * s;
    }
    row[n] = y[i];
    A.push(row);
  }
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i][k]) > Math.abs(A[p][k])) p = i;
    [A[k], A[p]] = [A[p], A[k]];
    for (let i = k + 1; i < n; i++) {
      const f = A[i][k] / A[k][k];
      if (f === 0) continue;
      for (let j = k; j <= n; j++) A[i][j] -= f * A[k][j];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = A[i][n];
    for (let j = i + 1; j < n; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

/** A monthly-like test series: random-walk level + 8-year cycle + noise (seeded). */
function testSeries(n: number, seed: number): Float64Array {
  const e = normals(2 * n, seed);
  const y = new Float64Array(n);
  let level = 5;
  for (let t = 0; t < n; t++) {
    level += 0.05 * e[t];
    y[t] = level + 0.8 * Math.sin((2 * Math.PI * t) / 96) + 0.1 * e[n + t];
  }
  return y;
}

function monthly(n: number, start = "1990-01-01"): string[] {
  return Array.from({ length: n }, (_, i) => addMonths(start, i));
}

test("matches the numpy dense-solve fixture hp_600.csv for λ = 1600, 14400, 129600", {
  skip: sharedSkip(FIXTURE),
}, () => {
  const lines = readFileSync(sharedPath(FIXTURE), "utf8").trim().split("\n");
  assert.equal(lines[0], "t,y,trend_1600,trend_14400,trend_129600");
  const rows = lines.slice(1).map((l) => l.split(",").map(Number));
  assert.equal(rows.length, 600);
  const y = Float64Array.from(rows, (r) => r[1]);
  for (const [col, lambda] of [
    [2, 1600],
    [3, 14400],
    [4, 129600],
  ] as const) {
    // 1e-8 absolute: the fixture has 15 significant digits (~1e-14 on values near 5) and both
    // solves err by at most κ(A)·u·|y| ≈ (1 + 16λ)·1.1e-16·6 ≈ 1.4e-9 at λ = 129600.
    assertAllClose(
      hpFilterValues(y, lambda),
      rows.map((r) => r[col]),
      { atol: 1e-8, label: `λ=${lambda}` },
    );
  }
});

test("banded LDL' equals an independent dense Gaussian elimination (n = 200), runs without ../shared", () => {
  const y = testSeries(200, 11);
  for (const lambda of [6.25, 1600, 14400, 129600]) {
    // 1e-8 absolute for the same κ(A)·u·|y| reason as the fixture test; observed 1e-12 (λ = 1600)
    // to 1e-10 (λ = 129600).
    assertAllClose(hpFilterValues(y, lambda), hpDense(y, lambda), { atol: 1e-8, label: `λ=${lambda}` });
  }
  // Smallest sizes, where the band edges overlap (n = 3, 4, 5).
  for (const n of [3, 4, 5]) {
    const s = testSeries(n, n);
    assertAllClose(hpFilterValues(s, 1600), hpDense(s, 1600), { atol: 1e-10, label: `n=${n}` });
  }
});

test("a straight line is a fixed point and λ = 0 returns the input", () => {
  const line = Float64Array.from({ length: 50 }, (_, t) => 0.3 + 0.01 * t);
  // D·line = 0, so τ = line; the error is rounding amplified by κ(A) <= 1 + 16·1600: ~3e-12 here.
  assertAllClose(hpFilterValues(line, 1600), line, { atol: 1e-10 });
  assertAllClose(hpFilterOneSidedValues(line, 1600), line, { atol: 1e-10 });
  const y = testSeries(100, 5);
  // λ = 0 makes A the identity: the solve divides by exactly 1 and subtracts exact zeros.
  assert.deepEqual(hpFilterValues(y, 0), y);
  assert.deepEqual(hpFilterOneSidedValues(y, 0), y);
});

test("trend + cycle = y and the trend is smoother than y (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 3, maxLength: 80 }),
      fc.constantFrom(6.25, 1600, 129600),
      (vals, lambda) => {
        const s = series("Y", "q", monthly(vals.length), vals);
        const { trend, cycle } = hpFilter(s, { lambda });
        for (let i = 0; i < vals.length; i++) {
          // One subtraction then one addition: exact to 2 ulps of the operands.
          assert.ok(Math.abs(trend.values[i] + cycle.values[i] - vals[i]) <= 1e-13 * (1 + Math.abs(vals[i])));
        }
        // The trend minimises fit + λ·roughness, so its roughness is at most y's (y is feasible).
        const rough = (v: ArrayLike<number>) => {
          let r = 0;
          for (let i = 1; i < v.length - 1; i++) r += (v[i + 1] - 2 * v[i] + v[i - 1]) ** 2;
          return r;
        };
        assert.ok(rough(trend.values) <= rough(vals) * (1 + 1e-9) + 1e-9);
      },
    ),
    { numRuns: 200 },
  );
});

test("one-sided (Kalman, O(n)) equals the last point of the two-sided filter refitted on each prefix", () => {
  const y = testSeries(200, 21);
  for (const lambda of [6.25, 1600, 129600]) {
    const fast = hpFilterOneSidedValues(y, lambda);
    const naive = new Float64Array(200);
    naive[0] = y[0];
    naive[1] = y[1];
    for (let t = 2; t < 200; t++) naive[t] = hpFilterValues(y.subarray(0, t + 1), lambda)[t];
    // 1e-8 absolute: both are exact in exact arithmetic (same Gaussian posterior); the refit errs
    // by κ(A)·u·|y| ~ 1e-9 at λ = 129600; observed up to 2.5e-10 (n = 600, λ = 129600).
    assertAllClose(fast, naive, { atol: 1e-8, label: `λ=${lambda}` });
  }
});

test("Series API: default λ from frequency, look-ahead labels, minPeriods, NaN ends kept", () => {
  const y = testSeries(120, 3);
  const m = series("CPI", "m", monthly(120), [...y]);
  const two = hpFilter(m);
  assert.equal(two.lambda, 129600);
  assert.equal(two.oneSided, false);
  assert.match(two.trend.meta.title, /two-sided, look-ahead/);
  assert.equal(hpFilter(series("GDP", "q", monthly(40), [...y.subarray(0, 40)])).lambda, 1600);
  assert.equal(hpFilter(series("A", "a", monthly(10), [...y.subarray(0, 10)])).lambda, 6.25);
  assert.equal(hpFilter(m, { lambda: 14400 }).lambda, 14400);

  const one = hpFilterOneSided(m, { minPeriods: 24 });
  assert.equal(one.oneSided, true);
  assert.match(one.trend.meta.title, /one-sided, real-time/);
  for (let i = 0; i < 23; i++) assert.ok(Number.isNaN(one.trend.values[i]));
  // At the last date the one-sided and two-sided filters see the same data.
  assertAllClose([one.trend.values[119]], [two.trend.values[119]], { atol: 1e-9 });

  const withEnds = series("X", "m", monthly(60), [
    Number.NaN,
    Number.NaN,
    ...y.subarray(0, 55),
    Number.NaN,
    1,
    Number.NaN,
  ]);
  assert.throws(
    () => hpFilter(withEnds),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /series X is NaN at 1994-10-01; the HP filter needs a contiguous series/);
      return true;
    },
  );
  const trimmed = series("X", "m", monthly(60), [
    Number.NaN,
    Number.NaN,
    ...y.subarray(0, 55),
    Number.NaN,
    Number.NaN,
    Number.NaN,
  ]);
  const t = hpFilter(trimmed);
  assert.ok(Number.isNaN(t.trend.values[0]) && Number.isNaN(t.trend.values[59]));
  // Leading/trailing NaN are dropped, not filtered: the valid span matches a direct solve exactly.
  assertAllClose(t.trend.values.subarray(2, 57), hpFilterValues(y.subarray(0, 55), 129600), { atol: 0 });
});

test("errors: daily without λ, too short, bad λ", () => {
  const d = series("DGS10", "d", ["2024-01-02", "2024-01-03", "2024-01-04"], [4, 4.1, 4.2]);
  assert.throws(() => hpFilter(d), /no default lambda for daily series DGS10; pass \{ lambda \}/);
  assert.throws(() => hpFilterOneSided(series("W", "w", ["2024-01-05"], [1])), ModelError);
  assert.doesNotThrow(() => hpFilter(d, { lambda: 1e5 }));
  assert.throws(
    () => hpFilter(series("Q", "q", ["2024-01-01", "2024-04-01"], [1, 2])),
    /2 valid points, needs 3/,
  );
  assert.throws(
    () => hpFilterValues(Float64Array.from([1, 2, 3]), -1),
    /lambda must be a finite number >= 0/,
  );
  assert.throws(() => hpFilterValues(Float64Array.from([1, 2]), 1), ModelError);
});
