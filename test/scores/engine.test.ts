/**
 * The score engine against a second, independent route: plain loops written here (month-end
 * sampling by scanning, year-over-year by index, two-pass z-scores and counting percentiles over
 * each prefix, publication lags as explicit month shifts), on synthetic data and on the bundled
 * CPI/PPI; plus the no-look-ahead property for a whole score and the bad-input messages.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { InputError, ModelError, NotFoundError } from "../../src/core/errors.ts";
import type { Series } from "../../src/core/series.ts";
import { builtinRecipes } from "../../src/scores/builtins/index.ts";
import { computeScore, computeScores, type ScoreInputs } from "../../src/scores/engine.ts";
import { parseRecipe, type Recipe, type RecipeInput } from "../../src/scores/recipe.ts";
import { BUNDLED_DATA_DIR, loadCatalogEntry, readCatalog } from "../../src/store/bundled.ts";
import { cutAfter, dailySeries, monthLabelOf, monthlyIndexSeries } from "./synthetic.ts";

const START = 2000 * 12; // January 2000 as a month index

function registry(...inputs: RecipeInput[]): Map<string, Recipe> {
  return new Map(inputs.map((r) => [r.name, parseRecipe(r)]));
}

// --------------------------------------------------------------------------------------------
// the independent route

type MonthMap = Map<number, number>;

const monthOf = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;

/** Month-end value of each month that has observations (daily: the last one in the month). */
function sampleMonths(s: Series): MonthMap {
  const out: MonthMap = new Map();
  for (let i = 0; i < s.dates.length; i++)
    if (!Number.isNaN(s.values[i])) out.set(monthOf(s.dates[i]), s.values[i]);
  return out;
}

/** A single missing month between two observations takes the previous value (the engine's rule). */
function carryOneMonthGaps(x: MonthMap): MonthMap {
  const out = new Map(x);
  const months = [...x.keys()].sort((a, b) => a - b);
  for (let k = 1; k < months.length; k++) {
    for (let m = months[k - 1] + 1; m < months[k] && m - months[k - 1] <= 2; m++) {
      if (months[k] - months[k - 1] - 1 <= 2) out.set(m, x.get(months[k - 1])!);
    }
  }
  return out;
}

function yoyRef(x: MonthMap): MonthMap {
  const out: MonthMap = new Map();
  for (const [m, v] of x) {
    const b = x.get(m - 12);
    if (b !== undefined) out.set(m, 100 * (v / b - 1));
  }
  return out;
}

function pctChangeRef(x: MonthMap, k: number): MonthMap {
  const out: MonthMap = new Map();
  for (const [m, v] of x) {
    const b = x.get(m - k);
    if (b !== undefined) out.set(m, 100 * (v / b - 1));
  }
  return out;
}

/** Expanding z-score: mean and sd (ddof 1) of all values up to m, by two passes each time. */
function zscoreRef(x: MonthMap, minPeriods: number): MonthMap {
  const months = [...x.keys()].sort((a, b) => a - b);
  const out: MonthMap = new Map();
  for (let k = 0; k < months.length; k++) {
    const vals = months.slice(0, k + 1).map((m) => x.get(m)!);
    if (vals.length < minPeriods) continue;
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / (vals.length - 1));
    out.set(months[k], (x.get(months[k])! - mean) / sd);
  }
  return out;
}

/** Expanding percentile (tie rule "mean"): 100 (L + E) / 2n among the values up to m. */
function percentileRef(x: MonthMap, minPeriods: number, inverse = false): MonthMap {
  const months = [...x.keys()].sort((a, b) => a - b);
  const out: MonthMap = new Map();
  for (let k = 0; k < months.length; k++) {
    const n = k + 1;
    if (n < minPeriods) continue;
    const v = x.get(months[k])!;
    let less = 0;
    let lessEq = 0;
    for (let j = 0; j <= k; j++) {
      const u = x.get(months[j])!;
      if (u < v) less++;
      if (u <= v) lessEq++;
    }
    const p = (less + lessEq) / (2 * n);
    out.set(months[k], inverse ? 100 - 100 * p : 100 * p);
  }
  return out;
}

/** Value at score month t = transformed input at t − shift. */
function shifted(x: MonthMap, shift: number): MonthMap {
  const out: MonthMap = new Map();
  for (const [m, v] of x) out.set(m + shift, v);
  return out;
}

/** Weighted sum over the months where every component has a value, up to `end`. */
function weightedSum(parts: { x: MonthMap; w: number }[], end: number): MonthMap {
  const out: MonthMap = new Map();
  for (const m of [...parts[0].x.keys()].sort((a, b) => a - b)) {
    if (m > end) continue;
    let s = 0;
    let ok = true;
    for (const p of parts) {
      const v = p.x.get(m);
      if (v === undefined) ok = false;
      else s += p.w * v;
    }
    if (ok) out.set(m, s);
  }
  return out;
}

function assertMatches(
  label: string,
  dates: readonly string[],
  values: Float64Array,
  ref: MonthMap,
  tol: number,
): void {
  const refMonths = [...ref.keys()].sort((a, b) => a - b);
  assert.equal(dates[0], monthLabelOf(refMonths[0]), `${label}: first month`);
  assert.equal(
    dates[dates.length - 1],
    monthLabelOf(refMonths[refMonths.length - 1]),
    `${label}: last month`,
  );
  assert.equal(dates.length, refMonths.length, `${label}: number of months (no interior gaps either side)`);
  dates.forEach((d, i) => {
    const r = ref.get(monthOf(d));
    assert.ok(r !== undefined, `${label}: engine has ${d}, reference does not`);
    assert.ok(Math.abs(values[i] - r) <= tol, `${label} ${d}: engine ${values[i]} vs reference ${r}`);
  });
}

// --------------------------------------------------------------------------------------------

const SUB: RecipeInput = {
  name: "sub",
  components: [
    { series: "CPIAUCSL", transform: ["yoy", { op: "zscore", minPeriods: 12 }], weight: 0.5 },
    { series: "PPIACO", transform: ["yoy", { op: "zscore", minPeriods: 12 }], weight: 0.5 },
  ],
  minPeriods: 12,
};
// the recipe shape: a percent change lagged 6 months, another score, a market series
const TOP: RecipeInput = {
  name: "top",
  target: "T10YIE",
  components: [
    { series: "PPIACO", transform: "pct_change", periods: 12, lagMonths: 6, weight: 0.5 },
    { series: "sub", lagMonths: 3, weight: 0.3 },
    { series: "T10YIE", transform: "inverse_percentile", minPeriods: 12, weight: 0.2 },
  ],
  normalise: "percentile",
  minPeriods: 12,
};

function synthetic(n: number, seed: number, cpiSkip: number[] = []): Map<string, Series> {
  return new Map([
    ["CPIAUCSL", monthlyIndexSeries("CPIAUCSL", START, n, seed, { skip: cpiSkip })],
    ["PPIACO", monthlyIndexSeries("PPIACO", START, n, seed + 1, { vol: 0.012 })],
    ["T10YIE", dailySeries("T10YIE", START, n, seed + 2, 17)],
  ]);
}

/** The TOP score by plain loops. CPI and PPI are public a month later (shift max(lag, 1)). */
function topByLoops(series: Map<string, Series>): MonthMap {
  const cpi = carryOneMonthGaps(sampleMonths(series.get("CPIAUCSL")!));
  const ppi = carryOneMonthGaps(sampleMonths(series.get("PPIACO")!));
  const be = sampleMonths(series.get("T10YIE")!);
  // the grid ends when the newest observation is public: the last CPI/PPI month + 1, the last daily month
  const last = (m: MonthMap) => Math.max(...m.keys());
  const end = Math.max(last(cpi) + 1, last(ppi) + 1, last(be));
  const subSum = weightedSum(
    [
      { x: shifted(zscoreRef(yoyRef(cpi), 12), 1), w: 0.5 },
      { x: shifted(zscoreRef(yoyRef(ppi), 12), 1), w: 0.5 },
    ],
    end,
  );
  const sub = percentileRef(subSum, 12);
  const topSum = weightedSum(
    [
      { x: shifted(pctChangeRef(ppi, 12), 6), w: 0.5 },
      { x: shifted(sub, 3), w: 0.3 },
      { x: percentileRef(be, 12, true), w: 0.2 },
    ],
    end,
  );
  return percentileRef(topSum, 12);
}

test("a recipe recomputed by plain loops matches the engine to 1e-12 (synthetic, with a missing CPI month)", () => {
  const series = synthetic(180, 7, [100]);
  const r = computeScore("top", { series, recipes: registry(SUB, TOP) });
  // 1e-12: both routes do the same arithmetic except the z-scores (Welford vs two-pass, ~1e-15
  // apart); percentiles are ratios of integer counts, so they agree exactly unless two z-scores
  // tie within 1e-15, which continuous random data do not.
  assertMatches("top", r.dates, r.values, topByLoops(series), 1e-12);
  assert.ok(r.warnings.some((w) => w.code === "gap-filled" && w.message.includes(monthLabelOf(START + 100))));
});

async function fred(ids: string[]): Promise<Map<string, Series>> {
  const out = new Map<string, Series>();
  for (const e of readCatalog().files) {
    if (e.format !== "fred" || !e.series.some((s) => ids.includes(s.id))) continue;
    for (const s of await loadCatalogEntry(BUNDLED_DATA_DIR, e)) out.set(s.meta.id, s);
  }
  return out;
}

test("built-in composite-inflation on the bundled CPI and PPI matches plain loops to 1e-12", async () => {
  const series = await fred(["CPIAUCSL", "PPIACO"]);
  const r = computeScore("composite-inflation", { series, recipes: builtinRecipes() });
  const cpi = carryOneMonthGaps(sampleMonths(series.get("CPIAUCSL")!));
  const ppi = carryOneMonthGaps(sampleMonths(series.get("PPIACO")!));
  const end = Math.max(...[cpi, ppi].flatMap((m) => [...m.keys()])) + 1; // last release is public a month later
  const sum = weightedSum(
    [
      { x: shifted(zscoreRef(yoyRef(cpi), 24), 1), w: 0.5 },
      { x: shifted(zscoreRef(yoyRef(ppi), 24), 1), w: 0.5 },
    ],
    end,
  );
  // same tolerance argument as above: only the z-scores differ, by rounding
  assertMatches("composite-inflation", r.dates, r.values, percentileRef(sum, 36), 1e-12);
});

test("one-sided HP trend step matches the last point of a dense penalised least-squares solve on each prefix", () => {
  const n = 60;
  const s = monthlyIndexSeries("INDPRO", START, n, 3, { vol: 0.02 });
  const recipe: RecipeInput = {
    name: "hp",
    components: [
      { series: "INDPRO", transform: [{ op: "hp_trend", lambda: 100, minPeriods: 5 }], weight: 1 },
    ],
    normalise: "none",
  };
  const r = computeScore("hp", { series: new Map([["INDPRO", s]]), recipes: registry(recipe) });
  const y = Array.from(s.values);
  const ref: MonthMap = new Map();
  // INDPRO is public a month later: the trend of y[0..t] is the score of month t + 1
  for (let t = 4; t < n; t++) {
    // (I + λ D'D) τ = y on y[0..t], dense Gaussian elimination
    const m = t + 1;
    const a = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
    for (let r0 = 0; r0 + 2 < m; r0++) {
      const d = [1, -2, 1];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) a[r0 + i][r0 + j] += 100 * d[i] * d[j];
    }
    const b = y.slice(0, m);
    for (let c = 0; c < m; c++) {
      for (let i = c + 1; i < m; i++) {
        const f = a[i][c] / a[c][c];
        for (let j = c; j < m; j++) a[i][j] -= f * a[c][j];
        b[i] -= f * b[c];
      }
    }
    const tau = new Array<number>(m);
    for (let i = m - 1; i >= 0; i--) {
      let acc = b[i];
      for (let j = i + 1; j < m; j++) acc -= a[i][j] * tau[j];
      tau[i] = acc / a[i][i];
    }
    ref.set(START + t + 1, tau[m - 1]);
  }
  // 1e-9 on levels near 100: the dense solve of a system with condition ~1 + 16λ loses a few
  // digits to rounding; the Kalman recursion is exact in exact arithmetic.
  assertMatches("hp", r.dates, r.values, ref, 1e-9);
});

test("no look-ahead: a whole score at each month up to t is unchanged when all data after t are deleted", () => {
  const recipes = registry(SUB, TOP, {
    name: "smooth",
    components: [
      {
        series: "sub",
        transform: [
          { op: "zscore", minPeriods: 6 },
          { op: "hp_trend", lambda: 100 },
          { op: "percentile", minPeriods: 6 },
        ],
        weight: 0.6,
      },
      { series: "top", lagMonths: 2, weight: 0.4 },
    ],
    minPeriods: 6,
  });
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 110, max: 150 }),
      fc.integer({ min: 80, max: 149 }),
      (seed, n, cut) => {
        fc.pre(cut < n);
        const full = synthetic(n, seed);
        const t = `${monthLabelOf(START + cut).slice(0, 8)}28`; // the last daily observation of month `cut`
        const cutSeries = new Map([...full].map(([id, s]) => [id, cutAfter(s, t)]));
        const a = computeScores(["smooth", "top"], { series: full, recipes });
        const b = computeScores(["smooth", "top"], { series: cutSeries, recipes });
        const c = computeScores(["smooth", "top"], { series: full, recipes }, { asOf: t });
        for (const name of ["smooth", "top"]) {
          const ra = a.get(name)!;
          const rb = b.get(name)!;
          const rc = c.get(name)!;
          assert.ok(rb.dates.length > 0);
          // deleted-after-t may run a month past t (month t's CPI is public in month t + 1)
          assert.deepEqual(
            rc.dates,
            rb.dates.filter((d) => d <= t),
            `${name}: as-of ${t} and deleted-after-${t} cover the same months up to t`,
          );
          const offset = ra.dates.indexOf(rb.dates[0]);
          assert.ok(offset >= 0);
          rb.dates.forEach((d, i) => {
            assert.equal(ra.dates[offset + i], d);
            // exact equality: every step is causal, so the same arithmetic runs on the same inputs
            assert.equal(rb.values[i], ra.values[offset + i], `${name} ${d} (seed ${seed}, cut ${t})`);
            if (i < rc.dates.length)
              assert.equal(rc.values[i], ra.values[offset + i], `${name} ${d} as-of (seed ${seed})`);
          });
        }
      },
    ),
    { numRuns: 25 },
  );
});

test("publication lags: CPI at month t is last month's; lagMonths 6 reads six months back; as-of drops unreleased data", () => {
  const cpi = monthlyIndexSeries("CPIAUCSL", START, 60, 11);
  const recipes = registry(
    { name: "now", components: [{ series: "CPIAUCSL", weight: 1 }], normalise: "none" },
    { name: "six", components: [{ series: "CPIAUCSL", lagMonths: 6, weight: 1 }], normalise: "none" },
  );
  const inputs: ScoreInputs = { series: new Map([["CPIAUCSL", cpi]]), recipes };
  const now = computeScore("now", inputs);
  assert.equal(now.dates[0], monthLabelOf(START + 1), "January's CPI is first usable at the end of February");
  assert.equal(now.values[0], cpi.values[0]);
  assert.equal(now.components[0].shiftMonths, 1);
  const six = computeScore("six", inputs);
  assert.equal(six.dates[0], monthLabelOf(START + 6));
  assert.equal(six.values[0], cpi.values[0]);
  // As of 2003-05-10 the April CPI (out around the 15th) is not public: May has no score yet.
  const asOf = computeScore("now", inputs, { asOf: "2003-05-10" });
  assert.equal(asOf.latest?.date, "2003-04-01");
  assert.equal(asOf.latest?.value, cpi.values[38], "the April score uses March 2003 CPI");
  assert.ok(asOf.warnings.some((w) => w.code === "score-stale"));
  const asOfLater = computeScore("now", inputs, { asOf: "2003-05-20" });
  assert.equal(asOfLater.latest?.date, "2003-05-01");
});

// --------------------------------------------------------------------------------------------
// bad input

const base = () => new Map([["CPIAUCSL", monthlyIndexSeries("CPIAUCSL", START, 240, 5)]]);

test("weights not summing to 1: a warning, or an InputError in strict mode", () => {
  const recipes = registry({
    name: "w",
    components: [
      { series: "CPIAUCSL", transform: "yoy", weight: 0.5 },
      { series: "CPIAUCSL", transform: "pct_change", weight: 0.4 },
    ],
  });
  const r = computeScore("w", { series: base(), recipes });
  const w = r.warnings.find((x) => x.code === "weights-sum");
  assert.match(w?.message ?? "", /recipe "w": component weights sum to 0\.9, not 1/);
  assert.throws(
    () => computeScore("w", { series: base(), recipes }, { strict: true }),
    (e: unknown) => e instanceof InputError && /weights sum to 0\.9, not 1 \(strict mode\)/.test(e.message),
  );
});

test("unknown series: NotFoundError naming the recipe and the component", () => {
  const recipes = registry({
    name: "u",
    components: [
      { series: "CPIAUCSL", weight: 0.5 },
      { series: "NOPE", weight: 0.5 },
    ],
  });
  assert.throws(
    () => computeScore("u", { series: base(), recipes }),
    (e: unknown) =>
      e instanceof NotFoundError && /recipe "u", component 2: unknown series "NOPE"/.test(e.message),
  );
});

test("cycles between scores are refused, the cycle spelled out", () => {
  const recipes = registry(
    { name: "a", components: [{ series: "b", weight: 1 }] },
    { name: "b", components: [{ series: "c", weight: 1 }] },
    {
      name: "c",
      components: [
        { series: "a", weight: 0.5 },
        { series: "CPIAUCSL", weight: 0.5 },
      ],
    },
  );
  assert.throws(
    () => computeScore("a", { series: base(), recipes }),
    (e: unknown) => e instanceof InputError && /cycle between scores: a → b → c → a/.test(e.message),
  );
});

test("a lag that runs past the data is a ModelError naming the component and the months", () => {
  const recipes = registry({ name: "l", components: [{ series: "CPIAUCSL", lagMonths: 400, weight: 1 }] });
  assert.throws(
    () => computeScore("l", { series: base(), recipes }),
    (e: unknown) =>
      e instanceof ModelError &&
      /recipe "l", component 1 \(CPIAUCSL\): lag runs past the data: with a shift of 400 months its first value falls in 2033-05, after the last month 2020-01/.test(
        e.message,
      ),
  );
});

test("too few points for a percentile: in a step and in the normalisation, with counts", () => {
  const step = registry({
    name: "p",
    components: [
      { series: "CPIAUCSL", transform: ["yoy", { op: "percentile", minPeriods: 300 }], weight: 1 },
    ],
  });
  assert.throws(
    () => computeScore("p", { series: base(), recipes: step }),
    (e: unknown) =>
      e instanceof ModelError &&
      /component 1 \(CPIAUCSL\): too few points for a percentile: 228 valid values, needs at least 300/.test(
        e.message,
      ),
  );
  const norm = registry({ name: "q", components: [{ series: "CPIAUCSL", weight: 1 }], minPeriods: 500 });
  assert.throws(
    () => computeScore("q", { series: base(), recipes: norm }),
    (e: unknown) =>
      e instanceof ModelError &&
      /recipe "q": too few points for a percentile: the weighted sum has 240 valid months \(2000-02\.\.2020-01\).* needs at least 500/.test(
        e.message,
      ),
  );
});

test("full-sample normalisation and two-sided HP are labelled look-ahead", () => {
  const recipes = registry(
    {
      name: "fs",
      components: [{ series: "CPIAUCSL", transform: "yoy", weight: 1 }],
      normalise: "full-sample",
    },
    {
      name: "hp2",
      components: [{ series: "CPIAUCSL", transform: [{ op: "hp_trend", sided: "two" }], weight: 1 }],
      normalise: "none",
    },
  );
  for (const name of ["fs", "hp2"]) {
    const r = computeScore(name, { series: base(), recipes });
    assert.equal(r.lookAhead, true, name);
    assert.ok(
      r.warnings.some((w) => w.code === "look-ahead" && /LOOKS AHEAD/.test(w.message)),
      name,
    );
  }
  const honest = computeScore("fs", {
    series: base(),
    recipes: registry({ name: "fs", components: [{ series: "CPIAUCSL", weight: 1 }] }),
  });
  assert.equal(honest.lookAhead, false);
});

test("with ISM sub-indices imported, the slack indicator is inventories − production (ISM out a month later)", () => {
  const inv = monthlyIndexSeries("ism.inventories", START, 200, 21, { drift: 0, vol: 0.03 });
  const prod = monthlyIndexSeries("ism.production", START, 200, 22, { drift: 0, vol: 0.03 });
  const recipes = builtinRecipes(new Set(["ism.inventories", "ism.production"]));
  const series = new Map([
    ["ism.inventories", inv],
    ["ism.production", prod],
  ]);
  const res = computeScores(["us-slack-indicator", "us-inventory-cycle"], { series, recipes });
  const slack = res.get("us-slack-indicator")!;
  assert.equal(slack.dates[0], monthLabelOf(START + 1));
  slack.values.forEach((v, i) => {
    assert.equal(v, inv.values[i] - prod.values[i]);
  });
  const cycle = res.get("us-inventory-cycle")!;
  assert.ok(!cycle.warnings.some((w) => w.code === "caveat"), "no proxy caveat with the real ISM data");
  for (const v of cycle.values) assert.ok(v >= 0 && v <= 100);
});
