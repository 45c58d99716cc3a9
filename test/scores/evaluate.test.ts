/**
 * Evaluation against a slow, obvious re-implementation: for every lead and every origin, refit the
 * regression from scratch on the pairs published by then (two-pass means), and compute the
 * correlations by two passes. Plus a simulated case where the score truly leads its target, and
 * one where it does not.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { makeSeries, type Series } from "../../src/core/series.ts";
import { evaluateScore } from "../../src/scores/evaluate.ts";
import { createRng } from "../../src/stats/random.ts";
import { monthLabelOf } from "./synthetic.ts";

const START = 1990 * 12;

function corr2(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

interface Sim {
  score: {
    name: string;
    dates: string[];
    values: Float64Array;
    targetLeadMonths: number;
    lookAhead: boolean;
  };
  target: Series;
  s: Map<number, number>;
  y: Map<number, number>;
}

/** Score on months [0, n); monthly target y_{t} = 1 + 0.02 s_{t−lead} + noise (persistent if rho > 0). */
function simulate(n: number, lead: number, seed: number, id: string, rho = 0): Sim {
  const rng = createRng(seed);
  const s = new Map<number, number>();
  const y = new Map<number, number>();
  for (let k = 0; k < n; k++) s.set(START + k, 100 * rng.uniform());
  let e = 0;
  for (let k = -3; k < n + 5; k++) {
    e = rho * e + 0.3 * (2 * rng.uniform() - 1);
    const src = s.get(START + k - lead);
    if (src !== undefined) y.set(START + k, 1 + 0.02 * src + e);
  }
  const yMonths = [...y.keys()].sort((a, b) => a - b);
  const target = makeSeries(
    { id, title: id, units: "percent", frequency: "m", source: "synthetic", licence: "test" },
    yMonths.map(monthLabelOf),
    yMonths.map((m) => y.get(m)!),
  );
  const dates = Array.from({ length: n }, (_, k) => monthLabelOf(START + k));
  return {
    score: {
      name: "sim",
      dates,
      values: Float64Array.from(dates, (_, k) => s.get(START + k)!),
      targetLeadMonths: lead,
      lookAhead: false,
    },
    target,
    s,
    y,
  };
}

/** The slow route for one lead: a fresh regression at every origin. */
function slowLead(sim: Sim, h: number, lag: number, minTrain: number) {
  const months = [...sim.s.keys()].sort((a, b) => a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const t of months) {
    const v = sim.y.get(t + h);
    if (v !== undefined) {
      xs.push(sim.s.get(t)!);
      ys.push(v);
    }
  }
  const f: number[] = [];
  const o: number[] = [];
  const nv: number[] = [];
  const mean: number[] = [];
  const origins: number[] = [];
  for (const t of months) {
    const px: number[] = [];
    const py: number[] = [];
    for (const u of months) {
      const v = sim.y.get(u + h);
      if (u + h + lag <= t && v !== undefined) {
        px.push(sim.s.get(u)!);
        py.push(v);
      }
    }
    const outcome = sim.y.get(t + h);
    const last = sim.y.get(t - lag);
    if (px.length < minTrain || outcome === undefined || last === undefined) continue;
    const mx = px.reduce((a, b) => a + b, 0) / px.length;
    const my = py.reduce((a, b) => a + b, 0) / py.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < px.length; i++) {
      sxy += (px[i] - mx) * (py[i] - my);
      sxx += (px[i] - mx) ** 2;
    }
    f.push(my + (sxy / sxx) * (sim.s.get(t)! - mx));
    o.push(outcome);
    nv.push(last);
    mean.push(my);
    origins.push(t);
  }
  const sse = (a: number[]) => a.reduce((s, v, i) => s + (v - o[i]) ** 2, 0);
  return {
    inSample: corr2(xs, ys),
    inN: xs.length,
    oos: corr2(f, o),
    naive: corr2(nv, o),
    r2: 1 - sse(f) / sse(nv),
    r2Mean: 1 - sse(f) / sse(mean),
    n: o.length,
    forecasts: f,
    origins,
  };
}

test("in-sample and out-of-sample statistics match a slow refit-at-every-origin route (lag 0 and lag 1)", () => {
  for (const [id, lag] of [
    ["T10YIE", 0],
    ["UNRATE", 1], // monthly, public a month later: outcomes and the naive value arrive a month late
  ] as const) {
    const sim = simulate(150, 3, 42, id, 0.6);
    const ev = evaluateScore(sim.score, sim.target, { maxLead: 6, minTrain: 40 });
    assert.equal(ev.targetPublicationLagMonths, lag);
    for (const h of [0, 1, 3, 6]) {
      const slow = slowLead(sim, h, lag, 40);
      const row = ev.rows[h];
      // Welford updates vs two-pass sums on ~150 values of order 1-100: agreement to ~1e-13;
      // 1e-10 leaves room without letting a wrong pair or origin through (those move the third digit).
      assert.ok(Math.abs(row.inSampleCorr - slow.inSample) < 1e-10, `${id} h=${h} in-sample`);
      assert.equal(row.inSampleN, slow.inN);
      assert.equal(row.outOfSampleN, slow.n, `${id} h=${h} number of origins`);
      assert.ok(Math.abs(row.oosR2VsMean - slow.r2Mean) < 1e-10, `${id} h=${h} OOS R² vs mean`);
      assert.ok(Math.abs(row.outOfSampleCorr - slow.oos) < 1e-10, `${id} h=${h} OOS corr`);
      assert.ok(Math.abs(row.naiveCorr - slow.naive) < 1e-10, `${id} h=${h} naive corr`);
      if (Number.isFinite(slow.r2))
        assert.ok(Math.abs(row.oosR2VsNaive - slow.r2) < 1e-10, `${id} h=${h} OOS R²`);
      else assert.ok(Number.isNaN(row.oosR2VsNaive), "naive is exact at lead 0 with no lag: R² undefined");
      if (h === 3) {
        const k0 = ev.path.dates.indexOf(monthLabelOf(slow.origins[0] + h));
        slow.forecasts.forEach((fv, i) => {
          assert.ok(Math.abs(ev.path.outOfSampleForecast[k0 + i] - fv) < 1e-10, `forecast ${i}`);
        });
      }
    }
  }
});

test("a score that truly leads by 3 months: best at lead 3, and beats the naive forecast out of sample there", () => {
  const sim = simulate(240, 3, 9, "T10YIE", 0);
  const ev = evaluateScore(sim.score, sim.target);
  const best = ev.rows.reduce((a, b) => (b.inSampleCorr > a.inSampleCorr ? b : a));
  assert.equal(best.leadMonths, 3);
  // signal sd 0.02·100/√12 ≈ 0.58 vs noise sd 0.3/√3 ≈ 0.17: population r ≈ 0.96
  assert.ok(ev.rows[3].inSampleCorr > 0.9);
  assert.ok(ev.rows[3].oosR2VsNaive > 0.5, `OOS R² vs naive ${ev.rows[3].oosR2VsNaive}`);
  assert.ok(
    ev.rows[3].oosR2VsMean > 0.5,
    `the score, not mean reversion, does the work: ${ev.rows[3].oosR2VsMean}`,
  );
  assert.ok(
    ev.rows[8].oosR2VsMean < 0.05,
    "at a lead where the score is noise it adds nothing over the mean",
  );
  // at other leads the score is noise for the target (score months independent): |r| small
  assert.ok(Math.abs(ev.rows[8].inSampleCorr) < 0.25);
  assert.equal(ev.headlineLeadMonths, 3);
  assert.deepEqual(ev.chart.leads, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test("look-ahead scores are flagged: their out-of-sample record is not honest", () => {
  const sim = simulate(120, 0, 3, "T10YIE");
  const ev = evaluateScore({ ...sim.score, lookAhead: true }, sim.target);
  assert.ok(ev.warnings.some((w) => w.code === "look-ahead"));
});
