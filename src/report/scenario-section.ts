/**
 * Main-job section "Scenarios": today's 10-year yield against the fair values of three default
 * policy paths — flat at today's policy rate, the latest FOMC median (FEDTARMD, year-end levels
 * interpolated monthly), and a cut path (four 25 bp cuts over the next year) — each with the
 * ACM term premium as of today and a recession branch; then the supply-implied term premium from
 * the regression of the ACM premium on net coupon supply at the last quarter of supply data.
 */
import { addMonths, todayIso } from "../core/dates.ts";
import { NotFoundError, type Warning, YardstickError } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { dropMissing } from "../core/series.ts";
import { expectedRateComponent, fairValueConventions } from "../scenarios/fair-value.ts";
import { policyRateOn, termPremiumAsOf, valueOn } from "../scenarios/market-data.ts";
import { buildPolicyPath, describePath, PATH_CONVENTIONS, type PathSpec } from "../scenarios/policy-path.ts";
import { predictTermPremium } from "../scenarios/supply-regression.ts";
import { runSupplyAnalysis } from "../scenarios/supply-service.ts";
import type { Store } from "../store/store.ts";

export interface ScenarioSectionOptions {
  /** Judge "today" as of this date (default: today); the 10y is the last DGS10 on or before it. */
  asOf?: string;
  /** Probability that a recession arrives within the 10-year window (default 0.14). */
  recessionProbability?: number;
  intervalPct?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ScenarioPathLine {
  name: string;
  description: string;
  noRecessionPct: number;
  expectedRatePct: number;
  fairValuePct: number;
  /** Market minus fair value, bp. */
  gapBp: number;
}

export interface SupplyLine {
  date: string;
  netPctGdp: number;
  actualPct: number;
  fittedPct: number;
  lowerPct: number;
  upperPct: number;
  intervalPct: number;
  slope: number;
  slopeTHac: number;
  rSquared: number;
  sample: string;
}

export interface ScenarioSectionData {
  date: string;
  market10yPct: number;
  startRatePct: number;
  startRateSource: string;
  termPremium: { model: string; pct: number; date: string };
  recessionProbability: number;
  paths: ScenarioPathLine[];
  supply: SupplyLine | null;
  assumptions: string[];
  warnings: Warning[];
}

export async function scenarioSection(
  store: Store,
  opts: ScenarioSectionOptions = {},
): Promise<{ data: ScenarioSectionData; text: string }> {
  const warnings: Warning[] = [];
  const p = opts.recessionProbability ?? 0.14;
  const intervalPct = opts.intervalPct ?? 90;
  const dgs10 = dropMissing((await store.getSeries("DGS10")).series);
  const today = valueOn(dgs10, opts.asOf ?? todayIso(), 100_000);
  if (!today) throw new NotFoundError(`DGS10 has no observation on or before ${opts.asOf}`);
  const date = today.date;
  const policy = await policyRateOn(store, date);
  const tp = await termPremiumAsOf(store, "acm", [10], date);
  warnings.push(...tp.warnings);
  const tp10 = tp.pctByMaturity.get(10)!;

  const specs: { name: string; spec: PathSpec }[] = [{ name: "flat", spec: { kind: "moves", moves: [] } }];
  try {
    const sep = dropMissing((await store.getSeries("FEDTARMD")).series);
    const points = sep.dates
      .map((d, i) => ({ date: `${d.slice(0, 4)}-12-31`, ratePct: sep.values[i] }))
      .filter((x) => x.date > date && x.date.slice(0, 7) !== date.slice(0, 7));
    if (points.length) specs.push({ name: "FOMC median", spec: { kind: "points", points } });
    else
      warnings.push({
        code: "no-sep-path",
        message: "FEDTARMD has no projection year after today: the FOMC-median path is left out",
      });
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    warnings.push({
      code: "no-sep-path",
      message: "FEDTARMD is not in the store: the FOMC-median path is left out",
    });
  }
  // four 25 bp cuts, one a quarter from the second month, floored at zero
  const cutRates = Array.from({ length: 12 }, (_, i) => {
    const cuts = [2, 5, 8, 11].filter((m) => m <= i + 1).length;
    return Math.max(0, policy.ratePct - 0.25 * cuts);
  });
  specs.push({ name: "cuts (4 x 25 bp in 12 months)", spec: { kind: "monthly", ratesPct: cutRates } });

  const cutMonths = [2, 5, 8, 11].map((m) => addMonths(`${date.slice(0, 7)}-01`, m).slice(0, 7));
  const recession = { probability: p, arrival: "uniform" as const, ratePct: 0 };
  const paths: ScenarioPathLine[] = specs.map(({ name, spec }) => {
    const path = buildPolicyPath(name, spec, { asOf: date, startRatePct: policy.ratePct }, 120);
    warnings.push(...path.warnings);
    const c = expectedRateComponent(path.ratesPct, 0, 120, recession);
    const fair = c.expectedRatePct + tp10;
    return {
      name,
      description: describePath(path),
      noRecessionPct: c.noRecessionPct,
      expectedRatePct: c.expectedRatePct,
      fairValuePct: fair,
      gapBp: (today.value - fair) * 100,
    };
  });

  let supply: SupplyLine | null = null;
  try {
    const a = await runSupplyAnalysis(store, { onProgress: opts.onProgress });
    const fit = a.regressions.acm.fits.find((f) => f.sample === "full" && f.spec === "levels");
    if (fit && !fit.skipped) {
      const pred = predictTermPremium(fit, a.anchors.acm.x, intervalPct);
      supply = {
        date: a.base.date,
        netPctGdp: a.anchors.acm.x,
        actualPct: a.anchors.acm.tpPct,
        fittedPct: pred.meanPct,
        lowerPct: pred.lowerPct,
        upperPct: pred.upperPct,
        intervalPct,
        slope: fit.slope,
        slopeTHac: fit.slopeTHac,
        rSquared: fit.rSquared,
        sample: `${fit.from}..${fit.to}`,
      };
    }
    warnings.push(...a.warnings.filter((w) => w.code === "supply-data-end"));
  } catch (err) {
    if (!(err instanceof YardstickError)) throw err;
    warnings.push({
      code: "supply-unavailable",
      message: `supply-implied term premium not available: ${err.message}`,
    });
  }
  const data: ScenarioSectionData = {
    date,
    market10yPct: today.value,
    startRatePct: policy.ratePct,
    startRateSource: `${policy.source} on ${policy.date}`,
    termPremium: { model: tp.model, pct: tp10, date: tp.date },
    recessionProbability: p,
    paths,
    supply,
    assumptions: [
      ...PATH_CONVENTIONS,
      ...fairValueConventions(recession),
      "FOMC median path: FEDTARMD projection-year values as year-end levels, linear in months from " +
        "today's rate",
      `cut path: 25 bp cuts ${cutMonths.join(", ")}, then held`,
      "supply-implied term premium: ACM 10-year premium fitted on net coupon supply (% of GDP, 10-year " +
        "equivalents), full sample",
    ],
    warnings,
  };
  return { data, text: renderScenarioSection(data) };
}

export function renderScenarioSection(d: ScenarioSectionData): string {
  const out: string[] = [];
  out.push(
    `10-year Treasury ${num(d.market10yPct, 2)}% on ${d.date}; policy rate ${num(d.startRatePct, 3)}% ` +
      `(${d.startRateSource}); ` +
      `${d.termPremium.model} 10-year term premium ${num(d.termPremium.pct, 2)}% (estimate at ` +
      `${d.termPremium.date}); ` +
      `recession probability ${d.recessionProbability} within 10 years`,
  );
  out.push(
    formatTable(
      ["path", "avg rate %", "with recession %", "fair value %", "10y - fair bp", "path"],
      d.paths.map((p) => [
        p.name,
        num(p.noRecessionPct, 2),
        num(p.expectedRatePct, 2),
        num(p.fairValuePct, 2),
        num(p.gapBp, 0),
        p.description,
      ]),
      ["left", "right", "right", "right", "right", "left"],
    ),
  );
  out.push("");
  if (d.supply) {
    const s = d.supply;
    out.push(
      `Supply-implied ACM term premium at ${s.date} (last quarter of supply data): ${num(s.fittedPct, 2)}% ` +
        `(${s.intervalPct}% interval ${num(s.lowerPct, 2)} .. ${num(s.upperPct, 2)}) at net supply ` +
        `${num(s.netPctGdp, 1)}% of GDP; ` +
        `actual ${num(s.actualPct, 2)}%. Slope ${num(s.slope * 100, 1)} bp per point of GDP (HAC t ` +
        `${num(s.slopeTHac, 1)}), ` +
        `R² ${num(s.rSquared, 2)}, ${s.sample}.`,
    );
  } else out.push("Supply-implied term premium: not available (see warnings).");
  return out.join("\n");
}
