import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  PERCENTILE_KINDS,
  type PercentileKind,
  percentileRankExpanding,
  percentileRankExpandingValues,
  percentileRankFullSample,
  percentileRankFullSampleValues,
} from "../../src/transforms/percentile.ts";
import { assertAllClose } from "../helpers.ts";
import { series } from "./make.ts";

/** scipy.stats.percentileofscore(a, score, kind) / 100, written from scipy's documented definitions. */
function percentileOfScore(a: number[], score: number, kind: PercentileKind): number {
  const n = a.length;
  const left = a.filter((v) => v < score).length;
  const right = a.filter((v) => v <= score).length;
  switch (kind) {
    case "rank":
      return ((left + right + (right > left ? 1 : 0)) * (50 / n)) / 100;
    case "weak":
      return ((right / n) * 100) / 100;
    case "strict":
      return ((left / n) * 100) / 100;
    case "mean":
      return ((left + right) * (50 / n)) / 100;
  }
}

/** O(n²) expanding reference: rank x_t among the valid x_1..x_t. */
function expandingNaive(x: Float64Array, kind: PercentileKind, minPeriods: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  const seen: number[] = [];
  for (let t = 0; t < x.length; t++) {
    if (Number.isNaN(x[t])) continue;
    seen.push(x[t]);
    if (seen.length >= minPeriods) out[t] = percentileOfScore(seen, x[t], kind);
  }
  return out;
}

test("scipy's documented percentileofscore examples, full sample", () => {
  // scipy docs: percentileofscore([1, 2, 3, 4], 3) = 75; with [1, 2, 3, 3, 4] and score 3:
  // rank 70, weak 80, strict 40, mean 60.
  const x = Float64Array.from([1, 2, 3, 4]);
  assert.equal(percentileRankFullSampleValues(x, { kind: "rank" })[2], 0.75);
  const y = Float64Array.from([1, 2, 3, 3, 4]);
  const expected: Record<PercentileKind, number> = { rank: 0.7, weak: 0.8, strict: 0.4, mean: 0.6 };
  for (const kind of PERCENTILE_KINDS) {
    // Two roundings (a sum and a division) on small integers: 1e-15.
    assertAllClose([percentileRankFullSampleValues(y, { kind })[2]], [expected[kind]], {
      atol: 1e-15,
      label: kind,
    });
  }
});

test("expanding rank equals the O(n²) reference for every tie convention (property)", () => {
  fc.assert(
    fc.property(
      // Small integer values force many ties; NaN one time in five.
      fc.array(fc.tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: 0, max: 4 })), { maxLength: 120 }),
      fc.constantFrom(...PERCENTILE_KINDS),
      fc.integer({ min: 1, max: 10 }),
      (pts, kind, minPeriods) => {
        const x = Float64Array.from(pts, ([v, nan]) => (nan === 0 ? Number.NaN : v / 2));
        // 1e-15: both compute a ratio of small integer counts with one or two roundings.
        assertAllClose(
          percentileRankExpandingValues(x, { kind, minPeriods }),
          expandingNaive(x, kind, minPeriods),
          {
            atol: 1e-15,
          },
        );
      },
    ),
    { numRuns: 300 },
  );
});

test("as-of: the expanding rank at t is unchanged when later data are deleted; ranks in [0, 1]", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 80 }),
      fc.nat(),
      (v, cut) => {
        const x = Float64Array.from(v);
        const t = cut % x.length;
        const full = percentileRankExpandingValues(x);
        // Same counts on the same prefix: equal bits.
        assert.ok(Object.is(percentileRankExpandingValues(x.slice(0, t + 1))[t], full[t]));
        for (const p of full) assert.ok(Number.isNaN(p) || (p >= 0 && p <= 1));
      },
    ),
    { numRuns: 300 },
  );
});

test("'mean' kind is symmetric: the percentile of −x is 1 − the percentile of x (inverse percentile)", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }), (v) => {
      const p = percentileRankFullSampleValues(Float64Array.from(v));
      const q = percentileRankFullSampleValues(Float64Array.from(v, (a) => -a));
      // (L + E)/2n vs (2n − L − E)/2n: each one rounding, 1e-15.
      assertAllClose(
        q,
        Float64Array.from(p, (a) => 1 - a),
        { atol: 1e-15 },
      );
    }),
  );
});

test("Series wrappers: full-sample is labelled look-ahead; expanding is labelled as-of", () => {
  const s = series("X", "m", ["2024-01-01", "2024-02-01", "2024-03-01"], [3, 1, 2]);
  const full = percentileRankFullSample(s);
  assert.match(full.meta.title, /full-sample \(look-ahead\)/);
  assert.match(full.meta.notes ?? "", /look-ahead/);
  const e = percentileRankExpanding(s);
  assert.match(e.meta.notes ?? "", /as-of/);
  // Hand values, kind mean: 3 alone → 1/2; 1 among {3, 1} → 1/4; 2 among {3, 1, 2} → 1/2.
  assertAllClose(e.values, [0.5, 0.25, 0.5], { atol: 0 });
  assert.throws(
    () => percentileRankExpanding(s, { kind: "median" as PercentileKind }),
    /kind must be one of/,
  );
});
