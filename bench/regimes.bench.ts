/**
 * "All default relations over the full daily history, windows 60 and 250 days" (issue 6, target
 * under 300 ms). Inputs: the bundled daily FRED files (DGS10, DGS2, DFII10, T10YIE, DTWEXBGS,
 * DTWEXB) plus, when ../shared is present, the proprietary daily series a user would import (LBMA
 * gold, S&P 500, COMEX copper); without them only the bundled daily relations run (the note says
 * which). Loading the CSV files is not timed.
 *
 * Rows:
 * - pipeline: for each relation, build the Treasury total-return index where needed, pair and
 *   difference the two series (inner join on common days, log returns / changes, gap filter),
 *   then for each window the rolling correlation and beta with Fisher-z and t bands, the
 *   percentile of the latest correlation, and the up/down betas with Newey-West errors (full sample
 *   and latest window). No numpy counterpart for the whole of it (numpyMs null).
 * - kernels: the same pairing plus the rolling correlation, beta and both bands for both windows,
 *   against bench/numpy/regimes.py doing exactly that with vectorised numpy (cumulative sums on
 *   demeaned data, np.intersect1d for the join; scipy's t quantile when scipy imports).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Series, SeriesMeta } from "../src/core/series.ts";
import { prepareRelationInput } from "../src/regimes/pairs.ts";
import { DEFAULT_RELATIONS } from "../src/regimes/relations.ts";
import { analyseRelation, rollingRelationValues } from "../src/regimes/rolling-relations.ts";
import { TREASURY_TR_ID, treasuryTotalReturnIndex } from "../src/regimes/treasury-index.ts";
import { readCsvFile, wideTableToSeries } from "../src/sources/csv.ts";
import { BENCH_DIR, type BenchRow, runNumpy, timeMs } from "./lib.ts";

const DATA = join(BENCH_DIR, "..", "data");
const SHARED = process.env.YARDSTICK_SHARED ?? join(BENCH_DIR, "..", "..", "shared");

/** id → [file, column, units]; units decide the transform (percent → change, else log return). */
const FILES: Record<string, [string, string, string]> = {
  DGS10: [join(DATA, "fred/DGS10.csv"), "DGS10", "percent"],
  DGS2: [join(DATA, "fred/DGS2.csv"), "DGS2", "percent"],
  DFII10: [join(DATA, "fred/DFII10.csv"), "DFII10", "percent"],
  T10YIE: [join(DATA, "fred/T10YIE.csv"), "T10YIE", "percent"],
  DTWEXBGS: [join(DATA, "fred/DTWEXBGS.csv"), "DTWEXBGS", "index"],
  DTWEXB: [join(DATA, "fred/DTWEXB.csv"), "DTWEXB", "index"],
  "gold.LBMA.PM": [join(SHARED, "data/commodities/gold_LBMA_PM_usd_daily.csv"), "GOLD_LBMA_PM_USD", "USD"],
  SP500: [join(SHARED, "data/equity/SP500_daily.csv"), "SP500", "index"],
  "HG_F.close": [join(SHARED, "data/commodities/HG_F_CLOSE_daily.csv"), "close", "USD"],
};

const WINDOWS = [60, 250];

async function load(id: string): Promise<Series | null> {
  const f = FILES[id];
  if (!f || !existsSync(f[0])) return null;
  const table = await readCsvFile(f[0]);
  const k = table.columns.indexOf(f[1]);
  if (k < 0) return null;
  const meta = (): SeriesMeta => ({
    id,
    title: id,
    units: f[2],
    frequency: "d",
    source: "bench",
    licence: "bench",
  });
  const [s] = wideTableToSeries({ ...table, columns: [f[1]], values: [table.values[k]] }, meta);
  return s ?? null;
}

export async function run(): Promise<BenchRow[]> {
  const raw = new Map<string, Series>();
  for (const id of Object.keys(FILES)) {
    const s = await load(id);
    if (s) raw.set(id, s);
  }
  // the daily default relations whose inputs exist (the 2y differential uses DGS2: no foreign 2y here)
  const pairs: { key: string; x: string; y: string }[] = [];
  const missing: string[] = [];
  for (const def of DEFAULT_RELATIONS) {
    if (!def.daily) continue;
    const x = def.daily.x.startsWith("spread:") ? def.daily.x.split(":")[1] : def.daily.x;
    const have = (id: string) => (id === TREASURY_TR_ID ? raw.has("DGS10") : raw.has(id));
    if (have(x) && have(def.daily.y)) pairs.push({ key: def.key, x, y: def.daily.y });
    else missing.push(def.key);
  }
  const get = (id: string, cache: Map<string, Series>): Series => {
    const hit = cache.get(id);
    if (hit) return hit;
    const s =
      id === TREASURY_TR_ID
        ? treasuryTotalReturnIndex(raw.get("DGS10") as Series).series
        : (raw.get(id) as Series);
    cache.set(id, s);
    return s;
  };

  let checksum = 0; // keeps the timed work observable
  const pipeline = () => {
    const cache = new Map<string, Series>();
    for (const p of pairs) {
      const input = prepareRelationInput(get(p.x, cache), get(p.y, cache), { freq: "d" });
      for (const w of WINDOWS) {
        const a = analyseRelation(input, w, { key: p.key, label: p.key });
        checksum += a.latest?.correlation ?? 0;
      }
    }
  };
  const lastValues: number[] = [];
  const kernels = () => {
    const cache = new Map<string, Series>();
    lastValues.length = 0;
    for (const p of pairs) {
      const input = prepareRelationInput(get(p.x, cache), get(p.y, cache), { freq: "d" });
      for (const w of WINDOWS) {
        const r = rollingRelationValues(input.x, input.y, w);
        const n = r.correlation.length - 1;
        lastValues.push(r.correlation[n], r.beta[n], r.correlationLower[n], r.betaUpper[n]);
      }
    }
  };
  const pipelineMs = timeMs(pipeline, { reps: 15, warmup: 3 });
  const kernelMs = timeMs(kernels, { reps: 15, warmup: 3 });
  const obs = pairs.reduce((n, p) => {
    const cache = new Map<string, Series>();
    return n + prepareRelationInput(get(p.x, cache), get(p.y, cache), { freq: "d" }).dates.length;
  }, 0);

  const spec = pairs.map((p) => {
    const fx = p.x === TREASURY_TR_ID ? FILES.DGS10 : FILES[p.x];
    const fy = FILES[p.y];
    return { key: p.key, x: [...fx, p.x === TREASURY_TR_ID ? "tr" : ""], y: [...fy, ""] };
  });
  const np = runNumpy("regimes.py", [JSON.stringify({ pairs: spec, windows: WINDOWS })]);
  let diff = "";
  if (np !== null) {
    let worst = 0;
    lastValues.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - (np[`v${i}`] ?? Number.NaN)));
    });
    diff = `; numpy ${np.scipy === 1 ? "with scipy t quantile" : "(normal quantile: scipy absent)"}, max |diff| of the last correlation/beta/bands ${worst.toExponential(1)}`;
  }
  const scope =
    `${pairs.length} daily relations (${pairs.map((p) => p.key).join(", ")}), ${obs.toLocaleString("en-US")} paired changes, windows 60 and 250` +
    (missing.length ? `; without ../shared data: ${missing.join(", ")} not run` : "");
  if (!Number.isFinite(checksum)) throw new Error("regimes bench: non-finite latest correlation");
  return [
    {
      name: "regimes: default daily relations, full pipeline",
      size: `${pairs.length} relations x 2 windows`,
      yardstickMs: pipelineMs,
      numpyMs: null,
      note: `${scope}; pairing, rolling corr/beta + bands, percentile, up/down betas (HAC) - no numpy counterpart for the whole`,
    },
    {
      name: "regimes: pairing + rolling corr/beta + bands",
      size: `${pairs.length} relations x 2 windows`,
      yardstickMs: kernelMs,
      numpyMs: np?.ms ?? null,
      note: `same pairing and kernels as bench/numpy/regimes.py${diff}`,
    },
  ];
}
