import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { addDays, addMonths } from "../../src/core/dates.ts";
import { InputError } from "../../src/core/errors.ts";
import { makeSeries } from "../../src/core/series.ts";
import { difference, logTransform, pctChange, yoy } from "../../src/transforms/change.ts";
import { assertAllClose } from "../helpers.ts";
import { series, weekdays } from "./make.ts";

const NaN_ = Number.NaN;
const months = (start: string, n: number) => Array.from({ length: n }, (_, i) => addMonths(start, i));

test("difference and pctChange by hand, with NaN propagation and units", () => {
  const s = series("X", "m", months("2024-01-01", 5), [100, 110, NaN_, 99, 132]);
  const d = difference(s);
  // Differences of short decimals: exact to 1e-12.
  assertAllClose(d.values, [NaN_, 10, NaN_, NaN_, 33], { atol: 1e-12 });
  assert.equal(d.meta.units, "percentage points");
  assertAllClose(difference(s, 3).values, [NaN_, NaN_, NaN_, -1, 22], { atol: 1e-12 });
  const p = pctChange(s);
  // 100·(110/100 − 1) = 10 and 100·(132/99 − 1) = 33.33…: a division and a subtraction, 1e-12.
  assertAllClose(p.values, [NaN_, 10, NaN_, NaN_, 100 / 3], { atol: 1e-12 });
  assert.equal(p.meta.units, "percent change");
  assert.equal(difference(series("P", "m", months("2024-01-01", 2), [1, 3]), 1).values[1], 2);
  const level = makeSeries(
    { id: "SP", title: "index", units: "index", frequency: "d", source: "t", licence: "t" },
    ["2024-01-02", "2024-01-03"],
    [1, 2],
  );
  assert.equal(difference(level).meta.units, "change in index");
  assert.throws(() => difference(s, 0), /k must be an integer >= 1, got 0/);
});

test("pctChange refuses a zero base and names its date", () => {
  const s = series("SPREAD", "m", months("2024-01-01", 3), [0.5, 0, 0.25]);
  assert.throws(
    () => pctChange(s),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /series SPREAD is 0 at 2024-02-01, the base of the change to 2024-03-01/);
      return true;
    },
  );
});

test("monthly yoy matches k = 12 on a gap-free series and stays right when a month is missing", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 50, max: 300, noNaN: true }), { minLength: 13, maxLength: 60 }),
      (v) => {
        const s = series("CPI", "m", months("2015-01-01", v.length), v);
        // Same formula, same operands: identical bits.
        assert.deepEqual(yoy(s).values, pctChange(s, 12).values);
      },
    ),
    { numRuns: 50 },
  );
  // Drop March 2023: positional k = 12 would now compare March 2024 with April 2023.
  const dates = months("2023-01-01", 15).filter((d) => d !== "2023-03-01");
  const values = dates.map((_, i) => 100 + i);
  const y = yoy(series("CPI", "m", dates, values));
  const at = (d: string) => y.values[dates.indexOf(d)];
  assert.ok(Number.isNaN(at("2024-03-01")), "no March 2023: no year-ago value");
  // 2024-02 (index 12) vs 2023-02 (index 1): 100·(112/101 − 1).
  assertAllClose([at("2024-02-01"), at("2024-04-01")], [100 * (112 / 101 - 1), 100 * (114 / 102 - 1)], {
    atol: 1e-12,
  });
  assert.equal(y.meta.units, "percent change from year ago");
});

test("quarterly, annual and weekly yoy use 4, 1 and 52 observations on gap-free data", () => {
  const quarters = Array.from({ length: 8 }, (_, i) => addMonths("2020-01-01", 3 * i));
  const q = series("GDP", "q", quarters, [1, 2, 3, 4, 5, 6, 7, 8]);
  // Same formula on the same operands: identical bits.
  assert.deepEqual(yoy(q).values, pctChange(q, 4).values);
  const a = series("A", "a", ["2020-01-01", "2021-01-01", "2023-01-01"], [10, 11, 12]);
  // 2023 has no 2022 observation: NaN, not a two-year change.
  assertAllClose(yoy(a).values, [NaN_, 10, NaN_], { atol: 1e-12 });
  const fridays = Array.from({ length: 60 }, (_, i) => addDays("2020-01-03", 7 * i));
  const w = series(
    "ICSA",
    "w",
    fridays,
    fridays.map((_, i) => 200 + i),
  );
  assert.deepEqual(yoy(w).values, pctChange(w, 52).values);
});

test("daily yoy: on or before the same date a year earlier, holidays skipped, 29 Feb → 28 Feb", () => {
  const dates = weekdays("2023-01-02", 520); // Mon 2023-01-02 .. Dec 2024
  const values = dates.map((d, i) => (d === "2023-07-04" ? NaN_ : 1 + i / 100));
  const s = series("DGS10", "d", dates, values);
  const y = yoy(s);
  const v = (d: string) => values[dates.indexOf(d)];
  const at = (d: string) => y.values[dates.indexOf(d)];
  // 2024-07-04 → 2023-07-04 is a holiday (NaN) → 2023-07-03.
  assertAllClose([at("2024-07-04")], [100 * (v("2024-07-04") / v("2023-07-03") - 1)], { atol: 1e-12 });
  // 2024-02-29 → 2023-02-28 (Tuesday).
  assertAllClose([at("2024-02-29")], [100 * (v("2024-02-29") / v("2023-02-28") - 1)], { atol: 1e-12 });
  // 2024-01-01 (Monday) → 2023-01-01 (Sunday) → nothing on or before within the data: NaN.
  assert.ok(Number.isNaN(at("2024-01-01")));
  // 2024-01-08 (Monday) → 2023-01-08 (Sunday) → Friday 2023-01-06, 2 days back.
  assertAllClose([at("2024-01-08")], [100 * (v("2024-01-08") / v("2023-01-06") - 1)], { atol: 1e-12 });
  // A long gap in the year-ago data is not bridged: maxGapDays 1 refuses the Sunday→Friday match.
  assert.ok(Number.isNaN(yoy(s, { maxGapDays: 1 }).values[dates.indexOf("2024-01-08")]));
});

test("logTransform: natural log, NaN propagates, non-positive throws naming the date", () => {
  const s = series("GOLD", "d", ["2024-01-02", "2024-01-03", "2024-01-04"], [Math.E, NaN_, 1]);
  const l = logTransform(s);
  assertAllClose(l.values, [1, NaN_, 0], { atol: 1e-15 });
  assert.equal(l.meta.units, "log of percent");
  const bad = series("SPREAD", "d", ["2024-01-02", "2024-01-03"], [0.1, -0.2]);
  assert.throws(
    () => logTransform(bad),
    /series SPREAD is -0.2 at 2024-01-03; the log needs positive values/,
  );
});
