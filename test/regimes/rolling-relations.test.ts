/**
 * Rolling relations: the O(n) kernel's correlation, beta and bands against a direct two-pass
 * recomputation of every window (fast-check over random data, windows, NaN and levels); the
 * up/down betas against a direct solve of the normal equations and on simulated data with a
 * planted asymmetry; and the bad inputs of the issue (no overlap, window too long, constant
 * series, non-positive prices) as typed errors or warnings, never silent NaN output.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/core/errors.ts";
import { makeSeries, type Series } from "../../src/core/series.ts";
import { prepareRelationInput } from "../../src/regimes/pairs.ts";
import {
  analyseRelation,
  asymmetricBeta,
  pairStatistics,
  rollingRelationValues,
} from "../../src/regimes/rolling-relations.ts";
import { fromRows } from "../../src/stats/dense.ts";
import { normalQuantile, studentTQuantile } from "../../src/stats/distributions.ts";
import { ols } from "../../src/stats/ols.ts";
import { createRng } from "../../src/stats/random.ts";
import { percentileRankFullSampleValues } from "../../src/transforms/percentile.ts";

/** Direct two-pass statistics of the valid pairs in the window ending at i (the obvious O(n·w) way). */
function direct(x: Float64Array, y: Float64Array, w: number, i: number, level: number) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = Math.max(0, i - w + 1); j <= i; j++) {
    if (Number.isNaN(x[j]) || Number.isNaN(y[j])) continue;
    xs.push(x[j]);
    ys.push(y[j]);
  }
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < n; k++) {
    sxx += (xs[k] - mx) ** 2;
    syy += (ys[k] - my) ** 2;
    sxy += (xs[k] - mx) * (ys[k] - my);
  }
  if (n < 5) return { n, r: Number.NaN, lo: 0, hi: 0, b: 0, se: 0, blo: 0, bhi: 0, sxx, syy };
  const r = sxy / Math.sqrt(sxx * syy);
  const z = Math.atanh(r);
  const h = normalQuantile(0.5 + level / 2) / Math.sqrt(n - 3);
  const b = sxy / sxx;
  const resid: number[] = xs.map((xv, k) => ys[k] - my - b * (xv - mx));
  const se = Math.sqrt(resid.reduce((a, e) => a + e * e, 0) / (n - 2) / sxx);
  const t = studentTQuantile(0.5 + level / 2, n - 2);
  return {
    n,
    r,
    lo: Math.tanh(z - h),
    hi: Math.tanh(z + h),
    b,
    se,
    blo: b - t * se,
    bhi: b + t * se,
    sxx,
    syy,
  };
}

/** Return-like values on a 1/64 grid (well-conditioned windows), NaN one time in eight or never. */
const pairArb = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.tuple(
        fc.integer({ min: -320, max: 320 }),
        fc.integer({ min: -320, max: 320 }),
        fc.integer({ min: 0, max: 7 }),
      ),
      {
        minLength: 8,
        maxLength: 150,
      },
    ),
  )
  .map(([withNaN, pts]) => ({
    x: Float64Array.from(pts, ([a, , nan]) => (withNaN && nan === 0 ? Number.NaN : a / 64)),
    // y partly driven by x so correlations span the range
    y: Float64Array.from(pts, ([a, b, nan]) => (withNaN && nan === 1 ? Number.NaN : (0.5 * a + b) / 64)),
  }));

test("rolling correlation, beta and their bands match a direct recomputation (random windows, NaN, levels)", () => {
  fc.assert(
    fc.property(
      pairArb,
      fc.integer({ min: 5, max: 60 }),
      fc.constantFrom(0.8, 0.9, 0.95, 0.99),
      fc.integer({ min: 0, max: 4 }),
      ({ x, y }, w0, level, slack) => {
        const w = Math.min(w0, x.length);
        if (w < 5) return;
        const minPeriods = Math.max(5, w - slack);
        const got = rollingRelationValues(x, y, w, { level, minPeriods });
        for (let i = 0; i < x.length; i++) {
          const d = direct(x, y, w, i, level);
          assert.equal(got.count[i], d.n, `count at ${i}`);
          const defined = d.n >= minPeriods && d.sxx > 0 && d.syy > 0;
          if (!defined) {
            assert.ok(
              Number.isNaN(got.correlation[i]) && Number.isNaN(got.beta[i]),
              `undefined window ${i} must be NaN`,
            );
            continue;
          }
          // Correlations are in [-1, 1]: 1e-9 absolute covers the kernel's merge rounding on grid data.
          // Fisher bands: tanh compresses errors, same tolerance (near |r| = 1 atanh amplifies, but
          // grid data with n >= 5 keep |r| well below 1 - 1e-6 unless exactly collinear).
          assert.ok(Math.abs(got.correlation[i] - d.r) < 1e-9, `corr ${i}: ${got.correlation[i]} vs ${d.r}`);
          if (Math.abs(d.r) < 1 - 1e-9) {
            assert.ok(Math.abs(got.correlationLower[i] - d.lo) < 1e-7, `corr lower ${i}`);
            assert.ok(Math.abs(got.correlationUpper[i] - d.hi) < 1e-7, `corr upper ${i}`);
          }
          // Betas: relative 1e-9 (plus 1e-12 absolute for betas near zero); the band adds t × se,
          // se from RSS = Syy − Sxy²/Sxx, which cancels when the fit is near perfect: 1e-7 relative to |b| + se.
          const scale = Math.abs(d.b) + d.se + 1e-12;
          assert.ok(Math.abs(got.beta[i] - d.b) < 1e-9 * scale, `beta ${i}: ${got.beta[i]} vs ${d.b}`);
          assert.ok(Math.abs(got.betaStdErr[i] - d.se) < 1e-7 * scale, `beta se ${i}`);
          assert.ok(Math.abs(got.betaLower[i] - d.blo) < 1e-6 * scale, `beta lower ${i}`);
          assert.ok(Math.abs(got.betaUpper[i] - d.bhi) < 1e-6 * scale, `beta upper ${i}`);
        }
      },
    ),
    { numRuns: 150 },
  );
});

test("full-sample statistics equal the last window when the window is the whole sample", () => {
  const rng = createRng(5);
  const x = Float64Array.from({ length: 80 }, () => rng.normal());
  const y = Float64Array.from(x, (v) => 0.3 * v + rng.normal());
  const full = pairStatistics(x, y);
  const roll = rollingRelationValues(x, y, 80);
  // same formulas, one-pass-merge vs two-pass: 1e-12
  assert.ok(Math.abs(full.correlation - roll.correlation[79]) < 1e-12);
  assert.ok(Math.abs(full.beta - roll.beta[79]) < 1e-12);
  assert.ok(Math.abs(full.betaLower - roll.betaLower[79]) < 1e-12);
});

test("the latest correlation's percentile equals the transforms module's full-sample rank", () => {
  const rng = createRng(8);
  const n = 400;
  const xs = Float64Array.from({ length: n }, () => rng.normal());
  const ys = Float64Array.from(xs, (v, i) => Math.sin(i / 40) * v + rng.normal());
  const dates = Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10),
  );
  const input = {
    dates,
    x: xs,
    y: ys,
    xId: "X",
    yId: "Y",
    xTransform: "change" as const,
    yTransform: "logReturn" as const,
    xUnits: "percentage points",
    yUnits: "percent (log return)",
    freq: "d" as const,
    aggregation: null,
    warnings: [],
  };
  const a = analyseRelation(input, 30, { key: "k", label: "k" });
  const ranks = percentileRankFullSampleValues(a.rolling.correlation);
  // O(n) count for one value vs the Fenwick-tree ranks of ../transforms/percentile.ts: identical counts
  assert.equal(a.latest?.correlationPercentile, ranks[n - 1]);
});

/** Solve the 3×3 normal equations of y on [1, x⁺, x⁻] by Gaussian elimination (the obvious way). */
function normalEquations(y: Float64Array, x: Float64Array): number[] {
  const a = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  for (let i = 0; i < x.length; i++) {
    const r = [1, Math.max(x[i], 0), Math.min(x[i], 0)];
    for (let p = 0; p < 3; p++) {
      for (let q = 0; q < 3; q++) a[p][q] += r[p] * r[q];
      a[p][3] += r[p] * y[i];
    }
  }
  for (let c = 0; c < 3; c++) {
    for (let r = c + 1; r < 3; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  const b = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let s = a[r][3];
    for (let k = r + 1; k < 3; k++) s -= a[r][k] * b[k];
    b[r] = s / a[r][r];
  }
  return b;
}

test("up/down betas: the normal equations' solution, and a planted asymmetry is found", () => {
  const rng = createRng(11);
  const n = 3000;
  const x = Float64Array.from({ length: n }, () => rng.normal());
  // gold-like: rises with the driver's up-moves (beta 0.8) but ignores its down-moves (beta 0)
  const y = Float64Array.from(x, (v) => 0.1 + 0.8 * Math.max(v, 0) + 0 * Math.min(v, 0) + 0.5 * rng.normal());
  const a = asymmetricBeta(y, x);
  const ne = normalEquations(y, x);
  // QR vs normal equations on a well-conditioned 3-column design: 1e-10
  assert.ok(
    Math.abs(a.intercept - ne[0]) < 1e-10 &&
      Math.abs(a.betaUp - ne[1]) < 1e-10 &&
      Math.abs(a.betaDown - ne[2]) < 1e-10,
  );
  // the dedicated Newey-West path equals the general OLS module's HAC errors (same lag rule)
  const general = ols(y, fromRows(Array.from(x, (v) => [1, Math.max(v, 0), Math.min(v, 0)])));
  assert.equal(a.hacLag, general.hac.lag);
  // two implementations of the same sandwich: 1e-9 relative
  assert.ok(
    Math.abs(a.seUp / general.hac.standardErrors[1] - 1) < 1e-9,
    `se up ${a.seUp} vs ${general.hac.standardErrors[1]}`,
  );
  assert.ok(Math.abs(a.seDown / general.hac.standardErrors[2] - 1) < 1e-9);
  const v = general.hac.covParams.data;
  assert.ok(Math.abs(a.seDifference / Math.sqrt(v[4] + v[8] - 2 * v[5]) - 1) < 1e-9);
  // Sampling error: se(beta) ≈ 0.5 / sqrt(n/2 · E[x²|x>0] (1 − 2/π)) ≈ 0.025; 4 s.e. = 0.1
  assert.ok(Math.abs(a.betaUp - 0.8) < 0.1, `beta up ${a.betaUp}`);
  assert.ok(Math.abs(a.betaDown) < 0.1, `beta down ${a.betaDown}`);
  // The equality test rejects decisively (difference 0.8 ≈ 20 s.e.)
  assert.ok(a.tStat > 8 && a.pValue < 1e-6, `t ${a.tStat}`);
  assert.equal(a.nUp + a.nDown, n);
  // too few down-moves is an error, not a NaN beta
  assert.throws(
    () => asymmetricBeta(Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([1, 2, 3, -1, 4])),
    /at least 3 up-moves and 3 down-moves/,
  );
});

function daily(id: string, start: string, values: number[], units = "index"): Series {
  const dates: string[] = [];
  let t = Date.parse(start);
  for (let i = 0; i < values.length; i++) {
    dates.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return makeSeries({ id, title: id, units, frequency: "d", source: "test", licence: "test" }, dates, values);
}

test("bad input: no overlap, too short for the window, constant series, non-positive prices, wrong frequency", () => {
  const ramp = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
  const y = daily(
    "Y",
    "2020-01-01",
    ramp(40, (i) => 100 + Math.sin(i)),
  );
  const late = daily(
    "X",
    "2021-01-01",
    ramp(40, (i) => 2 + 0.1 * Math.cos(i)),
    "percent",
  );
  assert.throws(
    () => prepareRelationInput(late, y, { freq: "d" }),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(
        e.message,
        /X \(2021-01-01\.\.2021-02-09\) and Y \(2020-01-01\.\.2020-02-09\) do not overlap/,
      );
      return true;
    },
  );
  const x = daily(
    "X",
    "2020-01-01",
    ramp(40, (i) => 2 + 0.1 * Math.cos(1.7 * i)),
    "percent",
  );
  const input = prepareRelationInput(x, y, { freq: "d" });
  assert.equal(input.dates.length, 39);
  assert.equal(input.xTransform, "change");
  assert.equal(input.yTransform, "logReturn");
  assert.throws(
    () => analyseRelation(input, 60, { key: "k", label: "Y vs X" }),
    /window of 60 observations is longer than the 39 paired changes/,
  );
  const flat = daily(
    "F",
    "2020-01-01",
    ramp(40, () => 3),
    "percent",
  );
  assert.throws(() => prepareRelationInput(flat, y, { freq: "d" }), /F does not change .*zero variance/);
  const neg = daily(
    "N",
    "2020-01-01",
    ramp(40, (i) => (i === 7 ? -1 : 50 + i)),
  );
  assert.throws(
    () => prepareRelationInput(x, neg, { freq: "d" }),
    /N is -1 at 2020-01-08: log returns need positive prices/,
  );
  const monthlyY = makeSeries(
    { id: "M", title: "M", units: "index", frequency: "m", source: "t", licence: "t" },
    ["2020-01-01", "2020-02-01"],
    [1, 2],
  );
  assert.throws(
    () => prepareRelationInput(x, monthlyY, { freq: "d" }),
    /M is monthly: a daily relation needs two daily series/,
  );
});

test("windows where a series stops moving give NaN plus a warning, not silent NaN", () => {
  // x moves, then is flat for 30 days (a pegged rate), then moves again
  const xv = Array.from({ length: 120 }, (_, i) => (i >= 40 && i < 70 ? 1 : 1 + 0.01 * Math.sin(0.9 * i)));
  const x = daily("PEG", "2020-01-01", xv, "percent");
  const y = daily(
    "Y",
    "2020-01-01",
    Array.from({ length: 120 }, (_, i) => 100 + Math.cos(0.5 * i)),
  );
  const input = prepareRelationInput(x, y, { freq: "d" });
  const a = analyseRelation(input, 20, { key: "peg", label: "Y vs PEG" });
  const nanCount = a.rolling.correlation.filter((v) => Number.isNaN(v)).length;
  // windows of 20 changes lying inside the 29 flat changes: 10 of them, plus the first 19 (incomplete)
  assert.equal(nanCount, 19 + 10);
  const w = a.warnings.find((v) => v.code === "constant-window");
  assert.ok(w && /10 window\(s\) where PEG or Y does not move/.test(w.message), JSON.stringify(a.warnings));
});

test("monthly pairing averages the daily side when the other series is published monthly", () => {
  const days = Array.from({ length: 90 }, (_, i) => i);
  const x = daily(
    "D",
    "2020-01-01",
    days.map((i) => 1 + i / 100),
    "percent",
  );
  const m = makeSeries(
    { id: "MP", title: "MP", units: "index", frequency: "m", source: "t", licence: "t" },
    ["2020-01-01", "2020-02-01", "2020-03-01"],
    [100, 110, 105],
  );
  const input = prepareRelationInput(x, m, { freq: "m" });
  assert.equal(input.aggregation, "mean");
  // January mean of 1 + i/100 for i = 0..30 is 1.15; February (i = 31..59) 1.45: change 0.30 pp exactly
  assert.ok(Math.abs(input.x[0] - 0.3) < 1e-12);
  assert.ok(Math.abs(input.y[0] - 100 * Math.log(1.1)) < 1e-12);
  // forcing month-end sampling against a monthly-average series is allowed but flagged
  const last = prepareRelationInput(x, m, { freq: "m", aggregation: "last" });
  assert.ok(last.warnings.some((w) => w.code === "timing-mismatch"));
});
