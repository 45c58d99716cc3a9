import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  addMonths,
  endOfMonth,
  epochDayUnchecked,
  fromEpochDay,
  isIsoDate,
  quarterKey,
  startOfQuarter,
  toEpochDay,
} from "../../src/core/dates.ts";

test("isIsoDate rejects impossible calendar dates", () => {
  assert.equal(isIsoDate("2024-02-29"), true);
  assert.equal(isIsoDate("2023-02-29"), false);
  assert.equal(isIsoDate("2023-13-01"), false);
  assert.equal(isIsoDate("2023-1-01"), false);
  assert.equal(isIsoDate("01/02/2023"), false);
});

test("epoch-day round trip agrees with Date for every day 1900..2100", () => {
  fc.assert(
    fc.property(fc.integer({ min: -25567, max: 47482 }), (d) => {
      const iso = fromEpochDay(d);
      assert.equal(toEpochDay(iso), d);
      assert.equal(new Date(`${iso}T00:00:00Z`).getTime(), d * 86_400_000);
    }),
  );
});

test("addMonths clamps to month end (Temporal PlainDate semantics)", () => {
  assert.equal(addMonths("2024-01-31", 1), "2024-02-29");
  assert.equal(addMonths("2023-01-31", 1), "2023-02-28");
  assert.equal(addMonths("2023-03-15", -3), "2022-12-15");
  assert.equal(addMonths("2023-12-01", 13), "2025-01-01");
});

test("period helpers", () => {
  assert.equal(endOfMonth("2024-02-10"), "2024-02-29");
  assert.equal(startOfQuarter("2024-08-10"), "2024-07-01");
  assert.equal(quarterKey("2024-12-31"), "2024-Q4");
});

test("epochDayUnchecked equals the checked conversion (days-from-civil vs Date.UTC)", () => {
  fc.assert(
    fc.property(fc.integer({ min: -60000, max: 60000 }), (d) => {
      const iso = fromEpochDay(d);
      assert.equal(epochDayUnchecked(iso), toEpochDay(iso));
    }),
  );
});
