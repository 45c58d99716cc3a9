/**
 * "60-month rolling correlation over 16,000 daily points": a window of 60 × 21 = 1260 trading days
 * over n = 16,000 daily observations (about 63 years), against bench/numpy/rolling.py (pandas
 * rolling().corr() if pandas imports, else vectorised numpy cumulative sums; the note says which).
 * Same deterministic input on both sides; the note reports how far the two answers are apart.
 */
import { rollingCorrelationValues } from "../src/transforms/rolling.ts";
import { type BenchRow, runNumpy, timeMs } from "./lib.ts";

const N = 16000;
const W = 60 * 21;

/** Same formulas as inputs() in bench/numpy/rolling.py (no RNG). */
function inputs(n: number): [Float64Array, Float64Array] {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    x[t] = Math.sin(0.37 * t) + 0.5 * Math.sin(0.011 * t);
    y[t] = 0.3 * x[t] + Math.cos(1.3 * t) + 0.2 * Math.sin(0.0021 * t);
  }
  return [x, y];
}

export async function run(): Promise<BenchRow[]> {
  const [x, y] = inputs(N);
  const ms = timeMs(() => rollingCorrelationValues(x, y, W), { reps: 100, warmup: 20 });
  const np = runNumpy("rolling.py");
  let note = "window 1260 trading days (60 months × 21) over 16,000 daily points; O(n) block/merge kernel";
  if (np !== null) {
    const r = rollingCorrelationValues(x, y, W);
    const diff = Math.max(
      Math.abs(r[W - 1] - np.r_first),
      Math.abs(r[N >> 1] - np.r_mid),
      Math.abs(r[N - 1] - np.r_last),
    );
    const method =
      np.pandas === 1 ? "pandas rolling().corr()" : "vectorised numpy cumulative sums (pandas absent)";
    note += `; numpy side: ${method}; max |diff| at 3 points ${diff.toExponential(1)}`;
  }
  return [
    {
      name: "rolling correlation, 60-month window",
      size: `n=${N}, w=${W}`,
      yardstickMs: ms,
      numpyMs: np?.ms ?? null,
      note,
    },
  ];
}
