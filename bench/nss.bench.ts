/**
 * One Nelson-Siegel-Svensson refit of a day's published GSW zero yields (SVENY01..30), the unit of
 * work of the month-end panel's 56 refits: src/curves/fit.ts vs the numpy oracle's fit_nss
 * (bench/numpy/nss.py → shared/reference/nss_reference.py). Same inputs (the committed fixture
 * test/fixtures/curves/gsw_days.csv), same algorithm family and settings: variable projection on a
 * 60 × 60 log-τ grid in [0.1, 30] years, Nelder-Mead from the 12 best grid-local minima, LM polish,
 * NS/NSS choice at 0.6e-4 percent. Ours does more work per fit: it also runs Nelder-Mead from the
 * swapped order (τ2, τ1) of every solution and polishes the best 3 (the oracle: 12 starts, 1 polish),
 * which is what removes the oracle's local minima (e.g. 2002-06-28: 0.19 bp node error there).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fitSvensson } from "../src/curves/fit.ts";
import { BENCH_DIR, type BenchRow, runNumpy, timeMs } from "./lib.ts";

const FIXTURE = join(BENCH_DIR, "..", "test", "fixtures", "curves", "gsw_days.csv");
/** A day in the refit gap (no published parameters), a normal Svensson day, a τ1 ≈ τ2 day. */
const DAYS = ["2020-03-31", "2016-06-30", "2023-06-29"];
const YEARS = Array.from({ length: 30 }, (_, i) => i + 1);

function readSveny(): Map<string, number[]> {
  const lines = readFileSync(FIXTURE, "utf8").trim().split(/\r?\n/);
  const h = lines[0].split(",");
  const cols = YEARS.map((n) => h.indexOf(`SVENY${String(n).padStart(2, "0")}`));
  return new Map(
    lines.slice(1).map((l) => {
      const c = l.split(",");
      return [c[0], cols.map((i) => (c[i] === "" ? Number.NaN : Number(c[i])))];
    }),
  );
}

export async function run(): Promise<BenchRow[]> {
  const sveny = readSveny();
  const reps = 7;
  const numpy = runNumpy("nss.py", ["--fixture", FIXTURE, "--reps", String(reps), "--warmup", "1", ...DAYS]);
  return DAYS.map((day) => {
    const y = sveny.get(day) as number[];
    const fit = fitSvensson(YEARS, y);
    const ms = timeMs(() => fitSvensson(YEARS, y), { reps: 15, warmup: 3 });
    const np = numpy && day in numpy ? numpy[day] : null;
    const npErr = numpy?.[`${day}:err_bp`];
    return {
      name: `NSS refit to SVENY ${day}`,
      size: "30 nodes, 60×60 grid",
      yardstickMs: ms,
      numpyMs: np,
      note:
        `max node error yardstick ${fit.maxAbsErrorBp.toFixed(4)} bp` +
        (npErr === undefined ? "" : `, numpy ${npErr.toFixed(4)} bp`) +
        `; ${fit.optimizer.evaluations} objective evaluations (incl. swapped-order starts)`,
    };
  });
}
