import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ModelError } from "../../src/core/errors.ts";
import { lag, lead, shiftValues } from "../../src/transforms/shift.ts";
import { assertAllClose } from "../helpers.ts";
import { series } from "./make.ts";

const NaN_ = Number.NaN;
const dates = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"];

test("lag and lead by hand: same dates, NaN-filled ends, NaN moves with its row", () => {
  const s = series("X", "m", dates, [1, 2, NaN_, 4, 5]);
  const l = lag(s, 2);
  assert.deepEqual([...l.dates], dates);
  // Values are copied, not computed: exact.
  assertAllClose(l.values, [NaN_, NaN_, 1, 2, NaN_], { atol: 0 });
  assertAllClose(lead(s, 1).values, [2, NaN_, 4, 5, NaN_], { atol: 0 });
  assertAllClose(lag(s, 0).values, s.values, { atol: 0 });
  assertAllClose(lag(s, 9).values, [NaN_, NaN_, NaN_, NaN_, NaN_], { atol: 0 });
  assert.match(l.meta.title, /lag 2 obs/);
  assert.match(lead(s, 1).meta.notes ?? "", /look-ahead/);
});

test("lead undoes lag wherever both are defined (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 40 }), fc.nat(45), (v, k) => {
      const x = Float64Array.from(v);
      const back = shiftValues(shiftValues(x, k), -k);
      for (let i = 0; i < x.length; i++) {
        if (i + k < x.length) assert.ok(Object.is(back[i], x[i]));
        else assert.ok(Number.isNaN(back[i]));
      }
    }),
  );
});

test("k must be a non-negative integer", () => {
  const s = series("X", "m", dates, [1, 2, 3, 4, 5]);
  assert.throws(() => lag(s, -1), /lag: k must be an integer >= 0, got -1/);
  assert.throws(() => lead(s, 1.5), ModelError);
  assert.throws(() => shiftValues(s.values, 0.5), ModelError);
});
