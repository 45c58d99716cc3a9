/**
 * The term-structure pipeline end to end on the bundled data (no ../shared needed): GSW curves
 * from the store -> month-end panel (cached) -> ACM / Hamilton-Wu, checked against the NY Fed's
 * published ACM file (bundled, sample end 2025-06) and against closed-form properties.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gswCurveOnDate } from "../../src/curves/on-date.ts";
import { ensureBundled } from "../../src/store/bundled.ts";
import { Store } from "../../src/store/store.ts";
import { pairStatistics, signDisagreements } from "../../src/termstructure/compare.ts";
import { loadGswDaily } from "../../src/termstructure/inputs.ts";
import { monthEndPanel } from "../../src/termstructure/panel-cache.ts";
import { runTermPremium, termPremiumRows } from "../../src/termstructure/service.ts";

const dir = mkdtempSync(join(tmpdir(), "yardstick-ts-"));
let store: Store;
before(async () => {
  store = await Store.open({ path: join(dir, "s.duckdb") });
  await ensureBundled(store);
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function nyFed(id: string): Promise<Map<string, number>> {
  const s = (await store.getSeries(id)).series;
  return new Map(s.dates.map((d, i) => [d.slice(0, 7), s.values[i]]));
}

test("ACM to 2025-06 matches the NY Fed's official ACMTP02/05/10 (corr >= 0.999, mean |diff| <= 5 bp)", async () => {
  const run = await runTermPremium(store, { model: "acm", to: "2025-06", maturitiesMonths: [24, 60, 120] });
  assert.equal(run.sample.from, "1961-06");
  assert.equal(run.dates.length, 769);
  for (const [j, id] of ["acm.ACMTP02", "acm.ACMTP05", "acm.ACMTP10"].entries()) {
    const ref = await nyFed(id);
    const ours = run.series[j].termPremiumPct;
    const dates = run.dates;
    const st = pairStatistics(
      id,
      dates,
      Array.from(ours),
      dates.map((d) => ref.get(d.slice(0, 7)) ?? null),
    )!;
    assert.equal(st.months, 769);
    // Issue criterion: corr >= 0.999 and mean |diff| <= 5 bp. The numpy oracle gets 0.74 / 1.39 / 1.58 bp;
    // the residual is an almost constant offset from the FEDFUNDS window of the pre-1982 fix (reference README).
    assert.ok(st.correlation >= 0.999, `${id} corr ${st.correlation}`);
    assert.ok(st.meanAbsDiffBp <= 5, `${id} mean |diff| ${st.meanAbsDiffBp} bp`);
    // tighter pin on what this implementation achieves, so a regression of a few bp is caught
    assert.ok(st.meanAbsDiffBp <= 2, `${id} mean |diff| ${st.meanAbsDiffBp} bp (was <= 1.6 bp)`);
  }
});

test("fitted = risk-neutral + term premium in every row (the decomposition is an identity)", async () => {
  const run = await runTermPremium(store, { model: "hw", to: "2025-06", maturitiesMonths: [120] });
  for (const r of termPremiumRows(run)) {
    // 1e-12 percent: floating-point rounding of one subtraction
    assert.ok(Math.abs(r.fitted - r.risk_neutral - r.term_premium) < 1e-12);
  }
  assert.equal(run.sample.from, "1971-08");
});

test("Hamilton-Wu 1971-08..2025-06 reproduces the oracle's published figures (reference README)", async () => {
  const run = await runTermPremium(store, { model: "hw", to: "2025-06", maturitiesMonths: [120] });
  const d = run.diagnostics as { chi2: number; df: number; lam: number[] };
  // README: min chi2 17.35 (8) on 1971-08..2025-06; tolerance 0.5 as the README states for a reimplementation
  assert.ok(Math.abs(d.chi2 - 17.35) < 0.5, `chi2 ${d.chi2}`);
  assert.equal(d.df, 8);
  // README: lam 0.998716, 0.961159, 0.934547 (tolerance 1e-3)
  for (const [i, l] of [0.998716, 0.961159, 0.934547].entries()) {
    assert.ok(Math.abs(d.lam[i] - l) < 1e-3, `lam ${d.lam}`);
  }
});

test("the month-end panel from the cache equals the freshly built one exactly", async () => {
  const a = await monthEndPanel(store);
  const b = await monthEndPanel(store);
  assert.equal(b.fromCache, true);
  assert.deepEqual(b.dates, a.dates);
  assert.deepEqual(Array.from(b.yieldsPct), Array.from(a.yieldsPct));
  assert.equal(
    a.source.filter((s) => s === "refit").length,
    56,
    "56 month-ends without usable published parameters",
  );
});

test("a trailing partial month is dropped with a warning, never silently used", async () => {
  const run = await runTermPremium(store, { model: "acm", maturitiesMonths: [120] });
  assert.equal(run.sample.to, "2025-09");
  assert.ok(run.warnings.some((w) => w.code === "partial-month" && /2025-10/.test(w.message)));
});

test("bad requests: clear errors", async () => {
  await assert.rejects(
    runTermPremium(store, { model: "acm", to: "2030-01", maturitiesMonths: [120] }),
    /after the data/,
  );
  await assert.rejects(
    runTermPremium(store, { model: "acm", from: "1950-01", maturitiesMonths: [120] }),
    /before the data/,
  );
  await assert.rejects(runTermPremium(store, { model: "acm", maturitiesMonths: [121] }), /1\.\.120/);
  await assert.rejects(
    runTermPremium(store, { model: "acm", to: "2025/06", maturitiesMonths: [120] }),
    /YYYY-MM/,
  );
  await assert.rejects(
    runTermPremium(store, { model: "hw", freq: "daily", maturitiesMonths: [120] }),
    /daily decomposition is available for ACM/,
  );
});

test("curve on a date with published parameters reproduces the published SVENY to 0.005 bp", async () => {
  const gsw = await loadGswDaily(store, { to: "2017-06-30" });
  const c = gswCurveOnDate(gsw, "2017-06-30", [1, 2, 5, 10, 20, 30]);
  assert.equal(c.source, "gsw-params");
  for (const p of c.points) {
    const k = gsw.svenyYears.indexOf(p.maturityYears);
    const published = gsw.sveny[k][gsw.dates.indexOf("2017-06-30")];
    // SVENY are published to 4 decimals: 0.5e-4 percent = 0.005 bp is the rounding bound
    assert.ok(
      Math.abs(p.zeroPct - published) <= 0.5e-4 + 1e-9,
      `${p.maturityYears}y ${p.zeroPct} vs ${published}`,
    );
    // sanity of the derived quantities (no NaN, discount factors in (0, 1) for positive yields)
    assert.ok(Number.isFinite(p.parPct) && p.discount > 0 && p.discount < 1);
  }
});

test("pairStatistics and signDisagreements on a hand-checked example", () => {
  const st = pairStatistics("x", ["a", "b", "c", "d"], [1, 2, 3, null], [1.01, 1.98, 3.03, 4])!;
  assert.equal(st.months, 3);
  // diffs -0.01, 0.02, -0.03 percent -> mean -0.6667 bp, mean abs 2 bp, max 3 bp at "c"
  assert.ok(Math.abs(st.meanDiffBp - -2 / 3) < 1e-9);
  assert.ok(Math.abs(st.meanAbsDiffBp - 2) < 1e-9);
  assert.ok(Math.abs(st.maxAbsDiffBp - 3) < 1e-9);
  assert.equal(st.maxAt, "c");
  const rows = [1, -1, -1, 1, -1].map((h, i) => ({
    date: `d${i}`,
    acmPct: 0.5,
    hwPct: h,
    nyFedPct: null,
    signDisagreement: h < 0,
  }));
  assert.deepEqual(
    signDisagreements(rows).map((p) => [p.from, p.to, p.months]),
    [
      ["d1", "d2", 2],
      ["d4", "d4", 1],
    ],
  );
});
