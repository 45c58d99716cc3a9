/**
 * Benchmark plumbing: time a function (median of repeated runs after a warm-up) and run the
 * matching numpy reference in the same process tree so ratios compare like with like. Each
 * bench file exports `run(): Promise<BenchRow[]>`; `bench/run.ts` collects and prints them.
 * The numpy column is null (and printed "n/a") when python3 or numpy is absent.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BenchRow {
  /** What was timed, e.g. "HP filter λ=129600". */
  name: string;
  /** Problem size in words, e.g. "n=20000". */
  size: string;
  yardstickMs: number;
  /** Same task in numpy, same run; null when numpy is not available. */
  numpyMs: number | null;
  /** Optional note (what the numpy side does, accuracy check). */
  note?: string;
}

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** Median wall time in ms of `fn` over `reps` runs, after `warmup` untimed runs. */
export function timeMs(
  fn: () => unknown,
  { reps = 20, warmup = 3 }: { reps?: number; warmup?: number } = {},
): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

let pythonChecked: string | null | undefined;

/** A python3 that can import numpy, or null. */
export function numpyPython(): string | null {
  if (pythonChecked !== undefined) return pythonChecked;
  for (const exe of [process.env.YARDSTICK_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!exe) continue;
    const r = spawnSync(exe, ["-c", "import numpy"], { encoding: "utf8" });
    if (r.status === 0) {
      pythonChecked = exe;
      return exe;
    }
  }
  pythonChecked = null;
  return null;
}

/**
 * Run `bench/numpy/<script>` with `args`; the script prints one JSON object of timings in ms
 * (medians, same repetition policy as `timeMs`). Returns null when numpy is unavailable.
 */
export function runNumpy(script: string, args: string[] = []): Record<string, number> | null {
  const py = numpyPython();
  if (!py) return null;
  const r = spawnSync(py, [join(BENCH_DIR, "numpy", script), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`numpy reference ${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Record<string, number>;
}
