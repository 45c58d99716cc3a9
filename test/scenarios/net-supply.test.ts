/**
 * Net supply arithmetic on a tiny hand-computed example (zero yield, where a par bond's modified
 * duration equals its maturity, so every number can be done on paper), and the par-bond duration
 * formula against an explicit cash-flow sum and a numerical price derivative.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parModifiedDurationYears, tenYearDurationYears } from "../../src/scenarios/duration.ts";
import { bucketMaturityYears, netSupply, type SupplyObservation } from "../../src/scenarios/net-supply.ts";

function close(a: number | null, b: number, tol: number, what = ""): void {
  assert.ok(a !== null && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);
}

/** Price of a bond with semiannual coupons c, `periods` half-years, at yield y (decimals). */
function price(c: number, periods: number, y: number): number {
  let p = 0;
  for (let k = 1; k <= periods; k++) p += c / 2 / (1 + y / 2) ** k;
  return p + 1 / (1 + y / 2) ** periods;
}

test("par-bond modified duration = cash-flow-weighted time / (1 + y/2) and = -dP/dy / P", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }),
      fc.double({ min: 0.001, max: 0.15, noNaN: true }),
      (periods, y) => {
        const T = periods / 2;
        let weighted = 0;
        for (let k = 1; k <= periods; k++) weighted += (k / 2) * (y / 2 / (1 + y / 2) ** k);
        weighted += T / (1 + y / 2) ** periods;
        const mac = weighted / price(y, periods, y); // price 1 at par
        const d = parModifiedDurationYears(T, y * 100);
        // closed form vs cash-flow sum: both exact, rounding of <= 60 terms ~1e-13 years
        close(d, mac / (1 + y / 2), 1e-10, "cash flows");
        // central difference of the price with step 1e-6: truncation error O(h²) ~1e-11, cancellation ~1e-10
        const h = 1e-6;
        const num = -(price(y, periods, y + h) - price(y, periods, y - h)) / (2 * h);
        close(d, num, 1e-6, "numerical derivative");
      },
    ),
    { numRuns: 200 },
  );
  // zero yield: duration = maturity exactly (the closed form's limit)
  assert.equal(parModifiedDurationYears(7.25, 0), 7.25);
  close(tenYearDurationYears(1e-8), 10, 1e-6, "near-zero yield");
});

test("bucket k: maturities 3k-2..3k months after a month-end record date, mean life 3k - 1.5 months", () => {
  assert.equal(bucketMaturityYears(5), 13.5 / 12);
  assert.equal(bucketMaturityYears(40), 118.5 / 12);
});

test("net supply on a hand-computed example (zero yield: duration = maturity)", () => {
  // buckets ($mn): 1 -> 100,000 (bills and maturing notes), 5 -> 40,000, 8 -> 60,000
  const bucketsMn = new Float64Array(8);
  bucketsMn[0] = 100_000;
  bucketsMn[4] = 40_000;
  bucketsMn[7] = 60_000;
  const obs: SupplyObservation = {
    date: "2010-03-31",
    bucketsMn,
    tenYearYieldPct: 0,
    fedHoldingsMn: 50_000,
    gdpBn: 1000,
  };
  // by hand: T5 = 13.5/12 = 1.125 y, T8 = 22.5/12 = 1.875 y, D10 = 10
  //   duration-weighted face = 40,000 x 1.125 + 60,000 x 1.875 = 157,500 $mn·y -> 15.75 $bn 10y-eq
  //   coupon duration = 157,500 / 100,000 = 1.575 y
  //   marketable mix: Fed coupons = 50 x 100/200 = 25 $bn -> 25 x 1.575 / 10 = 3.9375
  //     -> net 11.8125 = 1.18125% of GDP
  //   coupon mix: Fed coupons = 50 $bn -> 7.875 -> net 7.875
  const m = netSupply([obs], { fedMix: "marketable" }).rows[0];
  const tol = 1e-12; // a handful of exact-ish float operations on numbers below 1e6
  assert.equal(m.nominalMarketableBn, 200);
  assert.equal(m.couponFaceBn, 100);
  close(m.couponDurationYears, 1.575, tol, "duration");
  close(m.coupon10yEqBn, 15.75, tol, "coupon 10y-eq");
  close(m.fedCouponFaceBn, 25, tol, "Fed coupon face");
  close(m.fed10yEqBn, 3.9375, tol, "Fed 10y-eq");
  close(m.net10yEqBn, 11.8125, tol, "net");
  close(m.netPctGdp, 1.18125, tol, "% GDP");
  const c = netSupply([obs], { fedMix: "coupon" }).rows[0];
  close(c.fed10yEqBn, 7.875, tol, "coupon mix Fed");
  close(c.net10yEqBn, 7.875, tol, "coupon mix net");
});

test("missing inputs leave fields null with a warning, never NaN output", () => {
  const obs: SupplyObservation = {
    date: "2001-03-31",
    bucketsMn: Float64Array.from([10, 10, 10, 10, 10, 10]),
    tenYearYieldPct: 5,
    fedHoldingsMn: Number.NaN,
    gdpBn: Number.NaN,
  };
  const r = netSupply([obs]);
  assert.equal(r.rows[0].net10yEqBn, null);
  assert.equal(r.rows[0].netPctGdp, null);
  assert.ok(r.rows[0].coupon10yEqBn !== null && r.rows[0].coupon10yEqBn > 0);
  assert.ok(r.warnings.some((w) => w.code === "no-fed-holdings"));
});
