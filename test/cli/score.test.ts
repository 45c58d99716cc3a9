/**
 * `score` and `forecast` commands on a fresh store loaded with the bundled data (once per file:
 * the load takes seconds). Checks the output formats (long CSV, JSON envelope) and that
 * bad input surfaces as typed errors with the exit code main.ts maps them to.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ExitCode } from "../../src/core/errors.ts";
import { REPO_ROOT } from "../helpers.ts";

const home = mkdtempSync(join(tmpdir(), "yardstick-score-"));
after(() => rmSync(home, { recursive: true, force: true }));

// The lead registers these commands in main.ts; until then (and independently of it) a small
// program with just them runs in a child process, mapping typed errors to exit codes as main.ts does.
const RUNNER = `
import { Command, CommanderError } from "@commander-js/extra-typings";
import { scoreCommand } from "${join(REPO_ROOT, "src/cli/score.ts")}";
import { forecastCommand } from "${join(REPO_ROOT, "src/cli/forecast.ts")}";
import { YardstickError } from "${join(REPO_ROOT, "src/core/errors.ts")}";
const p = new Command().option("--json").option("-q, --quiet").exitOverride();
const g = () => ({ ...p.opts(), quiet: true });
p.addCommand(scoreCommand(g));
p.addCommand(forecastCommand(g));
for (const c of p.commands) { c.exitOverride(); for (const s of c.commands) s.exitOverride(); }
try {
  await p.parseAsync(["node", "yardstick", ...JSON.parse(process.argv[1])]);
} catch (e) {
  if (e instanceof YardstickError) { process.stderr.write("yardstick: " + e.message + "\\n"); process.exitCode = e.exitCode; }
  else if (e instanceof CommanderError) process.exitCode = 2;
  else throw e;
}
`;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", RUNNER, JSON.stringify(args)],
    {
      encoding: "utf8",
      env: { ...process.env, YARDSTICK_HOME: home, CI: "true" },
      cwd: REPO_ROOT,
      maxBuffer: 1 << 26,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function run(args: string[]): Promise<string> {
  const r = cli(args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

before(() => {
  const r = cli(["score", "list"]); // loads the bundled data once
  assert.equal(r.code, 0, r.stderr);
});

test("score run --format csv: long date,name,value rows, one per month", async () => {
  const text = await run([
    "score",
    "run",
    "composite-inflation",
    "--format",
    "csv",
    "--from",
    "2024-01",
    "--to",
    "2024-06",
  ]);
  const lines = text.trim().split("\n");
  assert.equal(lines[0], "date,name,value");
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(",").slice(0, 2).join(",")),
    ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"].map(
      (d) => `${d},composite-inflation`,
    ),
  );
  for (const l of lines.slice(1)) {
    const v = Number(l.split(",")[2]);
    assert.ok(v >= 0 && v <= 100, l);
  }
});

test("score run --json: envelope with the score's meta, components and caveat warnings", async () => {
  const env = JSON.parse(
    await run(["--json", "score", "run", "implied-inflation-expectation", "--as-of", "2025-06-30"]),
  );
  assert.deepEqual(Object.keys(env).sort(), ["meta", "results", "warnings"]);
  assert.equal(env.meta.command, "score run");
  assert.equal(env.meta.score.asOf, "2025-06-30");
  assert.equal(env.meta.score.latest.date, "2025-06-01");
  assert.equal(env.meta.score.components.length, 3);
  assert.ok(
    env.warnings.some((w: { code: string }) => w.code === "caveat"),
    "the inventory-cycle proxy is labelled",
  );
  assert.equal(env.results.at(-1).date, "2025-06-01");
});

test("score eval --json: 13 leads with in-sample and out-of-sample correlations and the naive benchmark", async () => {
  const env = JSON.parse(await run(["--json", "score", "eval", "adaptive-inflation-expectations"]));
  assert.equal(env.results.length, 13);
  assert.equal(env.meta.params.target, "T10YIE");
  for (const row of env.results) {
    assert.ok(row.inSampleCorr >= -1 && row.inSampleCorr <= 1);
    assert.ok(row.outOfSampleN > 100);
  }
  assert.deepEqual(env.meta.chart.leads, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test("a user recipe file: runs against the store; bad ones fail with typed errors (exit codes 3 and 4)", async () => {
  const good = join(home, "mine.yaml");
  writeFileSync(
    good,
    "name: mine\ncomponents:\n  - { series: composite-inflation, weight: 0.5 }\n  - { series: UNRATE, transform: inverse_percentile, weight: 0.5 }\n",
  );
  const csv = await run(["score", "run", good, "--format", "csv", "--from", "2020-01", "--to", "2020-02"]);
  assert.equal(csv.trim().split("\n").length, 3);
  const typo = join(home, "typo.yaml");
  writeFileSync(typo, "name: typo\ncomponents:\n  - series: UNRATE\n    wieght: 1\n");
  const t = cli(["score", "run", typo]);
  assert.equal(t.code, ExitCode.badInput);
  assert.match(t.stderr, /typo\.yaml, line 4: recipe field components\[0\]\.wieght: unknown field/);
  const unknown = join(home, "unknown.yaml");
  writeFileSync(unknown, "name: unknown\ncomponents:\n  - { series: UNRAT, weight: 1 }\n");
  const u = cli(["score", "run", unknown]);
  assert.equal(u.code, ExitCode.notFound);
  assert.match(u.stderr, /recipe "unknown", component 1: unknown series "UNRAT".*did you mean UNRATE/);
});

test("forecast nominal --json with a consensus file: nominal = real + breakeven with intervals", async () => {
  const file = join(home, "consensus.csv");
  writeFileSync(file, "date,CPIAUCSL:yoy,UNRATE\n2026-09,2.7,4.3\n2026-10,2.6,4.4\n");
  const env = JSON.parse(await run(["--json", "forecast", "nominal", "--inputs", file, "--horizon", "6"]));
  assert.equal(env.results.length, 6);
  for (const r of env.results) {
    // the legs add up exactly up to one rounding
    assert.ok(Math.abs(r.nominalPct - r.realPct - r.breakevenPct) < 1e-12);
    assert.ok(r.nominalLo < r.nominalPct && r.nominalPct < r.nominalHi);
  }
  const cpi = env.meta.consensus.find((c: { id: string }) => c.id === "CPIAUCSL");
  assert.equal(cpi.source, "user");
  assert.ok(env.warnings.some((w: { code: string }) => w.code === "default-consensus"));
});
