/**
 * End-to-end: the CLI as a user runs it, in a fresh YARDSTICK_HOME, on the bundled data. Checks
 * exit codes, the JSON envelope, one-line errors naming what and where, and that a failed import
 * leaves the store unchanged.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { REPO_ROOT } from "../helpers.ts";

const home = mkdtempSync(join(tmpdir(), "yardstick-cli-"));
after(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, YARDSTICK_HOME: home, CI: "true", FRED_API_KEY: "", ...env },
    cwd: REPO_ROOT,
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(home, name);
  writeFileSync(p, text);
  return p;
}

before(() => {
  // first run loads the bundled data
  const r = cli(["report", "--json"]);
  assert.equal(r.code, 0, r.stderr);
});

test("report --json: envelope with the data vintage, every bundled series, staleness as of a date", () => {
  const r = cli(["report", "--json", "--as-of", "2026-09-01"]);
  assert.equal(r.code, 0, r.stderr);
  const env = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(env).sort(), ["meta", "results", "warnings"]);
  assert.equal(env.meta.dataVintage, "2026-11-01");
  assert.equal(env.meta.params.asOf, "2026-09-01");
  const data = env.results[0];
  const dgs10 = data.series.find((s: { id: string }) => s.id === "DGS10");
  assert.equal(dgs10.lastDate, "2026-08-20");
  assert.equal(dgs10.lastValue, 4.69);
  assert.equal(dgs10.ageDays, 12);
  assert.equal(dgs10.stale, true, "a daily series 12 days old is stale (threshold 10 days)");
  assert.ok(data.counts.series > 150);
});

test("report is idempotent: the second run does not reload the bundle", () => {
  const r = cli(["report"]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /loaded the bundled data/);
  assert.match(r.stdout, /State of the data as of/);
});

test("data show with frequency conversion: end-of-month last value, labelled by the month's first day", () => {
  const r = cli(["data", "show", "DGS10", "--freq", "m", "--from", "2020-01", "--to", "2020-03", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const env = JSON.parse(r.stdout);
  // DGS10 on the last trading days of Jan/Feb/Mar 2020 (H.15): 1.51, 1.13, 0.70
  assert.deepEqual(env.results, [
    { date: "2020-01-01", value: 1.51 },
    { date: "2020-02-01", value: 1.13 },
    { date: "2020-03-01", value: 0.7 },
  ]);
});

test("absurd frequency conversion is refused with exit 3", () => {
  const r = cli(["data", "show", "GDP", "--freq", "m"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot convert quarterly series GDP to monthly/);
});

test("unknown series: exit 4, one line naming the id and near matches", () => {
  const r = cli(["data", "show", "DGS11"]);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^yardstick: unknown series "DGS11" \(did you mean .*DGS10/);
  assert.equal(r.stderr.trim().split("\n").length, 1);
});

test("usage errors exit 2", () => {
  assert.equal(cli(["data", "show"]).code, 2);
  assert.equal(cli(["data", "show", "DGS10", "--freq", "x"]).code, 2);
  assert.equal(cli(["nonsense"]).code, 2);
});

test("--help works everywhere and exits 0", () => {
  for (const args of [
    ["--help"],
    ["data", "--help"],
    ["data", "import", "--help"],
    ["report", "--help"],
    ["data", "fetch", "--help"],
  ]) {
    const r = cli(args);
    assert.equal(r.code, 0, args.join(" "));
    assert.match(r.stdout, /Usage: yardstick/);
  }
});

test("import a FRED-style file, then show and export it", () => {
  const p = file("MYSERIES.csv", "date,MYSERIES\n2024-01-01,1.5\n2024-02-01,.\n2024-03-01,2.25\n");
  const r = cli(["data", "import", p, "--json", "--vintage", "2026-11-20"]);
  assert.equal(r.code, 0, r.stderr);
  const env = JSON.parse(r.stdout);
  assert.deepEqual(env.results, [
    { id: "MYSERIES", rows: 3, firstDate: "2024-01-01", lastDate: "2024-03-01" },
  ]);
  const show = JSON.parse(cli(["data", "show", "MYSERIES", "--json"]).stdout);
  assert.equal(show.meta.series.frequency, "m", "frequency inferred from monthly spacing");
  assert.deepEqual(show.results[1], { date: "2024-02-01", value: null });
  const csv = cli(["data", "export", "MYSERIES", "--format", "csv"]);
  assert.equal(
    csv.stdout,
    "date,id,value\n2024-01-01,MYSERIES,1.5\n2024-02-01,MYSERIES,\n2024-03-01,MYSERIES,2.25\n",
  );
});

test("export to Parquet round-trips through DuckDB", () => {
  const out = join(home, "x.parquet");
  const r = cli([
    "data",
    "export",
    "DGS10",
    "T10YIE",
    "--format",
    "parquet",
    "--out",
    out,
    "--from",
    "2024-01-01",
    "--to",
    "2024-01-31",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const check = spawnSync(
    process.execPath,
    [
      "-e",
      `const {DuckDBInstance}=require("@duckdb/node-api");(async()=>{const i=await DuckDBInstance.create(":memory:");const c=await i.connect();const r=await c.runAndReadAll("select series_id, count(*)::INT n from read_parquet('${out}') group by 1 order by 1");console.log(JSON.stringify(r.getRows()))})()`,
    ],
    { encoding: "utf8", cwd: REPO_ROOT },
  );
  assert.equal(check.stdout.trim(), '[["DGS10",21],["T10YIE",21]]');
});

const badFiles: [string, string, RegExp][] = [
  ["bad-date.csv", "date,X\n2024-01-01,1\n2024-13-01,2\n", /bad-date\.csv, line 3, column "date"/],
  [
    "text.csv",
    "date,X\n2024-01-01,1\n2024-02-01,abc\n",
    /text\.csv, line 3, column "X": "abc" is not a number/,
  ],
  ["dup.csv", "date,X\n2024-01-01,1\n2024-01-01,2\n", /dup\.csv.*line 3.*duplicate/i],
  ["unsorted.csv", "date,X\n2024-02-01,1\n2024-01-01,2\n", /unsorted\.csv.*line 3/],
  ["empty.csv", "", /empty\.csv.*empty/i],
  ["notcsv.csv", "\u0000\u0001\u0002binary\u0000", /notcsv\.csv.*does not look like CSV/],
];

for (const [name, text, pattern] of badFiles) {
  test(`bad input ${name}: exit 3, message names file, line and column; store unchanged`, () => {
    const listBefore = cli(["data", "list", "--json"]).stdout;
    const p = file(name, text);
    const r = cli(["data", "import", p]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, pattern);
    const listAfter = cli(["data", "list", "--json"]).stdout;
    const strip = (s: string) => JSON.stringify(JSON.parse(s).results);
    assert.equal(strip(listAfter), strip(listBefore));
  });
}

test("a missing file: exit 3 with the path", () => {
  const r = cli(["data", "import", join(home, "nope.csv")]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /nope\.csv/);
});

test("fetch without a key and without a cached copy: exit 5 with a clear reason", () => {
  const r = cli(["data", "fetch", "NOSUCHSERIES", "--json"]);
  assert.equal(r.code, 5);
  const env = JSON.parse(r.stdout);
  assert.match(env.warnings[0].message, /FRED_API_KEY/);
  assert.equal(env.results[0].status, "failed");
});

test("import auto-detects a GSW feds200628 file with its preamble and the Nelson-Siegel sentinel", () => {
  const p = file(
    "feds200628.csv",
    [
      "The Federal Reserve Board",
      "Note: yields are continuously compounded",
      "",
      "Date,BETA0,BETA1,BETA2,BETA3,TAU1,TAU2,SVENY01,SVENY02",
      "1975-01-02,7.5,-1.2,0.5,-999.99,1.5,-999.99,6.9,7.0",
      "1975-01-03,7.6,-1.1,0.4,-999.99,1.4,-999.99,7.0,7.1",
    ].join("\n"),
  );
  const r = cli(["data", "import", p, "--json", "--vintage", "2026-11-20"]);
  assert.equal(r.code, 0, r.stderr);
  const ids = JSON.parse(r.stdout).results.map((x: { id: string }) => x.id);
  assert.ok(ids.includes("gsw.BETA0") && ids.includes("gsw.SVENY02"), ids.join(","));
  const b3 = JSON.parse(
    cli(["data", "show", "gsw.BETA3", "--from", "1975-01-01", "--to", "1975-01-31", "--json"]).stdout,
  );
  assert.deepEqual(b3.results, [
    { date: "1975-01-02", value: 0 },
    { date: "1975-01-03", value: 0 },
  ]);
});
