/**
 * "Traditional model" fits and their divergence (METHODS.md §3): fit an asset on its classic
 * driver over a training window, then read the out-of-sample deviation of the actual price from
 * the model and invert the fit into an implied rate.
 *
 * Forms (monthly data, rates in percent, prices in levels; OLS over the training months):
 *   log-linear      ln P = a + c·rate + u            gold on the 10y TIPS yield; copper on the 10y breakeven
 *   log-earnings    ln P = a + b·ln E + c·rate + u   S&P price on trailing earnings and the 10y yield
 *   earnings-yield  EY = 100 E/P = a + c·rate + u    the "Fed model" (Lander, Orphanides & Douvogiannis 1997)
 * Model value: the fit with u = 0 (for the log forms the conditional median, not the mean).
 * Deviation: 100 (P / P_model − 1) percent, and u / s_pred standard errors with
 *   s_pred = s √(1 + x'(X'X)⁻¹x)   (OLS prediction error; s² = SSR / (T − k)),
 * signed so that a positive value means the price is above its model (for the Fed model: the
 * earnings yield is below its fitted value). Residuals of such level regressions are strongly
 * autocorrelated, so "standard errors" measure distance in units of the model's usual miss, not a
 * significance level.
 * Implied rate: the rate at which the old fit prices today's asset, solving the fitted equation for
 * the rate with u = 0, e.g. gold: r* = (ln P − a) / c; equity: y* = (ln P − a − b ln E) / c.
 * Implied-rate gap = (actual rate − implied rate) × 100 bp: positive when the asset trades as if
 * rates were lower than they are (for gold, c < 0: the fiscal-premium reading of the research).
 */
import { InputError, ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { fromRows } from "../stats/dense.ts";
import { ols } from "../stats/ols.ts";

export type DivergenceAsset = "gold" | "equity" | "copper";
export type ModelForm = "log-linear" | "log-earnings" | "earnings-yield";

/** Aligned monthly inputs (NaN = missing). */
export interface DivergenceData {
  /** Month labels YYYY-MM-01. */
  dates: string[];
  price: Float64Array;
  ratePct: Float64Array;
  /** Trailing earnings (equity forms only). */
  earnings?: Float64Array;
}

export interface DivergenceSpec {
  asset: DivergenceAsset;
  form: ModelForm;
  /** Training window, months YYYY-MM inclusive. */
  train: { from: string; to: string };
  priceId: string;
  rateId: string;
  earningsId?: string;
  /** Words for the report, e.g. "gold (USD/oz)", "10y TIPS real yield". */
  priceLabel: string;
  rateLabel: string;
  /** Sign the classic relation has (gold on real yields: −1); a fit with the other sign is flagged. */
  expectedRateSign: -1 | 1;
}

export interface DivergenceRow {
  date: string;
  actual: number;
  model: number;
  deviationPct: number;
  deviationSe: number;
  impliedRatePct: number;
  actualRatePct: number;
  gapBp: number;
  outOfSample: boolean;
  /** Trailing earnings used (equity forms), else null. */
  earnings: number | null;
}

export interface DivergenceFit {
  form: ModelForm;
  /** a, (b), c with classical standard errors. */
  coefficients: { name: string; value: number; stdErr: number; t: number }[];
  intercept: number;
  earningsCoefficient: number;
  rateCoefficient: number;
  rSquared: number;
  /** Residual standard error s (model units: log points, or EY percentage points). */
  sigma: number;
  nobs: number;
  train: { from: string; to: string };
  /** Training residuals in model units (chronological), for scenario ranges. */
  residuals: Float64Array;
  trainDates: string[];
  /** (X'X)⁻¹, row-major, for prediction errors. */
  xtxInverse: Float64Array;
}

export interface DivergenceResult {
  spec: DivergenceSpec;
  fit: DivergenceFit;
  rows: DivergenceRow[];
  latest: DivergenceRow | null;
  warnings: Warning[];
  summary(): string;
}

function monthOf(d: string): string {
  return d.slice(0, 7);
}

function needsEarnings(form: ModelForm): boolean {
  return form !== "log-linear";
}

/** Regressors of one observation (with the constant), or null when an input is missing or invalid. */
function regressors(form: ModelForm, rate: number, earnings: number): number[] | null {
  if (!Number.isFinite(rate)) return null;
  if (form === "log-earnings") return earnings > 0 ? [1, Math.log(earnings), rate] : null;
  return [1, rate];
}

/** The dependent variable in model units, or NaN. */
function dependent(form: ModelForm, price: number, earnings: number): number {
  if (!(price > 0)) return Number.NaN;
  if (form === "earnings-yield") return earnings > 0 ? (100 * earnings) / price : Number.NaN;
  return Math.log(price);
}

/**
 * The price the fit gives at `ratePct` (and earnings) with residual `u` (0: the model value). `u` is
 * always in the price-above-model convention of `priceResidual`.
 */
export function modelPrice(fit: DivergenceFit, ratePct: number, earnings: number, u = 0): number {
  const a = fit.intercept;
  const c = fit.rateCoefficient;
  if (fit.form === "log-linear") return Math.exp(a + c * ratePct + u);
  if (fit.form === "log-earnings")
    return Math.exp(a + fit.earningsCoefficient * Math.log(earnings) + c * ratePct + u);
  const ey = a + c * ratePct - u; // u > 0: price above model, earnings yield below its fit
  return ey > 0 ? (100 * earnings) / ey : Number.NaN;
}

/** The rate at which the fit, with residual `u`, prices `price` (the implied rate when u = 0). */
export function impliedRate(fit: DivergenceFit, price: number, earnings: number, u = 0): number {
  const a = fit.intercept;
  const c = fit.rateCoefficient;
  if (fit.form === "log-linear") return (Math.log(price) - a - u) / c;
  if (fit.form === "log-earnings")
    return (Math.log(price) - a - fit.earningsCoefficient * Math.log(earnings) - u) / c;
  return ((100 * earnings) / price - a + u) / c;
}

/** The residual u (model units) of one observation: positive when the price is above its model. */
export function priceResidual(fit: DivergenceFit, price: number, ratePct: number, earnings: number): number {
  if (fit.form === "earnings-yield") {
    // EY below its fitted value = price above its model: flip the sign of the EY residual
    return fit.intercept + fit.rateCoefficient * ratePct - (100 * earnings) / price;
  }
  return Math.log(price) - Math.log(modelPrice(fit, ratePct, earnings));
}

/**
 * Fit the traditional model over the training window and compute the deviation, implied rate and
 * gap for every month with data (see the module comment). Throws InputError when the training
 * window holds no (or too few) complete months; a window partly outside the data, a rate
 * coefficient of the wrong sign or an insignificant one are recorded as Warnings.
 */
export function fitDivergence(
  data: DivergenceData,
  spec: DivergenceSpec,
  { minTrainMonths = 24 } = {},
): DivergenceResult {
  const n = data.dates.length;
  if (data.price.length !== n || data.ratePct.length !== n) {
    throw new ModelError(
      `divergence ${spec.asset}: ${n} dates but ${data.price.length} prices and ${data.ratePct.length} rates`,
    );
  }
  if (needsEarnings(spec.form) && (!data.earnings || data.earnings.length !== n)) {
    throw new ModelError(`divergence ${spec.asset}: the ${spec.form} model needs earnings for every date`);
  }
  const { from, to } = spec.train;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(from) || !/^\d{4}-(0[1-9]|1[0-2])$/.test(to) || from > to) {
    throw new InputError(`training window "${from}:${to}" must be two months YYYY-MM:YYYY-MM in order`);
  }
  const earn = (i: number) => (data.earnings ? data.earnings[i] : Number.NaN);
  const complete: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = regressors(spec.form, data.ratePct[i], earn(i));
    if (x && Number.isFinite(dependent(spec.form, data.price[i], earn(i)))) complete.push(i);
  }
  if (complete.length === 0) {
    throw new InputError(
      `divergence ${spec.asset}: ${spec.priceId} and ${spec.rateId} have no month in common`,
    );
  }
  const dataFrom = monthOf(data.dates[complete[0]]);
  const dataTo = monthOf(data.dates[complete[complete.length - 1]]);
  const trainIdx = complete.filter((i) => monthOf(data.dates[i]) >= from && monthOf(data.dates[i]) <= to);
  const warnings: Warning[] = [];
  if (trainIdx.length === 0) {
    throw new InputError(
      `divergence ${spec.asset}: training window ${from}..${to} lies outside the data ` +
        `(${spec.priceId} with ${spec.rateId}${spec.earningsId ? ` and ${spec.earningsId}` : ""}: ${dataFrom}..${dataTo})`,
    );
  }
  if (trainIdx.length < minTrainMonths) {
    throw new InputError(
      `divergence ${spec.asset}: training window ${from}..${to} holds only ${trainIdx.length} complete months ` +
        `(need ${minTrainMonths}; data ${dataFrom}..${dataTo})`,
    );
  }
  if (from < dataFrom || to > dataTo) {
    warnings.push({
      code: "training-window-truncated",
      message: `${spec.asset}: training window ${from}..${to} extends beyond the data (${dataFrom}..${dataTo}); fitted on ${monthOf(data.dates[trainIdx[0]])}..${monthOf(data.dates[trainIdx[trainIdx.length - 1]])}`,
    });
  }
  const rows: number[][] = [];
  const ys: number[] = [];
  for (const i of trainIdx) {
    rows.push(regressors(spec.form, data.ratePct[i], earn(i)) as number[]);
    ys.push(dependent(spec.form, data.price[i], earn(i)));
  }
  const names = spec.form === "log-earnings" ? ["const", "ln E", "rate"] : ["const", "rate"];
  const fitOls = ols(ys, fromRows(rows), {
    colNames: names,
    yName: spec.form === "earnings-yield" ? "EY" : "ln P",
  });
  const k = names.length;
  const coef = fitOls.coefficients;
  const fit: DivergenceFit = {
    form: spec.form,
    coefficients: names.map((name, j) => ({
      name,
      value: coef[j],
      stdErr: fitOls.standardErrors[j],
      t: fitOls.tValues[j],
    })),
    intercept: coef[0],
    earningsCoefficient: spec.form === "log-earnings" ? coef[1] : 0,
    rateCoefficient: coef[k - 1],
    rSquared: fitOls.rSquared,
    sigma: Math.sqrt(fitOls.sigma2),
    nobs: fitOls.nobs,
    train: { from: monthOf(data.dates[trainIdx[0]]), to: monthOf(data.dates[trainIdx[trainIdx.length - 1]]) },
    residuals: Float64Array.from(fitOls.residuals, (u) => (spec.form === "earnings-yield" ? -u : u)),
    trainDates: trainIdx.map((i) => data.dates[i]),
    xtxInverse: fitOls.xtxInverse.data.slice(),
  };
  const c = fit.rateCoefficient;
  const tRate = fit.coefficients[k - 1].t;
  if (Math.sign(c) !== spec.expectedRateSign) {
    warnings.push({
      code: "wrong-sign",
      message: `${spec.asset}: the fitted ${spec.rateLabel} coefficient is ${num(c, 4)}, the opposite of the classic sign; the implied rate inverts a relation that did not hold in ${fit.train.from}..${fit.train.to}`,
    });
  }
  if (Math.abs(tRate) < 2) {
    warnings.push({
      code: "weak-rate-coefficient",
      message: `${spec.asset}: the ${spec.rateLabel} coefficient is not significant in the training window (t = ${num(tRate, 2)}); the implied rate is unreliable`,
    });
  }
  const out: DivergenceRow[] = [];
  let badModel = 0;
  for (const i of complete) {
    const x = regressors(spec.form, data.ratePct[i], earn(i)) as number[];
    let h = 0;
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) h += x[p] * fit.xtxInverse[p * k + q] * x[q];
    const sPred = fit.sigma * Math.sqrt(1 + h);
    const price = data.price[i];
    const model = modelPrice(fit, data.ratePct[i], earn(i));
    if (!Number.isFinite(model)) {
      badModel++;
      continue;
    }
    const u = priceResidual(fit, price, data.ratePct[i], earn(i));
    const implied = impliedRate(fit, price, earn(i));
    out.push({
      date: data.dates[i],
      actual: price,
      model,
      deviationPct: 100 * (price / model - 1),
      deviationSe: u / sPred,
      impliedRatePct: implied,
      actualRatePct: data.ratePct[i],
      gapBp: 100 * (data.ratePct[i] - implied),
      outOfSample: monthOf(data.dates[i]) > fit.train.to || monthOf(data.dates[i]) < fit.train.from,
      earnings: needsEarnings(spec.form) ? earn(i) : null,
    });
  }
  if (badModel > 0) {
    warnings.push({
      code: "model-undefined",
      message: `${spec.asset}: the fitted earnings yield is not positive in ${badModel} month(s); no model price there`,
    });
  }
  const result: DivergenceResult = {
    spec,
    fit,
    rows: out,
    latest: out.length ? out[out.length - 1] : null,
    warnings,
    summary: () => renderDivergence(result),
  };
  return result;
}

const FORM_TEXT: Record<ModelForm, string> = {
  "log-linear": "ln P = a + c·rate",
  "log-earnings": "ln P = a + b·ln E + c·rate",
  "earnings-yield": "100·E/P = a + c·rate",
};

export function renderDivergence(r: DivergenceResult, tail = 6): string {
  const f = r.fit;
  const lines: string[] = [];
  lines.push(
    `${r.spec.priceLabel} vs ${r.spec.rateLabel}: ${FORM_TEXT[f.form]}, trained ${f.train.from}..${f.train.to} ` +
      `(${f.nobs} months, R² ${num(f.rSquared, 2)}, s ${num(f.sigma, 3)})`,
  );
  lines.push(`  ${f.coefficients.map((c) => `${c.name} ${num(c.value, 4)} (t ${num(c.t, 1)})`).join(", ")}`);
  const rows = r.rows.slice(-tail);
  lines.push(
    formatTable(
      ["month", "actual", "model", "dev %", "dev s.e.", "rate %", "implied %", "gap bp"],
      rows.map((x) => [
        x.date.slice(0, 7),
        num(x.actual, 2),
        num(x.model, 2),
        num(x.deviationPct, 1),
        num(x.deviationSe, 2),
        num(x.actualRatePct, 2),
        num(x.impliedRatePct, 2),
        num(x.gapBp, 0),
      ]),
      ["left", "right", "right", "right", "right", "right", "right", "right"],
    ),
  );
  return lines.join("\n");
}
