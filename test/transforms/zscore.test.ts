import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  zscoreExpanding,
  zscoreExpandingValues,
  zscoreRolling,
  zscoreRollingValues,
} from "../../src/transforms/zscore.ts";
import { normals, series } from "./make.ts";

/** Obvious reference: z of x[i] against the valid values x[lo..i], two-pass mean and sd (ddof 1). */
function directZ(x: Float64Array, lo: number, i: number): { z: number; n: number } {
  const v: number[] = [];
  for (let j = Math.max(0, lo); j <= i; j++) if (!Number.isNaN(x[j])) v.push(x[j]);
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  return { z: (x[i] - m) / sd, n };
}

/** Level + moves on a 1/32 grid with NaN one time in six (well-conditioned, see rolling.test.ts). */
const arb = fc
  .array(fc.tuple(fc.integer({ min: -320, max: 320 }), fc.integer({ min: 0, max: 5 })), {
    minLength: 1,
    maxLength: 100,
  })
  .map((pts) => Float64Array.from(pts, ([m, nan]) => (nan === 0 ? Number.NaN : 4 + m / 32)));

test("rolling and expanding z-scores match a direct two-pass recomputation (property)", () => {
  fc.assert(
    fc.property(arb, fc.integer({ min: 2, max: 30 }), (x, w) => {
      const roll = zscoreRollingValues(x, w, { minPeriods: 2 });
      const exp = zscoreExpandingValues(x, { minPeriods: 3 });
      for (let i = 0; i < x.length; i++) {
        const r = directZ(x, i - w + 1, i);
        const e = directZ(x, 0, i);
        // 1e-9 absolute on z: a non-constant window's sd is >= (1/32)/sqrt(w) > 0.005 on this grid
        // while |x| <= 14, so both algorithms' O(w·u) errors on mean and sd give |Δz| < 1e-11.
        if (Number.isNaN(x[i]) || r.n < 2 || !Number.isFinite(r.z))
          assert.ok(Number.isNaN(roll[i]), `roll ${i}`);
        else assert.ok(Math.abs(roll[i] - r.z) <= 1e-9, `roll ${i}: ${roll[i]} vs ${r.z}`);
        if (Number.isNaN(x[i]) || e.n < 3 || !Number.isFinite(e.z))
          assert.ok(Number.isNaN(exp[i]), `exp ${i}`);
        else assert.ok(Math.abs(exp[i] - e.z) <= 1e-9, `exp ${i}: ${exp[i]} vs ${e.z}`);
      }
    }),
    { numRuns: 300 },
  );
});

test("as-of: the z-score at t does not change when data after t are deleted (property)", () => {
  fc.assert(
    fc.property(arb, fc.integer({ min: 2, max: 20 }), fc.nat(), (x, w, cut) => {
      const t = cut % x.length;
      const head = x.slice(0, t + 1);
      // Identical arithmetic on identical inputs: equal bits, not merely close.
      assert.ok(Object.is(zscoreExpandingValues(head)[t], zscoreExpandingValues(x)[t]));
      assert.ok(Object.is(zscoreRollingValues(head, w)[t], zscoreRollingValues(x, w)[t]));
    }),
    { numRuns: 300 },
  );
});

test("normal data: expanding z has mean ≈ 0 and sd ≈ 1 late in the sample; constant history NaN", () => {
  const x = normals(4000, 9);
  const z = zscoreExpandingValues(x, { minPeriods: 500 });
  const tail = [...z.subarray(2000)];
  const m = tail.reduce((a, b) => a + b, 0) / tail.length;
  const sd = Math.sqrt(tail.reduce((a, b) => a + (b - m) ** 2, 0) / (tail.length - 1));
  // 2000 draws: standard error of the mean ~0.022 and of the sd ~0.016; 0.1 is > 4 standard errors.
  assert.ok(Math.abs(m) < 0.1 && Math.abs(sd - 1) < 0.1, `mean ${m}, sd ${sd}`);
  const flat = zscoreExpandingValues(Float64Array.from([2, 2, 2, 3]));
  assert.ok(Number.isNaN(flat[1]) && Number.isNaN(flat[2]) && Number.isFinite(flat[3]));
});

test("Series wrappers: units and labels", () => {
  const s = series("X", "m", ["2024-01-01", "2024-02-01", "2024-03-01"], [1, 2, 4]);
  const z = zscoreExpanding(s);
  assert.equal(z.meta.units, "standard deviations");
  assert.match(z.meta.notes ?? "", /as-of/);
  assert.equal(zscoreRolling(s, 3).values.length, 3);
  assert.throws(() => zscoreRolling(s, 1), /window must be an integer >= 2/);
  assert.throws(() => zscoreExpanding(s, { minPeriods: 0 }), /minPeriods must be an integer >= 2/);
});
