/**
 * Normal and Student-t functions against closed forms: t with 1 degree of freedom is Cauchy
 * (quantile tan(π(p − ½))), with 2 it has t_p = (2p − 1)/√(2p(1 − p)); the incomplete beta with
 * integer shapes is a binomial tail; large ν tends to the normal.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  normalCdf,
  normalQuantile,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
} from "../../src/stats/distributions.ts";

test("t quantiles match the Cauchy (ν = 1) and ν = 2 closed forms", () => {
  fc.assert(
    fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p) => {
      const cauchy = Math.tan(Math.PI * (p - 0.5));
      const two = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      // 1e-9 relative: the inversion stops at 1e-15 steps; the incomplete beta is accurate to ~1e-14
      assert.ok(
        Math.abs(studentTQuantile(p, 1) - cauchy) <= 1e-9 * Math.max(1, Math.abs(cauchy)),
        `ν=1 p=${p}`,
      );
      assert.ok(Math.abs(studentTQuantile(p, 2) - two) <= 1e-9 * Math.max(1, Math.abs(two)), `ν=2 p=${p}`);
    }),
  );
});

test("t CDF inverts the quantile, and tends to the normal for large ν", () => {
  for (const df of [3, 7.5, 30, 248]) {
    for (const p of [0.005, 0.05, 0.5, 0.9, 0.975]) {
      // round trip to 1e-12 in probability (double-precision CDF, tight inversion)
      assert.ok(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p) < 1e-12, `df ${df} p ${p}`);
    }
  }
  // t_{0.975, ν} − z_{0.975} ≈ (z³ + z)/(4ν) for large ν (Cornish-Fisher first term); at ν = 1e5 the
  // remainder is O(1/ν²) ≈ 1e-10
  const z = normalQuantile(0.975);
  const nu = 1e5;
  assert.ok(Math.abs(studentTQuantile(0.975, nu) - z - (z ** 3 + z) / (4 * nu)) < 1e-8);
});

test("normal quantile: the textbook 1.959963984540054 and round trips in the tails", () => {
  // reference value to 15 digits (Φ⁻¹(0.975), any table); tolerance = double rounding
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-13);
  for (const p of [1e-10, 1e-4, 0.3, 0.7, 1 - 1e-6]) {
    const z = normalQuantile(p);
    // relative error 1e-9 in the tail probability: tails are computed on the survival side, so
    // there is no 1 − p cancellation
    const tail = Math.min(p, 1 - p);
    const back = p < 0.5 ? normalCdf(z) : normalCdf(-z);
    assert.ok(Math.abs(back - tail) <= 1e-9 * tail, `p ${p}`);
  }
  assert.throws(() => normalQuantile(0), /probability/);
});

test("incomplete beta with integer shapes equals the binomial tail", () => {
  // I_x(a, b) = P(Binomial(a + b − 1, x) >= a)
  const binomTail = (n: number, k: number, x: number) => {
    let s = 0;
    for (let j = k; j <= n; j++) {
      let c = 1;
      for (let i = 0; i < j; i++) c = (c * (n - i)) / (i + 1);
      s += c * x ** j * (1 - x) ** (n - j);
    }
    return s;
  };
  for (const [a, b] of [
    [1, 1],
    [2, 3],
    [5, 2],
    [7, 9],
  ]) {
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.99]) {
      // 1e-13 absolute: sums of at most 16 terms against a continued fraction to 1e-16
      assert.ok(
        Math.abs(regularizedBeta(x, a, b) - binomTail(a + b - 1, a, x)) < 1e-13,
        `a ${a} b ${b} x ${x}`,
      );
    }
  }
});
