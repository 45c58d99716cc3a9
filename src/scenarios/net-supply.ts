/**
 * Duration-adjusted net supply of Treasury coupon securities (METHODS.md §1c), in 10-year-note
 * duration equivalents ($bn of 10-year notes carrying the same duration risk):
 *
 *   coupon10yEq(t) = Σ_{k ≥ 5} FV_k(t) · D(T_k, y10(t)) / D(10, y10(t)),
 *   net10yEq(t)    = coupon10yEq(t) − FedCouponFace(t) · D̄(t) / D(10, y10(t)),
 *
 * where FV_k is the face value outstanding of nominal marketable Treasuries maturing 3k−2..3k
 * calendar months after the record month (the MSPD buckets compiled by Brookings), T_k = (3k −
 * 1.5)/12 years its mean remaining life (month-end record date, maturities spread through the
 * month), D(T, y) the modified duration of a par bond (duration.ts) with the coupon set to the
 * 10-year yield of the quarter's last day, and D̄ the face-weighted duration of the coupon stock.
 *
 * What is measured and what is approximated:
 * - Coupons only: buckets k ≥ 5 (more than 12 months to maturity). The MSPD buckets do not
 *   separate bills from notes and bonds, and every bill matures within 12 months, so dropping
 *   buckets 1-4 removes all bills — and also notes and bonds in their final year (duration < 1,
 *   a small share of duration supply). TIPS and FRNs are not in these buckets.
 * - Durations are approximations: each bucket is priced as a par bond at the 10-year yield, not
 *   at its own coupon and yield.
 * - Fed holdings (TREAST, total Treasuries held outright, weekly) have no maturity breakdown in
 *   the bundled data. `fedMix: "marketable"` (default) assumes the Fed holds every nominal
 *   marketable bucket in proportion to the amount outstanding (so its coupon share is TREAST ×
 *   coupon face / all nominal marketable, at the coupon stock's duration); `"coupon"` treats all
 *   of TREAST as coupons at that duration. The first understates the Fed's duration when it held
 *   mostly long debt (QE, the maturity extension programme); the second overstates it when it
 *   held many bills (before 2008) and counts its TIPS and FRNs as nominal coupons.
 * - "Held by the public" = outstanding minus the Fed; other official holders are not netted.
 * Amounts in $bn (the MSPD file is in $mn); GDP in $bn at an annual rate.
 */
import type { Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import { parModifiedDurationYears, tenYearDurationYears } from "./duration.ts";

export interface SupplyObservation {
  /** Record date (quarter end), ISO. */
  date: string;
  /** Face value outstanding by bucket, $mn: index k − 1 holds bucket k (k = 1..K). */
  bucketsMn: Float64Array;
  /** 10-year par yield on the record date, percent (NaN when unknown). */
  tenYearYieldPct: number;
  /** Fed holdings of Treasuries (TREAST) on the record date, $mn (NaN when unknown). */
  fedHoldingsMn: number;
  /** Nominal GDP of the quarter, $bn at an annual rate (NaN when unknown). */
  gdpBn: number;
}

export type FedMix = "marketable" | "coupon";

export interface NetSupplyOptions {
  /** First bucket counted as coupon supply (default 5: more than 12 months to maturity). */
  firstCouponBucket?: number;
  fedMix?: FedMix;
}

export interface NetSupplyRow {
  date: string;
  /** All nominal marketable debt in the buckets (bills, notes, bonds), $bn. */
  nominalMarketableBn: number;
  couponFaceBn: number;
  /** Face-weighted modified duration of the coupon stock, years. */
  couponDurationYears: number | null;
  tenYearDurationYears: number | null;
  tenYearYieldPct: number | null;
  coupon10yEqBn: number | null;
  fedHoldingsBn: number | null;
  fedCouponFaceBn: number | null;
  fed10yEqBn: number | null;
  net10yEqBn: number | null;
  gdpBn: number | null;
  /** Net supply in 10-year equivalents as percent of annual nominal GDP. */
  netPctGdp: number | null;
}

export interface NetSupplyResult {
  rows: NetSupplyRow[];
  options: Required<NetSupplyOptions>;
  assumptions: string[];
  warnings: Warning[];
  summary(): string;
}

/** Mean remaining life in years of bucket k (maturity 3k−2..3k months after a month-end record date). */
export function bucketMaturityYears(k: number): number {
  return (3 * k - 1.5) / 12;
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function netSupply(
  observations: readonly SupplyObservation[],
  opts: NetSupplyOptions = {},
): NetSupplyResult {
  const options: Required<NetSupplyOptions> = {
    firstCouponBucket: opts.firstCouponBucket ?? 5,
    fedMix: opts.fedMix ?? "marketable",
  };
  const warnings: Warning[] = [];
  const rows: NetSupplyRow[] = observations.map((o) => {
    const y = o.tenYearYieldPct;
    let all = 0;
    let face = 0;
    let durFace = 0;
    for (let k = 1; k <= o.bucketsMn.length; k++) {
      const fv = o.bucketsMn[k - 1];
      if (!Number.isFinite(fv)) continue;
      all += fv;
      if (k < options.firstCouponBucket) continue;
      face += fv;
      if (Number.isFinite(y)) durFace += fv * parModifiedDurationYears(bucketMaturityYears(k), y);
    }
    const d10 = Number.isFinite(y) ? tenYearDurationYears(y) : Number.NaN;
    const dBar = face > 0 ? durFace / face : Number.NaN;
    const coupon10yEq = durFace / d10 / 1000;
    const fedBn = o.fedHoldingsMn / 1000;
    const fedCouponFace = options.fedMix === "marketable" ? (fedBn * face) / all : fedBn;
    const fed10yEq = (fedCouponFace * dBar) / d10;
    const net = coupon10yEq - fed10yEq;
    return {
      date: o.date,
      nominalMarketableBn: all / 1000,
      couponFaceBn: face / 1000,
      couponDurationYears: fin(dBar),
      tenYearDurationYears: fin(d10),
      tenYearYieldPct: fin(y),
      coupon10yEqBn: fin(coupon10yEq),
      fedHoldingsBn: fin(fedBn),
      fedCouponFaceBn: fin(fedCouponFace),
      fed10yEqBn: fin(fed10yEq),
      net10yEqBn: fin(net),
      gdpBn: fin(o.gdpBn),
      netPctGdp: fin((net / o.gdpBn) * 100),
    };
  });
  const noYield = rows.filter((r) => r.tenYearYieldPct === null).map((r) => r.date);
  if (noYield.length)
    warnings.push({
      code: "no-10y-yield",
      message: `no 10-year yield on ${noYield.join(", ")}: durations (and net supply) left empty there`,
    });
  const noFed = rows.filter((r) => r.fedHoldingsBn === null).map((r) => r.date);
  if (noFed.length)
    warnings.push({
      code: "no-fed-holdings",
      message:
        `no Fed holdings (TREAST) for ` +
        `${noFed[0]}${noFed.length > 1 ? `..${noFed[noFed.length - 1]}` : ""}: net supply starts ` +
        `${rows.find((r) => r.net10yEqBn !== null)?.date ?? "nowhere"}`,
    });
  return {
    rows,
    options,
    assumptions: netSupplyAssumptions(options),
    warnings,
    summary: () => netSupplyTable(rows),
  };
}

export function netSupplyAssumptions(o: Required<NetSupplyOptions>): string[] {
  return [
    `coupon supply = nominal marketable Treasuries with more than ${3 * (o.firstCouponBucket - 1)} ` +
      `months to maturity ` +
      "(MSPD buckets, compiled by Brookings); this drops every bill and also notes/bonds in their last " +
      "year; TIPS and FRNs excluded",
    "durations: each quarterly bucket priced as a par bond with a coupon equal to the 10-year yield on " +
      "the record date, " +
      "remaining life (3k - 1.5) months; 10-year equivalents = face × duration / duration of a par " +
      "10-year note",
    o.fedMix === "marketable"
      ? "Fed holdings (TREAST, no maturity breakdown) approximated as spread over all nominal marketable " +
        "debt in proportion " +
        "to the amounts outstanding; its coupon part carries the coupon stock's duration (understates " +
        "QE-era duration)"
      : "Fed holdings (TREAST) all treated as coupon securities with the coupon stock's duration " +
        "(overstates when the Fed held bills)",
    "net supply = coupon 10-year equivalents minus the Fed's; other official holders not netted",
  ];
}

export function netSupplyTable(rows: readonly NetSupplyRow[]): string {
  return formatTable(
    [
      "date",
      "coupon face $bn",
      "dur. yrs",
      "coupon 10y-eq $bn",
      "Fed $bn",
      "Fed 10y-eq $bn",
      "net 10y-eq $bn",
      "% GDP",
    ],
    rows.map((r) => [
      r.date,
      num(r.couponFaceBn, 0),
      num(r.couponDurationYears, 2),
      num(r.coupon10yEqBn, 0),
      num(r.fedHoldingsBn, 0),
      num(r.fed10yEqBn, 0),
      num(r.net10yEqBn, 0),
      num(r.netPctGdp, 1),
    ]),
    ["left", "right", "right", "right", "right", "right", "right", "right"],
  );
}
