import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { InputError, ModelError } from "../../src/core/errors.ts";
import {
  rollingBeta,
  rollingBetaValues,
  rollingCorrelation,
  rollingCorrelationValues,
  rollingMean,
  rollingMeanValues,
  rollingStdValues,
  windowComoments,
} from "../../src/transforms/rolling.ts";
import { assertAllClose } from "../helpers.ts";
import { normals, series } from "./make.ts";

/** Obvious O(n·w) reference: two-pass moments of the valid (pairs of) values in each window. */
function direct(x: Float64Array, y: Float64Array | null, w: number, i: number) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = Math.max(0, i - w + 1); j <= i; j++) {
    if (Number.isNaN(x[j]) || (y && Number.isNaN(y[j]))) continue;
    xs.push(x[j]);
    ys.push(y ? y[j] : 0);
  }
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < n; k++) {
    sxx += (xs[k] - mx) ** 2;
    syy += (ys[k] - my) ** 2;
    sxy += (xs[k] - mx) * (ys[k] - my);
  }
  return { n, mx, my, sxx, syy, sxy };
}

/**
 * Values like a yield: a level (|level| <= 100) plus moves on a 1/64 grid, NaN one time in eight
 * or never (half the cases, so the complete-data fast path and the NaN-aware path are both
 * exercised). The grid keeps a non-constant window's variance away from zero, so the problems
 * stay well conditioned and the comparison tests the algorithm, not the conditioning.
 */
const valuesArb = fc
  .tuple(
    fc.integer({ min: -100, max: 100 }),
    fc.boolean(),
    fc.array(fc.tuple(fc.integer({ min: -640, max: 640 }), fc.integer({ min: 0, max: 7 })), {
      minLength: 1,
      maxLength: 120,
    }),
  )
  .map(([level, withNaN, pts]) =>
    Float64Array.from(pts, ([m, nan]) => (withNaN && nan === 0 ? Number.NaN : level + m / 64)),
  );

test("rolling mean and std match a direct two-pass recomputation (random windows, NaN, minPeriods)", () => {
  fc.assert(
    fc.property(valuesArb, fc.integer({ min: 2, max: 40 }), fc.integer({ min: 0, max: 40 }), (x, w, mp) => {
      const minPeriods = Math.min(w, Math.max(2, mp));
      const mean = rollingMeanValues(x, w, { minPeriods });
      const sd = rollingStdValues(x, w, { minPeriods });
      const sd0 = rollingStdValues(x, w, { minPeriods, ddof: 0 });
      for (let i = 0; i < x.length; i++) {
        const r = direct(x, null, w, i);
        if (r.n < minPeriods) {
          assert.ok(Number.isNaN(mean[i]) && Number.isNaN(sd[i]), `index ${i}: ${r.n} valid < ${minPeriods}`);
          continue;
        }
        // 1e-10 relative: the block/merge algorithm and the two-pass reference both err by O(w·u)
        // relative to the data scale (w <= 40, u = 1.1e-16), orders of magnitude below 1e-10.
        const scale = Math.abs(r.mx) + 1;
        assert.ok(Math.abs(mean[i] - r.mx) <= 1e-10 * scale, `mean at ${i}: ${mean[i]} vs ${r.mx}`);
        const e = Math.sqrt(r.sxx / (r.n - 1));
        assert.ok(Math.abs(sd[i] - e) <= 1e-10 * (e + 1e-6 * scale), `sd at ${i}: ${sd[i]} vs ${e}`);
        const e0 = Math.sqrt(r.sxx / r.n);
        assert.ok(Math.abs(sd0[i] - e0) <= 1e-10 * (e0 + 1e-6 * scale), `sd(ddof 0) at ${i}`);
      }
    }),
    { numRuns: 300 },
  );
});

test("rolling correlation, beta and co-moments match a direct recomputation", () => {
  fc.assert(
    fc.property(valuesArb, fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 5 }), (x, w, seed) => {
      // y = noisy linear function of x on the same 1/64 grid, with its own NaN pattern for seeds 1-2.
      const eps = normals(x.length, seed);
      const y = Float64Array.from(x, (v, i) =>
        i % 5 === seed && seed < 3 ? Number.NaN : 0.5 * v + Math.round(eps[i] * 64) / 64,
      );
      const minPeriods = 2;
      const rho = rollingCorrelationValues(x, y, w, { minPeriods });
      const beta = rollingBetaValues(y, x, w, { minPeriods });
      const mo = windowComoments(x, y, w);
      for (let i = 0; i < x.length; i++) {
        const r = direct(x, y, w, i);
        assert.equal(mo.count[i], r.n);
        if (r.n === 0) continue;
        const scale = Math.abs(r.mx) + Math.abs(r.my) + 1;
        // Co-moments: 1e-10 relative to n·scale², the size of the sums involved (see the mean/std test).
        const big = 1e-10 * r.n * scale * scale;
        assert.ok(
          Math.abs(mo.sxx[i] - r.sxx) <= big && Math.abs(mo.sxy[i] - r.sxy) <= big,
          `co-moments at ${i}`,
        );
        // The grid makes a non-constant window's Sxx >= 1/64² / 2, so correlation and beta are
        // well conditioned: 1e-9 absolute leaves a wide margin over the ~1e-13 seen in practice.
        if (r.n >= 2 && r.sxx > 0 && r.syy > 0) {
          assert.ok(Math.abs(rho[i] - r.sxy / Math.sqrt(r.sxx * r.syy)) <= 1e-9, `corr at ${i}`);
          assert.ok(
            Math.abs(beta[i] - r.sxy / r.sxx) <= 1e-9 * (1 + Math.abs(r.sxy / r.sxx)),
            `beta at ${i}`,
          );
        } else {
          assert.ok(Number.isNaN(rho[i]), `corr at ${i} should be NaN (constant or < 2 pairs)`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test("long window on yield-like data: block algorithm vs direct, and windows far from the start", () => {
  // 3000 daily points at a level near 5 with 5 bp moves: the cancellation case that breaks
  // Σx² − n·mean². Compared at every 37th point with the direct two-pass value.
  const eps = normals(3000, 7);
  const x = new Float64Array(3000);
  const y = new Float64Array(3000);
  let level = 5;
  for (let i = 0; i < 3000; i++) {
    level += 0.05 * eps[i];
    x[i] = level;
    y[i] = 1800 - 40 * level + ((i * 7919) % 13) / 10;
  }
  const w = 250;
  const sd = rollingStdValues(x, w);
  const rho = rollingCorrelationValues(x, y, w);
  for (let i = w - 1; i < 3000; i += 37) {
    const r = direct(x, y, w, i);
    // 1e-10 relative (std) / absolute (corr): both algorithms are O(w·u·mean²/var) ~ 1e-12 here.
    assertAllClose([sd[i]], [Math.sqrt(r.sxx / (w - 1))], { rtol: 1e-10, label: `sd ${i}` });
    assertAllClose([rho[i]], [r.sxy / Math.sqrt(r.sxx * r.syy)], { atol: 1e-10, label: `corr ${i}` });
  }
});

test("constant windows: std exactly 0, correlation and beta NaN (undefined), not rounding noise", () => {
  const x = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 7, 7, 7, 7, 7, 7]);
  const sd = rollingStdValues(x, 4);
  for (let i = 11; i < x.length; i++) assert.equal(sd[i], 0, `window ending ${i} is constant`);
  const y = Float64Array.from(x, (_, i) => i);
  const rho = rollingCorrelationValues(x, y, 4);
  const beta = rollingBetaValues(y, x, 4);
  for (let i = 11; i < x.length; i++) {
    assert.ok(Number.isNaN(rho[i]) && Number.isNaN(beta[i]));
  }
  assert.ok(Number.isFinite(rho[10]) && Number.isFinite(beta[10]));
});

test("exact linear relation: correlation ±1 and beta = slope", () => {
  const x = normals(500, 3);
  const up = Float64Array.from(x, (v) => 2 + 0.75 * v);
  const down = Float64Array.from(x, (v) => 1 - 3 * v);
  const w = 60;
  const rUp = rollingCorrelationValues(x, up, w);
  const rDown = rollingCorrelationValues(x, down, w);
  const b = rollingBetaValues(down, x, w);
  for (let i = w - 1; i < 500; i++) {
    // 1e-12: y is an affine map of x up to one rounding per point, so the correlation is 1 to ~1e-15.
    assert.ok(Math.abs(rUp[i] - 1) <= 1e-12 && Math.abs(rDown[i] + 1) <= 1e-12, `corr at ${i}`);
    assert.ok(Math.abs(b[i] + 3) <= 1e-12, `beta at ${i}: ${b[i]}`);
  }
  assert.ok(Number.isNaN(rUp[w - 2]), "fewer than window points: NaN by default");
});

test("Series wrappers carry dates and describe the result; mismatched dates throw", () => {
  const d = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"];
  const s = series("X", "m", d, [1, 2, 4, 8]);
  const m = rollingMean(s, 2);
  assert.deepEqual([...m.dates], d);
  assertAllClose(m.values, [Number.NaN, 1.5, 3, 6], { atol: 0 });
  assert.match(m.meta.title, /2-obs rolling mean/);
  const y = series("Y", "m", d, [2, 1, 5, 3]);
  const c = rollingCorrelation(s, y, 3);
  assert.equal(c.meta.units, "correlation");
  assert.equal(c.meta.id, "corr(X,Y)");
  const shifted = series("Z", "m", ["2024-01-01", "2024-02-01", "2024-03-01", "2024-05-01"], [1, 2, 3, 4]);
  assert.throws(
    () => rollingCorrelation(s, shifted, 2),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /share dates.*alignPair.*row 3: 2024-04-01 vs 2024-05-01/);
      return true;
    },
  );
  assert.throws(() => rollingBeta(s, shifted, 2), InputError);
});

test("argument validation", () => {
  const x = Float64Array.from([1, 2, 3]);
  assert.throws(() => rollingMeanValues(x, 0), ModelError);
  assert.throws(() => rollingMeanValues(x, 2.5), /window must be an integer >= 1, got 2.5/);
  assert.throws(
    () => rollingMeanValues(x, 2, { minPeriods: 3 }),
    /minPeriods \(3\) cannot exceed the window \(2\)/,
  );
  assert.throws(() => rollingStdValues(x, 1), ModelError);
  assert.throws(() => rollingCorrelationValues(x, x, 1), ModelError);
  assert.throws(() => rollingCorrelationValues(x, Float64Array.from([1, 2]), 2), InputError);
});
