import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  billDiscountFromYield,
  billYieldFromDiscount,
  ParYieldSchedule,
  parYieldPct,
} from "../../src/curves/par.ts";
import { type SvenssonParams, svenssonDiscount } from "../../src/curves/svensson.ts";
import { assertAllClose } from "../helpers.ts";

test("bill yields: the textbook bond-equivalent formulas (money-market ≤ 182 days, Treasury quadratic beyond)", () => {
  // 13-week bill at 98.9 per 100, 91 days: BEY = (100/P − 1) · 365/91 (simple interest, 365-day year).
  const t91 = 91 / 365;
  const expected91 = (100 / 98.9 - 1) * (365 / 91) * 100;
  // Same arithmetic in another order: only rounding differences (1e-12 percent).
  assert.ok(Math.abs(billYieldFromDiscount(0.989, t91) - expected91) < 1e-12);
  // 52-week bill (364 days) at 95.2: the Treasury's quadratic in its published form
  // (days/(2·365) − 0.25) BEY² + (days/365) BEY + (P − 100)/P = 0, solved with the usual root.
  const days = 364;
  const P = 95.2;
  const a = days / 730 - 0.25;
  const b = days / 365;
  const c = (P - 100) / P;
  const expected364 = ((-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a)) * 100;
  // The module uses the cancellation-free form of the same root: agreement to 1e-12 percent.
  assert.ok(Math.abs(billYieldFromDiscount(P / 100, days / 365) - expected364) < 1e-12);
});

test("bill price ↔ yield round trip, and continuity at half a year (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1 / 365, max: 0.999, noNaN: true }),
      fc.double({ min: -0.5, max: 20, noNaN: true }),
      (t, y) => {
        const p = billDiscountFromYield(y, t);
        // Inverse functions up to rounding: 1e-9 percent (1e-7 bp) covers the 1/P − 1 subtraction
        // at tiny maturities (relative error ε/(yT) in g).
        assert.ok(Math.abs(billYieldFromDiscount(p, t) - y) < 1e-9, `t ${t} y ${y}`);
      },
    ),
  );
  // Both conventions give 1/(1 + y/2) at exactly half a year; just above it the quadratic form
  // differs from simple interest only at second order in (T − ½): 1e-12 at T = ½ + 1e-9.
  const y = 5;
  assert.equal(billDiscountFromYield(y, 0.5), 1 / 1.025);
  assert.ok(Math.abs(billDiscountFromYield(y, 0.5 + 1e-9) - 1 / 1.025) < 1e-10);
});

test("par yield of a flat continuously compounded curve is 2 (e^{z/2} − 1) at whole and half years", () => {
  const z = 0.043; // decimal, continuously compounded
  const disc = (t: number) => Math.exp(-z * t);
  for (const T of [1, 1.5, 2, 7, 10, 30]) {
    // Closed form: with P(t) = e^{−zt}, the par coupon paying every ½ year is 2(e^{z/2} − 1) for
    // every maturity. Sums of up to 60 terms: 1e-12 percent.
    const expected = 200 * (Math.exp(z / 2) - 1);
    assert.ok(
      Math.abs(parYieldPct(disc, T) - expected) < 1e-12,
      `T ${T}: ${parYieldPct(disc, T)} vs ${expected}`,
    );
  }
  // Off the half-year grid (first coupon after t1 < ½, accrued interest c(½ − t1)) the annuity is
  // a geometric series: Σ_k e^{−z(t1 + k/2)} = e^{−z t1}(1 − e^{−zn/2})/(1 − e^{−z/2}); the par
  // yield is then (1 − e^{−zT}) / (½ Σ − (½ − t1)). Closed form vs loop: 1e-12 percent.
  for (const [T, n] of [
    [1.25, 3],
    [4.1, 9],
    [13 / 12, 3],
  ]) {
    const t1 = T - 0.5 * (n - 1);
    const annuity = (Math.exp(-z * t1) * (1 - Math.exp((-z * n) / 2))) / (1 - Math.exp(-z / 2));
    const expected = (100 * (1 - Math.exp(-z * T))) / (0.5 * annuity - (0.5 - t1));
    assert.ok(Math.abs(parYieldPct(disc, T) - expected) < 1e-12, `T ${T}`);
  }
});

const PARAMS: SvenssonParams = { beta0: 4.2, beta1: -1.1, beta2: -2.3, beta3: 3.1, tau1: 1.4, tau2: 9.5 };

test("ParYieldSchedule prices exactly like parYieldPct, sharing cash-flow times", () => {
  const mats = [1 / 12, 0.25, 0.5, 0.75, 1, 1.25, 2, 3, 5, 7, 10, 20, 30];
  const sched = new ParYieldSchedule(mats);
  // 1m, 3m, 6m, 9m bills + semiannual grid ½..30 + the quarter-offset chain of the 1.25y bond.
  assert.ok(sched.times.length < 70, `${sched.times.length} distinct cash-flow times`);
  const disc = Float64Array.from(sched.times, (t) => svenssonDiscount(PARAMS, t));
  const got = sched.parYields(disc, new Float64Array(mats.length));
  const expected = mats.map((T) => parYieldPct((t) => svenssonDiscount(PARAMS, t), T));
  // Same arithmetic, different summation order at most: 1e-12 percent.
  assertAllClose(got, expected, { atol: 1e-12, label: "par yields" });
});

test("ParYieldSchedule.parJacobian matches central finite differences", () => {
  const mats = [1 / 12, 0.25, 0.5, 0.75, 1, 1.25, 2, 5, 10, 30];
  const sched = new ParYieldSchedule(mats);
  // Parameterise the discount curve by θ = (β0, β1, β2, β3): P(t; θ) = exp(−y(t; θ) t / 100).
  const theta = [PARAMS.beta0, PARAMS.beta1, PARAMS.beta2, PARAMS.beta3];
  const withTheta = (th: number[]): SvenssonParams => ({
    ...PARAMS,
    beta0: th[0],
    beta1: th[1],
    beta2: th[2],
    beta3: th[3],
  });
  const q = 4;
  const disc = Float64Array.from(sched.times, (t) => svenssonDiscount(PARAMS, t));
  const dDisc = new Float64Array(sched.times.length * q);
  for (let k = 0; k < sched.times.length; k++) {
    for (let j = 0; j < q; j++) {
      const h = 1e-6;
      const up = [...theta];
      const dn = [...theta];
      up[j] += h;
      dn[j] -= h;
      const t = sched.times[k];
      dDisc[k * q + j] = (svenssonDiscount(withTheta(up), t) - svenssonDiscount(withTheta(dn), t)) / (2 * h);
    }
  }
  const jac = sched.parJacobian(disc, dDisc, q, new Float64Array(mats.length * q));
  const fd = new Float64Array(mats.length * q);
  for (let j = 0; j < q; j++) {
    const h = 1e-5;
    const up = [...theta];
    const dn = [...theta];
    up[j] += h;
    dn[j] -= h;
    const pu = sched.parYields(
      Float64Array.from(sched.times, (t) => svenssonDiscount(withTheta(up), t)),
      new Float64Array(mats.length),
    );
    const pd = sched.parYields(
      Float64Array.from(sched.times, (t) => svenssonDiscount(withTheta(dn), t)),
      new Float64Array(mats.length),
    );
    for (let i = 0; i < mats.length; i++) fd[i * q + j] = (pu[i] - pd[i]) / (2 * h);
  }
  // Central differences: truncation O(h²) ~ 1e-10, rounding ε·|par|/h ~ 1e-11 (both fd levels);
  // entries are O(0.01..1), so 1e-7 absolute is a wide but still discriminating margin.
  assertAllClose(jac, fd, { atol: 1e-7, label: "∂par/∂β" });
});
