/**
 * Policy paths: move timing (hand-derived month lists from the stated rule), terminal levels,
 * the zero floor, point interpolation against hand-computed values, and every validation rule.
 * Rates are sums of a few 0.25 steps, so comparisons use 1e-12 (float rounding of a dozen
 * additions), never looser.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import {
  buildPolicyPath,
  checkPathSpec,
  monthLabel,
  type PathSpec,
} from "../../src/scenarios/policy-path.ts";
import { assertAllClose } from "../helpers.ts";

const ctx = { asOf: "2021-12-31", startRatePct: 0.08 };

function movesPath(moves: Record<number, number>, terminalPct?: number, c = ctx, months = 60) {
  const spec: PathSpec = {
    kind: "moves",
    moves: Object.entries(moves).map(([y, n]) => ({ year: Number(y), count: n })),
    ...(terminalPct !== undefined ? { terminalPct } : {}),
  };
  return buildPolicyPath("p", spec, c, months);
}

test("moves in a full year: 1 -> Jul, 4 -> Feb/May/Aug/Nov, 8 -> close to the FOMC calendar", () => {
  assert.deepEqual(
    movesPath({ 2022: 1 }).moves.map((m) => m.month),
    ["2022-07"],
  );
  assert.deepEqual(
    movesPath({ 2022: 4 }).moves.map((m) => m.month),
    ["2022-02", "2022-05", "2022-08", "2022-11"],
  );
  // floor(12 (k + 1/2) / 8) = 0, 2, 3, 5, 6, 8, 9, 11
  assert.deepEqual(
    movesPath({ 2022: 8 }).moves.map((m) => m.month),
    ["2022-01", "2022-03", "2022-04", "2022-06", "2022-07", "2022-09", "2022-10", "2022-12"],
  );
});

test("a year that has started: its moves are spread over the months after asOf", () => {
  // asOf March: April..December available (L = 9); offsets floor(9/4) = 2, floor(27/4) = 6 -> June, October
  const p = movesPath({ 2022: 2 }, undefined, { asOf: "2022-03-31", startRatePct: 0.25 });
  assert.deepEqual(
    p.moves.map((m) => m.month),
    ["2022-06", "2022-10"],
  );
});

test("the rate of each month follows the moves; held after the last listed year", () => {
  const p = movesPath({ 2022: 1, 2023: 2 });
  // month index 0 = Dec 2021; July 2022 = 7; 2023 moves: floor(12*0.25) = 3 -> Apr (index 16),
  // floor(12*0.75) = 9 -> Oct (22)
  const expected = new Float64Array(61);
  for (let i = 0; i <= 60; i++)
    expected[i] = 0.08 + 0.25 * ((i >= 7 ? 1 : 0) + (i >= 16 ? 1 : 0) + (i >= 22 ? 1 : 0));
  assertAllClose(p.ratesPct, expected, { atol: 1e-12 });
  assert.equal(monthLabel(p.asOf, p.definedThrough), "2023-12");
});

test("terminal level: hiking stops there (last step partial); cuts stop at zero with a warning", () => {
  const p = movesPath({ 2022: 4, 2023: 4 }, 1.5);
  assert.ok(Math.abs(p.ratesPct[60] - 1.5) < 1e-12, `ends at the terminal level, got ${p.ratesPct[60]}`);
  assert.equal(p.moves.length, 6); // 0.08 + 5 x 0.25 = 1.33, then +0.17 to 1.50; two moves absorbed
  assert.ok(Math.abs(p.moves[5].bp - 17) < 1e-9);
  assert.equal(p.absorbedMoves, 2);
  const down = movesPath({ 2022: -2 }, undefined, { asOf: "2021-12-31", startRatePct: 0.3 });
  assert.ok(Math.abs(down.ratesPct[60]) < 1e-12, "floored at 0");
  assert.ok(down.warnings.some((w) => w.code === "zero-floor"));
  const floorAt = movesPath({ 2022: -8 }, 2.0, { asOf: "2021-12-31", startRatePct: 3.0 });
  assert.ok(Math.abs(floorAt.ratesPct[60] - 2.0) < 1e-12, "a cutting path stops at its terminal level");
});

test("points: linear in months from the start rate, held after the last point", () => {
  const p = buildPolicyPath(
    "m",
    {
      kind: "points",
      points: [
        { date: "2022-06-30", ratePct: 0.35 },
        { date: "2022-12-31", ratePct: 0.85 },
      ],
    },
    ctx,
    24,
  );
  // months 1..6 climb from 0.08 to 0.35 in steps of 0.045; 7..12 from 0.35 to 0.85 in steps of 0.5/6
  assertAllClose(
    [p.ratesPct[3], p.ratesPct[6], p.ratesPct[9], p.ratesPct[12], p.ratesPct[20]],
    [0.215, 0.35, 0.6, 0.85, 0.85],
    {
      atol: 1e-12,
    },
  );
});

test("monthly lists: one rate per month after asOf, then held", () => {
  const p = buildPolicyPath("l", { kind: "monthly", ratesPct: [0.1, 0.2, 0.3] }, ctx, 6);
  assertAllClose(p.ratesPct, [0.08, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3], { atol: 0 });
});

test("bad input: years out of order or too early, terminal on the wrong side, points out of order", () => {
  const issues = (spec: PathSpec, c = ctx) =>
    checkPathSpec(spec, c).map((i) => `${i.field.join(".")}: ${i.message}`);
  assert.match(
    issues({
      kind: "moves",
      moves: [
        { year: 2023, count: 1 },
        { year: 2022, count: 1 },
      ],
    })[0],
    /moves\.2022: years out of order: 2022 follows 2023/,
  );
  assert.match(
    issues({ kind: "moves", moves: [{ year: 2020, count: 1 }] })[0],
    /moves\.2020: 2020 is before the path starts/,
  );
  assert.match(
    issues({ kind: "moves", moves: [{ year: 2022, count: 2 }], terminalPct: 0.05 })[0],
    /terminalPct: terminal rate 0.05% is below the start rate 0.08% on a hiking path without cuts/,
  );
  assert.match(
    issues({ kind: "moves", moves: [{ year: 2022, count: -2 }], terminalPct: 1 })[0],
    /above the start rate .* cutting path/,
  );
  assert.match(
    issues({ kind: "moves", moves: [], terminalPct: 1 })[0],
    /cannot be reached: the path has no moves/,
  );
  // a path with both hikes and cuts may end below its start
  assert.deepEqual(
    issues({
      kind: "moves",
      moves: [
        { year: 2022, count: 2 },
        { year: 2023, count: -4 },
      ],
      terminalPct: 0,
    }),
    [],
  );
  assert.match(
    issues({
      kind: "points",
      points: [
        { date: "2022-12-31", ratePct: 1 },
        { date: "2022-06-30", ratePct: 1 },
      ],
    })[0],
    /dates out of order/,
  );
  assert.match(issues({ kind: "points", points: [{ date: "2021-06-30", ratePct: 1 }] })[0], /not after asOf/);
  assert.throws(
    () => buildPolicyPath("dots", { kind: "moves", moves: [{ year: 2019, count: 1 }] }, ctx, 12),
    (e: unknown) => e instanceof InputError && /paths\.dots\.moves\.2019/.test(e.message),
  );
});
