/**
 * The month-end GSW zero panel (1..120 months) takes a few seconds to build (56 NSS refits), and
 * every term-structure command needs it: it is kept in the store's model_runs table, keyed by
 * the GSW data it was built from (vintage, number of days, last day), and rebuilt when they change.
 */
import { buildMonthEndPanel, type MonthEndPanel } from "../curves/panel.ts";
import type { Store } from "../store/store.ts";
import type { YieldPanel } from "./acm.ts";
import { loadGswDaily } from "./inputs.ts";

export interface CachedPanel extends YieldPanel {
  dates: string[];
  maturitiesMonths: Int32Array;
  yieldsPct: Float64Array;
  /** "params" or "refit" per month. */
  source: string[];
  refitErrorBp: Float64Array;
  /** Vintage of the GSW data used. */
  vintage: string;
  fromCache: boolean;
}

interface PanelJson {
  dates: string[];
  source: string[];
  maturitiesMonths: number[];
  yieldsPct: number[];
  refitErrorBp: (number | null)[];
}

const CACHE_VERSION = "v1";

export async function monthEndPanel(
  store: Store,
  { onProgress }: { onProgress?: (done: number, total: number) => void } = {},
): Promise<CachedPanel> {
  const gsw = await loadGswDaily(store);
  const key = `panel:gsw-month-end:${CACHE_VERSION}:${gsw.vintage}:${gsw.dates.length}:${gsw.dates[gsw.dates.length - 1]}`;
  const cached = await store.getModelRun(key);
  if (cached) {
    const j = cached.result as PanelJson;
    return {
      dates: j.dates,
      maturitiesMonths: Int32Array.from(j.maturitiesMonths),
      yieldsPct: Float64Array.from(j.yieldsPct),
      source: j.source,
      refitErrorBp: Float64Array.from(j.refitErrorBp, (x) => (x === null ? Number.NaN : x)),
      vintage: gsw.vintage,
      fromCache: true,
    };
  }
  const panel: MonthEndPanel = buildMonthEndPanel(gsw, { onProgress });
  const json: PanelJson = {
    dates: panel.dates,
    source: panel.source,
    maturitiesMonths: Array.from(panel.maturitiesMonths),
    yieldsPct: Array.from(panel.yieldsPct),
    refitErrorBp: Array.from(panel.refitErrorBp, (x) => (Number.isFinite(x) ? x : null)),
  };
  if (!store.readOnly) {
    await store.recordModelRun({
      runId: key,
      model: "gsw-month-end-panel",
      dataVintage: gsw.vintage,
      params: {
        maturitiesMonths: "1..120",
        rule: "published parameters where they reproduce SVENY within 0.5 bp, else NSS refit",
      },
      summary: panel.summary(),
      result: json,
    });
  }
  return {
    ...json,
    maturitiesMonths: panel.maturitiesMonths,
    yieldsPct: panel.yieldsPct,
    refitErrorBp: panel.refitErrorBp,
    vintage: gsw.vintage,
    fromCache: false,
  };
}
