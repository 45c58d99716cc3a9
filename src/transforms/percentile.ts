/**
 * Percentile ranks in [0, 1], the last step of every composite macro score (METHODS.md §2:
 * "the weighted sum is then percentile-ranked to a 0–100 score"; multiply by 100 for that).
 *
 * With L = #{values < x} and E = #{values <= x} among n values (x itself included), the tie
 * conventions are those of scipy.stats.percentileofscore's `kind`, divided by 100:
 *   mean   (L + E) / 2n          (default: a new high gives 1 − 1/2n, a single value 0.5, and the
 *                                 inverse percentile 1 − p is the percentile of −x exactly)
 *   weak   E / n                 (the empirical CDF; pandas rank(pct=True, method="max"))
 *   strict L / n
 *   rank   (L + E + [E > L]) / 2n (average rank / n; pandas rank(pct=True), the pandas default)
 *
 * The expanding version is the as-of honest default: at t only x_1..x_t are ranked, so the
 * value at t never changes when later data arrive. It runs in O(n log n) with a Fenwick
 * (binary indexed) tree over the ranks of the distinct values (Fenwick 1994): insert x_t, then
 * L and E are two prefix counts.
 */
import type { Series } from "../core/series.ts";
import { derived, deriveMeta, requireOneOf, resolveMinPeriods } from "./common.ts";

export type PercentileKind = "mean" | "weak" | "strict" | "rank";
export const PERCENTILE_KINDS: readonly PercentileKind[] = ["mean", "weak", "strict", "rank"];

export interface PercentileOptions {
  /** Tie convention (see the module comment); default "mean". */
  kind?: PercentileKind;
}

export interface ExpandingPercentileOptions extends PercentileOptions {
  /** Valid observations needed up to t before a rank is given; default 1 (early ranks are noisy). */
  minPeriods?: number;
}

/** Percentile in [0, 1] of a value with `less` values below it and `lessEq` at or below it, among n. */
export function percentileFromCounts(less: number, lessEq: number, n: number, kind: PercentileKind): number {
  switch (kind) {
    case "mean":
      return (less + lessEq) / (2 * n);
    case "weak":
      return lessEq / n;
    case "strict":
      return less / n;
    case "rank":
      return (less + lessEq + (lessEq > less ? 1 : 0)) / (2 * n);
  }
}

/**
 * Distinct valid values sorted ascending, and for each position the 1-based rank of its value
 * among them (0 for NaN). Sorting once makes every later lookup O(1).
 */
function denseRanks(x: Float64Array): { rank: Int32Array; distinct: number } {
  const n = x.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i])) order.push(i);
  order.sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : 0)); // ±Infinity-safe, unlike x[a] − x[b]
  const rank = new Int32Array(n);
  let r = 0;
  for (let k = 0; k < order.length; k++) {
    if (k === 0 || x[order[k]] !== x[order[k - 1]]) r++;
    rank[order[k]] = r;
  }
  return { rank, distinct: r };
}

/**
 * Expanding (as-of) percentile rank: p_t = rank of x_t among the valid x_1..x_t, in [0, 1].
 * NaN policy: NaN skipped (not counted); NaN at t gives NaN; NaN until `minPeriods` valid values.
 * O(n log n).
 */
export function percentileRankExpandingValues(
  x: Float64Array,
  opts: ExpandingPercentileOptions = {},
): Float64Array {
  const kind = requireOneOf("percentileRankExpanding", "kind", opts.kind ?? "mean", PERCENTILE_KINDS);
  const minP = resolveMinPeriods("percentileRankExpanding", opts.minPeriods, 1, 1);
  const { rank, distinct } = denseRanks(x);
  const tree = new Int32Array(distinct + 1); // Fenwick tree of counts per rank
  const prefix = (r: number): number => {
    let s = 0;
    for (let j = r; j > 0; j -= j & -j) s += tree[j];
    return s;
  };
  const out = new Float64Array(x.length).fill(Number.NaN);
  let seen = 0;
  for (let i = 0; i < x.length; i++) {
    const r = rank[i];
    if (r === 0) continue;
    for (let j = r; j <= distinct; j += j & -j) tree[j]++;
    seen++;
    if (seen >= minP) out[i] = percentileFromCounts(prefix(r - 1), prefix(r), seen, kind);
  }
  return out;
}

/**
 * Full-sample percentile rank: each x_t ranked among ALL valid values, later ones included. This
 * looks ahead (a 2008 value is ranked against 2020 data) and is for description only, never for
 * signals or backtests. NaN policy: NaN skipped; NaN at t gives NaN.
 */
export function percentileRankFullSampleValues(x: Float64Array, opts: PercentileOptions = {}): Float64Array {
  const kind = requireOneOf("percentileRankFullSample", "kind", opts.kind ?? "mean", PERCENTILE_KINDS);
  const { rank, distinct } = denseRanks(x);
  const countByRank = new Int32Array(distinct + 1);
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (rank[i] > 0) {
      countByRank[rank[i]]++;
      n++;
    }
  }
  const atOrBelow = new Int32Array(distinct + 1);
  for (let r = 1; r <= distinct; r++) atOrBelow[r] = atOrBelow[r - 1] + countByRank[r];
  const out = new Float64Array(x.length).fill(Number.NaN);
  for (let i = 0; i < x.length; i++) {
    const r = rank[i];
    if (r > 0) out[i] = percentileFromCounts(atOrBelow[r - 1], atOrBelow[r], n, kind);
  }
  return out;
}

/** Expanding (as-of) percentile rank in [0, 1]; see `percentileRankExpandingValues`. */
export function percentileRankExpanding(s: Series, opts: ExpandingPercentileOptions = {}): Series {
  return derived(
    s,
    percentileRankExpandingValues(s.values, opts),
    deriveMeta(s.meta, {
      suffix: "expanding percentile rank",
      note: `percentile rank among observations up to each date (as-of, kind ${opts.kind ?? "mean"})`,
      units: "percentile rank (0-1)",
    }),
  );
}

/** Full-sample percentile rank in [0, 1], labelled look-ahead; see `percentileRankFullSampleValues`. */
export function percentileRankFullSample(s: Series, opts: PercentileOptions = {}): Series {
  return derived(
    s,
    percentileRankFullSampleValues(s.values, opts),
    deriveMeta(s.meta, {
      suffix: "full-sample (look-ahead) percentile rank",
      note: `full-sample (look-ahead) percentile rank, kind ${opts.kind ?? "mean"}: uses later data`,
      units: "percentile rank (0-1)",
    }),
  );
}
