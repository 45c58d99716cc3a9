import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ModelError } from "../../src/core/errors.ts";
import {
  chiSquareCdf,
  chiSquareSf,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from "../../src/stats/chisquare.ts";

/** Relative closeness; tests below state why each tolerance is what it is. */
function assertRel(actual: number, expected: number, rtol: number, label: string): void {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= rtol, `${label}: ${actual} vs ${expected}, relative error ${err} > ${rtol}`);
}

/** Closed form for even df: SF = e^{−x/2} Σ_{k < df/2} (x/2)^k / k! (a Poisson tail; no gamma function). */
function evenDfSf(x: number, df: number): number {
  const h = x / 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < df / 2; k++) {
    term *= h / k;
    sum += term;
  }
  return Math.exp(-h) * sum;
}

test("logGamma matches factorials and Γ(1/2) = √π", () => {
  // integers: ln((n−1)!) computed exactly in doubles up to 20!; Lanczos g=7 is good to ~1e-15 relative
  let fact = 1;
  for (let n = 2; n <= 21; n++) {
    fact *= n - 1;
    assert.ok(Math.abs(logGamma(n) - Math.log(fact)) <= 1e-13 * Math.max(1, Math.log(fact)), `n=${n}`);
  }
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  // scipy 1.17.1 scipy.special.gammaln, independent implementation (Cephes)
  const scipy: [number, number][] = [
    [1.5, -0.12078223763524526],
    [0.1, 2.252712651734206],
    [100.5, 361.43554046777757],
    [1e-5, 11.512919692895826],
    [171.5, 709.1431630309283],
  ];
  for (const [z, v] of scipy) assertRel(logGamma(z), v, 1e-13, `lnΓ(${z})`);
});

test("chi-square survival function equals the even-df closed form", () => {
  // both are double-precision evaluations of the same function: 1e-12 relative leaves room for
  // the continued fraction's last-term truncation (EPS 1e-16 per factor, ~100 factors)
  for (const df of [2, 4, 8, 12, 20, 40]) {
    for (const x of [0.01, 0.5, 1, 3, 7.9, 8, 15, 43.59, 80, 200]) {
      assertRel(chiSquareSf(x, df), evenDfSf(x, df), 1e-12, `sf(${x}, ${df})`);
    }
  }
  // df = 2 is the exponential distribution with mean 2
  fc.assert(
    fc.property(fc.double({ min: 1e-6, max: 600, noNaN: true }), (x) => {
      assertRel(chiSquareSf(x, 2), Math.exp(-x / 2), 1e-12, `sf(${x}, 2)`);
    }),
  );
});

test("the Hamilton-Wu 1990-2025 p-value and textbook critical values", () => {
  // reference/README.md reports chi2 43.59 with df 8 and p 6.8e-7; scipy 1.17.1 chi2.sf gives
  // 6.799741717437775e-07. 1e-12 relative: same function, double precision.
  assertRel(chiSquareSf(43.59, 8), 6.799741717437775e-7, 1e-12, "sf(43.59, 8)");
  // Printed tables (e.g. Abramowitz & Stegun table 26.8) give critical values to 3 decimals, so
  // the upper-tail probability at the rounded value is only good to ~1e-4 absolute.
  const table: [number, number, number][] = [
    [3.841, 1, 0.05],
    [6.635, 1, 0.01],
    [15.507, 8, 0.05],
    [20.09, 8, 0.01],
    [18.307, 10, 0.05],
    [43.773, 30, 0.05],
    [50.892, 30, 0.01],
    [2.733, 8, 0.95],
  ];
  for (const [x, df, p] of table) {
    assert.ok(
      Math.abs(chiSquareSf(x, df) - p) < 1e-4,
      `table: sf(${x}, ${df}) = ${chiSquareSf(x, df)} vs ${p}`,
    );
  }
});

test("odd and fractional degrees of freedom against scipy", () => {
  // scipy 1.17.1 scipy.stats.chi2.sf / cdf (Cephes igam/igamc, an independent implementation);
  // 1e-11 relative: both sides are double precision, tails computed directly on both sides.
  const cases: [number, number, number, number][] = [
    [3.841458820694124, 1, 0.04999999999999989, 0.9500000000000001],
    [0.5, 1, 0.47950012218695337, 0.5204998778130466],
    [0.001, 3, 0.9999915920809419, 8.40791905804616e-6],
    [100, 3, 1.5541594313896026e-21, 1],
    [200, 30, 4.9527335290032224e-27, 1],
    [0.001, 0.5, 0.8350402492315872, 0.16495975076841285],
    [7.3, 5, 0.19926778992124214, 0.8007322100787578],
    [30, 1, 4.3204630578274955e-8, 0.9999999567953695],
    [250, 4, 6.509689997375721e-53, 1],
    [12.5, 17, 0.7689613276817493, 0.2310386723182507],
    [400, 300, 9.678621994933555e-5, 0.9999032137800506],
  ];
  for (const [x, df, sf, cdf] of cases) {
    assertRel(chiSquareSf(x, df), sf, 1e-11, `sf(${x}, ${df})`);
    assertRel(chiSquareCdf(x, df), cdf, 1e-11, `cdf(${x}, ${df})`);
  }
});

test("P + Q = 1 and P is increasing in x", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.05, max: 200, noNaN: true }),
      fc.double({ min: 0, max: 400, noNaN: true }),
      fc.double({ min: 0, max: 50, noNaN: true }),
      (a, x, dx) => {
        const p = regularizedGammaP(a, x);
        const q = regularizedGammaQ(a, x);
        // each side is accurate to ~1e-15 relative; their sum to a few ulps of 1
        assert.ok(Math.abs(p + q - 1) < 1e-13, `a=${a} x=${x}: P+Q=${p + q}`);
        assert.ok(p >= 0 && p <= 1);
        // monotone up to rounding (1e-15) at the series / continued-fraction switch point
        assert.ok(regularizedGammaP(a, x + dx) >= p - 1e-15, `a=${a} x=${x} dx=${dx}`);
      },
    ),
  );
});

test("edge cases and bad arguments", () => {
  assert.equal(chiSquareSf(0, 8), 1);
  assert.equal(chiSquareCdf(0, 8), 0);
  assert.equal(chiSquareSf(Number.POSITIVE_INFINITY, 8), 0);
  assert.throws(() => chiSquareSf(1, 0), ModelError);
  assert.throws(() => chiSquareSf(1, -2), ModelError);
  assert.throws(() => chiSquareSf(Number.NaN, 8), ModelError);
  assert.throws(() => chiSquareCdf(1, Number.NaN), ModelError);
});
