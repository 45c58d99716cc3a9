/**
 * Policy scenarios as the CLI, the report and library users run them: resolve what the scenario
 * leaves to the data (the start rate on asOf, a model's term premium, market yields), build the
 * paths, and evaluate fair values (fair-value.ts) or a sensitivity grid (sensitivity.ts). The
 * pure `evaluatePolicyScenario` needs no store; `runPolicyScenario` fills in from the store.
 */
import { isIsoDate } from "../core/dates.ts";
import { InputError, NotFoundError, type Warning } from "../core/errors.ts";
import type { Store } from "../store/store.ts";
import {
  type FairValueRow,
  fairValueConventions,
  fairValues,
  fairValueTable,
  type MarketLookup,
  monthsNeeded,
  type RecessionAssumption,
} from "./fair-value.ts";
import { prefixIssues, throwIssues } from "./issues.ts";
import { loadMarketData, policyRateOn, termPremiumAsOf } from "./market-data.ts";
import {
  buildPolicyPath,
  checkPathSpec,
  describePath,
  monthLabel,
  PATH_CONVENTIONS,
  type PolicyPath,
} from "./policy-path.ts";
import type { PolicyScenario } from "./scenario-file.ts";
import { type SensitivityGrid, sensitivityGrid } from "./sensitivity.ts";

export interface ResolvedInputs {
  startRatePct: number;
  startRateSource: string;
  /** One number for every maturity, or per maturity. */
  termPremiumPct: number | ReadonlyMap<number, number>;
  termPremiumSource: string;
  termPremiumDate: string | null;
}

export interface PolicyRequest {
  /** Evaluation dates (default: the scenario's evaluationDates, else asOf). */
  at?: string[];
  /** Only these paths (default: all, in file order). */
  paths?: string[];
}

export interface PathInfo {
  name: string;
  kind: PolicyPath["kind"];
  description: string;
  /** Last month the spec defines (YYYY-MM); the rate is held after it. */
  definedThrough: string;
  moves: { month: string; bp: number }[];
}

export interface PolicyScenarioRun {
  asOf: string;
  startRatePct: number;
  startRateSource: string;
  termPremiumSource: string;
  termPremiumDate: string | null;
  recession: RecessionAssumption;
  stepBp: number;
  maturitiesYears: number[];
  at: string[];
  paths: PathInfo[];
  rows: FairValueRow[];
  /** Evaluation dates after the market data: their rows are projections along the path. */
  projectedDates: string[];
  assumptions: string[];
  warnings: Warning[];
  summary(): string;
}

function locate(s: PolicyScenario) {
  return s.source?.locate;
}

/** Evaluation dates: checked, in the order given, duplicates removed. */
export function evaluationDates(s: PolicyScenario, at?: string[]): string[] {
  const dates = at ?? s.evaluationDates ?? [s.asOf];
  const out: string[] = [];
  for (const d of dates) {
    if (!isIsoDate(d)) throw new InputError(`evaluation date "${d}" is not a date (YYYY-MM-DD)`);
    if (d < s.asOf)
      throw new InputError(
        `evaluation date ${d} is before the scenario's asOf ${s.asOf}: the paths start the month after asOf`,
      );
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

/** The scenario's paths (optionally a subset), built over `months` months. */
export function buildScenarioPaths(
  s: PolicyScenario,
  startRatePct: number,
  months: number,
  only?: string[],
): PolicyPath[] {
  const names = s.paths.map((p) => p.name);
  for (const n of only ?? [])
    if (!names.includes(n))
      throw new NotFoundError(`unknown path "${n}": the scenario has ${names.join(", ")}`);
  const ctx = { asOf: s.asOf, startRatePct, stepBp: s.stepBp };
  return s.paths
    .filter((p) => !only || only.includes(p.name))
    .map((p) => {
      throwIssues(prefixIssues(["paths", p.name], checkPathSpec(p.spec, ctx)), locate(s));
      return buildPolicyPath(p.name, p.spec, ctx, months);
    });
}

/** Fair values from a scenario and already-resolved inputs (no store). */
export function evaluatePolicyScenario(
  s: PolicyScenario,
  inputs: ResolvedInputs,
  req: PolicyRequest = {},
  market?: { lookup: MarketLookup; warnings: Warning[] },
): PolicyScenarioRun {
  const at = evaluationDates(s, req.at);
  const paths = buildScenarioPaths(
    s,
    inputs.startRatePct,
    monthsNeeded(s.asOf, at, s.maturitiesYears),
    req.paths,
  );
  const fv = fairValues({
    paths,
    at,
    maturitiesYears: s.maturitiesYears,
    termPremiumPct: inputs.termPremiumPct,
    recession: s.recession,
    ...(market ? { market: market.lookup } : {}),
  });
  const warnings = [...paths.flatMap((p) => p.warnings), ...fv.warnings, ...(market?.warnings ?? [])];
  const projectedDates = at.filter((d) => fv.rows.some((r) => r.at === d && r.projection));
  const run: PolicyScenarioRun = {
    asOf: s.asOf,
    startRatePct: inputs.startRatePct,
    startRateSource: inputs.startRateSource,
    termPremiumSource: inputs.termPremiumSource,
    termPremiumDate: inputs.termPremiumDate,
    recession: s.recession,
    stepBp: s.stepBp,
    maturitiesYears: s.maturitiesYears,
    at,
    paths: paths.map((p) => ({
      name: p.name,
      kind: p.kind,
      description: describePath(p),
      definedThrough: monthLabel(p.asOf, p.definedThrough),
      moves: p.moves,
    })),
    rows: fv.rows,
    projectedDates,
    assumptions: [...PATH_CONVENTIONS, ...fairValueConventions(s.recession)],
    warnings,
    summary: () => policyRunText(run),
  };
  return run;
}

/** Run `fn`; an InputError it throws gets the file and line of `field` when the scenario has a source. */
async function located<T>(s: PolicyScenario, field: string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InputError && s.source && !err.location.file) {
      throw new InputError(`${field.join(".")}: ${err.message}`, s.source.locate(field));
    }
    throw err;
  }
}

/** Start rate and term premium from the scenario, falling back on the store where it says so. */
export async function resolveInputs(
  store: Store | null,
  s: PolicyScenario,
): Promise<ResolvedInputs & { warnings: Warning[] }> {
  const warnings: Warning[] = [];
  let startRatePct: number;
  let startRateSource: string;
  if (s.startRatePct !== null) {
    startRatePct = s.startRatePct;
    startRateSource = "scenario file";
  } else {
    if (!store)
      throw new InputError("startRatePct is not given and there is no store to read the policy rate from");
    const r = await located(s, ["asOf"], () => policyRateOn(store, s.asOf));
    startRatePct = r.ratePct;
    startRateSource = `${r.source} on ${r.date}`;
  }
  const tp = s.termPremium;
  if (tp.kind === "number")
    return {
      startRatePct,
      startRateSource,
      termPremiumPct: tp.pct,
      termPremiumSource: "scenario file",
      termPremiumDate: null,
      warnings,
    };
  if (tp.kind === "byMaturity")
    return {
      startRatePct,
      startRateSource,
      termPremiumPct: tp.pct,
      termPremiumSource: "scenario file",
      termPremiumDate: null,
      warnings,
    };
  if (!store) throw new InputError(`termPremiumPct "${tp.model}" needs the store to run the model`);
  const est = await located(s, ["termPremiumPct"], () =>
    termPremiumAsOf(store, tp.model, s.maturitiesYears, s.asOf),
  );
  warnings.push(...est.warnings);
  return {
    startRatePct,
    startRateSource,
    termPremiumPct: est.pctByMaturity,
    termPremiumSource:
      `${est.model} estimate at ${est.date} (sample ` +
      `${est.sample.from}..${est.sample.to}, GSW vintage ${est.dataVintage})`,
    termPremiumDate: est.date,
    warnings,
  };
}

/** Resolve from the store, evaluate, and attach market yields. */
export async function runPolicyScenario(
  store: Store,
  s: PolicyScenario,
  req: PolicyRequest = {},
): Promise<PolicyScenarioRun> {
  const inputs = await resolveInputs(store, s);
  const market = await loadMarketData(store, s.maturitiesYears);
  const run = evaluatePolicyScenario(s, inputs, req, market);
  run.warnings.unshift(...inputs.warnings);
  return run;
}

export interface SensitivityRequest {
  path: string;
  at?: string;
  maturityYears?: number;
  probabilities?: number[];
  /** Term premia to try (default: the resolved premium ± 0.5 and ± 1.0 percentage points). */
  termPremiaPct?: number[];
}

export interface SensitivityRun {
  grid: SensitivityGrid;
  startRatePct: number;
  startRateSource: string;
  termPremiumSource: string;
  /** The scenario's own assumptions, marked in the grid. */
  baseProbability: number;
  baseTermPremiumPct: number;
  assumptions: string[];
  warnings: Warning[];
}

export const DEFAULT_PROBABILITIES = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1];

export async function runSensitivity(
  store: Store | null,
  s: PolicyScenario,
  req: SensitivityRequest,
): Promise<SensitivityRun> {
  const maturity =
    req.maturityYears ??
    (s.maturitiesYears.includes(10) ? 10 : s.maturitiesYears[s.maturitiesYears.length - 1]);
  const scen: PolicyScenario = { ...s, maturitiesYears: [maturity] };
  if (s.termPremium.kind === "byMaturity" && !s.termPremium.pct.has(maturity))
    throw new InputError(`termPremiumPct has no value for maturity ${maturity} years`);
  const inputs = await resolveInputs(store, scen);
  const at = evaluationDates(s, [req.at ?? s.asOf])[0];
  const [path] = buildScenarioPaths(s, inputs.startRatePct, monthsNeeded(s.asOf, [at], [maturity]), [
    req.path,
  ]);
  const baseTp =
    typeof inputs.termPremiumPct === "number"
      ? inputs.termPremiumPct
      : (inputs.termPremiumPct.get(maturity) ?? 0);
  const probabilities = [...(req.probabilities ?? DEFAULT_PROBABILITIES)];
  if (!probabilities.includes(s.recession.probability)) probabilities.push(s.recession.probability);
  probabilities.sort((a, b) => a - b);
  const tps = req.termPremiaPct ?? [-1, -0.5, 0, 0.5, 1].map((d) => Math.round((baseTp + d) * 1e6) / 1e6);
  const grid = sensitivityGrid(path, at, maturity, probabilities, tps, {
    arrival: s.recession.arrival,
    ratePct: s.recession.ratePct,
  });
  return {
    grid,
    startRatePct: inputs.startRatePct,
    startRateSource: inputs.startRateSource,
    termPremiumSource: inputs.termPremiumSource,
    baseProbability: s.recession.probability,
    baseTermPremiumPct: baseTp,
    assumptions: [...PATH_CONVENTIONS, ...fairValueConventions(s.recession)],
    warnings: [...inputs.warnings, ...path.warnings],
  };
}

export function policyRunText(r: PolicyScenarioRun): string {
  const lines = [
    `Policy scenario as of ${r.asOf}: start rate ${r.startRatePct.toFixed(3)}% (${r.startRateSource}); ` +
      `term premium: ${r.termPremiumSource}; recession probability ${r.recession.probability} ` +
      `(${r.recession.arrival} arrival)`,
    ...r.paths.map((p) => `  ${p.name}: ${p.description}`),
    "",
    fairValueTable(r.rows),
  ];
  return lines.join("\n");
}
