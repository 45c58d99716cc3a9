/**
 * Driver attribution: the tag rule on hand-made months (one per branch), and the per-tag
 * statistics (mean returns, hit rates against the Bernanke signs) against a direct count.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type AttributionInput,
  attributeYieldChanges,
  bernankeSigns,
  tagChange,
} from "../../src/regimes/attribution.ts";
import { createRng } from "../../src/stats/random.ts";

test("tag rule: term premium vs expected rates, then real vs breakeven", () => {
  assert.equal(tagChange(20, 5, 15, 10, 10), "term-premium-driven");
  assert.equal(tagChange(20, 15, 5, 12, 8), "real-rate-driven");
  assert.equal(tagChange(20, 15, 5, 12, 12), "real-rate-driven"); // ties go to the real yield
  assert.equal(tagChange(20, 15, 5, 4, 16), "breakeven-driven");
  assert.equal(tagChange(-20, -15, -5, null, null), "expected-rate-driven");
  assert.equal(tagChange(3, 2, 1, 2, 1, 5), "small-move");
  // offsetting components: the larger move decides, whatever the sign of the total
  assert.equal(tagChange(-5, 30, -35, 20, 10), "term-premium-driven");
  assert.deepEqual(bernankeSigns("real-rate-driven", 1), { gold: -1, stocks: 1 });
  assert.deepEqual(bernankeSigns("term-premium-driven", -1), { gold: -1, stocks: 1 });
  assert.deepEqual(bernankeSigns("breakeven-driven", 1), { gold: 1, stocks: 0 });
});

test("rows and per-tag statistics match a direct recomputation", () => {
  const rng = createRng(21);
  const n = 120;
  const months = Array.from(
    { length: n },
    (_, i) => `${2010 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`,
  );
  const walk = (s: number) => {
    let v = 2;
    return Float64Array.from({ length: n }, () => (v += s * rng.normal()));
  };
  const expected = walk(0.2);
  const tp = walk(0.2);
  const real = walk(0.15);
  const be = walk(0.1);
  const gold = Float64Array.from(walk(0.05), (v) => 1000 * Math.exp(v));
  const stocks = Float64Array.from(walk(0.04), (v) => 2000 * Math.exp(v));
  real[5] = Number.NaN; // a missing TIPS month
  gold[9] = Number.NaN;
  const input: AttributionInput = {
    months,
    yieldPct: Float64Array.from(expected, (v, i) => v + tp[i]),
    expectedPct: expected,
    termPremiumPct: tp,
    realPct: real,
    breakevenPct: be,
    gold,
    stocks,
  };
  const r = attributeYieldChanges(input);
  assert.equal(r.rows.length, n - 1);
  for (const row of r.rows) {
    const i = months.indexOf(row.month);
    // the model split is exact: Δy = ΔE + ΔTP (1e-9 bp)
    assert.ok(Math.abs(row.yieldChangeBp - row.expectedChangeBp - row.termPremiumChangeBp) < 1e-9);
    if (i === 5 || i === 6) assert.equal(row.realChangeBp, null);
    if (i === 9 || i === 10) assert.equal(row.goldReturnPct, null);
  }
  // direct count for one cell: term-premium-driven months with the 10y up
  const cell = r.statistics.find((s) => s.tag === "term-premium-driven" && s.direction === "up");
  assert.ok(cell);
  let m = 0;
  let goldSum = 0;
  let goldN = 0;
  let goldHits = 0;
  let stockHits = 0;
  let stockN = 0;
  for (let i = 1; i < n; i++) {
    const dE = expected[i] - expected[i - 1];
    const dTp = tp[i] - tp[i - 1];
    if (!(Math.abs(dTp) > Math.abs(dE)) || !(dE + dTp > 0)) continue;
    m++;
    if (Number.isFinite(gold[i]) && Number.isFinite(gold[i - 1])) {
      const rg = Math.log(gold[i] / gold[i - 1]);
      goldN++;
      goldSum += 100 * rg;
      if (rg > 0) goldHits++; // term-premium-driven rise: gold up
    }
    stockN++;
    if (stocks[i] < stocks[i - 1]) stockHits++; // and stocks down
  }
  assert.equal(cell.months, m);
  assert.equal(cell.gold.months, goldN);
  assert.ok(Math.abs(cell.gold.meanReturnPct - goldSum / goldN) < 1e-12);
  assert.equal(cell.gold.hitRate, goldHits / goldN);
  assert.equal(cell.stocks.hitRate, stockHits / stockN);
  // breakeven-driven months make no call on stocks
  for (const s of r.statistics.filter((x) => x.tag === "breakeven-driven"))
    assert.equal(s.stocks.hitRate, null);
  // every non-small month is in exactly one cell
  assert.equal(
    r.statistics.reduce((a, s) => a + s.months, 0),
    r.rows.filter((x) => x.yieldChangeBp !== 0).length,
  );
});
