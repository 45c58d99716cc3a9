/**
 * Term premium on duration-adjusted net supply (METHODS.md §1c), in the spirit of Greenwood &
 * Vayanos (2014, RFS 27(3)) and Li & Wei (2013): quarter-end 10-year term premium (percent) on
 * net coupon supply in 10-year equivalents, by OLS with Newey-West HAC standard errors
 * (src/stats/ols.ts; Bartlett kernel, lag floor(4 (T/100)^(2/9))). Levels of both are
 * persistent, so the levels slope is a description of co-movement, not a causal estimate; the
 * first-difference regression on the full sample is reported beside it.
 *
 * Subsamples (quarters, inclusive; purchase programmes as the FOMC announced them):
 *   QE1   2008Q4–2010Q2  (Nov 2008 – Mar 2010 purchases, quarter after the end included)
 *   QE2   2010Q4–2011Q2  (Nov 2010 – Jun 2011)
 *   QE3   2012Q3–2014Q4  (Sep 2012 – Oct 2014)
 *   taper 2014Q1–2014Q4  (purchases reduced Jan – Oct 2014)
 *   QT    2017Q4–2019Q3  (balance-sheet run-off Oct 2017 – Sep 2019)
 * Programmes are short: with a handful of quarterly points a subsample fit is descriptive only
 * (flagged with a warning below eight observations, skipped below three).
 *
 * Prediction interval for a new x0: ŷ0 ± z · sqrt(σ̂² + x0ᵀ V x0), V the HAC covariance of the
 * coefficients and σ̂² the residual variance; z from the normal quantile (Acklam's rational
 * approximation, relative error below 1.2e-9). It treats the residual as serially independent,
 * which quarter-to-quarter term-premium residuals are not, so it is too narrow for a path's
 * later months rather than too wide.
 */
import { quarterKey } from "../core/dates.ts";
import { ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { fromColumns } from "../stats/dense.ts";
import { normalQuantile } from "../stats/distributions.ts";
import { ols } from "../stats/ols.ts";

export interface Subsample {
  name: string;
  /** First and last quarter, YYYY-Qn (inclusive); null = open. */
  from: string | null;
  to: string | null;
  note: string;
}

export const SUPPLY_SUBSAMPLES: readonly Subsample[] = [
  { name: "full", from: null, to: null, note: "every quarter with data" },
  { name: "QE1", from: "2008-Q4", to: "2010-Q2", note: "Nov 2008 - Mar 2010 purchases" },
  { name: "QE2", from: "2010-Q4", to: "2011-Q2", note: "Nov 2010 - Jun 2011 purchases" },
  { name: "QE3", from: "2012-Q3", to: "2014-Q4", note: "Sep 2012 - Oct 2014 purchases" },
  { name: "taper", from: "2014-Q1", to: "2014-Q4", note: "purchases tapered Jan - Oct 2014" },
  { name: "QT", from: "2017-Q4", to: "2019-Q3", note: "run-off Oct 2017 - Sep 2019" },
];

export interface SupplyFit {
  sample: string;
  spec: "levels" | "changes";
  /** First and last date actually used. */
  from: string | null;
  to: string | null;
  nobs: number;
  intercept: number;
  slope: number;
  interceptSeHac: number;
  slopeSeHac: number;
  slopeTHac: number;
  /** Classical (iid) standard error of the slope, for comparison. */
  slopeSe: number;
  rSquared: number;
  residualSdPct: number;
  hacLag: number;
  /** HAC covariance of (intercept, slope), row-major 2 × 2. */
  covHac: [number, number, number, number];
  /** Why the fit was not run (too few observations), else null. */
  skipped: string | null;
}

export interface SupplyRegressionResult {
  /** Term-premium model, e.g. "ACM". */
  model: string;
  xName: string;
  xUnits: string;
  fits: SupplyFit[];
  warnings: Warning[];
  summary(): string;
}

function emptyFit(sample: string, spec: SupplyFit["spec"], nobs: number, reason: string): SupplyFit {
  const nan = Number.NaN;
  return {
    sample,
    spec,
    from: null,
    to: null,
    nobs,
    intercept: nan,
    slope: nan,
    interceptSeHac: nan,
    slopeSeHac: nan,
    slopeTHac: nan,
    slopeSe: nan,
    rSquared: nan,
    residualSdPct: nan,
    hacLag: 0,
    covHac: [nan, nan, nan, nan],
    skipped: reason,
  };
}

function fitOne(
  sample: string,
  spec: SupplyFit["spec"],
  dates: string[],
  y: number[],
  x: number[],
): SupplyFit {
  const n = y.length;
  if (n < 3) return emptyFit(sample, spec, n, `${n} observations: too few for a slope and an intercept`);
  const design = fromColumns([new Float64Array(n).fill(1), Float64Array.from(x)]);
  const r = ols(y, design, { yName: "term premium", colNames: ["const", "net supply"], rowNames: dates });
  const c = r.hac.covParams.data;
  return {
    sample,
    spec,
    from: dates[0],
    to: dates[n - 1],
    nobs: n,
    intercept: r.coefficients[0],
    slope: r.coefficients[1],
    interceptSeHac: r.hac.standardErrors[0],
    slopeSeHac: r.hac.standardErrors[1],
    slopeTHac: r.hac.tValues[1],
    slopeSe: r.standardErrors[1],
    rSquared: r.rSquared,
    residualSdPct: Math.sqrt(r.sigma2),
    hacLag: r.hac.lag,
    covHac: [c[0], c[1], c[2], c[3]],
    skipped: null,
  };
}

/**
 * Regress `termPremiumPct` on `netSupply` (aligned with `dates`, quarter ends; NaN = missing) on
 * the full sample and each subsample, plus first differences on the full sample.
 */
export function supplyRegression(
  dates: readonly string[],
  termPremiumPct: ArrayLike<number>,
  netSupply: ArrayLike<number>,
  {
    model,
    xName = "net supply",
    xUnits = "% of GDP, 10-year equivalents",
    subsamples = SUPPLY_SUBSAMPLES,
  }: { model: string; xName?: string; xUnits?: string; subsamples?: readonly Subsample[] },
): SupplyRegressionResult {
  if (dates.length !== termPremiumPct.length || dates.length !== netSupply.length)
    throw new ModelError(
      `supply regression: ${dates.length} dates, ${termPremiumPct.length} term premia, ` +
        `${netSupply.length} supply values`,
    );
  const ok = dates.map((_, i) => Number.isFinite(termPremiumPct[i]) && Number.isFinite(netSupply[i]));
  const fits: SupplyFit[] = [];
  const warnings: Warning[] = [];
  for (const s of subsamples) {
    const d: string[] = [];
    const y: number[] = [];
    const x: number[] = [];
    dates.forEach((date, i) => {
      const q = quarterKey(date);
      if (!ok[i] || (s.from && q < s.from) || (s.to && q > s.to)) return;
      d.push(date);
      y.push(termPremiumPct[i]);
      x.push(netSupply[i]);
    });
    const fit = fitOne(s.name, "levels", d, y, x);
    fits.push(fit);
    if (fit.skipped)
      warnings.push({ code: "subsample-skipped", message: `${model} ${s.name}: ${fit.skipped}` });
    else if (fit.nobs < 8)
      warnings.push({
        code: "short-subsample",
        message: `${model} ${s.name}: only ${fit.nobs} quarterly observations; the fit is descriptive only`,
      });
  }
  // first differences over consecutive quarters, both ends present
  const dd: string[] = [];
  const dy: number[] = [];
  const dx: number[] = [];
  for (let i = 1; i < dates.length; i++) {
    if (!ok[i] || !ok[i - 1]) continue;
    dd.push(dates[i]);
    dy.push(termPremiumPct[i] - termPremiumPct[i - 1]);
    dx.push(netSupply[i] - netSupply[i - 1]);
  }
  fits.push(fitOne("full", "changes", dd, dy, dx));
  const result: SupplyRegressionResult = {
    model,
    xName,
    xUnits,
    fits,
    warnings,
    summary: () => supplyRegressionTable(result),
  };
  return result;
}

export function supplyRegressionTable(r: SupplyRegressionResult): string {
  return [
    `${r.model} 10-year term premium (percent) on ${r.xName} (${r.xUnits}); Newey-West HAC standard errors`,
    formatTable(
      ["sample", "spec", "quarters", "n", "const", "slope", "HAC se", "HAC t", "R²", "resid sd"],
      r.fits.map((f) => [
        f.sample,
        f.spec,
        f.from ? `${quarterKey(f.from)}..${quarterKey(f.to ?? f.from)}` : "",
        f.nobs,
        num(f.intercept, 3),
        num(f.slope, 4),
        num(f.slopeSeHac, 4),
        num(f.slopeTHac, 2),
        num(f.rSquared, 3),
        f.skipped ? `skipped: ${f.skipped}` : num(f.residualSdPct, 3),
      ]),
      ["left", "left", "left", "right", "right", "right", "right", "right", "right", "right"],
    ),
  ].join("\n");
}

export interface TermPremiumPrediction {
  meanPct: number;
  lowerPct: number;
  upperPct: number;
  /** Standard error of prediction, percent. */
  sePct: number;
}

/** Fitted term premium at net supply `x` with a central `intervalPct` prediction interval. */
export function predictTermPremium(fit: SupplyFit, x: number, intervalPct: number): TermPremiumPrediction {
  if (fit.skipped) throw new ModelError(`the ${fit.sample} fit was not run: ${fit.skipped}`);
  const [c00, c01, c10, c11] = fit.covHac;
  const paramVar = c00 + x * (c01 + c10) + x * x * c11;
  const se = Math.sqrt(fit.residualSdPct ** 2 + paramVar);
  const z = normalQuantile(0.5 + intervalPct / 200);
  const mean = fit.intercept + fit.slope * x;
  return { meanPct: mean, lowerPct: mean - z * se, upperPct: mean + z * se, sePct: se };
}
