/**
 * Hodrick-Prescott trend (λ = 129600, monthly) at n = 600 (50 years of months) and n = 20,000
 * against bench/numpy/hp.py (scipy.linalg.solveh_banded, or numpy fallbacks it reports). Both sides
 * time the whole filter from y to trend, bands included, on the same deterministic input, and the
 * note checks that they agree.
 */
import { hpFilterValues } from "../src/transforms/hp-filter.ts";
import { type BenchRow, runNumpy, timeMs } from "./lib.ts";

const LAMBDA = 129600;

/** Same formula as series() in bench/numpy/hp.py: trend + 8-year cycle + wiggle (no RNG). */
function input(n: number): Float64Array {
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++)
    y[t] = 5 + 0.002 * t + 0.8 * Math.sin((2 * Math.PI * t) / 96) + 0.1 * Math.sin(1.7 * t);
  return y;
}

export async function run(): Promise<BenchRow[]> {
  const np = runNumpy("hp.py");
  const method =
    np === null
      ? "numpy n/a"
      : np.scipy === 1
        ? "scipy.linalg.solveh_banded"
        : "numpy dense (600) / numpy-array LDL' loops (20000)";
  return [600, 20000].map((n) => {
    const y = input(n);
    const ms = timeMs(() => hpFilterValues(y, LAMBDA), { reps: n > 1000 ? 50 : 200, warmup: 20 });
    let agree = "";
    if (np !== null) {
      const tau = hpFilterValues(y, LAMBDA);
      const diff = Math.max(
        Math.abs(tau[0] - np[`n${n}_trend_first`]),
        Math.abs(tau[n >> 1] - np[`n${n}_trend_mid`]),
        Math.abs(tau[n - 1] - np[`n${n}_trend_last`]),
      );
      agree = `; max |diff| vs numpy at first/mid/last point ${diff.toExponential(1)}`;
    }
    return {
      name: "HP filter λ=129600 (banded LDL')",
      size: `n=${n}`,
      yardstickMs: ms,
      numpyMs: np === null ? null : np[`n${n}_ms`],
      note: `n=${n}: numpy side ${method}${agree}`,
    };
  });
}
