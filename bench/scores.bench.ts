/**
 * All built-in composite scores (issue 5 Done-when: "all built-in scores with evaluation over the
 * full history in under 200 ms"): the five headline scores and the slack indicator computed from
 * the raw bundled series (daily to monthly sampling, publication lags, transforms, expanding
 * percentiles, one-sided HP), then each evaluated against its target at leads 0..12, in sample and
 * out of sample (expanding-window regressions at every origin). Loading the CSVs is not timed: the
 * store serves them in the CLI. No numpy reference: the work is bookkeeping over ~1,200 months
 * rather than a numeric kernel, and a pandas re-implementation would test pandas.
 */
import type { Series } from "../src/core/series.ts";
import { BUILTIN_SCORES, builtinRecipes } from "../src/scores/builtins/index.ts";
import { computeScores, requiredSeries } from "../src/scores/engine.ts";
import { evaluateScore } from "../src/scores/evaluate.ts";
import { nominalForecast } from "../src/scores/forecast.ts";
import { BUNDLED_DATA_DIR, loadCatalogEntry, readCatalog } from "../src/store/bundled.ts";
import { type BenchRow, timeMs } from "./lib.ts";

async function bundledInputs(ids: Set<string>): Promise<Map<string, Series>> {
  const out = new Map<string, Series>();
  for (const e of readCatalog().files) {
    if (!e.series.some((s) => ids.has(s.id))) continue;
    for (const s of await loadCatalogEntry(BUNDLED_DATA_DIR, e))
      if (ids.has(s.meta.id)) out.set(s.meta.id, s);
  }
  return out;
}

export async function run(): Promise<BenchRow[]> {
  const recipes = builtinRecipes();
  const names = [...BUILTIN_SCORES];
  const ids = new Set(names.flatMap((n) => requiredSeries(n, recipes, { targets: true }).map((r) => r.id)));
  const series = await bundledInputs(ids);
  const inputs = { series, recipes };
  let months = 0;
  const all = () => {
    const scores = computeScores(names, inputs);
    months = 0;
    for (const s of scores.values()) {
      months += s.dates.length;
      evaluateScore(s, series.get(s.target!)!);
    }
  };
  const allMs = timeMs(all, { reps: 20, warmup: 3 });
  const scoresMs = timeMs(() => computeScores(names, inputs), { reps: 20, warmup: 3 });
  const forecastMs = timeMs(() => nominalForecast(inputs, [], { horizonMonths: 12 }), {
    reps: 10,
    warmup: 2,
  });
  const size = `${names.length} scores, ${months} score-months, ${ids.size} raw series`;
  const note = "no numpy reference (bookkeeping, not a kernel); Done-when budget 200 ms";
  return [
    {
      name: "built-in scores + evaluation (leads 0..12, OOS)",
      size,
      yardstickMs: allMs,
      numpyMs: null,
      note,
    },
    { name: "built-in scores only", size, yardstickMs: scoresMs, numpyMs: null },
    {
      name: "nominal 10y forecast (default consensus)",
      size: "12 months ahead, scores computed twice",
      yardstickMs: forecastMs,
      numpyMs: null,
    },
  ];
}
