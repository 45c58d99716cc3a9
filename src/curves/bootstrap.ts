/**
 * Bootstrap of a zero-coupon curve from Treasury constant-maturity par yields (FRED DGS1MO ..
 * DGS30: bond-equivalent, semiannual coupons; conventions in ./par.ts).
 *
 * Method (the classic par-curve strip, e.g. Fabozzi, "Bond Markets, Analysis and Strategies",
 * ch. 5): the par yield curve is interpolated *linearly in maturity* between the observed nodes
 * (flat below the shortest node; not extrapolated beyond the longest). Linear par interpolation is
 * the simplest choice that reproduces every quoted yield exactly and introduces no oscillation
 * (splines through 11 CMT points can overshoot between 10y and 20y/30y); its cost is kinked
 * forwards at the nodes, which is why the GSW/NSS fit (./fit.ts) is the curve for term-premium
 * work and this bootstrap the model-free cross-check. Then, for a maturity T:
 *   - T < 1 year: a bill; P(T) = billDiscountFromYield(par(T), T).
 *   - T ≥ 1 year: the par bond maturing at T has coupons at t_k = t1 + ½(k − 1), k = 1..n, t1 ∈ (0, ½];
 *     the discount factors are stripped sequentially along that chain: bills below one year, then
 *     P(t_k) = (1 + c_k (½ − t1) − c_k/2 Σ_{j<k} P(t_j)) / (1 + c_k/2), c_k = par(t_k) / 100,
 *     i.e. each par bond (clean price 1, accrued c_k (½ − t1)) is priced exactly.
 * On the semiannual grid (t1 = ½) this is the textbook strip; when par yields are supplied at every
 * half-year the bootstrap is exact to rounding (~1e-12). Between supplied nodes the zero curve
 * inherits the linear par interpolation.
 * Zero yields are continuously compounded, percent: z(T) = −100 ln P(T) / T.
 */
import type { Warning } from "../core/errors.ts";
import { InputError, ModelError } from "../core/errors.ts";
import { billDiscountFromYield, COUPON_FROM_YEARS, couponCount } from "./par.ts";

/** FRED's nominal constant-maturity Treasury series and their maturities in years. */
export const FRED_CMT_TENORS: readonly { id: string; years: number }[] = [
  { id: "DGS1MO", years: 1 / 12 },
  { id: "DGS3MO", years: 0.25 },
  { id: "DGS6MO", years: 0.5 },
  { id: "DGS1", years: 1 },
  { id: "DGS2", years: 2 },
  { id: "DGS3", years: 3 },
  { id: "DGS5", years: 5 },
  { id: "DGS7", years: 7 },
  { id: "DGS10", years: 10 },
  { id: "DGS20", years: 20 },
  { id: "DGS30", years: 30 },
];

export interface BootstrapOptions {
  /** Observation date, only used to label warnings. */
  date?: string;
}

export interface BootstrappedCurve {
  /** Nodes used (missing yields dropped), increasing, years. */
  nodesYears: Float64Array;
  /** Par yields at those nodes, percent, bond-equivalent. */
  parYieldsPct: Float64Array;
  /** Half-year grid ½, 1, …, up to the longest node, years. */
  gridYears: Float64Array;
  /** Discount factors on the half-year grid. */
  gridDiscount: Float64Array;
  warnings: Warning[];
  /** Interpolated par yield (percent) at `years` ≤ the longest node. */
  parYieldPct(years: number): number;
  /** Discount factor at 0 < `years` ≤ the longest node. */
  discount(years: number): number;
  /** Zero-coupon yield, continuously compounded percent, at 0 < `years` ≤ the longest node. */
  zeroYieldPct(years: number): number;
  zeroYieldsPct(years: ArrayLike<number>): Float64Array;
}

/**
 * Build the zero curve from par yields. Missing (NaN) yields are dropped; maturities must be
 * positive and distinct. Throws InputError on malformed input, ModelError when the strip gives a
 * non-positive discount factor (par yields no bond could have).
 */
export function bootstrapParYields(
  maturitiesYears: ArrayLike<number>,
  parYieldsPct: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrappedCurve {
  if (maturitiesYears.length !== parYieldsPct.length) {
    throw new InputError(
      `bootstrap: ${maturitiesYears.length} maturities but ${parYieldsPct.length} par yields`,
    );
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < maturitiesYears.length; i++) {
    const t = maturitiesYears[i];
    if (!(t > 0) || !Number.isFinite(t)) {
      throw new InputError(`bootstrap: maturity #${i + 1} is ${t} years, expected a positive number`);
    }
    const y = parYieldsPct[i];
    if (Number.isNaN(y)) continue;
    if (!Number.isFinite(y)) throw new InputError(`bootstrap: par yield at ${t} years is ${y}`);
    pairs.push([t, y]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < pairs.length; i++) {
    if (pairs[i][0] === pairs[i - 1][0]) {
      throw new InputError(`bootstrap: maturity ${pairs[i][0]} years given twice`);
    }
  }
  const at = options.date ? ` on ${options.date}` : "";
  if (pairs.length === 0) throw new ModelError(`bootstrap${at}: no par yields (all missing)`);
  const nodes = Float64Array.from(pairs, (p) => p[0]);
  const pars = Float64Array.from(pairs, (p) => p[1]);
  const longest = nodes[nodes.length - 1];
  const warnings: Warning[] = [];
  if (nodes[0] > 0.5) {
    warnings.push({
      code: "short-end-extrapolated",
      message: `bootstrap${at}: shortest par yield is at ${nodes[0]} years; par yields below it are held flat`,
      date: options.date,
    });
  }

  const parAt = (t: number): number => {
    if (t > longest * (1 + 1e-12)) {
      throw new ModelError(`bootstrap${at}: ${t} years is beyond the longest par yield (${longest} years)`);
    }
    if (t <= nodes[0]) return pars[0];
    let hi = 1;
    while (hi < nodes.length - 1 && nodes[hi] < t) hi++;
    const lo = hi - 1;
    const w = (t - nodes[lo]) / (nodes[hi] - nodes[lo]);
    return pars[lo] + w * (pars[hi] - pars[lo]);
  };

  const discount = (t: number): number => {
    if (!(t > 0)) throw new ModelError(`bootstrap${at}: maturity must be > 0 years, got ${t}`);
    if (t < COUPON_FROM_YEARS) return billDiscountFromYield(parAt(t), t);
    const n = couponCount(t);
    const t1 = t - 0.5 * (n - 1);
    let sum = 0;
    let p = 1;
    for (let k = 0; k < n; k++) {
      const tk = k === n - 1 ? t : t1 + 0.5 * k;
      if (tk < COUPON_FROM_YEARS) p = billDiscountFromYield(parAt(tk), tk);
      else {
        const c = parAt(tk) / 100;
        p = (1 + c * (0.5 - t1) - (c / 2) * sum) / (1 + c / 2);
      }
      if (!(p > 0)) {
        throw new ModelError(
          `bootstrap${at}: discount factor at ${tk} years is ${p}: the par yields cannot be stripped`,
        );
      }
      sum += p;
    }
    return p;
  };

  const zeroYieldPct = (t: number): number => (-100 * Math.log(discount(t))) / t;
  const nGrid = Math.floor(2 * longest + 1e-9);
  const gridYears = Float64Array.from({ length: nGrid }, (_, k) => 0.5 * (k + 1));
  const gridDiscount = gridYears.map((t) => discount(t));
  for (let k = 1; k < nGrid; k++) {
    if (gridDiscount[k] >= gridDiscount[k - 1]) {
      warnings.push({
        code: "negative-forward",
        message: `bootstrap${at}: discount factor rises from ${gridYears[k - 1]} to ${gridYears[k]} years (negative forward rate)`,
        date: options.date,
      });
      break;
    }
  }
  return {
    nodesYears: nodes,
    parYieldsPct: pars,
    gridYears,
    gridDiscount,
    warnings,
    parYieldPct: parAt,
    discount,
    zeroYieldPct,
    zeroYieldsPct: (years) => Float64Array.from({ length: years.length }, (_, i) => zeroYieldPct(years[i])),
  };
}
