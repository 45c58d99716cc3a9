/**
 * When a relation breaks: a structural-break test on the regression y = a + b x + e of asset
 * returns on yield changes, and sign flips of the rolling correlation.
 *
 * Break test: Quandt-Andrews sup-Wald (Andrews 1993, Econometrica 61(4); critical values as
 * corrected in Andrews 2003, Econometrica 71(1)). For each candidate date τ with trimming π₀
 * (τ/T in [π₀, 1 − π₀]) the Chow (1960) statistic for a break in both coefficients (intercept and
 * slope, p = 2) is computed, and the largest one is compared with the distribution of
 * sup_{π∈[π₀, 1−π₀]} |B_p(π) − π B_p(1)|² / (π(1 − π)), not with χ²(p): searching over dates
 * inflates the statistic. Form of the Chow statistic:
 *   classical: W(τ) = p F(τ), F = ((SSR_r − SSR₁ − SSR₂)/p) / ((SSR₁ + SSR₂)/(T − 2p));
 *   robust:    W(τ) = d' (V₁ + V₂)⁻¹ d, d = β̂₁ − β̂₂, V_i = H_i⁻¹ (Σ ê² x x') H_i⁻¹ · n_i/(n_i − 2)
 *              (White 1980 HC1 within each segment, H_i = Σ x x'; for volatility clustering).
 * The estimated break date is the argmax (Bai 1997: consistent for the break fraction). Segment
 * sums come from prefix sums of the monomials of standardised (x, y), O(T) for all candidates;
 * standardising changes no statistic (the hypothesis is invariant to affine maps of x and y).
 *
 * Critical values, π₀ = 0.15 (Andrews 2003 corrected table; our own simulation of the limit with
 * 2,000 steps and 40,000 draws gives 7.13 / 8.74 / 12.18 for p = 1 and 10.01 / 11.68 / 15.57 for
 * p = 2, and the test suite re-checks p = 2 by a smaller simulation):
 *   p = 1: 10% 7.12, 5% 8.68, 1% 12.16;   p = 2: 10% 10.00, 5% 11.72, 1% 15.56.
 *
 * Sign flips: each rolling correlation is "positive" when its whole band is above zero,
 * "negative" when below, "neutral" otherwise. A flip is a run of one significant sign lasting at
 * least `minRun` observations that follows a run of the opposite significant sign (neutral
 * stretches in between allowed); its date is the first observation of the new run and its
 * strength the change in mean correlation between the two runs.
 */
import { InputError, ModelError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import type { RelationInput } from "./pairs.ts";
import { pairStatistics } from "./rolling-relations.ts";

/** Trimming the critical values below are for. */
export const BREAK_TRIM = 0.15;

/** Asymptotic critical values of the sup-Wald statistic, π₀ = 0.15, by number of breaking coefficients. */
export const ANDREWS_CRITICAL_VALUES: Readonly<Record<1 | 2, { p10: number; p5: number; p1: number }>> = {
  1: { p10: 7.12, p5: 8.68, p1: 12.16 },
  2: { p10: 10.0, p5: 11.72, p1: 15.56 },
};

export type BreakCovariance = "classical" | "robust";

export interface SupWaldOptions {
  /** classical (homoskedastic F) or robust (White HC1 within segments). Default classical. */
  covariance?: BreakCovariance;
}

export interface SupWaldScan {
  /** Observations used (complete pairs). */
  n: number;
  /** Chow Wald statistic when the second regime starts at observation k (NaN outside the trimmed range). */
  statistic: Float64Array;
  /** Largest statistic and the first observation of the second regime there. */
  supWald: number;
  breakIndex: number;
  /** First and last candidate start of the second regime. */
  firstCandidate: number;
  lastCandidate: number;
  covariance: BreakCovariance;
}

/** Prefix sums of monomials x^i y^j of standardised data, one Float64Array per monomial. */
interface Prefix {
  /** [k] = sum over the first k observations. */
  s: Float64Array[];
}

// monomial slots
const X1 = 0;
const Y1 = 1;
const XX = 2;
const XY = 3;
const YY = 4;
const X3 = 5;
const X4 = 6;
const X2Y = 7;
const X3Y = 8;
const Y2X = 9;
const Y2X2 = 10;
const SLOTS = 11;

function prefixSums(x: Float64Array, y: Float64Array, robust: boolean): Prefix {
  const n = x.length;
  const slots = robust ? SLOTS : 5;
  const s = Array.from({ length: slots }, () => new Float64Array(n + 1));
  for (let i = 0; i < n; i++) {
    const a = x[i];
    const b = y[i];
    const a2 = a * a;
    s[X1][i + 1] = s[X1][i] + a;
    s[Y1][i + 1] = s[Y1][i] + b;
    s[XX][i + 1] = s[XX][i] + a2;
    s[XY][i + 1] = s[XY][i] + a * b;
    s[YY][i + 1] = s[YY][i] + b * b;
    if (robust) {
      s[X3][i + 1] = s[X3][i] + a2 * a;
      s[X4][i + 1] = s[X4][i] + a2 * a2;
      s[X2Y][i + 1] = s[X2Y][i] + a2 * b;
      s[X3Y][i + 1] = s[X3Y][i] + a2 * a * b;
      s[Y2X][i + 1] = s[Y2X][i] + b * b * a;
      s[Y2X2][i + 1] = s[Y2X2][i] + b * b * a2;
    }
  }
  return { s };
}

interface Segment {
  n: number;
  a: number;
  b: number;
  ssr: number;
  /** HC1 covariance of (a, b): [vaa, vab, vbb]. */
  v?: [number, number, number];
}

/** OLS of y on (1, x) over observations [lo, hi) from the prefix sums. */
function segment(p: Prefix, lo: number, hi: number, robust: boolean): Segment {
  const s = p.s;
  const g = (k: number) => s[k][hi] - s[k][lo];
  const n = hi - lo;
  const sx = g(X1);
  const sy = g(Y1);
  const sxx = g(XX);
  const sxy = g(XY);
  const syy = g(YY);
  const cxx = sxx - (sx * sx) / n;
  const cxy = sxy - (sx * sy) / n;
  const cyy = syy - (sy * sy) / n;
  const b = cxy / cxx;
  const a = (sy - b * sx) / n;
  const ssr = Math.max(0, cyy - (cxy * cxy) / cxx);
  const seg: Segment = { n, a, b, ssr };
  if (robust) {
    // Σ ê² x^k = Σ y² x^k + a² Σ x^k + b² Σ x^{k+2} − 2a Σ y x^k − 2b Σ y x^{k+1} + 2ab Σ x^{k+1}
    const xk = [n, sx, sxx, g(X3), g(X4)];
    const yxk = [sy, sxy, g(X2Y), g(X3Y)];
    const y2xk = [syy, g(Y2X), g(Y2X2)];
    const m = [0, 1, 2].map(
      (k) =>
        y2xk[k] +
        a * a * xk[k] +
        b * b * xk[k + 2] -
        2 * a * yxk[k] -
        2 * b * yxk[k + 1] +
        2 * a * b * xk[k + 1],
    );
    // H⁻¹ for H = [[n, sx], [sx, sxx]]
    const det = n * sxx - sx * sx;
    const h00 = sxx / det;
    const h01 = -sx / det;
    const h11 = n / det;
    // V = H⁻¹ M H⁻¹ with M = [[m0, m1], [m1, m2]]
    const t00 = h00 * m[0] + h01 * m[1];
    const t01 = h00 * m[1] + h01 * m[2];
    const t10 = h01 * m[0] + h11 * m[1];
    const t11 = h01 * m[1] + h11 * m[2];
    const scale = n / (n - 2);
    seg.v = [
      (t00 * h00 + t01 * h01) * scale,
      (t00 * h01 + t01 * h11) * scale,
      (t10 * h01 + t11 * h11) * scale,
    ];
  }
  return seg;
}

function standardise(v: Float64Array): Float64Array {
  let m = 0;
  for (const a of v) m += a;
  m /= v.length;
  let q = 0;
  for (const a of v) q += (a - m) ** 2;
  const sd = Math.sqrt(q / v.length);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] - m) / sd;
  return out;
}

/**
 * Chow statistics for a break in (intercept, slope) at every candidate date of the trimmed range,
 * and their supremum (see the module comment). x and y must be complete (no NaN) and vary.
 */
export function supWaldScan(y: Float64Array, x: Float64Array, opts: SupWaldOptions = {}): SupWaldScan {
  const covariance = opts.covariance ?? "classical";
  const robust = covariance === "robust";
  const n = x.length;
  if (y.length !== n) throw new InputError(`break test: x has ${n} values, y ${y.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new ModelError(`break test: observation ${i} is not finite (drop missing pairs first)`);
    }
  }
  const first = Math.max(Math.ceil(BREAK_TRIM * n), 3);
  const last = Math.min(Math.floor((1 - BREAK_TRIM) * n), n - 3);
  if (last < first) {
    throw new InputError(
      `break test: ${n} observations are too few for a trimmed search (each regime needs ${BREAK_TRIM * 100}% of the sample and 3 observations)`,
    );
  }
  const xs = standardise(x);
  const ys = standardise(y);
  if (!xs.every(Number.isFinite) || !ys.every(Number.isFinite)) {
    throw new InputError("break test: x or y is constant (zero variance): no regression to test");
  }
  const p = prefixSums(xs, ys, robust);
  const whole = segment(p, 0, n, false);
  const statistic = new Float64Array(n).fill(Number.NaN);
  let sup = Number.NEGATIVE_INFINITY;
  let at = -1;
  for (let k = first; k <= last; k++) {
    const s1 = segment(p, 0, k, robust);
    const s2 = segment(p, k, n, robust);
    let w: number;
    if (!robust) {
      const ssrU = s1.ssr + s2.ssr;
      w = (whole.ssr - ssrU) / (ssrU / (n - 4));
    } else {
      const [a1, ab1, b1] = s1.v as [number, number, number];
      const [a2, ab2, b2] = s2.v as [number, number, number];
      const vaa = a1 + a2;
      const vab = ab1 + ab2;
      const vbb = b1 + b2;
      const da = s1.a - s2.a;
      const db = s1.b - s2.b;
      const det = vaa * vbb - vab * vab;
      w = (da * da * vbb - 2 * da * db * vab + db * db * vaa) / det;
    }
    // a segment with a constant x has no slope: no statistic there
    if (!Number.isFinite(w)) continue;
    statistic[k] = w;
    if (w > sup) {
      sup = w;
      at = k;
    }
  }
  if (at < 0)
    throw new ModelError(
      "break test: no candidate date gave a finite statistic (x constant within the regimes?)",
    );
  return {
    n,
    statistic,
    supWald: sup,
    breakIndex: at,
    firstCandidate: first,
    lastCandidate: last,
    covariance,
  };
}

export type Significance = "1%" | "5%" | "10%" | "not significant";

/** The smallest conventional level at which sup-Wald rejects "no break" (p = 2, π₀ = 0.15). */
export function breakSignificance(supWald: number, params: 1 | 2 = 2): Significance {
  const cv = ANDREWS_CRITICAL_VALUES[params];
  if (supWald > cv.p1) return "1%";
  if (supWald > cv.p5) return "5%";
  if (supWald > cv.p10) return "10%";
  return "not significant";
}

export interface RegimeFit {
  from: string;
  to: string;
  n: number;
  intercept: number;
  beta: number;
  correlation: number;
}

export interface BreakTestResult {
  key: string;
  label: string;
  xId: string;
  yId: string;
  n: number;
  trim: number;
  covariance: BreakCovariance;
  supWald: number;
  criticalValues: { p10: number; p5: number; p1: number };
  significance: Significance;
  /** First date of the second regime at the sup (the estimated break date). */
  breakDate: string;
  /** sup-Wald / 5% critical value: above 1 rejects at 5%. */
  strength: number;
  before: RegimeFit;
  after: RegimeFit;
  /** The Chow statistic by candidate date (chart data). */
  path: { dates: string[]; statistic: Float64Array };
  warnings: Warning[];
  summary(): string;
}

function regimeFit(
  dates: readonly string[],
  x: Float64Array,
  y: Float64Array,
  lo: number,
  hi: number,
): RegimeFit {
  const st = pairStatistics(x.subarray(lo, hi), y.subarray(lo, hi));
  let mx = 0;
  let my = 0;
  for (let i = lo; i < hi; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= hi - lo;
  my /= hi - lo;
  return {
    from: dates[lo],
    to: dates[hi - 1],
    n: hi - lo,
    intercept: my - st.beta * mx,
    beta: st.beta,
    correlation: st.correlation,
  };
}

/** The sup-Wald break test on a relation's paired changes, with dates and the two regimes' fits. */
export function breakTest(
  input: RelationInput,
  label: { key: string; label: string },
  opts: SupWaldOptions = {},
): BreakTestResult {
  const dates: string[] = [];
  const xv: number[] = [];
  const yv: number[] = [];
  for (let i = 0; i < input.dates.length; i++) {
    if (Number.isFinite(input.x[i]) && Number.isFinite(input.y[i])) {
      dates.push(input.dates[i]);
      xv.push(input.x[i]);
      yv.push(input.y[i]);
    }
  }
  const x = Float64Array.from(xv);
  const y = Float64Array.from(yv);
  const scan = supWaldScan(y, x, opts);
  const cv = ANDREWS_CRITICAL_VALUES[2];
  const k = scan.breakIndex;
  const warnings: Warning[] = [...input.warnings];
  if (scan.covariance === "classical" && input.freq === "d") {
    warnings.push({
      code: "classical-break-test-daily",
      message: `${label.label}: the classical Chow statistic assumes homoskedastic errors; daily returns cluster in volatility, so prefer --covariance robust or monthly data`,
    });
  }
  const pathDates: string[] = [];
  const pathValues: number[] = [];
  for (let i = scan.firstCandidate; i <= scan.lastCandidate; i++) {
    pathDates.push(dates[i]);
    pathValues.push(scan.statistic[i]);
  }
  const result: BreakTestResult = {
    key: label.key,
    label: label.label,
    xId: input.xId,
    yId: input.yId,
    n: scan.n,
    trim: BREAK_TRIM,
    covariance: scan.covariance,
    supWald: scan.supWald,
    criticalValues: cv,
    significance: breakSignificance(scan.supWald),
    breakDate: dates[k],
    strength: scan.supWald / cv.p5,
    before: regimeFit(dates, x, y, 0, k),
    after: regimeFit(dates, x, y, k, scan.n),
    path: { dates: pathDates, statistic: Float64Array.from(pathValues) },
    warnings,
    summary: () => renderBreak(result),
  };
  return result;
}

function renderBreak(r: BreakTestResult): string {
  const verdict =
    r.significance === "not significant"
      ? `no break at 10% (sup-Wald ${num(r.supWald, 2)} < ${num(r.criticalValues.p10, 2)})`
      : `break significant at ${r.significance} (sup-Wald ${num(r.supWald, 2)}; 5% critical value ${num(r.criticalValues.p5, 2)})`;
  return [
    `${r.label}: Quandt-Andrews sup-Wald test for a break in intercept and beta, ${r.n} changes, ` +
      `15% trimming, ${r.covariance} covariance: ${verdict}; most likely break ${r.breakDate}`,
    formatTable(
      ["regime", "from", "to", "n", "beta", "correlation"],
      [
        [
          "before",
          r.before.from,
          r.before.to,
          r.before.n,
          num(r.before.beta, 3),
          num(r.before.correlation, 2),
        ],
        ["after", r.after.from, r.after.to, r.after.n, num(r.after.beta, 3), num(r.after.correlation, 2)],
      ],
      ["left", "left", "left", "right", "right", "right"],
    ),
  ].join("\n");
}

export type CorrelationSign = "positive" | "negative" | "neutral";

export interface SignRun {
  sign: CorrelationSign;
  from: string;
  to: string;
  /** Positions in the input arrays, inclusive. */
  start: number;
  end: number;
  length: number;
  meanCorrelation: number;
}

export interface SignFlip {
  /** First date of the new significant sign. */
  date: string;
  from: "positive" | "negative";
  to: "positive" | "negative";
  /** Last date of the previous significant run. */
  previousEnd: string;
  meanCorrelationBefore: number;
  meanCorrelationAfter: number;
  /** meanCorrelationAfter − meanCorrelationBefore. */
  strength: number;
}

/**
 * Runs of significant sign of a rolling correlation and the flips between them (see the module
 * comment). NaN positions are skipped. `minRun` (default 1) is the shortest run that counts.
 */
export function correlationSignFlips(
  dates: readonly string[],
  correlation: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  { minRun = 1 }: { minRun?: number } = {},
): { runs: SignRun[]; flips: SignFlip[]; zeroCrossings: number } {
  if (!Number.isInteger(minRun) || minRun < 1)
    throw new ModelError(`minRun must be a whole number >= 1, got ${minRun}`);
  const runs: SignRun[] = [];
  let cur: SignRun | null = null;
  let sum = 0;
  let zeroCrossings = 0;
  let prevSign = 0;
  for (let i = 0; i < correlation.length; i++) {
    const r = correlation[i];
    if (Number.isNaN(r)) continue;
    const sg = Math.sign(r);
    if (sg !== 0) {
      if (prevSign !== 0 && sg !== prevSign) zeroCrossings++;
      prevSign = sg;
    }
    const sign: CorrelationSign = lower[i] > 0 ? "positive" : upper[i] < 0 ? "negative" : "neutral";
    if (cur && cur.sign === sign) {
      cur.end = i;
      cur.to = dates[i];
      cur.length++;
      sum += r;
      cur.meanCorrelation = sum / cur.length;
    } else {
      cur = { sign, from: dates[i], to: dates[i], start: i, end: i, length: 1, meanCorrelation: r };
      sum = r;
      runs.push(cur);
    }
  }
  const flips: SignFlip[] = [];
  let last: SignRun | null = null;
  for (const run of runs) {
    if (run.sign === "neutral" || run.length < minRun) continue;
    if (last && last.sign !== run.sign) {
      flips.push({
        date: run.from,
        from: last.sign as "positive" | "negative",
        to: run.sign as "positive" | "negative",
        previousEnd: last.to,
        meanCorrelationBefore: last.meanCorrelation,
        meanCorrelationAfter: run.meanCorrelation,
        strength: run.meanCorrelation - last.meanCorrelation,
      });
    }
    last = run;
  }
  return { runs, flips, zeroCrossings };
}
