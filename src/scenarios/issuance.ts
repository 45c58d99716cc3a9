/**
 * Issuance scenarios → net supply path → term-premium path (METHODS.md §1c). Month by month
 * from the month after the last supply observation, the scenario changes net coupon supply in
 * 10-year equivalents (duration.ts; yields held at the last observed 10-year yield):
 *
 * - auction-size changes: ΔA $bn more (or less) at every monthly auction of an n-year tenor from
 *   `from` to `to`; each extra issue ages, its duration D(remaining, y)/D(10, y) shrinking, and
 *   leaves coupon supply with 12 months to go (the same cut-off as the historical measure);
 * - central-bank purchases (+) or run-off (−) per month, at `durationYears` (default: the coupon
 *   stock's duration; run-off is refinanced by the Treasury at that average duration);
 * - a bills-share move from `nowPct` to `targetPct` of marketable debt, linear over `overMonths`:
 *   (target − now) × nominal marketable debt moves between bills and coupons at the coupon
 *   stock's duration. It comes on top of the auction changes: leave it out when the auction
 *   changes already implement it.
 *
 * Baseline (no scenario): net supply held at its last observed ratio to GDP (`pctGdp` scale;
 * GDP grows at `nominalGdpGrowthPct`) or at its last level in $ (`tn` scale). The term premium
 * path comes from the fitted relation (a + b x, with a prediction interval) and, anchored at the
 * last observed premium, TP_last + b (x − x_last) with the slope's HAC band. Every row is a
 * projection.
 */
import { addMonths, endOfMonth } from "../core/dates.ts";
import { normalQuantile } from "../stats/distributions.ts";
import { parModifiedDurationYears, tenYearDurationYears } from "./duration.ts";
import type { FieldIssue } from "./issues.ts";
import { monthsBetween } from "./policy-path.ts";
import { predictTermPremium, type SupplyFit } from "./supply-regression.ts";

export interface AuctionChange {
  tenorYears: number;
  /** Change in each monthly auction's size, $bn (negative = smaller). */
  changeBn: number;
  /** First and last auction month changed, YYYY-MM (to: open = through the horizon). */
  from: string;
  to?: string;
}

export interface CentralBankFlow {
  /** $bn per month: positive = purchases (less supply for the public), negative = run-off. */
  perMonthBn: number;
  from: string;
  to?: string;
  /** Modified duration of what is bought or run off, years (default: the coupon stock's). */
  durationYears?: number;
}

export interface BillsShareTarget {
  nowPct: number;
  targetPct: number;
  overMonths: number;
}

export interface IssuanceScenario {
  horizonMonths: number;
  nominalGdpGrowthPct: number;
  auctions: AuctionChange[];
  centralBank: CentralBankFlow[];
  billsShare?: BillsShareTarget;
}

/** The last observed state the projection starts from. */
export interface SupplyBase {
  /** Record date of the last supply observation. */
  date: string;
  net10yEqBn: number;
  gdpBn: number;
  tenYearYieldPct: number;
  couponDurationYears: number;
  nominalMarketableBn: number;
}

export type SupplyScale = "pctGdp" | "tn";

export interface SupplyProjectionRow {
  month: string;
  date: string;
  auctions10yEqBn: number;
  centralBank10yEqBn: number;
  billsShift10yEqBn: number;
  /** Scenario change against the baseline, $bn of 10-year equivalents. */
  delta10yEqBn: number;
  net10yEqBn: number;
  gdpBn: number;
  netPctGdp: number;
}

export interface TermPremiumPathRow extends SupplyProjectionRow {
  /** Regressor on the chosen scale (% of GDP, or $tn). */
  x: number;
  tpFittedPct: number;
  lowerPct: number;
  upperPct: number;
  tpAnchoredPct: number;
  anchoredLowerPct: number;
  anchoredUpperPct: number;
  projection: true;
}

/** First projected month (the month after the last supply observation). */
export function firstProjectedMonth(base: SupplyBase): string {
  return addMonths(`${base.date.slice(0, 7)}-01`, 1).slice(0, 7);
}

/** Field-addressed problems with `s` against a projection starting at `firstMonth`. */
export function checkIssuanceScenario(s: IssuanceScenario, firstMonth: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const lastMonth = addMonths(`${firstMonth}-01`, s.horizonMonths - 1).slice(0, 7);
  const window = (kind: string, list: { from: string; to?: string }[]) =>
    list.forEach((e, i) => {
      if (e.from < firstMonth)
        issues.push({
          field: [kind, i, "from"],
          message:
            `${e.from} is before the projection starts (${firstMonth}, the month after the last ` +
            `supply data): it would rewrite observed data`,
        });
      else if (e.from > lastMonth)
        issues.push({
          field: [kind, i, "from"],
          message: `${e.from} is after the projection horizon (${lastMonth}): raise horizonMonths`,
        });
      if (e.to !== undefined && e.to < e.from)
        issues.push({ field: [kind, i, "to"], message: `${e.to} is before from ${e.from}` });
    });
  window("auctions", s.auctions);
  window("centralBank", s.centralBank);
  if (!Number.isInteger(s.horizonMonths) || s.horizonMonths < 1)
    issues.push({ field: ["horizonMonths"], message: `must be a whole number >= 1, got ${s.horizonMonths}` });
  return issues;
}

/** Monthly net supply under the scenario on `scale`'s baseline, month 1 = the month after `base.date`. */
export function projectNetSupply(
  base: SupplyBase,
  s: IssuanceScenario,
  scale: SupplyScale,
): SupplyProjectionRow[] {
  const h = s.horizonMonths;
  const first = firstProjectedMonth(base);
  const y = base.tenYearYieldPct;
  const d10 = tenYearDurationYears(y);
  const monthIdx = (m: string) => monthsBetween(base.date, m); // 1 = first projected month
  const auctions = new Float64Array(h + 1);
  for (const a of s.auctions) {
    const s0 = Math.max(1, monthIdx(a.from));
    const s1 = Math.min(h, a.to ? monthIdx(a.to) : h);
    const life = Math.round(a.tenorYears * 12);
    for (let iss = s0; iss <= s1; iss++) {
      for (let t = iss; t <= h; t++) {
        const remaining = life - (t - iss);
        if (remaining <= 12) break; // within a year of maturity: not coupon supply any more
        auctions[t] += (a.changeBn * parModifiedDurationYears(remaining / 12, y)) / d10;
      }
    }
  }
  const cb = new Float64Array(h + 1);
  for (const c of s.centralBank) {
    const s0 = Math.max(1, monthIdx(c.from));
    const s1 = Math.min(h, c.to ? monthIdx(c.to) : h);
    const eq = (c.durationYears ?? base.couponDurationYears) / d10;
    let cum = 0;
    for (let t = 1; t <= h; t++) {
      if (t >= s0 && t <= s1) cum += c.perMonthBn;
      cb[t] -= cum * eq;
    }
  }
  const rows: SupplyProjectionRow[] = [];
  const g = s.nominalGdpGrowthPct / 100;
  for (let t = 1; t <= h; t++) {
    const month = addMonths(`${first}-01`, t - 1).slice(0, 7);
    let bills = 0;
    if (s.billsShare) {
      const share = (s.billsShare.targetPct - s.billsShare.nowPct) / 100;
      const f = Math.min(1, t / s.billsShare.overMonths);
      bills = (-share * base.nominalMarketableBn * f * base.couponDurationYears) / d10;
    }
    const delta = auctions[t] + cb[t] + bills;
    const gdp = base.gdpBn * (1 + g) ** (monthsBetween(base.date, month) / 12);
    const net = (scale === "pctGdp" ? (base.net10yEqBn / base.gdpBn) * gdp : base.net10yEqBn) + delta;
    rows.push({
      month,
      date: endOfMonth(`${month}-01`),
      auctions10yEqBn: auctions[t],
      centralBank10yEqBn: cb[t],
      billsShift10yEqBn: bills,
      delta10yEqBn: delta,
      net10yEqBn: net,
      gdpBn: gdp,
      netPctGdp: (net / gdp) * 100,
    });
  }
  return rows;
}

/** The regressor on `scale`: percent of GDP, or $tn. */
export function supplyX(netBn: number, gdpBn: number, scale: SupplyScale): number {
  return scale === "pctGdp" ? (netBn / gdpBn) * 100 : netBn / 1000;
}

/** Term-premium path along projected supply (fitted with prediction interval; anchored with slope band). */
export function projectTermPremium(
  rows: readonly SupplyProjectionRow[],
  fit: SupplyFit,
  anchor: { x: number; tpPct: number },
  scale: SupplyScale,
  intervalPct: number,
): TermPremiumPathRow[] {
  const z = normalQuantile(0.5 + intervalPct / 200);
  return rows.map((r) => {
    const x = supplyX(r.net10yEqBn, r.gdpBn, scale);
    const p = predictTermPremium(fit, x, intervalPct);
    const dx = x - anchor.x;
    const tpAnchored = anchor.tpPct + fit.slope * dx;
    const half = z * fit.slopeSeHac * Math.abs(dx);
    return {
      ...r,
      x,
      tpFittedPct: p.meanPct,
      lowerPct: p.lowerPct,
      upperPct: p.upperPct,
      tpAnchoredPct: tpAnchored,
      anchoredLowerPct: tpAnchored - half,
      anchoredUpperPct: tpAnchored + half,
      projection: true,
    };
  });
}

export function issuanceAssumptions(scale: SupplyScale, s: IssuanceScenario, base: SupplyBase): string[] {
  return [
    `projection from ${firstProjectedMonth(base)} (the month after the last supply data, ${base.date}); ` +
      `every row is a projection`,
    scale === "pctGdp"
      ? `baseline: net supply held at its last ratio to GDP; GDP grows ${s.nominalGdpGrowthPct}% a year`
      : "baseline: net supply held at its last level in $",
    `durations at the last 10-year yield (${base.tenYearYieldPct.toFixed(2)}%); extra issues age and ` +
      `leave coupon supply 12 months before maturity`,
    `central-bank flows at ${base.couponDurationYears.toFixed(2)} years unless a duration is given ` +
      `(run-off refinanced at the coupon stock's duration)`,
    "bills-share moves shift (target - now) x nominal marketable debt between bills and coupons, on top " +
      "of auction changes",
    "term premium: fitted relation a + b x with a prediction interval (HAC parameter covariance + " +
      "residual variance, " +
      "residuals treated as independent); anchored path = last observed premium + b (x - x_last) with " +
      "the slope's HAC band",
  ];
}
