/**
 * Issuance projections on hand-computed cases (zero yield, so durations equal remaining
 * maturities and the 10-year note's duration is 10), the fitted term-premium path against its
 * formulas, and the supply regression (slope vs the textbook cov/var formula, subsample filters,
 * normal quantiles vs published values). Tolerances: 1e-9 for sums of a few hundred terms.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkIssuanceScenario,
  type IssuanceScenario,
  projectNetSupply,
  projectTermPremium,
  type SupplyBase,
} from "../../src/scenarios/issuance.ts";
import {
  predictTermPremium,
  type SupplyFit,
  supplyRegression,
} from "../../src/scenarios/supply-regression.ts";
import { normalQuantile } from "../../src/stats/distributions.ts";
import { createRng } from "../../src/stats/random.ts";

function close(a: number, b: number, tol: number, what = ""): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);
}

const base: SupplyBase = {
  date: "2021-12-31",
  net10yEqBn: 1000,
  gdpBn: 20_000,
  tenYearYieldPct: 0,
  couponDurationYears: 5,
  nominalMarketableBn: 10_000,
};
const empty: IssuanceScenario = { horizonMonths: 24, nominalGdpGrowthPct: 0, auctions: [], centralBank: [] };

test("an extra 2-year auction ages: 10 $bn x (months left / 12) / 10, gone 12 months before maturity", () => {
  const rows = projectNetSupply(
    base,
    { ...empty, auctions: [{ tenorYears: 2, changeBn: 10, from: "2022-01", to: "2022-01" }] },
    "tn",
  );
  assert.equal(rows[0].month, "2022-01");
  // month t (1-based) after issue in month 1: remaining 24 - (t - 1) months
  for (let t = 1; t <= 24; t++) {
    const remaining = 24 - (t - 1);
    const expected = remaining > 12 ? (10 * remaining) / 12 / 10 : 0;
    close(rows[t - 1].auctions10yEqBn, expected, 1e-12, `month ${t}`);
    close(rows[t - 1].net10yEqBn, 1000 + expected, 1e-9, `net month ${t}`);
  }
});

test("central-bank purchases accumulate at the coupon duration; the bills share moves linearly", () => {
  const rows = projectNetSupply(
    base,
    {
      ...empty,
      centralBank: [{ perMonthBn: 20, from: "2022-02", to: "2022-03" }],
      billsShare: { nowPct: 20, targetPct: 15, overMonths: 10 },
    },
    "tn",
  );
  // purchases: 0, then -20 x 5/10 = -10, then -20 for good
  [0, -10, -20, -20, -20].forEach((v, i) => {
    close(rows[i].centralBank10yEqBn, v, 1e-12, `month ${i + 1}`);
  });
  // bills 20% -> 15%: 5% of 10,000 moves to coupons at duration 5 -> +250 $bn 10y-eq, 1/10 a month
  close(rows[0].billsShift10yEqBn, 25, 1e-9, "month 1");
  close(rows[9].billsShift10yEqBn, 250, 1e-9, "month 10");
  close(rows[20].billsShift10yEqBn, 250, 1e-9, "held");
});

test("baseline: the ratio to GDP is held on the pctGdp scale, the level on the tn scale", () => {
  const g = projectNetSupply(base, { ...empty, nominalGdpGrowthPct: 12 }, "pctGdp");
  for (const r of g) close(r.netPctGdp, 5, 1e-12, r.month);
  close(g[11].gdpBn, 20_000 * 1.12, 1e-6, "GDP after 12 months");
  const t = projectNetSupply(base, { ...empty, nominalGdpGrowthPct: 12 }, "tn");
  for (const r of t) close(r.net10yEqBn, 1000, 1e-12, r.month);
});

test("scenario dates before the projection or after the horizon are refused, naming the field", () => {
  const issues = checkIssuanceScenario(
    {
      ...empty,
      auctions: [{ tenorYears: 10, changeBn: 1, from: "2021-06" }],
      centralBank: [
        { perMonthBn: 1, from: "2030-01" },
        { perMonthBn: 1, from: "2022-05", to: "2022-02" },
      ],
    },
    "2022-01",
  );
  assert.deepEqual(
    issues.map((i) => i.field.join(".")),
    ["auctions.0.from", "centralBank.0.from", "centralBank.1.to"],
  );
  assert.match(issues[0].message, /before the projection starts \(2022-01/);
});

const fit: SupplyFit = {
  sample: "full",
  spec: "levels",
  from: "2002-12-31",
  to: "2021-12-31",
  nobs: 77,
  intercept: 2,
  slope: -0.1,
  interceptSeHac: 0.3,
  slopeSeHac: 0.02,
  slopeTHac: -5,
  slopeSe: 0.01,
  rSquared: 0.4,
  residualSdPct: 0.5,
  hacLag: 3,
  covHac: [0.09, -0.004, -0.004, 0.0004],
  skipped: null,
};

test("term-premium path: fitted a + b x with sqrt(s² + x'Vx) bands; anchored path moves with b only", () => {
  const rows = projectNetSupply(
    base,
    { ...empty, centralBank: [{ perMonthBn: -100, from: "2022-01" }] },
    "pctGdp",
  );
  const path = projectTermPremium(rows, fit, { x: 5, tpPct: -0.5 }, "pctGdp", 90);
  const z = 1.6448536269514722;
  for (const r of path) {
    assert.equal(r.projection, true);
    const x = r.netPctGdp;
    close(r.x, x, 1e-12, "x");
    close(r.tpFittedPct, 2 - 0.1 * x, 1e-12, "fitted");
    const se = Math.sqrt(0.25 + 0.09 - 2 * 0.004 * x + 0.0004 * x * x);
    close(r.upperPct - r.tpFittedPct, z * se, 1e-8, "band");
    close(r.tpAnchoredPct, -0.5 - 0.1 * (x - 5), 1e-12, "anchored");
    close(r.anchoredUpperPct - r.tpAnchoredPct, z * 0.02 * Math.abs(x - 5), 1e-8, "slope band");
  }
  const p = predictTermPremium(fit, 0, 95);
  close(p.upperPct - p.meanPct, 1.959963984540054 * Math.sqrt(0.25 + 0.09), 1e-8, "95% at x = 0");
});

test("normal quantiles match published values (Acklam: relative error < 1.2e-9)", () => {
  const ref: [number, number][] = [
    [0.5, 0],
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.001, -3.090232306167813],
    [1e-6, -4.753424308822899],
  ];
  for (const [p, q] of ref) close(normalQuantile(p), q, 2e-9 * Math.max(1, Math.abs(q)), `p=${p}`);
});

test("supply regression: slope = cov/var on simulated data, subsamples by quarter, first differences", () => {
  const rng = createRng(7);
  const dates: string[] = [];
  for (let y = 2003; y <= 2021; y++)
    for (const md of ["03-31", "06-30", "09-30", "12-31"]) dates.push(`${y}-${md}`);
  const x = Float64Array.from(dates, (_, i) => 10 + 0.3 * i + rng.normal());
  const tp = Float64Array.from(x, (v) => 1.5 - 0.08 * v + 0.2 * rng.normal());
  tp[5] = Number.NaN; // a missing quarter is dropped, not filled
  const r = supplyRegression(dates, tp, x, { model: "sim" });
  const full = r.fits.find((f) => f.sample === "full" && f.spec === "levels")!;
  assert.equal(full.nobs, dates.length - 1);
  const xs: number[] = [];
  const ys: number[] = [];
  dates.forEach((_, i) => {
    if (Number.isFinite(tp[i])) {
      xs.push(x[i]);
      ys.push(tp[i]);
    }
  });
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((v, i) => {
    sxy += (v - mx) * (ys[i] - my);
    sxx += (v - mx) ** 2;
  });
  // QR least squares vs the textbook formula: both exact up to rounding on ~75 terms
  close(full.slope, sxy / sxx, 1e-10, "slope");
  close(full.intercept, my - (sxy / sxx) * mx, 1e-9, "intercept");
  // the simulated slope is recovered within 4 HAC standard errors (fails with probability ~1e-4 if correct)
  assert.ok(Math.abs(full.slope + 0.08) < 4 * full.slopeSeHac, `slope ${full.slope} se ${full.slopeSeHac}`);
  assert.equal(r.fits.find((f) => f.sample === "QE1")!.nobs, 7); // 2008Q4..2010Q2
  assert.equal(r.fits.find((f) => f.sample === "QT")!.nobs, 8); // 2017Q4..2019Q3
  const changes = r.fits.find((f) => f.spec === "changes")!;
  assert.equal(changes.nobs, dates.length - 3); // quarter 5 missing removes two differences
  const tiny = supplyRegression(dates.slice(0, 2), tp.slice(0, 2), x.slice(0, 2), { model: "sim" });
  assert.ok(tiny.fits[0].skipped && /too few/.test(tiny.fits[0].skipped));
  assert.throws(() => predictTermPremium(tiny.fits[0], 1, 90), /was not run/);
});
