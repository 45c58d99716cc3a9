/**
 * Hamilton-Wu (2012) minimum-chi-square estimation on the month-end GSW panel 1990-01..2025-06
 * (426 months; test/fixtures/termstructure/gsw_month_end_1_120.csv.gz) against the numpy oracle
 * reference/hw_reference.py run by bench/numpy/hw.py. Both sides time the whole fit: reduced form,
 * Levenberg-Marquardt over the Q roots (35 starts, or 1), structural parameters, and fitted /
 * risk-neutral / term-premium yields at every maturity 1..120 months. The note cross-checks the
 * minimised chi-square and the last 10-year term premium.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { fitHamiltonWu, hamiltonWuColumn, type YieldPanel } from "../src/termstructure/hamilton-wu.ts";
import { BENCH_DIR, type BenchRow, runNumpy, timeMs } from "./lib.ts";

function loadPanel(): YieldPanel {
  const gz = readFileSync(join(BENCH_DIR, "..", "test/fixtures/termstructure/gsw_month_end_1_120.csv.gz"));
  const lines = gunzipSync(gz).toString("utf8").trim().split("\n");
  const maturitiesMonths = lines[0].split(",").slice(1).map(Number);
  const dates: string[] = [];
  const yieldsPct = new Float64Array((lines.length - 1) * maturitiesMonths.length);
  lines.slice(1).forEach((line, t) => {
    const cells = line.split(",");
    dates.push(cells[0]);
    for (let j = 1; j < cells.length; j++) yieldsPct[t * maturitiesMonths.length + j - 1] = Number(cells[j]);
  });
  return { dates, maturitiesMonths, yieldsPct };
}

export async function run(): Promise<BenchRow[]> {
  const panel = loadPanel();
  const sample = { from: "1990-01", to: "2025-06" };
  const oneStart = { ...sample, starts: [[0.999, 0.95, 0.9]] };
  const np = runNumpy("hw.py");
  const have = np !== null && np.available === 1;
  const res = fitHamiltonWu(panel, sample);
  const tp = hamiltonWuColumn(res, "termPremium", 120);
  const check = have
    ? `; chi2 ${res.chi2.toFixed(4)} vs numpy ${np.chi2.toFixed(4)}, last tp10 differs by ` +
      `${(Math.abs(tp[tp.length - 1] - np.tp10_last) * 100).toExponential(1)} bp; ` +
      `evaluations ${res.optimizer.evaluations} vs ${np.nfev}`
    : "; numpy oracle not available (../shared/reference absent or no numpy)";
  return [
    {
      name: "Hamilton-Wu min-chi2, 35 starts + decomposition 1..120m",
      size: `T+1=${res.nObs}`,
      yardstickMs: timeMs(() => fitHamiltonWu(panel, sample), { reps: 15, warmup: 3 }),
      numpyMs: have ? np.fit35_ms : null,
      note: `numpy side: reference/hw_reference.py estimate_hw + decompose_hw (form "real")${check}`,
    },
    {
      name: "Hamilton-Wu min-chi2, 1 start + decomposition 1..120m",
      size: `T+1=${res.nObs}`,
      yardstickMs: timeMs(() => fitHamiltonWu(panel, oneStart), { reps: 30, warmup: 5 }),
      numpyMs: have ? np.fit1_ms : null,
    },
  ];
}
