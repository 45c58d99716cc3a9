/**
 * Nelson-Siegel (1987) / Svensson (1994) curve fitted to observed yields by nonlinear least squares,
 * in the GSW (2007, eq. 22) parameterisation of ./svensson.ts: with x = n/τ, f(x) = (1 − e^{−x})/x,
 * g(x) = f(x) − e^{−x},   y(n) = β0 + β1 f(n/τ1) + β2 g(n/τ1) + β3 g(n/τ2)   (percent, n in years).
 *
 * Inputs are either zero yields (kind "zero": continuously compounded, like GSW SVENY) or par
 * yields (kind "par": bond-equivalent semiannual, like FRED DGS* or GSW SVENPY; the model's par
 * yield prices a par bond off the curve's discount factors, ./par.ts). Objective: Σ w_i (model_i −
 * observed_i)².
 *
 * Why this algorithm (it mirrors the numpy oracle shared/reference/nss_reference.py): the surface
 * in (τ1, τ2) has several local minima and, for τ1 ≈ τ2, near-collinear hump loadings (GSW's own
 * βs then reach ±5e4). Given the τs the βs are linear, so
 *   1. variable projection (Golub & Pereyra 1973): the βs are solved by least squares (QR) for
 *      each (τ1, τ2), leaving a 1-D (NS) or 2-D (NSS) problem in log τ;
 *   2. its concentrated sum of squares is evaluated on a 60 (×60) log grid of τ in [0.1, 30] years
 *      (the range of published GSW τs), and the 12 best grid-local minima (plus an optional warm
 *      start) are refined by Nelder-Mead in log τ within [0.1, 200] years. (τ1, τ2) and (τ2, τ1) are
 *      different models (β1 belongs to τ1 only): every Nelder-Mead solution is also restarted in
 *      the swapped order, which finds true minima lying in thin valleys the grid straddles
 *      (without it this search, like the oracle's, stops at 0.03-0.19 bp node errors on 5 of the
 *      717 month-ends with published parameters);
 *   3. Levenberg-Marquardt on all parameters (βs, log τs) from the best 3 distinct solutions,
 *      analytic Jacobian; the smallest sum of squares wins.
 * For kind "par" steps 1-2 run on zero yields bootstrapped from the par yields (./bootstrap.ts,
 * an approximation good enough for starting values) and step 3 on the par yields themselves.
 * Model choice ("auto"): Nelson-Siegel when it fits every input within `roundingPct` (default
 * 0.6e-4 percent: SVENY are published to 4 decimals, rounding error ≤ 0.5e-4, plus slack), else
 * Svensson; should the Svensson search end above the NS sum of squares (NS is nested in NSS), it
 * restarts from the NS solution, so NSS is never worse than NS.
 * Missing (NaN) yields are dropped. τ below 0.1 years is excluded: with nodes from 1 year on, a
 * smaller τ1 leaves the curve under one year unidentified.
 */
import type { Warning } from "../core/errors.ts";
import { InputError, ModelError } from "../core/errors.ts";
import { levenbergMarquardt, nelderMead } from "../stats/optimize.ts";
import { bootstrapParYields } from "./bootstrap.ts";
import { SmallLeastSquares } from "./lstsq.ts";
import { ParYieldSchedule } from "./par.ts";
import {
  GSW_MISSING,
  isNelsonSiegel,
  type SvenssonParams,
  svenssonDiscount,
  svenssonYield,
} from "./svensson.ts";

export type YieldKind = "zero" | "par";
export type CurveModel = "NS" | "NSS";

export interface CurveFitOptions {
  /** Non-negative weights, one per yield (default all 1). */
  weights?: ArrayLike<number>;
  /** "zero" (continuously compounded zero yields, default) or "par" (semiannual par yields). */
  kind?: YieldKind;
  /** "auto" (default): NS if it fits to `roundingPct`, else NSS. */
  model?: CurveModel | "auto";
  /** Percent; the input rounding below which NS is preferred (default 0.6e-4). */
  roundingPct?: number;
  /** Grid points per τ axis (default 60). */
  gridSize?: number;
  /** Years, the τ grid range (default [0.1, 30]). */
  tauGridYears?: readonly [number, number];
  /** Years, bounds on τ in the refinement (default [0.1, 200]). */
  tauBoundsYears?: readonly [number, number];
  /** Grid-local minima refined by Nelder-Mead (default 12). */
  starts?: number;
  /** Nelder-Mead solutions polished by Levenberg-Marquardt (default 3). */
  polish?: number;
  /** Extra start, e.g. the previous day's parameters. */
  warmStart?: SvenssonParams;
  /** Observation date, used in warnings and the summary. */
  date?: string;
}

export interface OptimizerReport {
  converged: boolean;
  /** Levenberg-Marquardt steps of the chosen solution. */
  iterations: number;
  /** Objective evaluations of the whole search (grid, Nelder-Mead, Levenberg-Marquardt). */
  evaluations: number;
  message: string;
}

export interface CurveFit {
  /** Fitted parameters; for NS beta3 = 0 and tau2 = GSW_MISSING (−999.99), never NaN. */
  params: SvenssonParams;
  model: CurveModel;
  kind: YieldKind;
  date?: string;
  /** Maturities used (missing yields dropped), years. */
  maturitiesYears: Float64Array;
  observedPct: Float64Array;
  fittedPct: Float64Array;
  /** fitted − observed, basis points. */
  residualsBp: Float64Array;
  /** Unweighted root mean square of the residuals, bp. */
  rmseBp: number;
  maxAbsErrorBp: number;
  optimizer: OptimizerReport;
  warnings: Warning[];
  summary(): string;
}

const DEFAULTS = {
  roundingPct: 0.6e-4,
  gridSize: 60,
  tauGrid: [0.1, 30] as const,
  tauBounds: [0.1, 200] as const,
  starts: 12,
  polish: 3,
};

/** f(x) = (1 − e^{−x})/x and g = f − e^{−x}, and their derivatives in x. */
function loadings(x: number, out: Float64Array): void {
  // One transcendental: e^{−x} = 1 + expm1(−x) is exact to rounding, and expm1 keeps f accurate
  // for small x where 1 − e^{−x} would cancel.
  const em = Math.expm1(-x);
  const e = 1 + em;
  const f = x < 1e-8 ? 1 - x / 2 : -em / x;
  const df = x < 1e-4 ? -0.5 + x / 3 - (x * x) / 8 : (e - f) / x;
  out[0] = f;
  out[1] = f - e;
  out[2] = df;
  out[3] = df + e;
}

/** θ = (β0, β1, β2, [β3], log τ1, [log τ2]) → SvenssonParams. */
function paramsOf(theta: ArrayLike<number>, nss: boolean): SvenssonParams {
  return nss
    ? {
        beta0: theta[0],
        beta1: theta[1],
        beta2: theta[2],
        beta3: theta[3],
        tau1: Math.exp(theta[4]),
        tau2: Math.exp(theta[5]),
      }
    : {
        beta0: theta[0],
        beta1: theta[1],
        beta2: theta[2],
        beta3: 0,
        tau1: Math.exp(theta[3]),
        tau2: GSW_MISSING,
      };
}

interface Problem {
  m: number;
  mat: Float64Array;
  /** Targets of the linear (variable-projection) stage: zero yields. */
  zeroTarget: Float64Array;
  /** Targets of the final stage (zero or par yields, as observed). */
  observed: Float64Array;
  sw: Float64Array;
  kind: YieldKind;
  /** Cash-flow schedule of the par maturities (kind "par"). */
  parSchedule?: ParYieldSchedule;
  ltLo: number;
  ltHi: number;
}

interface Candidate {
  lt: Float64Array;
  ssr: number;
}

interface ModelFit {
  theta: Float64Array;
  ssr: number;
  converged: boolean;
  iterations: number;
  message: string;
}

/** Search state shared by the stages of one model (NS or NSS). */
class VarPro {
  readonly p: Problem;
  readonly nss: boolean;
  readonly k: number;
  private readonly ls: SmallLeastSquares;
  private readonly a: Float64Array;
  private readonly yw: Float64Array;
  readonly coef: Float64Array;
  private readonly ld = new Float64Array(4);
  evaluations = 0;

  constructor(p: Problem, nss: boolean) {
    this.p = p;
    this.nss = nss;
    this.k = nss ? 4 : 3;
    this.ls = new SmallLeastSquares(p.m, this.k);
    this.a = new Float64Array(p.m * this.k);
    this.yw = Float64Array.from(p.zeroTarget, (y, i) => y * p.sw[i]);
    this.coef = new Float64Array(this.k);
  }

  /** Concentrated (weighted) sum of squares at log-τ `lt`; βs left in `coef`. */
  ssr(lt: ArrayLike<number>): number {
    const { m, mat, sw } = this.p;
    const a = this.a;
    const ld = this.ld;
    const t1 = Math.exp(lt[0]);
    for (let i = 0; i < m; i++) {
      loadings(mat[i] / t1, ld);
      a[i] = sw[i];
      a[m + i] = sw[i] * ld[0];
      a[2 * m + i] = sw[i] * ld[1];
    }
    if (this.nss) {
      const t2 = Math.exp(lt[1]);
      for (let i = 0; i < m; i++) {
        loadings(mat[i] / t2, ld);
        a[3 * m + i] = sw[i] * ld[1];
      }
    }
    this.evaluations++;
    return this.ls.solve(a, m, this.k, this.yw, this.coef);
  }

  /** Log-τ grid: `gridSize` points evenly spaced in log τ over `tauGrid` (years). */
  static logGrid(gridSize: number, tauGrid: readonly [number, number]): Float64Array {
    const a = Math.log(tauGrid[0]);
    const b = Math.log(tauGrid[1]);
    return Float64Array.from({ length: gridSize }, (_, i) => a + (i * (b - a)) / (gridSize - 1));
  }

  /**
   * Concentrated SSR on the log-τ grid `lg`: length G for NS; G × G row-major (row τ1, column
   * τ2) for NSS, +∞ on the diagonal τ1 = τ2 where the two hump loadings coincide.
   */
  gridSsr(lg: Float64Array): Float64Array {
    const gridSize = lg.length;
    if (!this.nss) return Float64Array.from(lg, (l) => this.ssr([l]));
    // For fixed τ1 the first three columns [1, f(n/τ1), g(n/τ1)] are shared by the whole grid
    // row: factor them once, then each τ2 only adds one column, whose contribution is the
    // classic one-column update SSR4 = SSR3 − (c⊥ᵀ y⊥)² / ‖c⊥‖² (⊥: orthogonal to the 3 columns).
    const { m, mat, sw } = this.p;
    const fw = new Float64Array(gridSize * m);
    const gw = new Float64Array(gridSize * m);
    const ld = this.ld;
    for (let k = 0; k < gridSize; k++) {
      const tau = Math.exp(lg[k]);
      for (let i = 0; i < m; i++) {
        loadings(mat[i] / tau, ld);
        fw[k * m + i] = sw[i] * ld[0];
        gw[k * m + i] = sw[i] * ld[1];
      }
    }
    const ls3 = new SmallLeastSquares(m, 3);
    const a3 = new Float64Array(3 * m);
    const yPerp = new Float64Array(m);
    const c = new Float64Array(m);
    const s = new Float64Array(gridSize * gridSize);
    for (let i = 0; i < gridSize; i++) {
      a3.set(sw, 0);
      a3.set(fw.subarray(i * m, (i + 1) * m), m);
      a3.set(gw.subarray(i * m, (i + 1) * m), 2 * m);
      const rank = ls3.factorize(a3, m, 3);
      yPerp.set(this.yw);
      const ssr3 = ls3.applyQt(yPerp);
      for (let j = 0; j < gridSize; j++) {
        if (i === j) {
          s[i * gridSize + j] = Number.POSITIVE_INFINITY;
          continue;
        }
        c.set(gw.subarray(j * m, (j + 1) * m));
        let cc = 0;
        for (let r = 0; r < m; r++) cc += c[r] * c[r];
        const cPerp2 = ls3.applyQt(c);
        let cy = 0;
        for (let r = rank; r < m; r++) cy += c[r] * yPerp[r];
        s[i * gridSize + j] = cPerp2 > 1e-26 * cc ? Math.max(0, ssr3 - (cy * cy) / cPerp2) : ssr3;
      }
      this.evaluations += gridSize - 1;
    }
    return s;
  }

  /** The best `keep` grid-local minima (≤ all 2 or 8 neighbours) of the concentrated SSR. */
  gridStarts(gridSize: number, tauGrid: readonly [number, number], keep: number): Candidate[] {
    const lg = VarPro.logGrid(gridSize, tauGrid);
    const s = this.gridSsr(lg);
    const out: Candidate[] = [];
    if (!this.nss) {
      for (let i = 0; i < gridSize; i++) {
        if (
          (i === 0 || s[i] <= s[i - 1]) &&
          (i === gridSize - 1 || s[i] <= s[i + 1]) &&
          Number.isFinite(s[i])
        ) {
          out.push({ lt: Float64Array.of(lg[i]), ssr: s[i] });
        }
      }
    } else {
      for (let i = 0; i < gridSize; i++) {
        for (let j = 0; j < gridSize; j++) {
          const v = s[i * gridSize + j];
          if (!Number.isFinite(v)) continue;
          let isMin = true;
          for (let di = -1; di <= 1 && isMin; di++) {
            for (let dj = -1; dj <= 1; dj++) {
              const ii = i + di;
              const jj = j + dj;
              if (
                (di || dj) &&
                ii >= 0 &&
                jj >= 0 &&
                ii < gridSize &&
                jj < gridSize &&
                s[ii * gridSize + jj] < v
              ) {
                isMin = false;
                break;
              }
            }
          }
          if (isMin) out.push({ lt: Float64Array.of(lg[i], lg[j]), ssr: v });
        }
      }
    }
    out.sort((x, y) => x.ssr - y.ssr);
    return out.slice(0, keep);
  }

  /** Nelder-Mead on log τ from `lt0`. */
  refine(lt0: Float64Array): Candidate & { evaluations: number } {
    const dim = lt0.length;
    const lo = new Float64Array(dim).fill(this.p.ltLo);
    const hi = new Float64Array(dim).fill(this.p.ltHi);
    const r = nelderMead((lt) => this.ssr(lt), lt0, {
      initialStep: 0.15,
      lower: lo,
      upper: hi,
      maxIterations: 400,
      maxEvaluations: 800,
      // Only the basin matters here (Levenberg-Marquardt polishes): 1e-5 in log τ is 1e-5 relative.
      xatol: 1e-5,
      fatol: 1e-9 * Math.max(this.ssr(lt0), 1e-30),
    });
    return { lt: r.x, ssr: r.fun, evaluations: r.evaluations };
  }

  /** θ = (βs from variable projection at lt, lt). */
  thetaAt(lt: ArrayLike<number>): Float64Array {
    this.ssr(lt);
    const th = new Float64Array(this.k + lt.length);
    th.set(this.coef);
    for (let i = 0; i < lt.length; i++) th[this.k + i] = lt[i];
    return th;
  }

  /** Levenberg-Marquardt on all parameters against the observed yields (zero or par). */
  polish(theta0: Float64Array, maxIterations: number): ModelFit {
    const { m, mat, sw, observed, kind } = this.p;
    const nss = this.nss;
    const npar = theta0.length;
    const lower = new Float64Array(npar).fill(Number.NEGATIVE_INFINITY);
    const upper = new Float64Array(npar).fill(Number.POSITIVE_INFINITY);
    for (let i = this.k; i < npar; i++) {
      lower[i] = this.p.ltLo;
      upper[i] = this.p.ltHi;
    }
    const ld = new Float64Array(4);
    const schedule = this.p.parSchedule ?? new ParYieldSchedule([]);
    const disc = new Float64Array(schedule.times.length);
    const residuals =
      kind === "zero"
        ? (th: Float64Array, out: Float64Array) => {
            const p = paramsOf(th, nss);
            for (let i = 0; i < m; i++) out[i] = sw[i] * (svenssonYield(p, mat[i]) - observed[i]);
          }
        : (th: Float64Array, out: Float64Array) => {
            const p = paramsOf(th, nss);
            for (let k = 0; k < schedule.times.length; k++) disc[k] = svenssonDiscount(p, schedule.times[k]);
            schedule.parYields(disc, out);
            for (let i = 0; i < m; i++) out[i] = sw[i] * (out[i] - observed[i]);
          };
    // Zero-yield Jacobian row at maturity t (d/d log τ of h(t/τ) is −x h'(x)), scaled by `w`.
    const zeroRow = (th: Float64Array, t: number, w: number, out: Float64Array, row: number) => {
      const t1 = Math.exp(th[this.k]);
      const x1 = t / t1;
      loadings(x1, ld);
      out[row] = w;
      out[row + 1] = w * ld[0];
      out[row + 2] = w * ld[1];
      const dlt1 = -x1 * (th[1] * ld[2] + th[2] * ld[3]);
      if (nss) {
        const x2 = t / Math.exp(th[5]);
        loadings(x2, ld);
        out[row + 3] = w * ld[1];
        out[row + 4] = w * dlt1;
        out[row + 5] = w * -x2 * th[3] * ld[3];
      } else out[row + 3] = w * dlt1;
    };
    const dDisc = new Float64Array(schedule.times.length * npar);
    const jacobian =
      kind === "zero"
        ? (th: Float64Array, jac: Float64Array) => {
            for (let i = 0; i < m; i++) zeroRow(th, mat[i], sw[i], jac, i * npar);
          }
        : (th: Float64Array, jac: Float64Array) => {
            // ∂P(t)/∂θ = −P(t) t/100 ∂y(t)/∂θ, then the par yields' chain rule (ParYieldSchedule).
            const p = paramsOf(th, nss);
            for (let k = 0; k < schedule.times.length; k++) {
              const t = schedule.times[k];
              disc[k] = svenssonDiscount(p, t);
              zeroRow(th, t, (-disc[k] * t) / 100, dDisc, k * npar);
            }
            schedule.parJacobian(disc, dDisc, npar, jac);
            for (let i = 0; i < m; i++) for (let j = 0; j < npar; j++) jac[i * npar + j] *= sw[i];
          };
    const r = levenbergMarquardt(residuals, theta0, m, {
      jacobian,
      lower,
      upper,
      maxIterations,
      // Σr² at the solution is ~1e-8 percent² (inputs rounded to 1e-4): a relative gain of 1e-13
      // moves the curve by far less than 1e-6 bp.
      ftol: 1e-13,
      xtol: 1e-13,
      gtol: 1e-13,
    });
    this.evaluations += r.evaluations;
    return { theta: r.x, ssr: r.fun, converged: r.converged, iterations: r.iterations, message: r.message };
  }
}

function fitModel(
  p: Problem,
  nss: boolean,
  opts: Required<Pick<CurveFitOptions, "gridSize" | "starts" | "polish">> & {
    tauGrid: readonly [number, number];
    warm?: SvenssonParams;
    nsSolution?: Float64Array;
    nsSsr?: number;
  },
): { fit: ModelFit; evaluations: number } {
  const vp = new VarPro(p, nss);
  const clampLt = (v: number) => Math.min(p.ltHi, Math.max(p.ltLo, v));
  const starts = vp.gridStarts(opts.gridSize, opts.tauGrid, opts.starts);
  const w = opts.warm;
  if (w && Number.isFinite(w.tau1) && w.tau1 > 0) {
    const wNss = !isNelsonSiegel(w) && w.tau2 > 0;
    if (!nss) starts.push({ lt: Float64Array.of(clampLt(Math.log(w.tau1))), ssr: Number.NaN });
    else if (wNss) {
      starts.push({
        lt: Float64Array.of(clampLt(Math.log(w.tau1)), clampLt(Math.log(w.tau2))),
        ssr: Number.NaN,
      });
    }
  }
  const refined = starts.map((s) => vp.refine(s.lt));
  if (nss) {
    // Both orders: (τ1, τ2) and (τ2, τ1) are different models (β1 loads on τ1 only), and the
    // swapped point often sits in the thin valley of the other order that the grid straddles
    // (e.g. 2002-06-28: the grid's best basin is τ = (12.5, 0.39), the true curve (0.45, 12.7)).
    for (const c of refined.slice()) refined.push(vp.refine(Float64Array.of(c.lt[1], c.lt[0])));
  }
  refined.sort((a, b) => a.ssr - b.ssr);
  // Polish the best few distinct Nelder-Mead solutions (distinct: log τ differs by > 1e-3).
  const chosen: Candidate[] = [];
  for (const c of refined) {
    if (chosen.length >= opts.polish) break;
    if (!Number.isFinite(c.ssr)) continue;
    if (chosen.some((d) => d.lt.every((v, i) => Math.abs(v - c.lt[i]) < 1e-3))) continue;
    chosen.push(c);
  }
  const thetas = chosen.map((c) => vp.thetaAt(c.lt));
  if (thetas.length === 0) throw new ModelError("curve fit: no finite starting point found on the τ grid");
  let best: ModelFit | null = null;
  for (const th of thetas) {
    const f = vp.polish(th, 500);
    if (best === null || f.ssr < best.ssr) best = f;
  }
  const ns = opts.nsSolution;
  if (nss && ns && best !== null && best.ssr > (opts.nsSsr ?? Number.POSITIVE_INFINITY)) {
    // NS is nested in NSS (β3 = 0, τ2 anywhere), so a Svensson fit worse than the NS one is a
    // local minimum: restart from the NS solution, τ2 away from τ1 so the loadings differ. Capped:
    // from there LM can crawl along the flat valley β3 ≈ 0 where τ2 is unidentified.
    const lt2 = clampLt(ns[3] + (ns[3] < Math.log(5) ? Math.log(5) : -Math.log(5)));
    const f = vp.polish(Float64Array.of(ns[0], ns[1], ns[2], 0, ns[3], lt2), 100);
    if (f.ssr < best.ssr) best = f;
  }
  return { fit: best as ModelFit, evaluations: vp.evaluations };
}

function fmt(v: number, digits = 6): string {
  return Number.isFinite(v) ? v.toPrecision(digits) : String(v);
}

function zeroProblem(
  maturitiesYears: ArrayLike<number>,
  zeroYieldsPct: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Problem {
  const m = maturitiesYears.length;
  if (zeroYieldsPct.length !== m || (weights && weights.length !== m)) {
    throw new InputError(
      `concentrated SSR: ${m} maturities, ${zeroYieldsPct.length} yields, ${weights?.length ?? m} weights`,
    );
  }
  for (let i = 0; i < m; i++) {
    if (!(maturitiesYears[i] > 0) || !Number.isFinite(zeroYieldsPct[i])) {
      throw new InputError(
        `concentrated SSR: maturity ${maturitiesYears[i]} / yield ${zeroYieldsPct[i]} at #${i + 1}`,
      );
    }
  }
  const observed = Float64Array.from(zeroYieldsPct);
  return {
    m,
    mat: Float64Array.from(maturitiesYears),
    zeroTarget: observed,
    observed,
    sw: Float64Array.from({ length: m }, (_, i) => Math.sqrt(weights ? weights[i] : 1)),
    kind: "zero",
    ltLo: Math.log(DEFAULTS.tauBounds[0]),
    ltHi: Math.log(DEFAULTS.tauBounds[1]),
  };
}

/**
 * Variable-projection objective: min over β of Σ w (y(n; β, τ) − observed)² for zero yields at
 * fixed τs (years; one τ for NS, two for NSS), with the βs that attain it. Diagnostic: the
 * profile that the fit searches.
 */
export function concentratedSsr(
  maturitiesYears: ArrayLike<number>,
  zeroYieldsPct: ArrayLike<number>,
  tausYears: readonly number[],
  weights?: ArrayLike<number>,
): { ssr: number; betas: Float64Array } {
  if (tausYears.length !== 1 && tausYears.length !== 2) {
    throw new InputError(`concentrated SSR: ${tausYears.length} τs given (1 for NS, 2 for NSS)`);
  }
  const vp = new VarPro(zeroProblem(maturitiesYears, zeroYieldsPct, weights), tausYears.length === 2);
  const ssr = vp.ssr(tausYears.map(Math.log));
  return { ssr, betas: Float64Array.from(vp.coef) };
}

/**
 * The concentrated SSR on the fit's log-τ grid (what selects the starting points): NS → one value
 * per τ; NSS → G × G row-major, row τ1, column τ2, +∞ where τ1 = τ2.
 */
export function concentratedSsrGrid(
  maturitiesYears: ArrayLike<number>,
  zeroYieldsPct: ArrayLike<number>,
  options: {
    model: CurveModel;
    gridSize?: number;
    tauGridYears?: readonly [number, number];
    weights?: ArrayLike<number>;
  },
): { tauYears: Float64Array; ssr: Float64Array } {
  const vp = new VarPro(
    zeroProblem(maturitiesYears, zeroYieldsPct, options.weights),
    options.model === "NSS",
  );
  const lg = VarPro.logGrid(options.gridSize ?? DEFAULTS.gridSize, options.tauGridYears ?? DEFAULTS.tauGrid);
  return { tauYears: lg.map(Math.exp), ssr: vp.gridSsr(lg) };
}

/**
 * Fit a Nelson-Siegel or Svensson curve to yields (percent) at maturities in years.
 * Throws InputError for malformed input (length mismatch, non-positive maturities, negative
 * weights) and ModelError when too few yields remain for the model.
 */
export function fitSvensson(
  maturitiesYears: ArrayLike<number>,
  yieldsPct: ArrayLike<number>,
  options: CurveFitOptions = {},
): CurveFit {
  const kind = options.kind ?? "zero";
  if (kind !== "zero" && kind !== "par") {
    throw new InputError(`curve fit: unknown kind "${String(kind)}" (use "zero" or "par")`);
  }
  const modelOpt = options.model ?? "auto";
  if (modelOpt !== "auto" && modelOpt !== "NS" && modelOpt !== "NSS") {
    throw new InputError(`curve fit: unknown model "${String(modelOpt)}" (use "auto", "NS" or "NSS")`);
  }
  if (maturitiesYears.length !== yieldsPct.length) {
    throw new InputError(`curve fit: ${maturitiesYears.length} maturities but ${yieldsPct.length} yields`);
  }
  if (options.weights && options.weights.length !== yieldsPct.length) {
    throw new InputError(`curve fit: ${options.weights.length} weights for ${yieldsPct.length} yields`);
  }
  const at = options.date ? ` on ${options.date}` : "";
  const mat: number[] = [];
  const obs: number[] = [];
  const sw: number[] = [];
  for (let i = 0; i < yieldsPct.length; i++) {
    const t = maturitiesYears[i];
    if (!(t > 0) || !Number.isFinite(t)) {
      throw new InputError(`curve fit${at}: maturity #${i + 1} is ${t} years, expected a positive number`);
    }
    const y = yieldsPct[i];
    const w = options.weights ? options.weights[i] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new InputError(`curve fit${at}: weight at ${t} years is ${w}, expected a finite number ≥ 0`);
    }
    if (Number.isNaN(y) || w === 0) continue;
    if (!Number.isFinite(y)) throw new InputError(`curve fit${at}: yield at ${t} years is ${y}`);
    mat.push(t);
    obs.push(y);
    sw.push(Math.sqrt(w));
  }
  const m = mat.length;
  const minObs = modelOpt === "NSS" ? 6 : 4;
  if (m < minObs) {
    throw new ModelError(
      `curve fit${at}: ${m} usable yields; ${modelOpt === "NSS" ? "Svensson" : "Nelson-Siegel"} needs at least ${minObs}`,
    );
  }
  const tauBounds = options.tauBoundsYears ?? DEFAULTS.tauBounds;
  const tauGrid = options.tauGridYears ?? DEFAULTS.tauGrid;
  if (!(tauBounds[0] > 0 && tauBounds[1] > tauBounds[0] && tauGrid[0] > 0 && tauGrid[1] > tauGrid[0])) {
    throw new InputError(`curve fit: invalid τ ranges grid [${tauGrid}] / bounds [${tauBounds}] (years)`);
  }
  const gridSize = options.gridSize ?? DEFAULTS.gridSize;
  if (!Number.isInteger(gridSize) || gridSize < 3)
    throw new InputError(`curve fit: gridSize ${gridSize} (need ≥ 3)`);
  const roundingPct = options.roundingPct ?? DEFAULTS.roundingPct;

  const matA = Float64Array.from(mat);
  const observed = Float64Array.from(obs);
  const zeroTarget =
    kind === "zero"
      ? observed
      : bootstrapParYields(matA, observed, { date: options.date }).zeroYieldsPct(matA);
  const problem: Problem = {
    m,
    mat: matA,
    zeroTarget,
    observed,
    sw: Float64Array.from(sw),
    kind,
    parSchedule: kind === "par" ? new ParYieldSchedule(matA) : undefined,
    ltLo: Math.log(tauBounds[0]),
    ltHi: Math.log(tauBounds[1]),
  };
  const search = {
    gridSize,
    starts: options.starts ?? DEFAULTS.starts,
    polish: options.polish ?? DEFAULTS.polish,
    tauGrid,
    warm: options.warmStart,
  };

  const evalCurve = (p: SvenssonParams): Float64Array => {
    if (kind === "zero") return Float64Array.from(matA, (t) => svenssonYield(p, t));
    const sched = problem.parSchedule as ParYieldSchedule;
    const disc = Float64Array.from(sched.times, (t) => svenssonDiscount(p, t));
    return sched.parYields(disc, new Float64Array(m));
  };
  const maxErr = (fitted: Float64Array) => {
    let e = 0;
    for (let i = 0; i < m; i++) e = Math.max(e, Math.abs(fitted[i] - observed[i]));
    return e;
  };

  let evaluations = 0;
  let model: CurveModel;
  let chosen: ModelFit;
  let nsFit: ModelFit | undefined;
  if (modelOpt !== "NSS") {
    const r = fitModel(problem, false, search);
    evaluations += r.evaluations;
    nsFit = r.fit;
  }
  if (
    modelOpt === "NS" ||
    (modelOpt === "auto" && (m < 6 || maxErr(evalCurve(paramsOf(nsFit!.theta, false))) <= roundingPct))
  ) {
    model = "NS";
    chosen = nsFit!;
  } else {
    const r = fitModel(problem, true, { ...search, nsSolution: nsFit?.theta, nsSsr: nsFit?.ssr });
    evaluations += r.evaluations;
    model = "NSS";
    chosen = r.fit;
  }

  const params = paramsOf(chosen.theta, model === "NSS");
  for (const [k, v] of Object.entries(params)) {
    if (!Number.isFinite(v))
      throw new ModelError(`curve fit${at}: parameter ${k} is ${v} (optimiser failure)`);
  }
  const fitted = evalCurve(params);
  const residualsBp = Float64Array.from(fitted, (v, i) => 100 * (v - observed[i]));
  let ss = 0;
  let maxAbs = 0;
  let maxAt = 0;
  for (let i = 0; i < m; i++) {
    ss += residualsBp[i] * residualsBp[i];
    if (Math.abs(residualsBp[i]) > maxAbs) {
      maxAbs = Math.abs(residualsBp[i]);
      maxAt = matA[i];
    }
  }
  const rmseBp = Math.sqrt(ss / m);

  const warnings: Warning[] = [];
  if (!chosen.converged) {
    warnings.push({
      code: "optimizer-not-converged",
      message: `curve fit${at}: Levenberg-Marquardt did not converge (${chosen.message}); max error ${maxAbs.toFixed(4)} bp`,
      date: options.date,
    });
  }
  const taus = model === "NSS" ? [params.tau1, params.tau2] : [params.tau1];
  for (const [i, tau] of taus.entries()) {
    if (tau <= tauBounds[0] * (1 + 1e-9) || tau >= tauBounds[1] * (1 - 1e-9)) {
      warnings.push({
        code: "tau-at-bound",
        message: `curve fit${at}: τ${i + 1} = ${fmt(tau)} years sits at its bound [${tauBounds[0]}, ${tauBounds[1]}]`,
        date: options.date,
      });
    }
  }
  const optimizer: OptimizerReport = {
    converged: chosen.converged,
    iterations: chosen.iterations,
    evaluations,
    message: chosen.message,
  };
  const kindText = kind === "zero" ? "zero yields (cont. comp.)" : "par yields (semiannual bond-equivalent)";
  return {
    params,
    model,
    kind,
    date: options.date,
    maturitiesYears: matA,
    observedPct: observed,
    fittedPct: fitted,
    residualsBp,
    rmseBp,
    maxAbsErrorBp: maxAbs,
    optimizer,
    warnings,
    summary() {
      const p = params;
      const lines = [
        `${model === "NSS" ? "Svensson (NSS)" : "Nelson-Siegel (NS)"} fit to ${m} ${kindText}, percent${at}`,
        `  beta0 ${fmt(p.beta0)}  beta1 ${fmt(p.beta1)}  beta2 ${fmt(p.beta2)}` +
          (model === "NSS" ? `  beta3 ${fmt(p.beta3)}` : ""),
        `  tau1 ${fmt(p.tau1)} y${model === "NSS" ? `  tau2 ${fmt(p.tau2)} y` : ""}`,
        `  RMSE ${rmseBp.toFixed(4)} bp, max |error| ${maxAbs.toFixed(4)} bp (at ${fmt(maxAt, 4)} y)`,
        `  optimizer: ${optimizer.converged ? "converged" : "NOT converged"} (${optimizer.message}), ` +
          `${optimizer.iterations} LM steps, ${optimizer.evaluations} evaluations`,
        `  warnings: ${warnings.length === 0 ? "none" : warnings.map((w) => w.message).join("; ")}`,
      ];
      return lines.join("\n");
    },
  };
}
