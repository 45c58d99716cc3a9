/**
 * Treasury supply and the term premium on the bundled data (METHODS.md §1c): quarterly net coupon
 * supply in 10-year equivalents (net-supply.ts), the ACM and Hamilton-Wu 10-year term premia at
 * the same quarter ends (end-of-quarter months of the monthly estimates), their regressions by
 * subsample (supply-regression.ts), and issuance scenarios projected through the fitted relation
 * (issuance.ts).
 */
import { quarterKey } from "../core/dates.ts";
import { ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import type { Store } from "../store/store.ts";
import { runTermPremium } from "../termstructure/service.ts";
import {
  checkIssuanceScenario,
  firstProjectedMonth,
  type IssuanceScenario,
  issuanceAssumptions,
  projectNetSupply,
  projectTermPremium,
  type SupplyBase,
  type SupplyScale,
  supplyX,
  type TermPremiumPathRow,
} from "./issuance.ts";
import { throwIssues } from "./issues.ts";
import { loadSupplyInputs } from "./market-data.ts";
import { type FedMix, type NetSupplyResult, netSupply } from "./net-supply.ts";
import type { SupplyScenarioFile } from "./scenario-file.ts";
import { type SupplyRegressionResult, supplyRegression } from "./supply-regression.ts";

export type SupplyModel = "acm" | "hw";

export interface SupplyQuarter {
  date: string;
  quarter: string;
  net10yEqBn: number | null;
  netPctGdp: number | null;
  /** Regressor on the chosen scale. */
  x: number | null;
  acmPct: number | null;
  hwPct: number | null;
}

export interface SupplyAnalysis {
  scale: SupplyScale;
  xUnits: string;
  netSupply: NetSupplyResult;
  quarters: SupplyQuarter[];
  regressions: { acm: SupplyRegressionResult; hw: SupplyRegressionResult };
  /** The last quarter with every input: where projections start. */
  base: SupplyBase;
  anchors: { acm: { x: number; tpPct: number }; hw: { x: number; tpPct: number } };
  dataVintage: string;
  assumptions: string[];
  warnings: Warning[];
  summary(): string;
}

export interface SupplyAnalysisOptions {
  fedMix?: FedMix;
  scale?: SupplyScale;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export function xUnitsOf(scale: SupplyScale): string {
  return scale === "pctGdp" ? "% of GDP, 10-year equivalents" : "$tn of 10-year equivalents";
}

async function quarterEndTermPremium(
  store: Store,
  model: SupplyModel,
  dates: readonly string[],
  onProgress?: SupplyAnalysisOptions["onProgress"],
): Promise<{ values: (number | null)[]; warnings: Warning[]; vintage: string }> {
  const run = await runTermPremium(store, {
    model,
    maturitiesMonths: [120],
    onProgress: (s, d, t) => onProgress?.(`${model === "acm" ? "ACM" : "Hamilton-Wu"} ${s}`, d, t),
  });
  const byMonth = new Map(run.dates.map((d, i) => [d.slice(0, 7), run.series[0].termPremiumPct[i]]));
  return {
    values: dates.map((d) => byMonth.get(d.slice(0, 7)) ?? null),
    warnings: run.warnings,
    vintage: run.dataVintage,
  };
}

export async function runSupplyAnalysis(
  store: Store,
  opts: SupplyAnalysisOptions = {},
): Promise<SupplyAnalysis> {
  const scale = opts.scale ?? "pctGdp";
  const inputs = await loadSupplyInputs(store);
  const ns = netSupply(inputs.observations, { fedMix: opts.fedMix ?? "marketable" });
  const dates = ns.rows.map((r) => r.date);
  const acm = await quarterEndTermPremium(store, "acm", dates, opts.onProgress);
  const hw = await quarterEndTermPremium(store, "hw", dates, opts.onProgress);
  const xs = ns.rows.map((r) =>
    r.net10yEqBn === null ? null : scale === "pctGdp" ? r.netPctGdp : r.net10yEqBn / 1000,
  );
  const quarters: SupplyQuarter[] = ns.rows.map((r, i) => ({
    date: r.date,
    quarter: quarterKey(r.date),
    net10yEqBn: r.net10yEqBn,
    netPctGdp: r.netPctGdp,
    x: xs[i],
    acmPct: acm.values[i],
    hwPct: hw.values[i],
  }));
  const xArr = Float64Array.from(xs, (v) => v ?? Number.NaN);
  const reg = (model: string, v: (number | null)[]) =>
    supplyRegression(
      dates,
      Float64Array.from(v, (x) => x ?? Number.NaN),
      xArr,
      {
        model,
        xUnits: xUnitsOf(scale),
      },
    );
  const regressions = { acm: reg("ACM", acm.values), hw: reg("Hamilton-Wu", hw.values) };
  let b = ns.rows.length - 1;
  const complete = (i: number) => {
    const r = ns.rows[i];
    return (
      r.net10yEqBn !== null &&
      r.gdpBn !== null &&
      r.tenYearYieldPct !== null &&
      r.couponDurationYears !== null &&
      acm.values[i] !== null &&
      hw.values[i] !== null
    );
  };
  while (b >= 0 && !complete(b)) b--;
  if (b < 0)
    throw new ModelError("no quarter has supply, Fed holdings, GDP, the 10-year yield and both term premia");
  const last = ns.rows[b];
  const base: SupplyBase = {
    date: last.date,
    net10yEqBn: last.net10yEqBn!,
    gdpBn: last.gdpBn!,
    tenYearYieldPct: last.tenYearYieldPct!,
    couponDurationYears: last.couponDurationYears!,
    nominalMarketableBn: last.nominalMarketableBn,
  };
  const xBase = supplyX(base.net10yEqBn, base.gdpBn, scale);
  const seen = new Set<string>();
  const warnings = [...inputs.warnings, ...ns.warnings, ...acm.warnings, ...hw.warnings].filter((w) => {
    if (seen.has(w.message)) return false;
    seen.add(w.message);
    return true;
  });
  warnings.push(...regressions.acm.warnings, ...regressions.hw.warnings);
  warnings.push({
    code: "supply-data-end",
    date: base.date,
    message:
      `the bundled Treasury supply data end ${base.date} (MSPD buckets 2001-2021): later quarters ` +
      `have no observed net supply`,
  });
  const analysis: SupplyAnalysis = {
    scale,
    xUnits: xUnitsOf(scale),
    netSupply: ns,
    quarters,
    regressions,
    base,
    anchors: {
      acm: { x: xBase, tpPct: acm.values[b]! },
      hw: { x: xBase, tpPct: hw.values[b]! },
    },
    // ISO dates: the lexically last is the newest
    dataVintage: [inputs.dataVintage, acm.vintage].sort()[1],
    assumptions: ns.assumptions,
    warnings,
    summary: () => supplyAnalysisText(analysis),
  };
  return analysis;
}

export interface SupplyScenarioRun {
  analysis: SupplyAnalysis;
  model: SupplyModel;
  intervalPct: number;
  scenario: IssuanceScenario;
  firstMonth: string;
  rows: TermPremiumPathRow[];
  assumptions: string[];
  warnings: Warning[];
  summary(): string;
}

export async function runSupplyScenario(
  store: Store,
  file: SupplyScenarioFile,
  opts: Pick<SupplyAnalysisOptions, "onProgress"> = {},
): Promise<SupplyScenarioRun> {
  const analysis = await runSupplyAnalysis(store, { fedMix: file.fedMix, scale: file.scale, ...opts });
  const firstMonth = firstProjectedMonth(analysis.base);
  throwIssues(checkIssuanceScenario(file.scenario, firstMonth), file.source?.locate);
  const fit = analysis.regressions[file.model].fits.find((f) => f.sample === "full" && f.spec === "levels");
  if (!fit || fit.skipped)
    throw new ModelError(`the full-sample ${file.model} supply regression could not be fitted`);
  const projected = projectNetSupply(analysis.base, file.scenario, file.scale);
  const rows = projectTermPremium(projected, fit, analysis.anchors[file.model], file.scale, file.intervalPct);
  const run: SupplyScenarioRun = {
    analysis,
    model: file.model,
    intervalPct: file.intervalPct,
    scenario: file.scenario,
    firstMonth,
    rows,
    assumptions: [...analysis.assumptions, ...issuanceAssumptions(file.scale, file.scenario, analysis.base)],
    warnings: [...analysis.warnings],
    summary: () => supplyScenarioText(run),
  };
  return run;
}

export function supplyAnalysisText(a: SupplyAnalysis): string {
  const tail = a.quarters.filter((q) => q.net10yEqBn !== null).slice(-8);
  return [
    `Net coupon supply in 10-year equivalents (${a.netSupply.options.fedMix} Fed mix) and the 10-year ` +
      `term premium, quarter ends`,
    formatTable(
      ["quarter", "net 10y-eq $bn", a.scale === "pctGdp" ? "% GDP" : "$tn", "ACM TP %", "HW TP %"],
      tail.map((q) => [q.quarter, num(q.net10yEqBn, 0), num(q.x, 2), num(q.acmPct, 2), num(q.hwPct, 2)]),
      ["left", "right", "right", "right", "right"],
    ),
    "",
    a.regressions.acm.summary(),
    "",
    a.regressions.hw.summary(),
  ].join("\n");
}

export function supplyScenarioText(r: SupplyScenarioRun): string {
  const shown = r.rows.filter((_, i) => i % 3 === 2 || i === r.rows.length - 1);
  const model = r.model === "acm" ? "ACM" : "Hamilton-Wu";
  return [
    r.analysis.summary(),
    "",
    `Projection (every row is a projection) from ${r.firstMonth}: ${model} term premium along the ` +
      `projected net supply, ` +
      `${r.intervalPct}% bands`,
    formatTable(
      [
        "month",
        "delta 10y-eq $bn",
        "net 10y-eq $bn",
        r.analysis.scale === "pctGdp" ? "% GDP" : "$tn",
        "fitted TP %",
        "interval",
        "anchored TP %",
        "slope band",
      ],
      shown.map((x) => [
        x.month,
        num(x.delta10yEqBn, 0),
        num(x.net10yEqBn, 0),
        num(x.x, 2),
        num(x.tpFittedPct, 2),
        `${num(x.lowerPct, 2)} .. ${num(x.upperPct, 2)}`,
        num(x.tpAnchoredPct, 3),
        `${num(x.anchoredLowerPct, 3)} .. ${num(x.anchoredUpperPct, 3)}`,
      ]),
      ["left", "right", "right", "right", "right", "left", "right", "left"],
    ),
  ].join("\n");
}
