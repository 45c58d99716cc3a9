import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError, ModelError } from "../../src/core/errors.ts";
import { align, alignPair } from "../../src/transforms/align.ts";
import { assertAllClose } from "../helpers.ts";
import { series } from "./make.ts";

const NaN_ = Number.NaN;
const a = series("A", "d", ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-08"], [1, 2, NaN_, 4]);
const b = series(
  "B",
  "d",
  ["2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"],
  [20, 30, 40, 50, 60],
);

test("inner join keeps common dates and keeps NaN as NaN; nothing is filled by default", () => {
  const p = align([a, b]);
  assert.deepEqual(p.dates, ["2024-01-03", "2024-01-04", "2024-01-08"]);
  assert.deepEqual(p.ids, ["A", "B"]);
  // Copies of stored values: exact.
  assertAllClose(p.columns[0], [2, NaN_, 4], { atol: 0 });
  assertAllClose(p.columns[1], [20, 30, 50], { atol: 0 });
  assert.deepEqual(p.warnings, []);
});

test("outer join is the sorted union with NaN where a series has no row", () => {
  const p = align([a, b], { how: "outer" });
  assert.deepEqual(p.dates, [
    "2024-01-02",
    "2024-01-03",
    "2024-01-04",
    "2024-01-05",
    "2024-01-08",
    "2024-01-09",
  ]);
  assertAllClose(p.columns[0], [1, 2, NaN_, NaN_, 4, NaN_], { atol: 0 });
  assertAllClose(p.columns[1], [NaN_, 20, 30, 40, 50, 60], { atol: 0 });
});

test("forward fill respects the limit, never fills leading NaN, and reports what it filled", () => {
  const p = align([a, b], { how: "outer", fill: "ffill", ffillLimit: 1 });
  // A: 2024-01-04 (NaN) ← 2; 2024-01-05 is a second consecutive fill, past the limit; 01-09 ← 4.
  assertAllClose(p.columns[0], [1, 2, 2, NaN_, 4, 4], { atol: 0 });
  // B: the leading NaN on 2024-01-02 stays.
  assertAllClose(p.columns[1], [NaN_, 20, 30, 40, 50, 60], { atol: 0 });
  assert.equal(p.warnings.length, 1);
  const w = p.warnings[0];
  assert.equal(w.code, "forward-filled");
  assert.equal(w.series, "A");
  assert.equal(w.date, "2024-01-04");
  assert.match(
    w.message,
    /A: forward-filled 2 of 6 rows .*longest run 1 rows.*limit 1, 1 rows past it left NaN/,
  );
  const unlimited = align([a, b], { how: "outer", fill: "ffill" });
  assertAllClose(unlimited.columns[0], [1, 2, 2, 2, 4, 4], { atol: 0 });
  assert.match(unlimited.warnings[0].message, /longest run 2 rows/);
});

test("mixed frequencies are refused unless asked for; bad options throw", () => {
  const m = series("M", "m", ["2024-01-01", "2024-02-01"], [1, 2]);
  assert.throws(
    () => align([a, m]),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /daily series A and monthly series M cannot be aligned by date: resample/);
      return true;
    },
  );
  assert.equal(align([a, m], { how: "outer", allowMixedFrequency: true }).dates.length, 6);
  assert.throws(() => align([]), ModelError);
  assert.throws(() => align([a], { ffillLimit: 2 }), /only meaningful with fill "ffill"/);
  assert.throws(() => align([a], { fill: "ffill", ffillLimit: 0 }), /ffillLimit must be an integer >= 1/);
  assert.throws(() => align([a], { how: "left" as "inner" }), /how must be one of "inner", "outer"/);
});

test("alignPair returns two Series on the common dates, keeping their metadata", () => {
  const { x, y } = alignPair(a, b);
  assert.deepEqual([...x.dates], ["2024-01-03", "2024-01-04", "2024-01-08"]);
  assert.deepEqual([...y.dates], [...x.dates]);
  assert.equal(x.meta.id, "A");
  assertAllClose(y.values, [20, 30, 50], { atol: 0 });
});
