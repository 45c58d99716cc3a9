/**
 * The Treasury total-return index: closed-form par-bond duration and convexity against
 * derivatives of the bond's price computed from its cash flows, and index returns against an exact
 * repricing of the bond.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  constantMaturityTotalReturn,
  parBondConvexity,
  parBondModifiedDuration,
} from "../../src/regimes/treasury-index.ts";

/** Price per 1 face of an N-year bond with semiannual coupon c (decimal) at yield y (decimal), by its cash flows. */
function priceByCashFlows(c: number, y: number, years: number): number {
  let p = 0;
  for (let k = 1; k <= 2 * years; k++) p += c / 2 / (1 + y / 2) ** k;
  return p + 1 / (1 + y / 2) ** (2 * years);
}

test("duration and convexity equal −P'/P and P''/P of the cash-flow price at par", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.2, max: 15, noNaN: true }),
      fc.constantFrom(2, 5, 10, 30),
      (yPct, years) => {
        const y = yPct / 100;
        const p0 = priceByCashFlows(y, y, years);
        const at = (h: number) => [priceByCashFlows(y, y + h, years), priceByCashFlows(y, y - h, years)];
        const [pu1, pd1] = at(1e-5);
        const [pu2, pd2] = at(1e-4);
        const d = -(pu1 - pd1) / 2e-5 / p0;
        const c = (pu2 - 2 * p0 + pd2) / 1e-8 / p0;
        // central differences: duration with h = 1e-5 (truncation h² P'''/6P < 1e-8 relative even for
        // 30y at 0.2%, rounding 1e-16/h ~ 1e-11); convexity with h = 1e-4 (truncation h² P''''/12P
        // ~ 1e-6 relative for 30y, rounding 1e-16/h² ~ 1e-8): tolerances 1e-6 and 1e-5 relative
        assert.ok(Math.abs(p0 - 1) < 1e-12, "a par bond prices at 1");
        assert.ok(Math.abs(parBondModifiedDuration(yPct, years) - d) < 1e-6 * d, `D at ${yPct}% ${years}y`);
        assert.ok(Math.abs(parBondConvexity(yPct, years) - c) < 1e-5 * c, `C at ${yPct}% ${years}y`);
      },
    ),
  );
});

test("near zero yield the duration tends to the maturity", () => {
  // (1 − v^{2N})/y → N; at y = 1e-12 percent the difference is O(y N²) ~ 1e-12
  assert.ok(Math.abs(parBondModifiedDuration(1e-12, 10) - 10) < 1e-9);
  assert.ok(Number.isFinite(parBondConvexity(0, 10)) && parBondConvexity(0, 10) > 0);
});

test("index returns: carry at constant yields, and an exact repricing for yield moves", () => {
  const dates = [
    "2024-01-02",
    "2024-01-03",
    "2024-01-04",
    "2024-01-05",
    "2024-01-08",
    "2024-02-20",
    "2024-02-21",
  ];
  const y = Float64Array.from([4, 4, 4.1, Number.NaN, 3.95, 3.9, 3.9]);
  const r = constantMaturityTotalReturn(dates, y, { maxGapDays: 10 });
  // constant yield: return = y Δt exactly (the duration terms vanish)
  assert.ok(Math.abs(r.returnsPct[1] - (4 * 1) / 365) < 1e-14);
  // +10 bp after one day: compare with the exact total return of the bond bought the day before
  // (coupon 4%, repriced at 4.1% with maturity still 10y, plus one day of accrual). The approximation
  // drops the third-order term P'''Δy³/6 ≈ 1.4e-5 percent for 10 bp: tolerance 0.01 bp = 1e-4
  // percent, the accuracy the module comment promises.
  const exact = 100 * (priceByCashFlows(0.04, 0.041, 10) - 1 + 0.04 / 365);
  assert.ok(Math.abs(r.returnsPct[2] - exact) < 1e-4, `${r.returnsPct[2]} vs ${exact}`);
  // the NaN day is skipped: the next return runs from 2024-01-04 (4 days of carry)
  assert.ok(Number.isNaN(r.returnsPct[3]));
  const exact2 = 100 * (priceByCashFlows(0.041, 0.0395, 10) - 1 + (0.041 * 4) / 365);
  // 15 bp: third-order term (1.5)³ × 1.4e-5 ≈ 5e-5 percent, inside the same 1e-4 tolerance
  assert.ok(Math.abs(r.returnsPct[4] - exact2) < 1e-4, `${r.returnsPct[4]} vs ${exact2}`);
  // a 43-day gap is longer than maxGapDays: no return, level carried, a warning
  assert.ok(Number.isNaN(r.returnsPct[5]));
  assert.equal(r.index[5], r.index[4]);
  assert.equal(r.warnings[0]?.code, "total-return-gap");
  // the index compounds the returns from 100
  let level = 100;
  for (let i = 1; i < dates.length; i++)
    if (Number.isFinite(r.returnsPct[i])) level *= 1 + r.returnsPct[i] / 100;
  assert.ok(Math.abs(r.index[dates.length - 1] - level) < 1e-10);
});
