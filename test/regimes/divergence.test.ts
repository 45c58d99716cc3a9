/**
 * Traditional-model divergence on data simulated from known parameters: the fit recovers them,
 * the implied rate inverts the fit exactly, a planted out-of-sample premium shows up as the
 * deviation and the implied-rate gap it should, training windows outside the data are errors;
 * then the K-shape monitor on planted episodes and the pathways' internal consistency.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import {
  type DivergenceData,
  type DivergenceSpec,
  fitDivergence,
  impliedRate,
  type ModelForm,
  modelPrice,
} from "../../src/regimes/divergence.ts";
import { kShapeMonitor } from "../../src/regimes/kshape.ts";
import { fiscalPathways, quantile } from "../../src/regimes/pathways.ts";
import { createRng } from "../../src/stats/random.ts";

/** Months 2003-01 .. 2026-06 as YYYY-MM-01. */
const MONTHS = Array.from(
  { length: 282 },
  (_, i) => `${2003 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`,
);

function spec(
  asset: "gold" | "equity",
  form: ModelForm,
  train = { from: "2006-01", to: "2021-12" },
): DivergenceSpec {
  return {
    asset,
    form,
    train,
    priceId: "P",
    rateId: "R",
    earningsId: form === "log-linear" ? undefined : "E",
    priceLabel: asset,
    rateLabel: "rate",
    expectedRateSign: form === "earnings-yield" ? 1 : -1,
  };
}

/**
 * ln P = a + c·rate (+ b ln E) + u, u ~ N(0, s²), plus `premium` log points from `premiumFrom` on.
 * The rate wanders between about −1 and 5 (a smooth cycle plus noise) so it is well identified.
 */
function simulate(
  seed: number,
  p: { a: number; b?: number; c: number; s: number; premium: number; premiumFrom: string },
) {
  const rng = createRng(seed);
  const n = MONTHS.length;
  const rate = new Float64Array(n);
  const earnings = new Float64Array(n);
  const price = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rate[i] = 2 + 2.5 * Math.sin(i / 30) + 0.3 * rng.normal();
    earnings[i] = 60 * Math.exp(0.005 * i + 0.05 * rng.normal());
    const prem = MONTHS[i] >= p.premiumFrom ? p.premium : 0;
    price[i] = Math.exp(p.a + (p.b ?? 0) * Math.log(earnings[i]) + p.c * rate[i] + p.s * rng.normal() + prem);
  }
  return { dates: MONTHS, price, ratePct: rate, earnings } satisfies DivergenceData;
}

test("gold-like model: parameters recovered, exact inversion, planted premium read as deviation and gap", () => {
  const data = simulate(1, { a: 7.3, c: -0.3, s: 0.1, premium: 1.0, premiumFrom: "2022-01" });
  const r = fitDivergence(
    { dates: data.dates, price: data.price, ratePct: data.ratePct },
    spec("gold", "log-linear"),
  );
  // 192 training months, s = 0.1, sd(rate) ≈ 1.8: se(c) ≈ 0.1 / (1.8 √192) ≈ 0.004; 4 s.e.
  assert.ok(Math.abs(r.fit.rateCoefficient + 0.3) < 0.016, `c ${r.fit.rateCoefficient}`);
  assert.ok(Math.abs(r.fit.sigma - 0.1) < 0.015, `s ${r.fit.sigma}`);
  assert.equal(r.fit.nobs, 192);
  assert.deepEqual(r.fit.train, { from: "2006-01", to: "2021-12" });
  for (const row of r.rows) {
    // the model prices today's asset at the implied rate (inversion exact to rounding)
    assert.ok(Math.abs(modelPrice(r.fit, row.impliedRatePct, 0) / row.actual - 1) < 1e-12);
    assert.ok(Math.abs(row.gapBp - 100 * (row.actualRatePct - row.impliedRatePct)) < 1e-9);
    assert.ok(Math.abs(row.deviationPct - 100 * (row.actual / row.model - 1)) < 1e-9);
    assert.equal(row.outOfSample, row.date < "2006-01" || row.date > "2021-12-31");
  }
  const oos = r.rows.filter((x) => x.date >= "2022-01");
  const meanSe = oos.reduce((s, x) => s + x.deviationSe, 0) / oos.length;
  const meanGap = oos.reduce((s, x) => s + x.gapBp, 0) / oos.length;
  // premium 1.0 log point = 1/s = 10 residual s.d.; the estimated s is within ±10% of 0.1 and the
  // prediction s.e. slightly above it, plus ±0.15 of averaged noise: 8.5..11.5
  assert.ok(meanSe > 8.5 && meanSe < 11.5, `mean deviation ${meanSe} s.e.`);
  // gap = premium / |c| = 333 bp; monthly noise s/|c| = 33 bp averages to ±5 bp over 54 months, and
  // the estimated c (±0.004) moves it by ±5 bp: tolerance 25 bp
  assert.ok(Math.abs(meanGap - (1 / 0.3) * 100) < 25, `mean gap ${meanGap} bp`);
  // in-sample log deviations are OLS residuals: they sum to zero (to rounding)
  const ins = r.rows.filter((x) => !x.outOfSample);
  assert.ok(Math.abs(ins.reduce((s, x) => s + Math.log(x.actual / x.model), 0)) < 1e-9);
  assert.deepEqual(r.warnings, []);
});

test("equity forms: log-earnings and the Fed model invert exactly and sign the premium the same way", () => {
  const data = simulate(2, { a: 3, b: 0.9, c: -0.15, s: 0.1, premium: 0.5, premiumFrom: "2022-04" });
  for (const form of ["log-earnings", "earnings-yield"] as const) {
    const r = fitDivergence(data, spec("equity", form));
    for (const row of r.rows) {
      const e = row.earnings as number;
      assert.ok(
        Math.abs(modelPrice(r.fit, row.impliedRatePct, e) / row.actual - 1) < 1e-10,
        `${form} ${row.date}`,
      );
      assert.ok(
        Math.abs(impliedRate(r.fit, row.model, e) - row.actualRatePct) < 1e-9,
        `${form} model price ↔ actual rate`,
      );
    }
    const oos = r.rows.filter((x) => x.date >= "2022-04");
    // a price premium means: above the model (positive s.e.), and priced as if rates were lower (positive gap)
    assert.ok(
      oos.every((x) => x.deviationPct > 0),
      form,
    );
    assert.ok(oos.reduce((s, x) => s + x.gapBp, 0) / oos.length > 100, `${form} gap`);
    assert.ok(oos.reduce((s, x) => s + x.deviationSe, 0) / oos.length > 1.5, `${form} s.e.`);
  }
  const ls = fitDivergence(data, spec("equity", "log-earnings"));
  // b = 0.9 and c = −0.15 recovered within 4 s.e. (se(b) ≈ 0.03, se(c) ≈ 0.005 here)
  assert.ok(
    Math.abs(ls.fit.earningsCoefficient - 0.9) < 0.15 && Math.abs(ls.fit.rateCoefficient + 0.15) < 0.025,
  );
});

test("training windows outside the data, too short, or partly outside: error, error, warning", () => {
  const data = simulate(3, { a: 7, c: -0.3, s: 0.1, premium: 0, premiumFrom: "2100-01" });
  const plain = { dates: data.dates, price: data.price, ratePct: data.ratePct };
  assert.throws(
    () => fitDivergence(plain, spec("gold", "log-linear", { from: "1980-01", to: "1999-12" })),
    (e: unknown) =>
      e instanceof InputError &&
      /1980-01\.\.1999-12 lies outside the data .*2003-01\.\.2026-06/.test(e.message),
  );
  assert.throws(
    () => fitDivergence(plain, spec("gold", "log-linear", { from: "2010-01", to: "2010-12" })),
    /holds only 12 complete months \(need 24/,
  );
  assert.throws(
    () => fitDivergence(plain, spec("gold", "log-linear", { from: "2010-05", to: "2009-01" })),
    /in order/,
  );
  const partial = fitDivergence(plain, spec("gold", "log-linear", { from: "1995-01", to: "2010-12" }));
  assert.equal(partial.fit.train.from, "2003-01");
  assert.equal(partial.warnings[0]?.code, "training-window-truncated");
  // a relation of the wrong sign is fitted but flagged
  const up = simulate(4, { a: 7, c: 0.3, s: 0.1, premium: 0, premiumFrom: "2100-01" });
  const wrong = fitDivergence(
    { dates: up.dates, price: up.price, ratePct: up.ratePct },
    spec("gold", "log-linear"),
  );
  assert.ok(wrong.warnings.some((w) => w.code === "wrong-sign"));
});

test("K-shape: both above 1 s.e. since the planted date; an earlier one-sided stretch does not count", () => {
  // gold's premium from 2019-01, equities' from 2022-04: both far above only from 2022-04
  const g = simulate(5, { a: 7.3, c: -0.3, s: 0.05, premium: 0.6, premiumFrom: "2019-01" });
  const e = simulate(6, { a: 3, b: 0.9, c: -0.15, s: 0.05, premium: 0.6, premiumFrom: "2022-04" });
  const gold = fitDivergence(
    { dates: g.dates, price: g.price, ratePct: g.ratePct },
    spec("gold", "log-linear", { from: "2006-01", to: "2018-12" }),
  );
  const equity = fitDivergence(e, spec("equity", "log-earnings", { from: "2006-01", to: "2018-12" }));
  const k = kShapeMonitor(gold, equity);
  assert.equal(k.on, true);
  // premium 0.6 = 12 residual s.d.: every month from 2022-04 is above 1 s.e.; months before it are
  // not (the equity residual exceeds 1 s.e. by chance ~16% of months, but gold then must too, and
  // the run must reach the end): the current run starts exactly at the planted date
  assert.equal(k.since, "2022-04-01");
  assert.equal(k.asOf, "2026-06-01");
  assert.equal(k.episodes[k.episodes.length - 1].months, 51);
  // a stricter threshold above both premia turns it off
  assert.equal(kShapeMonitor(gold, equity, { thresholdSe: 50 }).on, false);
});

test("pathways: each scenario is what its definition says, computed from the fitted models", () => {
  const g = simulate(7, { a: 7.3, c: -0.3, s: 0.1, premium: 1.5, premiumFrom: "2022-04" });
  const e = simulate(8, { a: 3, b: 0.9, c: -0.15, s: 0.1, premium: 0.5, premiumFrom: "2022-04" });
  const gold = fitDivergence(
    { dates: g.dates, price: g.price, ratePct: g.ratePct },
    spec("gold", "log-linear"),
  );
  const equity = fitDivergence(e, spec("equity", "log-earnings"));
  const p = fiscalPathways(gold, equity);
  const [A, B, C] = p.scenarios;
  const last = equity.rows[equity.rows.length - 1];
  const E0 = last.earnings as number;
  assert.equal(p.asOf, "2026-06-01");
  // A: stocks at the model price with the median training residual; 10y and gold held
  const q50 = quantile(equity.fit.residuals, 0.5);
  assert.ok(Math.abs(A.sp500.mid / modelPrice(equity.fit, last.actualRatePct, E0, q50) - 1) < 1e-12);
  assert.equal(A.tenYearPct.low, A.tenYearPct.high);
  assert.equal(A.gold.mid, gold.rows[gold.rows.length - 1].actual);
  assert.ok(A.sp500.low < A.sp500.mid && A.sp500.mid < A.sp500.high);
  // C: at the middle 10y the equity model (median residual) prices today's S&P exactly, and gold moved
  // along its model by c_G × Δy with the breakeven held
  assert.ok(Math.abs(modelPrice(equity.fit, C.tenYearPct.mid, E0, q50) / last.actual - 1) < 1e-12);
  const g0 = gold.rows[gold.rows.length - 1].actual;
  const dy = C.tenYearPct.mid - last.actualRatePct;
  assert.ok(Math.abs(C.gold.mid / (g0 * Math.exp(gold.fit.rateCoefficient * dy)) - 1) < 1e-12);
  assert.ok(dy < 0, "a premium in stocks needs lower yields to re-align");
  assert.equal(C.sp500.mid, last.actual);
  // B: the 10y moves by the median 12-month change of the 10y in the training window
  const train = equity.rows.filter((r) => !r.outOfSample);
  const d12: number[] = [];
  for (let i = 12; i < train.length; i++) d12.push(train[i].actualRatePct - train[i - 12].actualRatePct);
  assert.ok(Math.abs(B.tenYearPct.mid - (last.actualRatePct + quantile(d12, 0.5))) < 1e-12);
  // the type-7 quantile is numpy's default: [1, 2, 3, 4] at 0.1 → 1.3
  assert.ok(Math.abs(quantile([4, 1, 3, 2], 0.1) - 1.3) < 1e-15);
});
