import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { addDays, monthKey } from "../../src/core/dates.ts";
import { InputError, ModelError } from "../../src/core/errors.ts";
import type { Frequency } from "../../src/core/series.ts";
import { toAnnual, toMonthly, toQuarterly } from "../../src/transforms/resample.ts";
import { assertAllClose } from "../helpers.ts";
import { series } from "./make.ts";

const NaN_ = Number.NaN;

/**
 * Hand-built daily yields, January to April 2024:
 * - January: 4.00 (01-02), 4.10 (01-16), 4.20 (01-31);
 * - February: no observation at all (a missing month);
 * - March: 4.30 (03-01), 4.25 (03-28), NaN on 03-29 (Good Friday, the month's last weekday);
 * - April: 4.40 (04-01), 4.50 (04-30).
 */
const daily = series(
  "DGS10",
  "d",
  [
    "2024-01-02",
    "2024-01-16",
    "2024-01-31",
    "2024-03-01",
    "2024-03-28",
    "2024-03-29",
    "2024-04-01",
    "2024-04-30",
  ],
  [4.0, 4.1, 4.2, 4.3, 4.25, NaN_, 4.4, 4.5],
);

test("daily → monthly by hand: end of month skips the holiday, a missing month stays as NaN", () => {
  const m = toMonthly(daily);
  assert.deepEqual([...m.dates], ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]);
  // "last" picks stored values, no arithmetic: exact.
  assertAllClose(m.values, [4.2, NaN_, 4.25, 4.5], { atol: 0 });
  assert.equal(m.meta.frequency, "m");
  assert.match(m.meta.title, /monthly, end of period/);
  assert.match(m.meta.notes ?? "", /daily -> monthly \(last/);
  assertAllClose(toMonthly(daily, { how: "first" }).values, [4.0, NaN_, 4.3, 4.4], { atol: 0 });
  // mean and sum: two or three additions of 2-decimal numbers, exact to 1e-12.
  assertAllClose(toMonthly(daily, { how: "mean" }).values, [4.1, NaN_, 4.275, 4.45], { atol: 1e-12 });
  assertAllClose(toMonthly(daily, { how: "sum" }).values, [12.3, NaN_, 8.55, 8.9], { atol: 1e-12 });
});

test("→ quarterly and annual from daily and from monthly agree, labelled by the period's first day", () => {
  const q = toQuarterly(daily);
  assert.deepEqual([...q.dates], ["2024-01-01", "2024-04-01"]);
  assertAllClose(q.values, [4.25, 4.5], { atol: 0 });
  assertAllClose(toQuarterly(toMonthly(daily)).values, q.values, { atol: 0 });
  // Quarterly mean of the monthly means skips February's NaN: (4.1 + 4.275) / 2.
  assertAllClose(toQuarterly(toMonthly(daily, { how: "mean" }), { how: "mean" }).values, [4.1875, 4.45], {
    atol: 1e-12,
  });
  const a = toAnnual(daily);
  assert.deepEqual([...a.dates], ["2024-01-01"]);
  assertAllClose(a.values, [4.5], { atol: 0 });
  assert.equal(toAnnual(q).meta.frequency, "a");
});

test("weekly → monthly assigns a week to the month of its label date; year boundaries", () => {
  const w = series(
    "ICSA",
    "w",
    ["2023-12-23", "2023-12-30", "2024-01-06", "2024-01-13"],
    [200, 210, 220, 230],
  );
  const m = toMonthly(w, { how: "mean" });
  assert.deepEqual([...m.dates], ["2023-12-01", "2024-01-01"]);
  assertAllClose(m.values, [205, 225], { atol: 1e-12 });
  const q = toQuarterly(w);
  assert.deepEqual([...q.dates], ["2023-10-01", "2024-01-01"]);
});

test("upsampling and unknown frequencies throw an InputError naming the series", () => {
  const gdp = series("GDP", "q", ["2024-01-01", "2024-04-01"], [1, 2]);
  assert.throws(
    () => toMonthly(gdp),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, "cannot convert quarterly series GDP to monthly: upsampling is not supported");
      return true;
    },
  );
  assert.throws(() => toQuarterly(toAnnual(gdp)), /annual series GDP to quarterly: upsampling/);
  const odd = { ...gdp, meta: { ...gdp.meta, frequency: "fortnightly" as Frequency } };
  assert.throws(() => toAnnual(odd), /unknown frequency "fortnightly"/);
  assert.throws(() => toMonthly(daily, { how: "median" as "mean" }), ModelError);
});

test("monthly 'last' equals an obvious per-month scan on random daily data with gaps (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.integer({ min: 1, max: 20 }), fc.option(fc.double({ min: -5, max: 20, noNaN: true }))),
        {
          minLength: 1,
          maxLength: 150,
        },
      ),
      (steps) => {
        const dates: string[] = [];
        const values: number[] = [];
        let d = "2019-12-20";
        for (const [gap, v] of steps) {
          d = addDays(d, gap);
          dates.push(d);
          values.push(v ?? NaN_);
        }
        const m = toMonthly(series("X", "d", dates, values));
        for (let k = 0; k < m.dates.length; k++) {
          let expected = NaN_;
          for (let i = 0; i < dates.length; i++) {
            if (monthKey(dates[i]) === monthKey(m.dates[k]) && !Number.isNaN(values[i])) expected = values[i];
          }
          assert.ok(Object.is(m.values[k], expected), `${m.dates[k]}: ${m.values[k]} vs ${expected}`);
        }
        // Gap-free grid from the first to the last month.
        assert.equal(m.dates[0], `${monthKey(dates[0])}-01`);
        assert.equal(m.dates[m.dates.length - 1], `${monthKey(d)}-01`);
      },
    ),
    { numRuns: 200 },
  );
});
