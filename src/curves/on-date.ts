/**
 * The zero curve on one date, as a user asks for it: from GSW (the published Svensson
 * parameters of that day, or an NSS refit to the day's SVENY yields where none are published),
 * or from FRED's constant-maturity par yields (bootstrapped to zeros, and an NSS fit to the par
 * yields for a smooth curve). Zero yields continuously compounded, par yields semiannual.
 */
import { ModelError, type Warning } from "../core/errors.ts";
import { bootstrapParYields } from "./bootstrap.ts";
import { fitSvensson } from "./fit.ts";
import type { GswDaily } from "./panel.ts";
import { parYieldPct } from "./par.ts";
import { type SvenssonParams, svenssonDiscount, svenssonForward, svenssonYield } from "./svensson.ts";

export interface CurvePoint {
  maturityYears: number;
  zeroPct: number;
  forwardPct: number;
  discount: number;
  parPct: number;
  /** Bootstrapped zero yield from the par nodes (source "cmt" only). */
  bootstrapZeroPct?: number;
}

export interface CurveOnDate {
  date: string;
  source: "gsw-params" | "gsw-refit" | "cmt-fit";
  params: SvenssonParams;
  fitErrorBp: number | null;
  points: CurvePoint[];
  warnings: Warning[];
}

function evaluate(p: SvenssonParams, years: number[]): CurvePoint[] {
  const df = (t: number) => svenssonDiscount(p, t);
  return years.map((t) => ({
    maturityYears: t,
    zeroPct: svenssonYield(p, t),
    forwardPct: svenssonForward(p, t),
    discount: df(t),
    parPct: parYieldPct(df, t),
  }));
}

/** The GSW curve on the last date with data at or before `date`. */
export function gswCurveOnDate(gsw: GswDaily, date: string, maturitiesYears: number[]): CurveOnDate {
  let i = -1;
  for (let k = 0; k < gsw.dates.length; k++) if (gsw.dates[k] <= date) i = k;
  if (i < 0) throw new ModelError(`no GSW curve on or before ${date} (data start ${gsw.dates[0]})`);
  const warnings: Warning[] = [];
  if (gsw.dates[i] !== date) {
    warnings.push({
      code: "nearest-date",
      date: gsw.dates[i],
      message: `no curve on ${date}; using the last one before it, ${gsw.dates[i]}`,
    });
  }
  const published = gsw.params[i];
  if (published) {
    return {
      date: gsw.dates[i],
      source: "gsw-params",
      params: published,
      fitErrorBp: null,
      points: evaluate(published, maturitiesYears),
      warnings,
    };
  }
  const years: number[] = [];
  const ys: number[] = [];
  gsw.svenyYears.forEach((y, k) => {
    const v = gsw.sveny[k][i];
    if (!Number.isNaN(v)) {
      years.push(y);
      ys.push(v);
    }
  });
  const fit = fitSvensson(years, ys, { date: gsw.dates[i] });
  warnings.push(...fit.warnings);
  return {
    date: gsw.dates[i],
    source: "gsw-refit",
    params: fit.params,
    fitErrorBp: fit.maxAbsErrorBp,
    points: evaluate(fit.params, maturitiesYears),
    warnings,
  };
}

/** FRED CMT par yields on one date → NSS par fit (smooth curve) and the bootstrapped zeros. */
export function cmtCurveOnDate(
  date: string,
  nodesYears: number[],
  parPct: number[],
  maturitiesYears: number[],
): CurveOnDate {
  const ok = parPct.map((v) => !Number.isNaN(v));
  if (ok.filter(Boolean).length < 4)
    throw new ModelError(`fewer than 4 CMT par yields on ${date}: cannot fit a curve`);
  const fit = fitSvensson(
    nodesYears.filter((_, i) => ok[i]),
    parPct.filter((_, i) => ok[i]),
    { kind: "par", date },
  );
  const boot = bootstrapParYields(nodesYears, parPct, { date });
  const longest = boot.nodesYears[boot.nodesYears.length - 1];
  const points = evaluate(fit.params, maturitiesYears).map((p) => ({
    ...p,
    ...(p.maturityYears <= longest ? { bootstrapZeroPct: boot.zeroYieldPct(p.maturityYears) } : {}),
  }));
  return {
    date,
    source: "cmt-fit",
    params: fit.params,
    fitErrorBp: fit.maxAbsErrorBp,
    points,
    warnings: [...fit.warnings, ...boot.warnings],
  };
}
