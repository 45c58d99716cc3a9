/**
 * Policy-scenario fair values at dashboard size: 3 paths (dot-plot moves with a terminal level,
 * futures points, flat) × 24 monthly evaluation dates × 3 maturities (2, 5, 10 years), recession
 * branch with uniform arrival. Timed twice: paths built and evaluated from a parsed scenario, and
 * end to end from the YAML text (parse, validate, build, evaluate). The issue asks for "well under
 * 50 ms". bench/numpy/scenarios.py computes the same fair values with numpy (prefix sums for the
 * window averages, np.interp for points); the note compares the sums of all 216 fair values.
 */
import { endOfMonth } from "../src/core/dates.ts";
import { monthLabel } from "../src/scenarios/policy-path.ts";
import { evaluatePolicyScenario } from "../src/scenarios/policy-service.ts";
import { parsePolicyScenario, parseScenarioText } from "../src/scenarios/scenario-file.ts";
import { type BenchRow, runNumpy, timeMs } from "./lib.ts";

const TEXT = `asOf: 2021-12-31
startRatePct: 0.08
recessionProbability: 0.14
termPremiumPct: 1.0
maturitiesYears: [2, 5, 10]
paths:
  dots: { moves: { 2022: 3, 2023: 4, 2024: 3, 2025: 2 }, terminalPct: 2.8 }
  market: { points: { 2022-06-30: 0.35, 2022-12-31: 0.85, 2023-12-31: 1.40, 2024-12-31: 1.60 } }
  flat: { moves: {} }
`;
const AT = Array.from({ length: 24 }, (_, k) => endOfMonth(`${monthLabel("2021-12-31", k)}-01`));
const INPUTS = {
  startRatePct: 0.08,
  startRateSource: "bench",
  termPremiumPct: 1,
  termPremiumSource: "bench",
  termPremiumDate: null,
};

export async function run(): Promise<BenchRow[]> {
  const scenario = parsePolicyScenario(parseScenarioText(TEXT, "bench.yaml"));
  const evaluate = () => evaluatePolicyScenario(scenario, INPUTS, { at: AT });
  const endToEnd = () =>
    evaluatePolicyScenario(parsePolicyScenario(parseScenarioText(TEXT, "bench.yaml")), INPUTS, { at: AT });
  const rows = evaluate().rows;
  if (rows.length !== 216) throw new Error(`expected 216 rows, got ${rows.length}`);
  const sum = rows.reduce((s, r) => s + r.fairValuePct, 0);
  const np = runNumpy("scenarios.py");
  const agree =
    np === null ? "" : `; sum of the 216 fair values ${sum.toFixed(9)} vs numpy ${np.checksum.toFixed(9)}`;
  return [
    {
      name: "policy fair values (paths built + evaluated)",
      size: "3 paths x 24 dates x 3 maturities",
      yardstickMs: timeMs(evaluate, { reps: 200, warmup: 20 }),
      numpyMs: np === null ? null : np.evaluate_ms,
      note: `numpy: same paths and windows with prefix sums${agree}`,
    },
    {
      name: "policy fair values from YAML text",
      size: "3 paths x 24 dates x 3 maturities",
      yardstickMs: timeMs(endToEnd, { reps: 200, warmup: 20 }),
      numpyMs: null,
      note: "end to end: yaml parse + zod validation + paths + fair values (no numpy counterpart)",
    },
  ];
}
