/**
 * Fair values against closed forms (issue 4, "Done when"): a flat path gives rate + term premium
 * at every date; probability 1 of an immediate recession gives a zero component; a single hike
 * moves the 10-year component by exactly 25 bp × (months remaining in the window / 120). The
 * uniform-arrival recession branch is checked against a slow enumeration of arrival months.
 * Tolerances are 1e-12 percent: sums of at most 360 numbers of size ~10 carry rounding of order
 * 1e-13, far below the 1e-4 percent (0.01 bp) that matters.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { endOfMonth } from "../../src/core/dates.ts";
import { InputError } from "../../src/core/errors.ts";
import {
  expectedRateComponent,
  fairValues,
  type RecessionAssumption,
} from "../../src/scenarios/fair-value.ts";
import { buildPolicyPath, monthLabel } from "../../src/scenarios/policy-path.ts";
import { sensitivityGrid } from "../../src/scenarios/sensitivity.ts";

const noRecession: RecessionAssumption = { probability: 0, arrival: "uniform", ratePct: 0 };
const TOL = 1e-12;

function close(a: number, b: number, tol = TOL, what = ""): void {
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (|diff| ${Math.abs(a - b)} > ${tol})`);
}

test("a flat path gives fair value = rate + term premium at every date and maturity (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 8, noNaN: true }),
      fc.double({ min: -2, max: 3, noNaN: true }),
      fc.array(fc.integer({ min: 0, max: 48 }), { minLength: 1, maxLength: 5 }),
      fc.subarray([0.5, 1, 2, 3, 5, 7, 10, 20, 30], { minLength: 1 }),
      (rate, tp, offsets, maturities) => {
        const asOf = "2021-12-31";
        const at = offsets.map((k) => endOfMonth(`${monthLabel(asOf, k)}-01`));
        const path = buildPolicyPath(
          "flat",
          { kind: "moves", moves: [] },
          { asOf, startRatePct: rate },
          48 + 360,
        );
        const r = fairValues({
          paths: [path],
          at,
          maturitiesYears: maturities,
          termPremiumPct: tp,
          recession: noRecession,
        });
        assert.equal(r.rows.length, at.length * maturities.length);
        for (const row of r.rows) close(row.fairValuePct, rate + tp, 1e-12 * (1 + rate), "fair value");
      },
    ),
    { numRuns: 200 },
  );
});

test("probability 1 of an immediate recession: the component is 0 for any path", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 130, maxLength: 130 }),
      (rates) => {
        const path = buildPolicyPath(
          "x",
          { kind: "monthly", ratesPct: rates },
          { asOf: "2021-12-31", startRatePct: 1 },
          130,
        );
        const c = expectedRateComponent(path.ratesPct, 0, 120, {
          probability: 1,
          arrival: "immediate",
          ratePct: 0,
        });
        assert.equal(c.expectedRatePct, 0);
      },
    ),
    { numRuns: 50 },
  );
});

test("one hike at month h moves the 10y component by 25 bp x (months left in the window) / 120", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 150 }),
      fc.integer({ min: 0, max: 30 }),
      fc.double({ min: 0, max: 6, noNaN: true }),
      (h, e, r0) => {
        // path: r0 through month h-1, r0 + 0.25 from month h on (month 0 = asOf month)
        const rates = Array.from({ length: 200 }, (_, i) => (i + 1 >= h ? r0 + 0.25 : r0));
        const path = buildPolicyPath(
          "hike",
          { kind: "monthly", ratesPct: rates },
          { asOf: "2021-12-31", startRatePct: r0 },
          200,
        );
        const c = expectedRateComponent(path.ratesPct, e, 120, noRecession);
        // window = months e+1..e+120; months at the higher rate: from max(h, e+1) to e+120
        const remaining = Math.max(0, Math.min(120, e + 120 - Math.max(h, e + 1) + 1));
        close(c.expectedRatePct - r0, (0.25 * remaining) / 120, 1e-12, `h=${h} e=${e}`);
      },
    ),
    { numRuns: 300 },
  );
  // the same through `moves`: one hike in 2022 takes effect in July (month 7), 114 of 120 months remain
  const p = buildPolicyPath(
    "dots",
    { kind: "moves", moves: [{ year: 2022, count: 1 }] },
    { asOf: "2021-12-31", startRatePct: 0.08 },
    130,
  );
  const c = expectedRateComponent(p.ratesPct, 0, 120, noRecession);
  close(c.expectedRatePct - 0.08, (0.25 * 114) / 120, TOL, "moves");
});

test("uniform recession arrival: closed form equals a slow enumeration over arrival months", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 8, noNaN: true }), { minLength: 80, maxLength: 80 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 0, max: 19 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 0.5, noNaN: true }),
      (rates, n, e, p, floor) => {
        const path = [1, ...rates];
        const rec: RecessionAssumption = { probability: p, arrival: "uniform", ratePct: floor };
        const fast = expectedRateComponent(path, e, n, rec);
        // slow: recession at month j (1..N) with probability p/N; rate = floor from month j on
        let slow = 0;
        for (let j = 1; j <= n; j++) {
          let s = 0;
          for (let i = 1; i <= n; i++) s += i < j ? path[e + i] : floor;
          slow += s / n / n;
        }
        let avg = 0;
        for (let i = 1; i <= n; i++) avg += path[e + i] / n;
        close(fast.expectedRatePct, (1 - p) * avg + p * slow, 1e-12, "mix");
      },
    ),
    { numRuns: 200 },
  );
});

test("flat path with a uniform recession: component = r (1 - p (N + 1) / (2N)) in closed form", () => {
  const path = buildPolicyPath(
    "flat",
    { kind: "moves", moves: [] },
    { asOf: "2021-12-31", startRatePct: 2 },
    130,
  );
  const c = expectedRateComponent(path.ratesPct, 0, 120, {
    probability: 0.3,
    arrival: "uniform",
    ratePct: 0,
  });
  // recession branch average for a constant r: (1/N^2) r Σ_{i=1..N} (N - i) = r (N - 1) / (2N)
  close(c.recessionPct, (2 * 119) / 240, TOL);
  close(c.expectedRatePct, 0.7 * 2 + (0.3 * 2 * 119) / 240, TOL);
});

test("bad input: probability outside [0, 1], evaluation date before asOf, fractional-month maturity", () => {
  const path = buildPolicyPath(
    "flat",
    { kind: "moves", moves: [] },
    { asOf: "2021-12-31", startRatePct: 1 },
    200,
  );
  const base = { paths: [path], maturitiesYears: [10], termPremiumPct: 1 };
  assert.throws(
    () => fairValues({ ...base, at: ["2021-12-31"], recession: { ...noRecession, probability: 1.2 } }),
    (e: unknown) => e instanceof InputError && /between 0 and 1, got 1.2/.test(e.message),
  );
  assert.throws(
    () => fairValues({ ...base, at: ["2021-11-30"], recession: noRecession }),
    (e: unknown) => e instanceof InputError && /before the scenario's asOf/.test(e.message),
  );
  assert.throws(
    () => fairValues({ ...base, maturitiesYears: [0.3], at: ["2021-12-31"], recession: noRecession }),
    /not a positive whole number of months/,
  );
});

test("sensitivity grid: linear in p with slope R - A and in the term premium with slope 1", () => {
  const path = buildPolicyPath(
    "dots",
    { kind: "moves", moves: [{ year: 2022, count: 4 }] },
    { asOf: "2021-12-31", startRatePct: 0.08 },
    200,
  );
  const g = sensitivityGrid(path, "2021-12-31", 10, [0, 0.5, 1], [0, 1], { arrival: "uniform", ratePct: 0 });
  const a = expectedRateComponent(path.ratesPct, 0, 120, noRecession).expectedRatePct;
  const r = expectedRateComponent(path.ratesPct, 0, 120, {
    probability: 1,
    arrival: "uniform",
    ratePct: 0,
  }).expectedRatePct;
  close(g.fairValuePct[0][0], a, TOL);
  close(g.fairValuePct[2][1], r + 1, TOL);
  close(g.fairValuePct[1][0], (a + r) / 2, TOL);
  close(g.rangeBp.probability, Math.abs(r - a) * 100, 1e-9);
  close(g.rangeBp.termPremium, 100, 1e-9);
  assert.equal(g.chart.series.length, 2);
});
