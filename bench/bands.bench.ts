/**
 * Bootstrap term-premium bands (src/termstructure/bands.ts), wall time of whole runs (point
 * estimate, job, worker start-up, replications, percentiles):
 *  (a) ACM, monthly 1961-06..2025-06, production settings + pre-1982 fed funds fix, 500
 *      replications on 2 worker threads: the done-when is < 10 s on 2 cores;
 *  (b) the same with 100 replications inline (one thread): the per-replication cost;
 *  (c) Hamilton-Wu, 1990-01..2025-06, 200 replications on 2 workers.
 * Each run takes seconds, so it is timed once (no repeats). Other processes on a shared 2-core
 * machine stretch the wall time directly, so the notes also give the load average at the start
 * and the process's CPU time (all threads): CPU / 2 approximates the wall time on 2 idle cores.
 * There is no numpy column: no public source computes such bands to compare against.
 */
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { MonthlyInput, YieldPanel } from "../src/termstructure/acm.ts";
import { acmBands, hamiltonWuBands, type TermPremiumBands } from "../src/termstructure/bands.ts";
import { BENCH_DIR, type BenchRow } from "./lib.ts";

const REPO = join(BENCH_DIR, "..");
const SHARED = process.env.YARDSTICK_SHARED ?? join(REPO, "..", "shared");
const PANEL_GZ = join(REPO, "test/fixtures/termstructure/gsw_month_end_1_120.csv.gz");
const MONTHS = [24, 60, 120];

function readLines(path: string): string[] {
  const raw = path.endsWith(".gz")
    ? gunzipSync(readFileSync(path)).toString("utf8")
    : readFileSync(path, "utf8");
  return raw.trim().split(/\r?\n/);
}

function panel(first: string, last: string): YieldPanel {
  const body = readLines(PANEL_GZ)
    .slice(1)
    .filter((l) => l.slice(0, 7) >= first && l.slice(0, 7) <= last);
  const y = new Float64Array(body.length * 120);
  const dates = body.map((l, i) => {
    const f = l.split(",");
    for (let j = 0; j < 120; j++) y[i * 120 + j] = Number(f[1 + j]);
    return f[0];
  });
  return { dates, maturitiesMonths: Array.from({ length: 120 }, (_, i) => i + 1), yieldsPct: y };
}

function fedFunds(): MonthlyInput | null {
  for (const path of [join(REPO, "data/fred/FEDFUNDS.csv"), join(SHARED, "data/fred/FEDFUNDS.csv")]) {
    if (!existsSync(path)) continue;
    const dates: string[] = [];
    const values: number[] = [];
    for (const l of readLines(path).slice(1)) {
      const [d, v] = l.split(",");
      if (!d || v === undefined || v.trim() === "." || v.trim() === "") continue;
      dates.push(d);
      values.push(Number(v));
    }
    return { dates, values };
  }
  return null;
}

function load(): string {
  return loadavg()
    .map((v) => v.toFixed(1))
    .join("/");
}

/** CPU time (user + system, all threads of this process) since `since`, ms. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function widths(b: TermPremiumBands): string {
  const m = b.maturitiesMonths.length;
  const last = b.dates.length - 1;
  return b.maturitiesMonths
    .map((n, c) => {
      const lo = b.lowerPct[last * m + c];
      const hi = b.upperPct[last * m + c];
      return `${n}m ${lo.toFixed(2)}..${hi.toFixed(2)}`;
    })
    .join(", ");
}

export async function run(): Promise<BenchRow[]> {
  const monthly = panel("1961-06", "2025-06");
  const ff = fedFunds();
  const acmOpts = ff ? { shortRateFix: { fedFundsPct: ff } } : {};
  const fix = ff ? "production + FFR fix" : "production, no FEDFUNDS file: FFR fix off";
  const rows: BenchRow[] = [];

  const loadA = load();
  const cpuA = process.cpuUsage();
  const a = await acmBands(monthly, acmOpts, { reps: 500, seed: 1, maturitiesMonths: MONTHS, workers: 2 });
  const cpuMsA = cpuMs(cpuA);
  rows.push({
    name: "ACM bootstrap bands, 500 reps, 2 worker threads",
    size: `${monthly.dates.length} months x 120, ${fix}`,
    yardstickMs: a.elapsedMs,
    numpyMs: null,
    note:
      `target < 10000 ms; CPU time of all threads ${(cpuMsA / 1000).toFixed(1)} s (so ~${(cpuMsA / 2000).toFixed(1)} s ` +
      `of wall time on 2 idle cores); ${a.failed} failed; load avg at start ${loadA}; ` +
      `90% band at ${a.dates[a.dates.length - 1]}: ` +
      `${widths(a)} pct; no numpy reference (no public source of such bands)`,
  });

  const loadB = load();
  const cpuB = process.cpuUsage();
  const b = await acmBands(monthly, acmOpts, { reps: 100, seed: 1, maturitiesMonths: MONTHS, workers: 1 });
  rows.push({
    name: "ACM bootstrap bands, 100 reps, inline (1 thread)",
    size: `${monthly.dates.length} months x 120, ${fix}`,
    yardstickMs: b.elapsedMs,
    numpyMs: null,
    note:
      `${(b.elapsedMs / 100).toFixed(1)} ms wall, ${(cpuMs(cpuB) / 100).toFixed(1)} ms CPU per replication ` +
      `on one thread; load avg at start ${loadB}`,
  });

  const recent = panel("1990-01", "2025-06");
  const loadC = load();
  const cpuC = process.cpuUsage();
  const h = await hamiltonWuBands(recent, {}, { reps: 200, seed: 1, maturitiesMonths: MONTHS, workers: 2 });
  rows.push({
    name: "Hamilton-Wu bootstrap bands, 200 reps, 2 worker threads",
    size: `${recent.dates.length} months (1990-01..2025-06)`,
    yardstickMs: h.elapsedMs,
    numpyMs: null,
    note:
      `CPU time ${(cpuMs(cpuC) / 1000).toFixed(1)} s; ${h.failed} failed; load avg at start ${loadC}; 90% band at ${h.dates[h.dates.length - 1]}: ${widths(h)} pct; ` +
      "no numpy reference",
  });
  return rows;
}
