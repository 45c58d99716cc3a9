/**
 * Forecasts: the score → level regression against closed-form OLS, consensus-path extension by
 * hand-computed values, the normal quantile against published values, and the nominal forecast's
 * arithmetic (nominal = real + breakeven; interval from the two legs and their correlation).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { makeSeries, type Series } from "../../src/core/series.ts";
import { type ConsensusPath, consensusFromTable, extendSeries } from "../../src/scores/consensus.ts";
import { fitScoreToLevel, nominalForecast, predictLevel } from "../../src/scores/forecast.ts";
import { parseRecipe } from "../../src/scores/recipe.ts";
import { normalQuantile } from "../../src/stats/distributions.ts";
import { createRng } from "../../src/stats/random.ts";
import { dailySeries, monthLabelOf, monthlyIndexSeries } from "./synthetic.ts";

const START = 2001 * 12;

test("normal quantile matches published values", () => {
  // Φ⁻¹ from Python's statistics.NormalDist (Wichura's AS241, ~1e-16): Acklam's approximation
  // has relative error < 1.2e-9, so 1e-8 absolute is the right bar.
  const cases: [number, number][] = [
    [0.5, 0],
    [0.95, 1.6448536269514715],
    [0.975, 1.9599639845400536],
    [0.01, -2.3263478740408408],
    [0.001, -3.090232306167813],
    [0.8, 0.8416212335729144],
  ];
  for (const [p, z] of cases)
    assert.ok(Math.abs(normalQuantile(p) - z) < 1e-8, `p=${p}: ${normalQuantile(p)} vs ${z}`);
});

test("score → level regression equals closed-form OLS; the interval is mean ± z·√(σ² + x'Vx)", () => {
  const rng = createRng(5);
  const n = 120;
  const dates = Array.from({ length: n }, (_, k) => monthLabelOf(START + k));
  const score = Float64Array.from({ length: n }, () => 100 * rng.uniform());
  const lead = 2;
  const tv = dates.map((_, k) =>
    k >= lead ? 0.5 + 0.01 * score[k - lead] + 0.2 * (rng.uniform() - 0.5) : 1,
  );
  const target = makeSeries(
    { id: "T10YIE", title: "t", units: "percent", frequency: "m", source: "s", licence: "t" },
    dates,
    tv,
  );
  const map = fitScoreToLevel({ name: "s", dates, values: score }, target, lead);
  const x = Array.from(score.subarray(0, n - lead));
  const y = tv.slice(lead);
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  const ssr = x.reduce((s, xi, i) => s + (y[i] - a - b * xi) ** 2, 0);
  // QR least squares vs two-pass normal equations on well-conditioned data: ~1e-13 apart
  assert.ok(Math.abs(map.slope - b) < 1e-10);
  assert.ok(Math.abs(map.intercept - a) < 1e-10);
  assert.ok(Math.abs(map.residualSd - Math.sqrt(ssr / (x.length - 2))) < 1e-10);
  assert.equal(map.nobs, n - lead);
  const p = predictLevel(map, 40, 0.9);
  const [vaa, vab, vbb] = map.hacCov;
  const se = Math.sqrt(map.residualSd ** 2 + vaa + 80 * vab + 1600 * vbb);
  assert.ok(Math.abs(p.mean - (map.intercept + 40 * map.slope)) < 1e-12);
  assert.ok(Math.abs(p.se - se) < 1e-12);
  // half-width in units of se is the 95% normal quantile (two-sided 90%), to the quantile's accuracy
  assert.ok(Math.abs((p.hi - p.mean) / p.se - 1.6448536269514715) < 1e-8);
  assert.ok(Math.abs((p.mean - p.lo) / p.se - 1.6448536269514715) < 1e-8);
});

function path(id: string, form: ConsensusPath["form"], months: number[], values: number[]): ConsensusPath {
  return { id, form, months, values, origin: `test ${id}` };
}

test("consensus paths extend a series: level, yoy and mom forms, then the labelled default", () => {
  const s = monthlyIndexSeries("CPIAUCSL", START, 36, 2); // last month START + 35
  const last = START + 35;
  const x = (m: number) => s.values[m - START];
  const yoy = extendSeries(s, path("CPIAUCSL", "yoy", [last + 1, last + 2], [3, 2]), last + 4, "hold-yoy");
  const v = (m: number) => yoy.series.values[m - START];
  // values computed by hand from the definitions, same floating operations: exact
  assert.equal(v(last + 1), x(last + 1 - 12) * 1.03);
  assert.equal(v(last + 2), x(last + 2 - 12) * 1.02);
  const g = (x(last) / x(last - 12)) ** (1 / 12);
  assert.equal(v(last + 3), v(last + 2) * g, "after the path: last 12-month growth, compounded monthly");
  assert.equal(v(last + 4), v(last + 3) * g);
  assert.equal(yoy.source, "user");
  assert.equal(yoy.firstExtended, monthLabelOf(last + 1));
  assert.ok(yoy.warnings.some((w) => w.code === "path-gap"));

  const mom = extendSeries(s, path("CPIAUCSL", "mom", [last + 1], [0.5]), last + 1, "hold-level");
  assert.equal(mom.series.values[last + 1 - START], x(last) * 1.005);
  const level = extendSeries(
    s,
    path("CPIAUCSL", "level", [last - 1, last + 1], [1, 250]),
    last + 2,
    "hold-level",
  );
  assert.equal(level.series.values[last - 1 - START], x(last - 1), "data win over a path that overlaps them");
  assert.equal(level.series.values[last + 1 - START], 250);
  assert.equal(level.series.values[last + 2 - START], 250, "hold-level after the path");
  assert.ok(level.warnings.some((w) => w.code === "path-overlaps-data"));

  const dflt = extendSeries(s, undefined, last + 2, "hold-level");
  assert.equal(dflt.source, "default");
  assert.match(dflt.rule, /^DEFAULT: last value held/);
  assert.equal(dflt.series.values[last + 2 - START], x(last));
});

test("consensus CSV columns: ID, ID:yoy, ID:mom; bad specs and duplicates are refused with the column", () => {
  const table = (columns: string[], dates = ["2026-09-01", "2026-10-01"]) => ({
    file: "c.csv",
    dateColumn: "date",
    columns,
    dates,
    values: columns.map(() => Float64Array.from([1, Number.NaN])),
    lines: [2, 3],
  });
  const ok = consensusFromTable(table(["CPIAUCSL:yoy", "UNRATE"]));
  assert.deepEqual(
    ok.map((p) => [p.id, p.form, p.months.length]),
    [
      ["CPIAUCSL", "yoy", 1],
      ["UNRATE", "level", 1],
    ],
  );
  assert.throws(
    () => consensusFromTable(table(["CPIAUCSL:qoq"])),
    (e: unknown) =>
      e instanceof InputError &&
      /column "CPIAUCSL:qoq" is not ID, ID:level, ID:yoy or ID:mom/.test(e.message),
  );
  assert.throws(
    () => consensusFromTable(table(["UNRATE", "UNRATE:mom"])),
    (e: unknown) => e instanceof InputError && /series UNRATE has two columns/.test(e.message),
  );
  assert.throws(
    () => consensusFromTable(table(["UNRATE"], ["2026-09-01", "2026-09-15"])),
    (e: unknown) =>
      e instanceof InputError && /two rows for month 2026-09/.test(e.message) && e.location.line === 3,
  );
});

test("nominal forecast = real + breakeven leg by leg; its interval combines the legs with their residual correlation", () => {
  const n = 150;
  const series = new Map<string, Series>([
    ["CPIAUCSL", monthlyIndexSeries("CPIAUCSL", START, n, 1)],
    ["UNRATE", monthlyIndexSeries("UNRATE", START, n, 2, { drift: 0 })],
    ["T10YIE", dailySeries("T10YIE", START, n, 3)],
    ["DFII10", dailySeries("DFII10", START, n, 4)],
  ]);
  const recipes = new Map(
    [
      {
        name: "real-score",
        target: "DFII10",
        targetLeadMonths: 6,
        components: [{ series: "UNRATE", transform: "inverse_percentile", minPeriods: 12, weight: 1 }],
        normalise: "none" as const,
      },
      {
        name: "be-score",
        target: "T10YIE",
        components: [
          { series: "CPIAUCSL", transform: ["yoy", { op: "percentile", minPeriods: 12 }], weight: 1 },
        ],
        normalise: "none" as const,
      },
    ].map((r) => [r.name, parseRecipe(r)]),
  );
  const f = nominalForecast({ series, recipes }, [path("CPIAUCSL", "yoy", [START + n], [2.5])], {
    realScore: "real-score",
    breakevenScore: "be-score",
    horizonMonths: 8,
    level: 0.8,
  });
  assert.equal(f.origin, monthLabelOf(START + n - 1));
  assert.equal(f.nominal.length, 8);
  const z = 1.2815515655446008; // Φ⁻¹(0.9) for a two-sided 80% interval, Python statistics.NormalDist
  f.nominal.forEach((p, i) => {
    const r = f.real.points[i];
    const b = f.breakeven.points[i];
    assert.equal(p.date, r.date);
    // sums of two doubles: exact up to one rounding
    assert.ok(Math.abs(p.mean - (r.mean + b.mean)) < 1e-12);
    const se = Math.sqrt(r.se ** 2 + b.se ** 2 + 2 * f.residualCorrelation * r.se * b.se);
    assert.ok(Math.abs(p.se - se) < 1e-12);
    assert.ok(Math.abs(p.hi - p.mean - z * se) < 1e-8, "half-width z·se to the quantile's accuracy");
    assert.equal(p.noChange.mean, f.latestActual.nominalPct);
  });
  // the real leg reads the score six months back: the first five forecasts use data-only scores
  assert.equal(f.real.points[0].scoreDate, monthLabelOf(START + n - 6));
  assert.equal(f.real.points[0].scoreFromConsensus, false);
  // the breakeven leg reads its score in the same month; CPI is public a month later, so the first
  // forecast month's score uses the last CPI in the data, the second the consensus path
  assert.equal(f.breakeven.points[0].scoreFromConsensus, false);
  assert.equal(f.breakeven.points[1].scoreFromConsensus, true);
  const cons = new Map(f.consensus.map((c) => [c.id, c]));
  assert.equal(cons.get("CPIAUCSL")?.source, "user");
  assert.equal(cons.get("UNRATE")?.source, "default");
  assert.ok(f.warnings.some((w) => w.code === "default-consensus" && /UNRATE/.test(w.message)));
  assert.match(f.summary(), /no-change/);
});
