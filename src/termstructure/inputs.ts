/**
 * The term-structure models' inputs, read from the store: daily GSW curves (published Svensson
 * parameters where they exist, SVENY zero yields everywhere) for the month-end panel, and the
 * monthly fed funds rate for the NY Fed's pre-1982 short-rate fix. I/O stays here; the models
 * and the panel builder are pure.
 */
import { ModelError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import type { GswDaily } from "../curves/panel.ts";
import type { SvenssonParams } from "../curves/svensson.ts";
import type { Store } from "../store/store.ts";

const PARAM_IDS = ["gsw.BETA0", "gsw.BETA1", "gsw.BETA2", "gsw.BETA3", "gsw.TAU1", "gsw.TAU2"] as const;

/** Look up a series' values by date (NaN when absent). */
function byDate(s: Series): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.dates.length; i++) m.set(s.dates[i], s.values[i]);
  return m;
}

/**
 * Daily GSW curves from the store, on the union of the SVENY and parameter dates. A day's
 * parameters are used when BETA0..TAU1 are present; TAU2 missing with BETA3 = 0 is a
 * Nelson-Siegel day (the GSW reader stores the -999.99 sentinel that way).
 */
export async function loadGswDaily(
  store: Store,
  { to }: { to?: string } = {},
): Promise<GswDaily & { vintage: string }> {
  const params: Series[] = [];
  let vintage = "";
  for (const id of PARAM_IDS) {
    const got = await store.getSeries(id, { to });
    params.push(got.series);
    if (got.vintage > vintage) vintage = got.vintage;
  }
  const svenyYears: number[] = [];
  const svenySeries: Series[] = [];
  for (let y = 1; y <= 30; y++) {
    const id = `gsw.SVENY${String(y).padStart(2, "0")}`;
    const got = await store.getSeries(id, { to });
    svenyYears.push(y);
    svenySeries.push(got.series);
    if (got.vintage > vintage) vintage = got.vintage;
  }
  const dates = [...new Set([...params[0].dates, ...svenySeries[0].dates])].sort();
  if (dates.length === 0)
    throw new ModelError("the store has no GSW curve data (gsw.BETA0, gsw.SVENY01..30)");
  const pm = params.map(byDate);
  const paramRows: (SvenssonParams | null)[] = dates.map((d) => {
    const [b0, b1, b2, b3, t1, t2] = pm.map((m) => m.get(d) ?? Number.NaN);
    if ([b0, b1, b2, t1].some(Number.isNaN)) return null;
    const ns = Number.isNaN(t2);
    if (ns && !(b3 === 0 || Number.isNaN(b3))) return null;
    return { beta0: b0, beta1: b1, beta2: b2, beta3: ns ? 0 : b3, tau1: t1, tau2: ns ? Number.NaN : t2 };
  });
  const sveny = svenySeries.map((s) => {
    const m = byDate(s);
    return Float64Array.from(dates, (d) => m.get(d) ?? Number.NaN);
  });
  return { dates, params: paramRows, svenyYears, sveny, vintage };
}

/** Monthly FEDFUNDS (FRED, dated the 1st of each month) for the ACM short-rate fix. */
export async function loadFedFunds(
  store: Store,
): Promise<{ dates: string[]; values: Float64Array; vintage: string }> {
  const got = await store.getSeries("FEDFUNDS");
  return { dates: [...got.series.dates], values: got.series.values, vintage: got.vintage };
}
