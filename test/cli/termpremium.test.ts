/**
 * `termpremium`, `termpremium compare` and `curve` as a user runs them: the CSV header the issue
 * specifies, the JSON envelope, usage errors, and the SVG chart.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { REPO_ROOT } from "../helpers.ts";

const home = mkdtempSync(join(tmpdir(), "yardstick-tp-"));
after(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, YARDSTICK_HOME: home, CI: "true" },
    cwd: REPO_ROOT,
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("termpremium --format csv: the issue's long format, percent, one row per date and maturity", {
  timeout: 180_000,
}, () => {
  const r = cli(["termpremium", "--to", "2025-06", "--maturities", "24,120", "--format", "csv"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines[0], "date,maturity_months,fitted,risk_neutral,term_premium");
  assert.equal(lines.length, 1 + 769 * 2);
  const last = lines[lines.length - 1].split(",");
  assert.equal(last[0], "2025-06-30");
  assert.equal(last[1], "120");
  const [fitted, rn, tp] = last.slice(2).map(Number);
  // the decomposition is an identity up to float rounding of one subtraction
  assert.ok(Math.abs(fitted - rn - tp) < 1e-12);
});

test("termpremium compare --json carries statistics, disagreement periods and chart data; --svg writes the chart", {
  timeout: 180_000,
}, () => {
  const svg = join(home, "cmp.svg");
  const r = cli(["termpremium", "compare", "--json", "--svg", svg]);
  assert.equal(r.code, 0, r.stderr);
  const env = JSON.parse(r.stdout);
  assert.equal(env.meta.params.to, "2025-06");
  assert.equal(env.meta.chart.series.length, 3);
  const acmVsNyFed = env.meta.statistics.find((s: { pair: string }) => s.pair.startsWith("ACM"));
  assert.ok(acmVsNyFed.meanAbsDiffBp < 2, `ACM vs NY Fed ${acmVsNyFed.meanAbsDiffBp} bp`);
  assert.ok(env.meta.disagreements.length > 0);
  assert.match(readFileSync(svg, "utf8"), /^<svg[\s\S]*<\/svg>\n$/);
});

test("curve --json: the GSW curve on a date with its parameters; usage errors exit 2", {
  timeout: 120_000,
}, () => {
  const r = cli(["curve", "--date", "2024-06-28", "--maturities", "3m,2y,10y", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const env = JSON.parse(r.stdout);
  assert.equal(env.meta.curveSource, "gsw-params");
  assert.deepEqual(
    env.results.map((p: { maturityYears: number }) => p.maturityYears),
    [0.25, 2, 10],
  );
  assert.equal(cli(["curve", "--date", "2024-13-01"]).code, 2);
  assert.equal(cli(["termpremium", "--maturities", "0"]).code, 2);
  assert.equal(cli(["termpremium", "--bands", "120"]).code, 2);
});
