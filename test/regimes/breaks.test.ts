/**
 * Structural breaks: the sup-Wald scan against a direct Chow computation at every candidate date
 * (classical and robust forms), the Andrews critical value against a simulation of its limit
 * distribution, a planted break found at the right date (± 2 periods), the rejection rate under
 * the null near the nominal 5% over 200 seeded simulations, and sign flips of a rolling correlation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ANDREWS_CRITICAL_VALUES,
  breakSignificance,
  breakTest,
  correlationSignFlips,
  supWaldScan,
} from "../../src/regimes/breaks.ts";
import type { RelationInput } from "../../src/regimes/pairs.ts";
import { createRng, type Rng } from "../../src/stats/random.ts";

function simulate(rng: Rng, n: number, breakAt: number, b1: number, b2: number, noise = 1) {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    x[t] = rng.normal();
    y[t] = 0.1 + (t < breakAt ? b1 : b2) * x[t] + noise * rng.normal();
  }
  return { x, y };
}

/** OLS of y on (1, x) over a segment, two-pass, with residuals and the HC1 covariance. */
function segmentFit(x: number[], y: number[]) {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  const e = y.map((v, i) => v - a - b * x[i]);
  const ssr = e.reduce((s, v) => s + v * v, 0);
  // H = X'X, M = Σ e² x x', V = H⁻¹ M H⁻¹ · n/(n − 2)
  const h = [n, x.reduce((s, v) => s + v, 0), x.reduce((s, v) => s + v * v, 0)];
  const m = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    m[0] += e[i] ** 2;
    m[1] += e[i] ** 2 * x[i];
    m[2] += e[i] ** 2 * x[i] ** 2;
  }
  const det = h[0] * h[2] - h[1] * h[1];
  const hi = [h[2] / det, -h[1] / det, h[0] / det];
  const mul = (p: number[], q: number[]) => [
    p[0] * q[0] + p[1] * q[1],
    p[0] * q[1] + p[1] * q[2],
    p[1] * q[0] + p[2] * q[1],
    p[1] * q[1] + p[2] * q[2],
  ];
  const t = mul(hi, m); // 2x2 as [t00, t01, t10, t11]
  const v = [
    (t[0] * hi[0] + t[1] * hi[1]) * (n / (n - 2)),
    (t[0] * hi[1] + t[1] * hi[2]) * (n / (n - 2)),
    (t[2] * hi[1] + t[3] * hi[2]) * (n / (n - 2)),
  ];
  return { a, b, ssr, v };
}

test("the O(T) scan equals a direct Chow / robust Wald computation at every candidate date", () => {
  const { x, y } = simulate(createRng(3), 120, 70, 0.4, -0.3);
  const xs = [...x];
  const ys = [...y];
  const whole = segmentFit(xs, ys);
  for (const covariance of ["classical", "robust"] as const) {
    const scan = supWaldScan(y, x, { covariance });
    let best = -1;
    let at = -1;
    for (let k = scan.firstCandidate; k <= scan.lastCandidate; k++) {
      const s1 = segmentFit(xs.slice(0, k), ys.slice(0, k));
      const s2 = segmentFit(xs.slice(k), ys.slice(k));
      let w: number;
      if (covariance === "classical") {
        const u = s1.ssr + s2.ssr;
        w = (whole.ssr - u) / (u / (120 - 4));
      } else {
        const vaa = s1.v[0] + s2.v[0];
        const vab = s1.v[1] + s2.v[1];
        const vbb = s1.v[2] + s2.v[2];
        const da = s1.a - s2.a;
        const db = s1.b - s2.b;
        w = (da * da * vbb - 2 * da * db * vab + db * db * vaa) / (vaa * vbb - vab * vab);
      }
      // prefix sums of standardised data vs two-pass per segment: 1e-8 relative (sums over 120
      // standardised points lose at most a few digits to cancellation)
      assert.ok(
        Math.abs(scan.statistic[k] - w) < 1e-8 * Math.max(1, w),
        `${covariance} k=${k}: ${scan.statistic[k]} vs ${w}`,
      );
      if (w > best) {
        best = w;
        at = k;
      }
    }
    assert.equal(scan.breakIndex, at);
    // 15% trimming: candidates 18..102 for T = 120
    assert.equal(scan.firstCandidate, 18);
    assert.equal(scan.lastCandidate, 102);
  }
});

test("the tabulated 5% and 10% critical values (p = 2, 15% trimming) match a simulation of the limit", () => {
  // sup over π in [0.15, 0.85] of |B(π) − πB(1)|² / (π(1 − π)), B a 2-dimensional Brownian motion on a
  // 400-step grid, 3000 draws. Monte Carlo s.e. of the 95% quantile ≈ 0.2; the grid misses the
  // true sup by ~0.1-0.2 (downward); tolerance 0.8 (≈ 4 s.e.).
  const rng = createRng(2024);
  const steps = 400;
  const draws = 3000;
  const sups: number[] = [];
  const w1 = new Float64Array(steps);
  const w2 = new Float64Array(steps);
  for (let r = 0; r < draws; r++) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < steps; i++) {
      a += rng.normal();
      b += rng.normal();
      w1[i] = a / Math.sqrt(steps);
      w2[i] = b / Math.sqrt(steps);
    }
    let m = 0;
    for (let i = Math.ceil(0.15 * steps) - 1; i < Math.floor(0.85 * steps); i++) {
      const p = (i + 1) / steps;
      const b1 = w1[i] - p * w1[steps - 1];
      const b2 = w2[i] - p * w2[steps - 1];
      m = Math.max(m, (b1 * b1 + b2 * b2) / (p * (1 - p)));
    }
    sups.push(m);
  }
  sups.sort((p, q) => p - q);
  const q95 = sups[Math.floor(0.95 * draws)];
  const q90 = sups[Math.floor(0.9 * draws)];
  assert.ok(Math.abs(q95 - ANDREWS_CRITICAL_VALUES[2].p5) < 0.8, `simulated 95% ${q95}`);
  assert.ok(Math.abs(q90 - ANDREWS_CRITICAL_VALUES[2].p10) < 0.8, `simulated 90% ${q90}`);
});

test("a planted break in the beta is dated within ± 2 periods", () => {
  // T = 200, beta 1 → −1 at t = 120, noise s.d. 0.5: the break-date estimator's error is O(σ²/δ²)
  // periods (Bai 1997), about a quarter of a period here.
  for (let seed = 1; seed <= 10; seed++) {
    const { x, y } = simulate(createRng(seed), 200, 120, 1, -1, 0.5);
    const scan = supWaldScan(y, x);
    assert.ok(Math.abs(scan.breakIndex - 120) <= 2, `seed ${seed}: break at ${scan.breakIndex}`);
    assert.equal(breakSignificance(scan.supWald), "1%");
  }
  // through the dated wrapper: the break date is the first date of the new regime
  const { x, y } = simulate(createRng(1), 200, 120, 1, -1, 0.5);
  const dates = Array.from(
    { length: 200 },
    (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`,
  );
  const input: RelationInput = {
    dates,
    x,
    y,
    xId: "X",
    yId: "Y",
    xTransform: "change",
    yTransform: "logReturn",
    xUnits: "percentage points",
    yUnits: "percent (log return)",
    freq: "m",
    aggregation: "last",
    warnings: [],
  };
  const r = breakTest(input, { key: "k", label: "Y vs X" });
  const k = dates.indexOf(r.breakDate);
  assert.ok(Math.abs(k - 120) <= 2);
  // the two regimes' betas are near the planted ones (n ≈ 120 and 80, se ≈ 0.05)
  assert.ok(Math.abs(r.before.beta - 1) < 0.2 && Math.abs(r.after.beta + 1) < 0.2);
  assert.equal(r.before.to, dates[k - 1]);
  assert.equal(r.after.from, dates[k]);
});

test("without a break the test rejects at about its nominal 5% size (200 seeded null simulations)", () => {
  // Under H0 the rejection count is Binomial(200, 0.05): mean 10, s.d. 3.1. Accepting 2..20
  // rejections (1%..10%) allows ±2.6 s.d. and a modest finite-sample distortion at T = 200.
  const rng = createRng(99);
  let rejectClassical = 0;
  let rejectRobust = 0;
  for (let s = 0; s < 200; s++) {
    const { x, y } = simulate(rng, 200, 0, 0.5, 0.5);
    if (supWaldScan(y, x).supWald > ANDREWS_CRITICAL_VALUES[2].p5) rejectClassical++;
    if (supWaldScan(y, x, { covariance: "robust" }).supWald > ANDREWS_CRITICAL_VALUES[2].p5) rejectRobust++;
  }
  assert.ok(rejectClassical >= 2 && rejectClassical <= 20, `classical: ${rejectClassical}/200 rejections`);
  assert.ok(rejectRobust >= 2 && rejectRobust <= 20, `robust: ${rejectRobust}/200 rejections`);
});

test("too few observations and a constant driver are errors", () => {
  assert.throws(
    () => supWaldScan(Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([1, 3, 2, 5, 4])),
    /too few/,
  );
  const x = new Float64Array(50).fill(2);
  const y = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
  assert.throws(() => supWaldScan(y, x), /constant/);
});

test("sign flips: significant runs and the flips between them", () => {
  const dates = Array.from({ length: 12 }, (_, i) => `2020-${String(i + 1).padStart(2, "0")}-01`);
  // positive (band > 0) for 3, neutral for 2, negative for 4, neutral 1, positive 1 (too short), negative 1
  const r = Float64Array.from([0.5, 0.6, 0.5, 0.1, -0.1, -0.5, -0.6, -0.55, -0.5, 0.05, 0.4, -0.4]);
  const lo = Float64Array.from(r, (v) => v - 0.2);
  const hi = Float64Array.from(r, (v) => v + 0.2);
  const { runs, flips, zeroCrossings } = correlationSignFlips(dates, r, lo, hi, { minRun: 2 });
  assert.deepEqual(
    runs.map((x) => `${x.sign}:${x.length}`),
    ["positive:3", "neutral:2", "negative:4", "neutral:1", "positive:1", "negative:1"],
  );
  assert.equal(flips.length, 1);
  assert.equal(flips[0].date, "2020-06-01");
  assert.equal(flips[0].previousEnd, "2020-03-01");
  // mean correlations of the two runs: (0.5 + 0.6 + 0.5)/3 and (−0.5 − 0.6 − 0.55 − 0.5)/4
  assert.ok(Math.abs(flips[0].meanCorrelationBefore - 1.6 / 3) < 1e-12);
  assert.ok(Math.abs(flips[0].strength - (-2.15 / 4 - 1.6 / 3)) < 1e-12);
  // point-estimate sign changes: + → − (Apr→May), − → + (Sep→Oct), + → − (Nov→Dec)
  assert.equal(zeroCrossings, 3);
  // with minRun 1 the short positive run counts: two more flips
  assert.equal(correlationSignFlips(dates, r, lo, hi).flips.length, 3);
});
