/**
 * Rolling relations of asset returns with yield changes (METHODS.md §3): correlation with a Fisher
 * z band, OLS beta with a t band, and up-move vs down-move betas.
 *
 * Correlation band (Fisher 1921): z = atanh r is close to normal with standard error 1/√(n − 3)
 * for bivariate-normal pairs, so the band is tanh(z ± q/√(n − 3)), q the normal quantile of the
 * level. Beta band: b = Sxy/Sxx, se(b) = √(RSS / (n − 2) / Sxx) with RSS = Syy − Sxy²/Sxx, band
 * b ± t_{n−2} se (classical OLS, y = a + b x + e). Both bands assume serially independent,
 * homoskedastic pairs; daily returns are fat-tailed and volatility clusters, so read them as
 * indicative widths, not exact coverage. Window moments come from the drift-free O(n) kernel of
 * ../transforms/rolling.ts; NaN pairs are skipped.
 *
 * Asymmetry ("gold rises with Treasuries but does not fall with them"): one regression
 *   y = a + b⁺ max(x, 0) + b⁻ min(x, 0) + e
 * gives separate slopes for up-moves and down-moves of the driver; H0: b⁺ = b⁻ is tested with
 * t = (b⁺ − b⁻) / se, se from the Newey-West (1987) HAC covariance (../stats/ols.ts), since
 * return regressions are heteroskedastic; p-value from the normal distribution.
 *
 * Units: x and y as prepared by pairs.ts (percentage points for yields, percent log returns for
 * prices); a beta of a price on a yield is percent return per 1 pp (100 bp) rise in the yield.
 */
import { InputError, ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { normalQuantile, normalSf, studentTQuantile } from "../stats/distributions.ts";
import { neweyWestLag } from "../stats/ols.ts";
import { windowComoments } from "../transforms/rolling.ts";
import type { RelationInput } from "./pairs.ts";

export interface RollingBandOptions {
  /** Confidence level of the bands (default 0.95). */
  level?: number;
  /** Valid pairs a window needs (default: the whole window; at least 5). */
  minPeriods?: number;
}

/** Per window ending at i: pair count, correlation and beta with their bands. */
export interface RollingRelationValues {
  count: Float64Array;
  correlation: Float64Array;
  correlationLower: Float64Array;
  correlationUpper: Float64Array;
  /** Slope of y on x. */
  beta: Float64Array;
  betaStdErr: Float64Array;
  betaLower: Float64Array;
  betaUpper: Float64Array;
  /** Windows with enough pairs where x or y does not move (correlation undefined, left NaN). */
  constantWindows: number;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new ModelError(`confidence level must lie in (0, 1), got ${level}`);
}

/** Output arrays of the rolling statistics (the per-window quantities of RollingRelationValues). */
type StatArrays = Omit<RollingRelationValues, "count" | "constantWindows">;

function statArrays(n: number): StatArrays {
  return {
    correlation: new Float64Array(n),
    correlationLower: new Float64Array(n),
    correlationUpper: new Float64Array(n),
    beta: new Float64Array(n),
    betaStdErr: new Float64Array(n),
    betaLower: new Float64Array(n),
    betaUpper: new Float64Array(n),
  };
}

function writeMissing(out: StatArrays, i: number): void {
  const nan = Number.NaN;
  out.correlation[i] = nan;
  out.correlationLower[i] = nan;
  out.correlationUpper[i] = nan;
  out.beta[i] = nan;
  out.betaStdErr[i] = nan;
  out.betaLower[i] = nan;
  out.betaUpper[i] = nan;
}

/**
 * Correlation and beta with their bands from one window's centred co-moments, written at position
 * i (no allocation: this runs once per window). False when x or y is constant (all NaN written).
 */
function writeStats(
  out: StatArrays,
  i: number,
  n: number,
  sxx: number,
  syy: number,
  sxy: number,
  tanhH: (n: number) => number,
  tq: (df: number) => number,
): boolean {
  if (!(sxx > 0) || !(syy > 0)) {
    writeMissing(out, i);
    return false;
  }
  const r = Math.max(-1, Math.min(1, sxy / (Math.sqrt(sxx) * Math.sqrt(syy))));
  out.correlation[i] = r;
  if (n > 3) {
    // tanh(atanh r ± h) = (r ± tanh h) / (1 ± r tanh h): no transcendental per window
    const th = tanhH(n);
    out.correlationLower[i] = (r - th) / (1 - r * th);
    out.correlationUpper[i] = (r + th) / (1 + r * th);
  } else {
    out.correlationLower[i] = Number.NaN;
    out.correlationUpper[i] = Number.NaN;
  }
  const b = sxy / sxx;
  out.beta[i] = b;
  if (n > 2) {
    const rss = Math.max(0, syy - (sxy * sxy) / sxx);
    const se = Math.sqrt(rss / (n - 2) / sxx);
    const t = tq(n - 2);
    out.betaStdErr[i] = se;
    out.betaLower[i] = b - t * se;
    out.betaUpper[i] = b + t * se;
  } else {
    out.betaStdErr[i] = Number.NaN;
    out.betaLower[i] = Number.NaN;
    out.betaUpper[i] = Number.NaN;
  }
  return true;
}

/** tanh(q / √(n − 3)), the Fisher band's half-width in correlation space at r = 0, remembered by n. */
function fisherHalfWidths(level: number): (n: number) => number {
  const q = normalQuantile(0.5 + level / 2);
  let lastN = -1;
  let last = Number.NaN;
  return (n) => {
    if (n !== lastN) {
      lastN = n;
      last = Math.tanh(q / Math.sqrt(n - 3));
    }
    return last;
  };
}

/** t quantiles by degrees of freedom, remembered (windows with complete data share one df). */
function tQuantiles(level: number): (df: number) => number {
  const cache = new Map<number, number>();
  const p = 0.5 + level / 2;
  let lastDf = -1;
  let lastQ = Number.NaN;
  return (df) => {
    if (df === lastDf) return lastQ;
    let v = cache.get(df);
    if (v === undefined) {
      v = studentTQuantile(p, df);
      cache.set(df, v);
    }
    lastDf = df;
    lastQ = v;
    return v;
  };
}

/**
 * Rolling correlation and beta of y on x over windows of `window` observations, with bands (see
 * the module comment). NaN where a window holds fewer than `minPeriods` valid pairs or where x or
 * y is constant in it (`constantWindows` counts the latter, for a Warning).
 */
export function rollingRelationValues(
  x: Float64Array,
  y: Float64Array,
  window: number,
  opts: RollingBandOptions = {},
): RollingRelationValues {
  const level = opts.level ?? 0.95;
  checkLevel(level);
  if (!Number.isInteger(window) || window < 5) {
    throw new ModelError(
      `rolling relation: window must be a whole number of at least 5 observations, got ${window}`,
    );
  }
  const minP = opts.minPeriods ?? window;
  if (!Number.isInteger(minP) || minP < 5 || minP > window) {
    throw new ModelError(`rolling relation: minPeriods must be a whole number in 5..${window}, got ${minP}`);
  }
  if (x.length !== y.length)
    throw new InputError(`rolling relation: x has ${x.length} values, y ${y.length}`);
  const n = x.length;
  const mo = windowComoments(x, y, window);
  const stats = statArrays(n);
  const th = fisherHalfWidths(level);
  const tq = tQuantiles(level);
  let constantWindows = 0;
  const { count, sxx, syy, sxy } = mo;
  for (let i = 0; i < n; i++) {
    const c = count[i];
    if (c < minP) writeMissing(stats, i);
    else if (!writeStats(stats, i, c, sxx[i], syy[i], sxy[i], th, tq)) constantWindows++;
  }
  return { count, ...stats, constantWindows };
}

/** Correlation and beta over a whole sample (two-pass), with bands. */
export interface PairStatistics {
  n: number;
  correlation: number;
  correlationLower: number;
  correlationUpper: number;
  beta: number;
  betaStdErr: number;
  betaLower: number;
  betaUpper: number;
}

export function pairStatistics(x: Float64Array, y: Float64Array, level = 0.95): PairStatistics {
  checkLevel(level);
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const v = statArrays(1);
  writeStats(v, 0, n, sxx, syy, sxy, fisherHalfWidths(level), tQuantiles(level));
  return {
    n,
    correlation: v.correlation[0],
    correlationLower: v.correlationLower[0],
    correlationUpper: v.correlationUpper[0],
    beta: v.beta[0],
    betaStdErr: v.betaStdErr[0],
    betaLower: v.betaLower[0],
    betaUpper: v.betaUpper[0],
  };
}

export interface AsymmetricBeta {
  /** Pairs used, and how many had x > 0 (up) and x < 0 (down). */
  n: number;
  nUp: number;
  nDown: number;
  intercept: number;
  betaUp: number;
  betaDown: number;
  /** Newey-West standard errors. */
  seUp: number;
  seDown: number;
  /** b⁺ − b⁻ and its HAC standard error. */
  difference: number;
  seDifference: number;
  tStat: number;
  /** Two-sided p-value of H0: b⁺ = b⁻ (normal approximation). */
  pValue: number;
  hacLag: number;
}

/** Inverse of a symmetric positive definite 3 × 3 matrix [a b c; b d e; c e f] (adjugate / determinant). */
function inverse3(m: Float64Array): Float64Array | null {
  const [a, b, c, , d, e, , , f] = m;
  const A = d * f - e * e;
  const B = -(b * f - c * e);
  const C = b * e - c * d;
  const det = a * A + b * B + c * C;
  if (!(det > 0) || !Number.isFinite(det)) return null;
  const D = a * f - c * c;
  const E = -(a * e - b * c);
  const F = a * d - b * b;
  return Float64Array.from([A, B, C, B, D, E, C, E, F], (v) => v / det);
}

/**
 * Up-move vs down-move slopes of y on x with a HAC test of equality (see the module comment).
 * A dedicated three-regressor OLS (normal equations, inverted in closed form) with the Newey-West
 * sandwich and the lag rule of ../stats/ols.ts: it runs for every relation and window of the daily
 * history, where the general QR path costs tens of milliseconds; the tests check it against it.
 */
export function asymmetricBeta(
  y: Float64Array,
  x: Float64Array,
  opts: { hacLag?: number } = {},
): AsymmetricBeta {
  if (x.length !== y.length) throw new InputError(`asymmetric beta: x has ${x.length} values, y ${y.length}`);
  const m = x.length;
  const up = new Float64Array(m);
  const down = new Float64Array(m);
  const yy = new Float64Array(m);
  let n = 0;
  let nUp = 0;
  let nDown = 0;
  const xtx = new Float64Array(9);
  const xty = new Float64Array(3);
  for (let i = 0; i < m; i++) {
    const xi = x[i];
    const yi = y[i];
    if (Number.isNaN(xi) || Number.isNaN(yi)) continue;
    const u = Math.max(xi, 0);
    const d = Math.min(xi, 0);
    if (xi > 0) nUp++;
    else if (xi < 0) nDown++;
    up[n] = u;
    down[n] = d;
    yy[n] = yi;
    n++;
    // x⁺ x⁻ = 0 always: the off-diagonal (up, down) element of X'X is zero
    xtx[1] += u;
    xtx[2] += d;
    xtx[4] += u * u;
    xtx[8] += d * d;
    xty[0] += yi;
    xty[1] += u * yi;
    xty[2] += d * yi;
  }
  if (nUp < 3 || nDown < 3) {
    throw new ModelError(
      `asymmetric beta: needs at least 3 up-moves and 3 down-moves of the driver, got ${nUp} up and ${nDown} down`,
    );
  }
  xtx[0] = n;
  xtx[3] = xtx[1];
  xtx[6] = xtx[2];
  const inv = inverse3(xtx);
  if (!inv) throw new ModelError("asymmetric beta: the up/down design is singular");
  const beta = [0, 1, 2].map((r) => inv[3 * r] * xty[0] + inv[3 * r + 1] * xty[1] + inv[3 * r + 2] * xty[2]);
  const lag = opts.hacLag ?? neweyWestLag(n);
  if (!Number.isInteger(lag) || lag < 0 || lag >= n) {
    throw new ModelError(`asymmetric beta: Newey-West lag must be a whole number in 0..${n - 1}, got ${lag}`);
  }
  // scores g_t = x_t e_t
  const g0 = new Float64Array(n);
  const g1 = new Float64Array(n);
  const g2 = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const e = yy[t] - beta[0] - beta[1] * up[t] - beta[2] * down[t];
    g0[t] = e;
    g1[t] = up[t] * e;
    g2[t] = down[t] * e;
  }
  // S = Σ_l w_l (Γ_l + Γ_l'), Bartlett weights w_l = 1 − l/(L + 1)
  const sm = new Float64Array(9);
  const g = [g0, g1, g2];
  for (let l = 0; l <= lag; l++) {
    const w = l === 0 ? 1 : 1 - l / (lag + 1);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const gi = g[i];
        const gj = g[j];
        let acc = 0;
        for (let t = l; t < n; t++) acc += gi[t] * gj[t - l];
        sm[3 * i + j] += w * acc;
        if (l > 0) sm[3 * j + i] += w * acc;
      }
    }
  }
  // V = inv S inv
  const tmp = new Float64Array(9);
  const cov = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      tmp[3 * i + j] = inv[3 * i] * sm[j] + inv[3 * i + 1] * sm[3 + j] + inv[3 * i + 2] * sm[6 + j];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      cov[3 * i + j] = tmp[3 * i] * inv[j] + tmp[3 * i + 1] * inv[3 + j] + tmp[3 * i + 2] * inv[6 + j];
  const difference = beta[1] - beta[2];
  const seDifference = Math.sqrt(Math.max(0, cov[4] + cov[8] - cov[5] - cov[7]));
  const tStat = difference / seDifference;
  return {
    n,
    nUp,
    nDown,
    intercept: beta[0],
    betaUp: beta[1],
    betaDown: beta[2],
    seUp: Math.sqrt(cov[4]),
    seDown: Math.sqrt(cov[8]),
    difference,
    seDifference,
    tStat,
    pValue: 2 * normalSf(Math.abs(tStat)),
    hacLag: lag,
  };
}

/** What a relation measures and what theory says its sign should be. */
export interface RelationLabel {
  key: string;
  label: string;
  /** Plain words for an up-move of x, e.g. "real yield up". */
  xUpLabel?: string;
  /** Sign the textbook relation predicts (interest parity: dollar vs 10y positive), 0 if none. */
  expectedSign?: -1 | 0 | 1;
}

export interface RelationAnalysis {
  key: string;
  label: string;
  xId: string;
  yId: string;
  freq: "d" | "m";
  window: number;
  level: number;
  xUnits: string;
  yUnits: string;
  expectedSign: -1 | 0 | 1;
  dates: string[];
  rolling: RollingRelationValues;
  fullSample: PairStatistics & { from: string; to: string };
  latest: {
    date: string;
    correlation: number;
    correlationLower: number;
    correlationUpper: number;
    beta: number;
    betaLower: number;
    betaUpper: number;
    /** Percentile (0-1) of the latest rolling correlation among all rolling correlations. */
    correlationPercentile: number;
  } | null;
  asymmetry: { fullSample: AsymmetricBeta | null; latestWindow: AsymmetricBeta | null };
  warnings: Warning[];
  summary(): string;
}

/**
 * Percentile rank in [0, 1] of v[k] among the valid values of v, (L + E) / 2n with L values below
 * and E at or below it: the "mean" convention of ../transforms/percentile.ts, in O(n) for one value.
 */
function latestPercentile(v: Float64Array, k: number): number {
  const x = v[k];
  let n = 0;
  let less = 0;
  let lessEq = 0;
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    if (Number.isNaN(a)) continue;
    n++;
    if (a < x) less++;
    if (a <= x) lessEq++;
  }
  return (less + lessEq) / (2 * n);
}

function lastFinite(v: Float64Array): number {
  for (let i = v.length - 1; i >= 0; i--) if (Number.isFinite(v[i])) return i;
  return -1;
}

/**
 * Rolling correlation and beta (with bands), full-sample statistics and the up/down asymmetry of
 * one relation. Throws when the window is longer than the data; records constant windows and an
 * asymmetry that cannot be estimated as Warnings.
 */
export function analyseRelation(
  input: RelationInput,
  window: number,
  label: RelationLabel,
  opts: RollingBandOptions = {},
): RelationAnalysis {
  const n = input.dates.length;
  if (window > n) {
    throw new InputError(
      `${label.label}: window of ${window} ${input.freq === "m" ? "months" : "observations"} is longer than ` +
        `the ${n} paired changes available (${input.dates[0] ?? "?"}..${input.dates[n - 1] ?? "?"})`,
    );
  }
  const level = opts.level ?? 0.95;
  const warnings: Warning[] = [...input.warnings];
  const rolling = rollingRelationValues(input.x, input.y, window, opts);
  if (rolling.constantWindows > 0) {
    warnings.push({
      code: "constant-window",
      message: `${label.label}: ${rolling.constantWindows} window(s) where ${input.xId} or ${input.yId} does not move; correlation left undefined there`,
    });
  }
  const full = pairStatistics(input.x, input.y, level);
  const k = lastFinite(rolling.correlation);
  let latest: RelationAnalysis["latest"] = null;
  if (k >= 0) {
    const pct = latestPercentile(rolling.correlation, k);
    latest = {
      date: input.dates[k],
      correlation: rolling.correlation[k],
      correlationLower: rolling.correlationLower[k],
      correlationUpper: rolling.correlationUpper[k],
      beta: rolling.beta[k],
      betaLower: rolling.betaLower[k],
      betaUpper: rolling.betaUpper[k],
      correlationPercentile: pct,
    };
  }
  const asym = (xs: Float64Array, ys: Float64Array, what: string): AsymmetricBeta | null => {
    try {
      return asymmetricBeta(ys, xs);
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      warnings.push({ code: "asymmetry-unavailable", message: `${label.label}, ${what}: ${err.message}` });
      return null;
    }
  };
  const asymmetry = {
    fullSample: asym(input.x, input.y, "full sample"),
    latestWindow: asym(
      input.x.subarray(n - window),
      input.y.subarray(n - window),
      `last ${window} observations`,
    ),
  };
  const result: RelationAnalysis = {
    key: label.key,
    label: label.label,
    xId: input.xId,
    yId: input.yId,
    freq: input.freq,
    window,
    level,
    xUnits: input.xUnits,
    yUnits: input.yUnits,
    expectedSign: label.expectedSign ?? 0,
    dates: input.dates,
    rolling,
    fullSample: { ...full, from: input.dates[0], to: input.dates[n - 1] },
    latest,
    asymmetry,
    warnings,
    summary: () => renderRelation(result, label.xUpLabel ?? `${input.xId} up`),
  };
  return result;
}

function band(lo: number, hi: number, d = 2): string {
  return `[${num(lo, d)}, ${num(hi, d)}]`;
}

function renderRelation(r: RelationAnalysis, upLabel: string): string {
  const unit = r.freq === "m" ? "months" : "days";
  // monthly rows are labelled YYYY-MM-01: show the month
  const day = (d: string) => (r.freq === "m" ? d.slice(0, 7) : d);
  const lines: string[] = [];
  lines.push(
    `${r.label}: ${r.yId} (${r.yUnits}) on ${r.xId} (${r.xUnits}), ${r.freq === "m" ? "monthly" : "daily"}`,
  );
  const f = r.fullSample;
  lines.push(
    `full sample ${day(f.from)}..${day(f.to)} (${f.n} changes): correlation ${num(f.correlation, 2)} ${band(f.correlationLower, f.correlationUpper)}, ` +
      `beta ${num(f.beta, 3)} ${band(f.betaLower, f.betaUpper, 3)} (${Math.round(r.level * 100)}% bands)`,
  );
  if (r.latest) {
    const l = r.latest;
    lines.push(
      `latest ${r.window}-${unit.slice(0, -1)} window to ${day(l.date)}: correlation ${num(l.correlation, 2)} ${band(l.correlationLower, l.correlationUpper)} ` +
        `(percentile ${num(100 * l.correlationPercentile, 0)} of its history), beta ${num(l.beta, 3)} ${band(l.betaLower, l.betaUpper, 3)}`,
    );
  }
  const rows: (string | number)[][] = [];
  for (const [what, a] of [
    ["full sample", r.asymmetry.fullSample],
    [`last ${r.window} ${unit}`, r.asymmetry.latestWindow],
  ] as const) {
    if (!a) continue;
    rows.push([
      what,
      `${num(a.betaUp, 3)} (${num(a.seUp, 3)})`,
      `${num(a.betaDown, 3)} (${num(a.seDown, 3)})`,
      num(a.tStat, 2),
      num(a.pValue, 3),
      `${a.nUp}/${a.nDown}`,
    ]);
  }
  if (rows.length) {
    lines.push(`asymmetry: beta up = when ${upLabel}, beta down = the opposite move (Newey-West s.e.)`);
    lines.push(
      formatTable(["sample", "beta up", "beta down", "t(up = down)", "p", "n up/down"], rows, [
        "left",
        "right",
        "right",
        "right",
        "right",
        "right",
      ]),
    );
  }
  return lines.join("\n");
}
