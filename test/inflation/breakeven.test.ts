/**
 * Nominal = real + breakeven: a planted identity violation is found with its date, the threshold
 * is respected, missing legs are reported, the change split adds up, and the bundled FRED and
 * GSW data satisfy the identity.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { makeSeries, type Series } from "../../src/core/series.ts";
import { breakevenDecomposition, decomposeTenor, type TenorInputs } from "../../src/inflation/breakeven.ts";
import { BUNDLED_DATA_DIR, loadCatalogEntry, readCatalog } from "../../src/store/bundled.ts";

function daily(id: string, dates: string[], values: number[]): Series {
  return makeSeries(
    { id, title: id, units: "percent", frequency: "d", source: "test", licence: "test" },
    dates,
    values,
  );
}

const DATES = [
  "2024-01-02",
  "2024-01-31",
  "2024-02-29",
  "2024-03-28",
  "2024-04-30",
  "2024-12-31",
  "2025-01-02",
];
const REAL = [1.8, 1.9, 2.0, 2.1, 2.05, 2.2, 2.25];
const BE = [2.3, 2.25, 2.3, 2.35, 2.4, 2.35, 2.3];

function trio(offsetBp: Record<string, number> = {}): TenorInputs {
  const nominal = DATES.map((d, i) => REAL[i] + BE[i] + (offsetBp[d] ?? 0) / 100);
  return {
    tenorYears: 10,
    kind: "constant-maturity",
    nominal: daily("DGS10", DATES, nominal),
    real: daily("DFII10", DATES, REAL),
    breakeven: daily("T10YIE", DATES, BE),
  };
}

test("a planted 1 bp violation is reported with its date as a typed warning; 0.4 bp is within tolerance", () => {
  const r = breakevenDecomposition([trio({ "2024-02-29": 1, "2024-03-28": 0.4 })]);
  const t = r.tenors[0];
  assert.equal(t.violations.length, 1);
  assert.equal(t.violations[0].date, "2024-02-29");
  // the residual is (x + 0.01) − x − y in percent times 100: 1 bp up to rounding of 2-decimal values
  assert.ok(Math.abs(t.violations[0].residualBp - 1) < 1e-9);
  const w = r.warnings.filter((x) => x.code === "identity-violation");
  assert.equal(w.length, 1);
  assert.equal(w[0].date, "2024-02-29");
  assert.match(
    w[0].message,
    /10y constant maturity \(DGS10 = DFII10 \+ T10YIE\): identity off by 1\.00 bp on 2024-02-29/,
  );
  const clean = breakevenDecomposition([trio()]);
  assert.equal(clean.tenors[0].violations.length, 0);
  assert.equal(clean.warnings.length, 0);
});

test("the threshold is configurable and violations past the warning cap are summarised", () => {
  const offsets = Object.fromEntries(DATES.map((d) => [d, 0.3]));
  assert.equal(breakevenDecomposition([trio(offsets)]).tenors[0].violations.length, 0);
  const strict = breakevenDecomposition([trio(offsets)], { thresholdBp: 0.2, maxViolationWarnings: 2 });
  assert.equal(strict.tenors[0].violations.length, DATES.length);
  const w = strict.warnings.filter((x) => x.code === "identity-violation");
  assert.equal(w.length, 3);
  assert.match(w[2].message, /5 more dates off by more than 0\.2 bp/);
});

test("a breakeven published on a date without its nominal and real legs is a missing-leg warning", () => {
  const t = trio();
  const r = breakevenDecomposition([
    { ...t, breakeven: daily("T10YIE", [...DATES, "2025-01-03"], [...BE, 2.31]) },
  ]);
  assert.deepEqual(r.tenors[0].incompleteDates, ["2025-01-03"]);
  assert.ok(r.warnings.some((w) => w.code === "missing-leg" && w.date === "2025-01-03"));
  assert.equal(r.tenors[0].latest?.date, "2025-01-02", "latest uses the last complete date");
});

test("changes split into real and breakeven, over 1m, 3m and 1y from the last date at or before", () => {
  const t = decomposeTenor(trio());
  assert.equal(t.latest?.date, "2025-01-02");
  const byH = new Map(t.changes.map((c) => [c.horizon, c]));
  // 1m back from 2025-01-02 is 2024-12-02: last date at or before it is 2024-04-30
  const m1 = byH.get("1m")!;
  assert.equal(m1.from, "2024-04-30");
  // hand arithmetic in bp: real 2.25 − 2.05 = +20, breakeven 2.30 − 2.40 = −10, nominal +10
  assert.ok(
    Math.abs(m1.realBp - 20) < 1e-9 &&
      Math.abs(m1.breakevenBp + 10) < 1e-9 &&
      Math.abs(m1.nominalBp - 10) < 1e-9,
  );
  assert.ok(Math.abs(m1.realSharePct! - 200) < 1e-9);
  assert.ok(Math.abs(m1.residualBp) < 1e-9);
  assert.equal(byH.get("1y")!.from, "2024-01-02");
  // 1y: real +45, breakeven 0, nominal +45
  assert.ok(Math.abs(byH.get("1y")!.realBp - 45) < 1e-9 && Math.abs(byH.get("1y")!.breakevenBp) < 1e-9);
  // as of a date: later observations are ignored
  const early = decomposeTenor(trio(), { asOf: "2024-03-31" });
  assert.equal(early.latest?.date, "2024-03-28");
  // one month before 2024-03-28 is 2024-02-28, a day before the 2024-02-29 observation
  assert.equal(early.changes.find((c) => c.horizon === "1m")?.from, "2024-01-31");
  assert.equal(
    early.changes.find((c) => c.horizon === "1y"),
    undefined,
    "no observation a year before",
  );
  // 2024-03-28 → 2024-04-30: real −5 bp, breakeven +5 bp, nominal 0: no meaningful share
  const small = decomposeTenor(trio(), { asOf: "2024-04-30" });
  assert.equal(small.changes[0].from, "2024-03-28");
  assert.equal(small.changes[0].realSharePct, null, "shares of |Δnominal| < 5 bp are not reported");
});

async function bundledSeries(match: (file: string) => boolean, ids: string[]): Promise<Map<string, Series>> {
  const out = new Map<string, Series>();
  for (const e of readCatalog().files) {
    if (!match(e.file)) continue;
    for (const s of await loadCatalogEntry(BUNDLED_DATA_DIR, e))
      if (ids.includes(s.meta.id)) out.set(s.meta.id, s);
  }
  return out;
}

test("bundled data: FRED's DGS = DFII + T*YIE and GSW's SVENY − TIPSY = BKEVEN hold within 0.5 bp", async () => {
  const ids = ["DGS5", "DFII5", "T5YIE", "DGS10", "DFII10", "T10YIE"];
  const fred = await bundledSeries((f) => ids.some((id) => f === `fred/${id}.csv`), ids);
  const gswIds = [
    "gsw.SVENY05",
    "gsw.SVENY10",
    "gswtips.TIPSY05",
    "gswtips.TIPSY10",
    "gswtips.BKEVEN05",
    "gswtips.BKEVEN10",
  ];
  const gsw = await bundledSeries((f) => f.includes("SVENY") || f.includes("tips"), gswIds);
  const r = breakevenDecomposition([
    {
      tenorYears: 5,
      kind: "constant-maturity",
      nominal: fred.get("DGS5")!,
      real: fred.get("DFII5")!,
      breakeven: fred.get("T5YIE")!,
    },
    {
      tenorYears: 10,
      kind: "constant-maturity",
      nominal: fred.get("DGS10")!,
      real: fred.get("DFII10")!,
      breakeven: fred.get("T10YIE")!,
    },
    {
      tenorYears: 10,
      kind: "gsw-zero-coupon",
      nominal: gsw.get("gsw.SVENY10")!,
      real: gsw.get("gswtips.TIPSY10")!,
      breakeven: gsw.get("gswtips.BKEVEN10")!,
    },
  ]);
  for (const t of r.tenors) {
    assert.ok(t.dates.length > 700, `${t.kind} ${t.tenorYears}y: ${t.dates.length} dates`);
    assert.equal(t.violations.length, 0, `${t.kind} ${t.tenorYears}y`);
  }
  // FRED publishes T*YIE as the difference of the two 2-decimal yields: identity exact to rounding
  for (const t of r.tenors.slice(0, 2)) for (const v of t.residualBp) assert.ok(Math.abs(v) < 1e-6);
  assert.equal(r.tenors[2].dates[0], "2022-10-11", "the bundled TIPS curve starts in October 2022");
});
