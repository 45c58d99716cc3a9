/**
 * The regime analyses end to end on the bundled data (one temporary store for the file): default
 * relations at both frequencies, the traditional models, the K-shape and pathways, the driver
 * attribution with ACM, the daily relations once the user's proprietary daily series are imported
 * (from ../shared when present), and the CLI commands' JSON envelopes and error exit codes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Command } from "@commander-js/extra-typings";
import { divergenceCommand } from "../../src/cli/divergence.ts";
import { regimeCommand } from "../../src/cli/regime.ts";
import { YardstickError } from "../../src/core/errors.ts";
import type { SeriesMeta } from "../../src/core/series.ts";
import { runAttribution, runDefaultRelations, runDivergence, runKShape } from "../../src/regimes/service.ts";
import { readCsvFile, wideTableToSeries } from "../../src/sources/csv.ts";
import { ensureBundled } from "../../src/store/bundled.ts";
import { Store } from "../../src/store/store.ts";
import { sharedPath, sharedSkip } from "../helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "yardstick-regimes-"));
const previousHome = process.env.YARDSTICK_HOME;
let store: Store | null = null;

function open(): Store {
  assert.ok(store, "store is open");
  return store;
}

before(async () => {
  store = await Store.open({ path: join(dir, "yardstick.duckdb") });
  await ensureBundled(store);
});
after(() => {
  store?.close();
  if (previousHome === undefined) delete process.env.YARDSTICK_HOME;
  else process.env.YARDSTICK_HOME = previousHome;
  rmSync(dir, { recursive: true, force: true });
});

test("every default relation runs monthly on the bundled data, with bands around the estimates", async () => {
  const run = await runDefaultRelations(open(), { freq: "m" });
  assert.deepEqual(run.skipped, []);
  assert.equal(run.results.length, 8);
  for (const a of run.results) {
    const l = a.latest;
    assert.ok(l, a.key);
    assert.ok(l.correlationLower <= l.correlation && l.correlation <= l.correlationUpper, a.key);
    assert.ok(l.betaLower <= l.beta && l.beta <= l.betaUpper, a.key);
    assert.ok(l.correlationPercentile >= 0 && l.correlationPercentile <= 1, a.key);
    assert.equal(a.window, 36);
  }
  // the classic relation is there over 2003-2026: gold falls when real yields rise
  const gold = run.results.find((a) => a.key === "gold-real-yield");
  assert.ok(
    gold && gold.fullSample.correlationUpper < 0,
    "gold vs DFII10 correlation significantly negative",
  );
  assert.ok(run.warnings.some((w) => w.code === "proxy" && /DGS2/.test(w.message)));
});

test("daily relations: the dollar runs on bundled data; gold and the S&P need imported daily series", async () => {
  const run = await runDefaultRelations(open(), { freq: "d", window: 60 });
  assert.deepEqual(
    run.results.map((a) => a.key),
    ["dollar-10y", "dollar-10y-legacy", "dollar-2y"],
  );
  const gold = run.skipped.find((s) => s.key === "gold-real-yield");
  assert.match(
    gold?.reason ?? "",
    /gold\.LBMA\.PM is not in the store .*yardstick data import <file> --id gold\.LBMA\.PM/,
  );
  assert.match(run.skipped.find((s) => s.key === "sp500-earnings-yield-10y")?.reason ?? "", /monthly only/);
});

test("traditional models on the bundled data: gold above its 2006-2021 model, K-shape bookkeeping, pathways", async () => {
  const k = await runKShape(open());
  assert.deepEqual(k.gold.fit.train, { from: "2006-01", to: "2021-12" });
  assert.equal(k.gold.fit.nobs, 192);
  assert.ok(k.gold.fit.rateCoefficient < 0, "gold falls with real yields in the training window");
  const g = k.gold.latest;
  assert.ok(g && Number.isFinite(g.gapBp) && Number.isFinite(g.impliedRatePct));
  assert.equal(g.date, "2026-06-01", "the bundled monthly gold series ends 2026-06");
  // the K-shape start is the first month of a run of months where both exceed 1 s.e., and the month
  // before it is not such a month
  const rows = k.kshape.rows;
  if (k.kshape.on) {
    const i = rows.findIndex((r) => r.date === k.kshape.since);
    assert.ok(i > 0);
    assert.ok(rows.slice(i).every((r) => r.goldSe > 1 && r.equitySe > 1));
    assert.equal(rows[i - 1].both, false);
  }
  // the earnings carried past the last Shiller E are flagged
  assert.ok(k.equity.warnings.some((w) => w.code === "earnings-carried"));
  assert.equal(k.pathways.scenarios.length, 3);
  assert.equal(k.pathways.asOf, k.kshape.asOf);
  const copper = await runDivergence(open(), "copper");
  assert.ok(copper.fit.rateCoefficient > 0, "copper rises with breakevens in the training window");
});

test("attribution with ACM on the bundled data: exact model split, TIPS split from 2003", async () => {
  const r = await runAttribution(open(), { model: "acm" });
  assert.equal(r.rows[0].month, "2003-02");
  for (const row of r.rows) {
    assert.ok(Math.abs(row.yieldChangeBp - row.expectedChangeBp - row.termPremiumChangeBp) < 1e-9);
    assert.notEqual(row.tag, "small-move");
  }
  assert.ok(r.rows.filter((x) => x.tag === "expected-rate-driven").length <= 2, "TIPS data cover the sample");
  // without daily gold / S&P the monthly averages stand in, and that is said
  assert.equal(r.goldId, "gold.USD.monthly");
  assert.ok(r.warnings.some((w) => w.code === "monthly-average-prices"));
});

async function importShared(id: string, rel: string, units: string): Promise<void> {
  const table = await readCsvFile(sharedPath(rel));
  const meta = (): SeriesMeta => ({
    id,
    title: id,
    units,
    frequency: "d",
    source: "test copy",
    licence: "test",
  });
  const [series] = wideTableToSeries(table, meta);
  await open().importSeries([{ series, origin: rel }], { vintage: "2026-11-02" });
}

const LBMA = "data/commodities/gold_LBMA_PM_usd_daily.csv";
const SPX = "data/equity/SP500_daily.csv";

test("with the user's daily gold and S&P imported, the daily gold and equity relations run", {
  skip: sharedSkip(LBMA) || sharedSkip(SPX),
}, async () => {
  await importShared("gold.LBMA.PM", LBMA, "USD per troy ounce");
  await importShared("SP500", SPX, "index");
  const run = await runDefaultRelations(open(), { freq: "d", window: 250 });
  const keys = run.results.map((a) => a.key);
  for (const k of ["gold-real-yield", "gold-treasury", "sp500-10y"]) assert.ok(keys.includes(k), k);
  const gold = run.results.find((a) => a.key === "gold-real-yield");
  assert.ok(gold && gold.fullSample.correlationUpper < 0, "daily gold vs DFII10 negative over 2003-2026");
  assert.ok(gold.fullSample.n > 5000);
  // attribution now uses month-end daily prices
  const att = await runAttribution(open());
  assert.equal(att.goldId, "gold.LBMA.PM");
  assert.equal(att.stocksId, "SP500");
});

/** Run a command in-process against the test store (closed first: one DuckDB writer per file). */
async function cli(args: string[]): Promise<{ out: string; error: YardstickError | null }> {
  if (store) {
    store.close();
    store = null;
  }
  process.env.YARDSTICK_HOME = dir;
  process.env.CI = "true";
  const program = new Command().name("yardstick").option("--json").option("-q, --quiet").exitOverride();
  const globals = () => program.opts();
  program.addCommand(regimeCommand(globals));
  program.addCommand(divergenceCommand(globals));
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: unknown) => {
    lines.push(String(s));
  };
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(["node", "yardstick", ...args]);
    return { out: lines.join("\n"), error: null };
  } catch (err) {
    if (err instanceof YardstickError) return { out: lines.join("\n"), error: err };
    throw err;
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
}

test("CLI: divergence gold --json is the issue's envelope, one row per month", async () => {
  const { out, error } = await cli(["--json", "divergence", "gold", "--train", "2006-01:2021-12"]);
  assert.equal(error, null);
  const env = JSON.parse(out);
  assert.deepEqual(Object.keys(env).sort(), ["meta", "results", "warnings"]);
  assert.equal(env.meta.command, "divergence gold");
  assert.deepEqual(env.meta.params.train, { from: "2006-01", to: "2021-12" });
  const row = env.results[env.results.length - 1];
  for (const k of ["date", "actual", "model", "deviationPct", "impliedRatePct", "actualRatePct", "gapBp"]) {
    assert.equal(typeof row[k], k === "date" ? "string" : "number", k);
  }
  const months = env.results.map((r: { date: string }) => r.date);
  assert.equal(new Set(months).size, months.length, "one row per date");
});

test("CLI: bad requests exit with usage (2) or bad-input (3) codes and say what is wrong", async () => {
  const tooLong = await cli([
    "regime",
    "corr",
    "--x",
    "DGS10",
    "--y",
    "DTWEXB",
    "--freq",
    "m",
    "--window",
    "500",
  ]);
  assert.equal(tooLong.error?.exitCode, 3);
  assert.match(tooLong.error?.message ?? "", /window of 500 months is longer than the \d+ paired changes/);
  const outside = await cli(["divergence", "gold", "--train", "1980:1999"]);
  assert.equal(outside.error?.exitCode, 3);
  assert.match(outside.error?.message ?? "", /lies outside the data/);
  const half = await cli(["regime", "corr", "--x", "DGS10"]);
  assert.equal(half.error?.exitCode, 2);
  const json = await cli(["--json", "regime", "breaks", "--x", "DGS10", "--y", "DTWEXBGS"]);
  assert.equal(json.error, null);
  const env = JSON.parse(json.out);
  assert.equal(env.results[0].criticalValues.p5, 11.72);
  assert.ok(typeof env.results[0].breakDate === "string");
});
