/**
 * The scenario engine on the bundled data (no ../shared needed): market yields and projection
 * marks, the start rate and the ACM term premium taken from the store, the store-dependent bad
 * inputs (dates before the data, a missing model run), the supply regression and an issuance
 * projection on the MSPD buckets, and the report section. One store for the file (loading the
 * bundle takes ~10 s; each term-premium run 1-6 s).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Command } from "@commander-js/extra-typings";
import { scenarioCommand } from "../../src/cli/scenario.ts";
import { InputError, NotFoundError } from "../../src/core/errors.ts";
import { dropMissing } from "../../src/core/series.ts";
import { scenarioSection } from "../../src/report/scenario-section.ts";
import { parModifiedDurationYears } from "../../src/scenarios/duration.ts";
import { runPolicyScenario } from "../../src/scenarios/policy-service.ts";
import {
  parsePolicyScenario,
  parseScenarioText,
  readPolicyScenario,
  readSupplyScenario,
} from "../../src/scenarios/scenario-file.ts";
import { runSupplyScenario } from "../../src/scenarios/supply-service.ts";
import { ensureBundled } from "../../src/store/bundled.ts";
import { Store } from "../../src/store/store.ts";
import { runTermPremium } from "../../src/termstructure/service.ts";
import { REPO_ROOT } from "../helpers.ts";

const EXAMPLES = join(REPO_ROOT, "examples", "scenarios");
const dir = mkdtempSync(join(tmpdir(), "yardstick-scen-"));
let store: Store;
let open = false;
before(async () => {
  // named like YARDSTICK_HOME's store so the CLI test at the end can reuse it
  store = await Store.open({ path: join(dir, "yardstick.duckdb") });
  open = true;
  await ensureBundled(store);
});
after(() => {
  if (open) store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function lastOnOrBefore(id: string, date: string): Promise<{ date: string; value: number }> {
  const s = dropMissing((await store.getSeries(id)).series);
  let i = s.dates.length - 1;
  while (i >= 0 && s.dates[i] > date) i--;
  return { date: s.dates[i], value: s.values[i] };
}

test("policy: market yields from DGS2/5/10; dates after the data are projections (null market)", async () => {
  const s = readPolicyScenario(join(EXAMPLES, "dots-2021.yaml"));
  const run = await runPolicyScenario(store, s, { at: ["2021-12-31", "2040-01-31"] });
  for (const r of run.rows.filter((x) => x.at === "2021-12-31")) {
    const id = { 2: "DGS2", 5: "DGS5", 10: "DGS10" }[r.maturityYears]!;
    const ref = await lastOnOrBefore(id, "2021-12-31");
    assert.equal(r.marketPct, ref.value, `${id}`);
    assert.equal(r.marketDate, ref.date);
    assert.equal(r.projection, false);
  }
  for (const r of run.rows.filter((x) => x.at === "2040-01-31")) {
    assert.equal(r.marketPct, null);
    assert.equal(r.projection, true);
  }
  assert.deepEqual(run.projectedDates, ["2040-01-31"]);
});

test("start rate and term premium from the store: range midpoint, ACM at the last month-end", async () => {
  const s = readPolicyScenario(join(EXAMPLES, "model-tp-2024.json"));
  const run = await runPolicyScenario(store, s);
  const u = await lastOnOrBefore("DFEDTARU", "2024-06-28");
  const l = await lastOnOrBefore("DFEDTARL", "2024-06-28");
  assert.equal(run.startRatePct, (u.value + l.value) / 2);
  assert.equal(run.termPremiumDate, "2024-06-28");
  // the premium is the model's, estimated on data through June 2024 only
  const acm = await runTermPremium(store, { model: "acm", to: "2024-06", maturitiesMonths: [120] });
  const tp10 = run.rows.find((r) => r.maturityYears === 10)!.termPremiumPct;
  assert.equal(tp10, acm.series[0].termPremiumPct[acm.dates.length - 1]);
});

test("bad input: dates before the data, and a missing term-premium model run", async () => {
  const text = "asOf: 1950-01-31\ntermPremiumPct: 1\npaths:\n  flat: { moves: {} }\n";
  await assert.rejects(
    runPolicyScenario(store, parsePolicyScenario(parseScenarioText(text, "old.yaml"))),
    (e: unknown) =>
      e instanceof InputError &&
      /old\.yaml, line 1: asOf: asOf 1950-01-31 is before the policy-rate data/.test(e.message),
  );
  const acmOld = "asOf: 1950-01-31\nstartRatePct: 1\ntermPremiumPct: acm\npaths:\n  flat: { moves: {} }\n";
  await assert.rejects(
    runPolicyScenario(store, parsePolicyScenario(parseScenarioText(acmOld, "old.yaml"))),
    /line 3: termPremiumPct: asOf 1950-01-31 is before the ACM estimates/,
  );
  const empty = await Store.open({ path: ":memory:" });
  try {
    const t = "asOf: 2021-12-31\nstartRatePct: 1\ntermPremiumPct: acm\npaths:\n  flat: { moves: {} }\n";
    await assert.rejects(
      runPolicyScenario(empty, parsePolicyScenario(parseScenarioText(t, "s.yaml"))),
      (e: unknown) =>
        e instanceof NotFoundError && /needs an ACM model run, which could not be made/.test(e.message),
    );
  } finally {
    empty.close();
  }
});

test("supply regression and an issuance projection run on the bundled MSPD data", async () => {
  const run = await runSupplyScenario(store, readSupplyScenario(join(EXAMPLES, "supply-qt.yaml")));
  const a = run.analysis;
  assert.equal(a.netSupply.rows.length, 84); // 2001Q1..2021Q4
  // TREAST starts 2002-12-18
  assert.equal(a.netSupply.rows.find((r) => r.net10yEqBn !== null)!.date, "2002-12-31");
  assert.equal(a.base.date, "2021-12-31");
  for (const model of ["acm", "hw"] as const) {
    const full = a.regressions[model].fits.find((f) => f.sample === "full" && f.spec === "levels")!;
    assert.equal(full.nobs, 77);
    assert.ok(
      Number.isFinite(full.slope) &&
        Number.isFinite(full.slopeTHac) &&
        full.rSquared >= 0 &&
        full.rSquared <= 1,
    );
    assert.equal(a.regressions[model].fits.find((f) => f.sample === "QE3")!.nobs, 10); // 2012Q3..2014Q4
  }
  // one quarter recomputed from the raw store series: 10-year equivalents of buckets 5..122 at DGS10
  const d = "2014-09-30";
  const y = (await lastOnOrBefore("DGS10", d)).value;
  let eq = 0;
  for (let k = 5; k <= 122; k++) {
    const fv = (await store.getSeries(`supply.FVNomi${k}`)).series;
    eq += fv.values[fv.dates.indexOf(d)] * parModifiedDurationYears((3 * k - 1.5) / 12, y);
  }
  eq /= parModifiedDurationYears(10, y) * 1000;
  const row = a.netSupply.rows.find((r) => r.date === d)!;
  // same formula, summed in the same order: agreement to rounding (1e-9 $bn on ~5,000 $bn)
  assert.ok(Math.abs(row.coupon10yEqBn! - eq) < 1e-9, `${row.coupon10yEqBn} vs ${eq}`);
  assert.equal(row.fedHoldingsBn, (await lastOnOrBefore("TREAST", d)).value / 1000);
  // the quarterly term premium is the month-end estimate of the quarter's last month
  const q = a.quarters.find((x) => x.date === d)!;
  const acm = await runTermPremium(store, { model: "acm", maturitiesMonths: [120] });
  assert.equal(q.acmPct, acm.series[0].termPremiumPct[acm.dates.findIndex((x) => x.startsWith("2014-09"))]);
  // projection: 36 monthly rows from 2022-01, all marked, bands around the fitted path
  assert.equal(run.rows.length, 36);
  assert.equal(run.rows[0].month, "2022-01");
  for (const r of run.rows) {
    assert.equal(r.projection, true);
    assert.ok(r.lowerPct < r.tpFittedPct && r.tpFittedPct < r.upperPct);
  }
});

test("report section: today's 10y vs flat, FOMC-median and cut paths; supply-implied premium", async () => {
  const { data, text } = await scenarioSection(store, { asOf: "2026-08-31" });
  const ten = await lastOnOrBefore("DGS10", "2026-08-31");
  assert.equal(data.date, ten.date);
  assert.equal(data.market10yPct, ten.value);
  assert.deepEqual(
    data.paths.map((p) => p.name),
    ["flat", "FOMC median", "cuts (4 x 25 bp in 12 months)"],
  );
  // flat path: no-recession average = today's policy rate exactly
  assert.equal(data.paths[0].noRecessionPct, data.startRatePct);
  // the cut path lies below the flat one, so its fair value is lower
  assert.ok(data.paths[2].fairValuePct < data.paths[0].fairValuePct);
  assert.ok(data.supply !== null && data.supply.date === "2021-12-31");
  assert.match(text, /Supply-implied ACM term premium at 2021-12-31/);
});

test("CLI: scenario policy --json prints exactly { meta, warnings, results } with the issue's row fields", async () => {
  store.close(); // the CLI opens the same store file itself
  open = false;
  const saved = process.env.YARDSTICK_HOME;
  process.env.YARDSTICK_HOME = dir;
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => {
    out.push(a.join(" "));
  };
  try {
    const program = new Command().option("--json").option("-q, --quiet");
    program.addCommand(scenarioCommand(() => program.opts()));
    program.exitOverride();
    const file = join(EXAMPLES, "dots-2021.yaml");
    await program.parseAsync(["--json", "scenario", "policy", file, "--at", "2021-12-31,2040-01-31"], {
      from: "user",
    });
    await assert.rejects(
      program.parseAsync(["scenario", "sensitivity", file, "--path", "nope"], { from: "user" }),
      NotFoundError,
    );
  } finally {
    console.log = log;
    process.env.YARDSTICK_HOME = saved;
  }
  const env = JSON.parse(out.join("\n"));
  assert.deepEqual(Object.keys(env).sort(), ["meta", "results", "warnings"]);
  assert.equal(env.results.length, 4 * 2 * 3);
  for (const r of env.results)
    assert.deepEqual(Object.keys(r), [
      "path",
      "at",
      "maturityYears",
      "expectedRatePct",
      "termPremiumPct",
      "fairValuePct",
      "marketPct",
    ]);
  assert.deepEqual(env.meta.projections.dates, ["2040-01-31"]);
  assert.ok(env.meta.assumptions.some((a: string) => /one move in a full year: July/.test(a)));
});
