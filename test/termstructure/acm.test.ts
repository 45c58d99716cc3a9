/**
 * ACM (Adrian-Crump-Moench 2013) against: the numpy oracle's fixture (same input panel, same
 * recipe), the official NY Fed monthly file, data simulated from a known affine model, an
 * independent re-derivation of risk-neutral yields as averages of expected short rates, and the
 * model's invariance to invertible affine maps of the factors.
 *
 * Input panel: test/fixtures/termstructure/gsw_month_end_1_120.csv.gz (in the repo). Fed funds
 * for the pre-1982 short-rate fix: data/fred/FEDFUNDS.csv (bundled) or ../shared/data/fred/.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { ModelError } from "../../src/core/errors.ts";
import { type Dense, dense } from "../../src/stats/dense.ts";
import { fitVar1 } from "../../src/stats/var.ts";
import {
  type AcmResult,
  acmColumn,
  completeFit,
  decomposeDaily,
  estimateAcmWithFactors,
  fitAcm,
  type MonthlyInput,
  type YieldPanel,
} from "../../src/termstructure/acm.ts";
import { assertAllClose, REPO_ROOT, sharedPath, sharedSkip } from "../helpers.ts";

// ------------------------------------------------------------------------------------------
// data helpers
// ------------------------------------------------------------------------------------------

const PANEL_GZ = join(REPO_ROOT, "test/fixtures/termstructure/gsw_month_end_1_120.csv.gz");

function lines(path: string): string[] {
  const raw = path.endsWith(".gz")
    ? gunzipSync(readFileSync(path)).toString("utf8")
    : readFileSync(path, "utf8");
  return raw.trim().split(/\r?\n/);
}

/** The month-end GSW panel (maturities 1..120), optionally up to a last month YYYY-MM. */
function loadPanel(lastMonth?: string): YieldPanel {
  const rows = lines(PANEL_GZ);
  const header = rows[0].split(",");
  const mats = header.slice(1).map(Number);
  const body = rows.slice(1).filter((l) => lastMonth === undefined || l.slice(0, 7) <= lastMonth);
  const y = new Float64Array(body.length * mats.length);
  const dates: string[] = [];
  body.forEach((l, i) => {
    const f = l.split(",");
    dates.push(f[0]);
    for (let j = 0; j < mats.length; j++) y[i * mats.length + j] = Number(f[1 + j]);
  });
  return { dates, maturitiesMonths: mats, yieldsPct: y };
}

/** Two-column CSV (date, value); "." and blanks are missing. */
function loadSeries(path: string): MonthlyInput {
  const dates: string[] = [];
  const values: number[] = [];
  for (const l of lines(path).slice(1)) {
    const [d, v] = l.split(",");
    if (!d) continue;
    dates.push(d.trim());
    values.push(v === undefined || v.trim() === "." || v.trim() === "" ? Number.NaN : Number(v));
  }
  return { dates, values };
}

/** First existing path among the repo's bundled data and ../shared. */
function firstExisting(repoRel: string, sharedRel: string): string | null {
  const a = join(REPO_ROOT, repoRel);
  if (existsSync(a)) return a;
  const b = sharedPath(sharedRel);
  return existsSync(b) ? b : null;
}

const FEDFUNDS = firstExisting("data/fred/FEDFUNDS.csv", "data/fred/FEDFUNDS.csv");
const NYFED = firstExisting("data/acm/ACMTermPremium_monthly.csv", "data/acm/ACMTermPremium_monthly.csv");

let productionCache: AcmResult | null = null;
/** Production settings + FFR fix on 1961-06..2025-06 (the oracle fixture's run). */
function productionFit(): AcmResult {
  if (!productionCache) {
    const ff = loadSeries(FEDFUNDS as string);
    productionCache = fitAcm(loadPanel("2025-06"), { shortRateFix: { fedFundsPct: ff } });
  }
  return productionCache;
}

// ------------------------------------------------------------------------------------------
// vs the numpy oracle and the NY Fed
// ------------------------------------------------------------------------------------------

const ORACLE = "reference/fixtures/acm_monthly_gsw_196106_202506.csv";

test("matches the numpy oracle fixture (production settings + FFR fix, 1961-06..2025-06)", {
  skip: sharedSkip(ORACLE) || sharedSkip("data/fred/FEDFUNDS.csv"),
}, () => {
  const ff = loadSeries(sharedPath("data/fred/FEDFUNDS.csv"));
  const r = fitAcm(loadPanel("2025-06"), { shortRateFix: { fedFundsPct: ff } });
  const ref = lines(sharedPath(ORACLE));
  const head = ref[0].split(",");
  assert.equal(ref.length - 1, r.dates.length, "same months");
  let worst = 0;
  for (const n of [12, 24, 60, 120]) {
    for (const [key, which] of [
      ["fit", "fitted"],
      ["rny", "riskNeutral"],
      ["tp", "termPremium"],
    ] as const) {
      const j = head.indexOf(`${key}${n}`);
      const expected = ref.slice(1).map((l) => Number(l.split(",")[j]));
      const got = acmColumn(r, which, n);
      // The fixture is written with 6 decimals (±5e-7 percent); the input panel with 8
      // (±5e-9 percent, which moves outputs by < 1e-8). Same recipe, so the only other
      // difference is floating-point rounding (~1e-12). Achieved: max 5.04e-7.
      assertAllClose(got, expected, { atol: 1e-6, label: `${key}${n}` });
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]));
    }
    assert.equal(r.dates[0], ref[1].split(",")[0]);
  }
  assert.ok(worst < 1e-6);
  // Short-rate fix coefficients and diagnostics printed by the oracle (acm_reference.py functions
  // smooth_pre1982_short_rate / estimate_acm / affine_loadings on this same panel and FEDFUNDS):
  // a = 0.27249967885480886, b = 0.8904050168187133, 247 months replaced; 10y fit RMSE
  // 1.44710477818912 bp, mean 0.1433024972027399 bp; sigma2 3.134198596596744e-07.
  const fix = r.diagnostics.shortRateFix;
  assert.ok(fix);
  // OLS on 522 months, QR vs numpy lstsq: agreement ~1e-13; 1e-9 is generous
  assertAllClose([fix.a, fix.b], [0.27249967885480886, 0.8904050168187133], {
    rtol: 1e-9,
    label: "FFR fix a, b",
  });
  assert.equal(fix.monthsReplaced, 247);
  assert.equal(fix.firstFitMonth, "1982-01");
  assert.equal(fix.lastFitMonth, "2025-06");
  // 8-decimal input vs the oracle's full-precision run of the same panel file: same input here,
  // so only rounding differs (1e-9 relative on an RMSE of 1.4 bp)
  assertAllClose(
    [r.diagnostics.pricingErrors.rmseBp[119], r.diagnostics.pricingErrors.meanBp[119], r.parameters.sigma2],
    [1.44710477818912, 0.1433024972027399, 3.134198596596744e-7],
    { rtol: 1e-7, label: "10y RMSE, mean error, sigma2" },
  );
});

function stats(ours: Float64Array, dates: readonly string[], ref: MonthlyInput) {
  const byMonth = new Map<string, number>();
  for (let i = 0; i < ref.dates.length; i++) byMonth.set(ref.dates[i].slice(0, 7), ref.values[i] as number);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    const v = byMonth.get(dates[i].slice(0, 7));
    if (v !== undefined && Number.isFinite(v)) {
      a.push(ours[i]);
      b.push(v);
    }
  }
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  let mad = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
    mad += Math.abs(a[i] - b[i]) * 100;
  }
  return { n, corr: sab / Math.sqrt(saa * sbb), meanAbsBp: mad / n };
}

test("agrees with the official NY Fed ACM term premia (10y, 5y, 2y), 1961-06..2025-06", {
  skip:
    NYFED === null || FEDFUNDS === null
      ? "needs data/acm/ACMTermPremium_monthly.csv and data/fred/FEDFUNDS.csv (repo data/ or ../shared/data/)"
      : false,
}, (t) => {
  const r = productionFit();
  const head = lines(NYFED as string)[0].split(",");
  const col = (name: string): MonthlyInput => {
    const j = head.indexOf(name);
    assert.ok(j > 0, `${name} in the NY Fed file`);
    const rows = lines(NYFED as string).slice(1);
    return { dates: rows.map((l) => l.split(",")[0]), values: rows.map((l) => Number(l.split(",")[j])) };
  };
  for (const [name, n] of [
    ["ACMTP10", 120],
    ["ACMTP05", 60],
    ["ACMTP02", 24],
  ] as const) {
    const s = stats(acmColumn(r, "termPremium", n), r.dates, col(name));
    t.diagnostic(`${name}: n=${s.n} corr=${s.corr.toFixed(6)} mean abs=${s.meanAbsBp.toFixed(3)} bp`);
    assert.equal(s.n, 769, `${name}: every month 1961-06..2025-06 matched`);
    // Done-when criterion of the issue: corr >= 0.999 and mean |diff| <= 5 bp. The residual
    // (~0.7-1.6 bp, as for the oracle) is the fed-funds vintage / fit window of the pre-1982 fix.
    assert.ok(s.corr >= 0.999, `${name} corr ${s.corr}`);
    assert.ok(s.meanAbsBp <= 5, `${name} mean abs ${s.meanAbsBp} bp`);
  }
  // fitted 10y yield vs ACMY10: the oracle agrees to <= 1 bp; allow 2 bp mean abs
  const fy = stats(acmColumn(r, "fitted", 120), r.dates, col("ACMY10"));
  t.diagnostic(`ACMY10: corr=${fy.corr.toFixed(7)} mean abs=${fy.meanAbsBp.toFixed(3)} bp`);
  assert.ok(fy.meanAbsBp <= 2, `ACMY10 mean abs ${fy.meanAbsBp} bp`);
});

// ------------------------------------------------------------------------------------------
// simulation from a known affine model
// ------------------------------------------------------------------------------------------

function normals(seed: number): () => number {
  let s = seed >>> 0;
  const unif = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
}

type Mat = number[][];
const mul = (a: Mat, b: Mat): Mat =>
  a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const sub = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((v, j) => v - b[i][j]));

/** Slow textbook recursion (arrays of arrays): A_n, B_n for n = 0..nMax with given Q dynamics. */
function slowLoadings(
  muQ: number[],
  phiQ: Mat,
  sigma: Mat,
  d0: number,
  d1: number[],
  s2: number,
  nMax: number,
) {
  const k = muQ.length;
  const a = [0];
  const b: number[][] = [new Array(k).fill(0)];
  for (let n = 1; n <= nMax; n++) {
    const bp = b[n - 1];
    const quad = mul(
      [bp],
      mul(
        sigma,
        bp.map((v) => [v]),
      ),
    )[0][0];
    a.push(a[n - 1] + bp.reduce((s, v, i) => s + v * muQ[i], 0) + 0.5 * (quad + s2) - d0);
    b.push(mul([bp], phiQ)[0].map((v, j) => v - d1[j]));
  }
  return { a, b };
}

/** Eigenvalues of a real 3 × 3 matrix (all real here), sorted. */
function eig3(m: Mat): number[] {
  // characteristic polynomial λ³ − tr λ² + c λ − det, roots by Newton from Gershgorin bounds
  const tr = m[0][0] + m[1][1] + m[2][2];
  const c =
    m[0][0] * m[1][1] -
    m[0][1] * m[1][0] +
    m[0][0] * m[2][2] -
    m[0][2] * m[2][0] +
    m[1][1] * m[2][2] -
    m[1][2] * m[2][1];
  const det =
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const p = (x: number) => ((x - tr) * x + c) * x - det;
  const dp = (x: number) => (3 * x - 2 * tr) * x + c;
  const roots: number[] = [];
  for (let i = 0; i < 3; i++) {
    let x = 2;
    for (let it = 0; it < 200; it++) {
      // deflate found roots
      let f = p(x);
      let g = dp(x);
      for (const r of roots) {
        g = g / (x - r) - f / (x - r) ** 2;
        f /= x - r;
      }
      const step = f / g;
      x -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    roots.push(x);
  }
  return roots.sort((u, v) => u - v);
}

test("simulated affine model: Q dynamics recovered, 10y fitted, TP = oracle TP within 1 bp", (tc) => {
  // the design of shared/reference/check_acm_synthetic.py: K = 3, T = 3000, exact model yields
  const k = 3;
  const t1 = 3001;
  const phi: Mat = [
    [0.98, 0.0, 0.0],
    [0.02, 0.93, 0.0],
    [0.0, 0.03, 0.85],
  ];
  const mu = [0.02, 0, 0];
  const sd = [0.3, 0.25, 0.2];
  const sigma: Mat = sd.map((v, i) => sd.map((_, j) => (i === j ? v * v : 0)));
  const l1: Mat = [
    [-0.01, 0.05, 0.0],
    [0.02, 0.03, -0.02],
    [0.0, 0.04, 0.05],
  ];
  const l0 = [-0.05, 0.02, 0.01];
  const d0 = 0.04 / 12;
  const d1 = [0.001, 0.0006, 0.0003];
  const z = normals(7);
  const x: Mat = [[1, 0, 0].map((_, i) => (i === 0 ? 0.02 / (1 - 0.98) : 0))];
  for (let t = 1; t < t1; t++) {
    const prev = x[t - 1];
    x.push(phi.map((r, i) => mu[i] + r.reduce((s, v, j) => s + v * prev[j], 0) + sd[i] * z()));
  }
  const muQ = mu.map((v, i) => v - l0[i]);
  const phiQ = sub(phi, l1);
  const trueLoad = slowLoadings(muQ, phiQ, sigma, d0, d1, 0, 120);
  const y = new Float64Array(t1 * 120);
  for (let t = 0; t < t1; t++)
    for (let n = 1; n <= 120; n++) {
      const lp = trueLoad.a[n] + trueLoad.b[n].reduce((s, v, i) => s + v * x[t][i], 0);
      y[t * 120 + n - 1] = (-1200 / n) * lp;
    }
  const dates: string[] = [];
  for (let t = 0; t < t1; t++) {
    const yy = 1800 + Math.floor(t / 12);
    dates.push(`${yy}-${String((t % 12) + 1).padStart(2, "0")}-28`);
  }
  const panel: YieldPanel = {
    dates,
    maturitiesMonths: Array.from({ length: 120 }, (_, i) => i + 1),
    yieldsPct: y,
  };
  const r = fitAcm(panel, { factors: 3, excessReturnMaturities: "paper", sigmaDdof: 0 });
  // 1. Q dynamics: with exact affine yields the regressions are exact in the PC rotation, so
  //    eig(Φ̂ − λ̂₁) = eig(Φ − λ₁) up to rounding amplified by the conditioning of ββ' (~1e-10)
  const p = r.parameters;
  const phiQHat: Mat = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) => p.phi.data[i * 3 + j] - p.lambda1.data[i * 3 + j]),
  );
  const eigHat = eig3(phiQHat);
  const eigTrue = eig3(phiQ);
  tc.diagnostic(
    `eig(Phi - lambda1): ${eigHat.map((e) => e.toFixed(12)).join(", ")} vs ${eigTrue.join(", ")}`,
  );
  assertAllClose(eigHat, eigTrue, { atol: 1e-8, label: "eig(Phi - lambda1)" });
  // 2. 10y fit: the only misfit is the convexity term with estimated rather than true Σ
  //    (measured 0.001 bp RMSE); 0.05 bp is 10x tighter than the oracle's self-check (0.5 bp)
  const fit120 = acmColumn(r, "fitted", 120);
  let se = 0;
  for (let t = 0; t < t1; t++) se += ((fit120[t] - y[t * 120 + 119]) * 100) ** 2;
  tc.diagnostic(`10y fit RMSE ${Math.sqrt(se / t1).toExponential(3)} bp`);
  assert.ok(Math.sqrt(se / t1) < 0.05, `10y RMSE ${Math.sqrt(se / t1)} bp`);
  // 3. Oracle premium: true Q dynamics + P dynamics OLS-estimated on the TRUE factors (ACM's
  //    λ₀ absorbs the convexity with the estimated Σ, so sub-bp differences remain): < 1 bp
  const xd = dense(t1, k, Float64Array.from(x.flat()));
  const v = fitVar1(xd);
  const muH = Array.from(v.mu);
  const phiH: Mat = [0, 1, 2].map((i) => [0, 1, 2].map((j) => v.phi.data[i * 3 + j]));
  const sigH: Mat = [0, 1, 2].map((i) => [0, 1, 2].map((j) => v.sigma.data[i * 3 + j]));
  const withRisk = slowLoadings(muQ, phiQ, sigH, d0, d1, 0, 120);
  const neutral = slowLoadings(muH, phiH, sigH, d0, d1, 0, 120);
  const tp = acmColumn(r, "termPremium", 120);
  let worst = 0;
  for (let t = 0; t < t1; t++) {
    const d =
      withRisk.a[120] -
      neutral.a[120] +
      [0, 1, 2].reduce((s, i) => s + (withRisk.b[120][i] - neutral.b[120][i]) * x[t][i], 0);
    worst = Math.max(worst, Math.abs(tp[t] - (-1200 / 120) * d) * 100);
  }
  tc.diagnostic(`tp10 vs oracle premium: max |diff| ${worst.toFixed(4)} bp`);
  assert.ok(worst < 1, `tp10 vs oracle premium: max ${worst} bp`);
});

// ------------------------------------------------------------------------------------------
// independent re-derivation and invariance on the real panel (no ../shared needed)
// ------------------------------------------------------------------------------------------

let plainCache: { panel: YieldPanel; r: AcmResult } | null = null;
function plainFit() {
  if (!plainCache) {
    const panel = loadPanel("2025-06");
    plainCache = { panel, r: fitAcm(panel) };
  }
  return plainCache;
}

test("risk-neutral yields = average expected short rate minus convexity, by direct VAR iteration", () => {
  const { r } = plainFit();
  const p = r.parameters;
  const k = p.k;
  const phi = (i: number, j: number) => p.phi.data[i * k + j];
  const sig = (i: number, j: number) => p.sigma.data[i * k + j];
  // rn_t(n) = (1200/n) [ Σ_{i<n} E_t r_{t+i} − ½ Var_t(Σ_{i=1}^{n−1} r_{t+i}) − n σ²/2 ]
  // E_t X_{t+i} by iterating X ← μ + Φ X; Var_t of the summed short rates from the MA weights
  // ψ_j = Σ_{i<j} (Φ')^i δ₁ (loading of the sum on v_{t+n−j}), built from explicit powers of Φ'.
  const nList = [1, 2, 12, 60, 120];
  const conv = new Map<number, number>();
  for (const n of nList) {
    let total = 0;
    let power: number[][] = Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)),
    ); // (Φ')^0
    const psi = new Array(k).fill(0);
    for (let j = 1; j <= n - 1; j++) {
      // ψ_j = ψ_{j−1} + (Φ')^{j−1} δ₁
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) psi[a] += power[a][b] * p.delta1[b];
      let q = 0;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) q += psi[a] * sig(a, b) * psi[b];
      total += q;
      // (Φ')^{j} = (Φ')^{j−1} Φ'
      power = power.map((rowv) =>
        Array.from({ length: k }, (_, b) => rowv.reduce((s, v, c) => s + v * phi(b, c), 0)),
      );
    }
    conv.set(n, total);
  }
  for (const t of [0, 250, 500, r.dates.length - 1]) {
    const x0 = Array.from({ length: k }, (_, i) => r.factors.data[t * k + i]);
    for (const n of nList) {
      let xi = x0.slice();
      let sumR = 0;
      for (let i = 0; i < n; i++) {
        sumR += p.delta0 + p.delta1.reduce((s, d, j) => s + d * xi[j], 0);
        xi = xi.map((_, a) => p.mu[a] + xi.reduce((s, v, b) => s + phi(a, b) * v, 0));
      }
      const rn = (1200 / n) * (sumR - 0.5 * (conv.get(n) as number) - (n * p.sigma2) / 2);
      // different summation order from the A/B recursion: rounding ~1e-13 percent; 1e-9 is safe
      assertAllClose([r.riskNeutralPct.data[t * 120 + n - 1]], [rn], {
        atol: 1e-9,
        label: `rn ${r.dates[t]} n=${n}`,
      });
    }
  }
});

test("invariance: an invertible affine map of the factors leaves fitted, RN and TP unchanged", () => {
  const { panel, r } = plainFit();
  const k = r.parameters.k;
  const m = [
    [2, 0.5, 0, -1, 0.3],
    [0.1, -3, 0.2, 0, 1],
    [0, 0.4, 0.5, 0.2, -0.1],
    [1, 0, 0, 4, 0.2],
    [-0.2, 0.1, 0.3, 0, -0.7],
  ];
  const shift = [10, -5, 0.3, 2, -1];
  const t = r.dates.length;
  const z: Dense = dense(t, k);
  for (let i = 0; i < t; i++)
    for (let j = 0; j < k; j++) {
      let acc = shift[j];
      for (let q = 0; q < k; q++) acc += r.factors.data[i * k + q] * m[q][j];
      z.data[i * k + j] = acc;
    }
  const r2 = completeFit(estimateAcmWithFactors(panel, z));
  // every regression is equivariant to the map; cond(M) ~ 30 amplifies rounding to ~1e-12 percent
  assertAllClose(r2.fittedPct.data, r.fittedPct.data, { atol: 1e-9, label: "fitted" });
  assertAllClose(r2.riskNeutralPct.data, r.riskNeutralPct.data, { atol: 1e-9, label: "risk-neutral" });
  assertAllClose(r2.termPremiumPct.data, r.termPremiumPct.data, { atol: 1e-9, label: "term premium" });
  // while the parameters themselves do change (the test is not vacuous)
  assert.ok(Math.abs(r2.parameters.mu[0] - r.parameters.mu[0]) > 1e-3);
});

test("daily decomposition: month-end days equal the monthly values exactly", () => {
  const { panel, r } = plainFit();
  const n = panel.maturitiesMonths.length;
  // a "daily" panel: for each month a mid-month day (jittered curve) then the month-end curve
  const dates: string[] = [];
  const rows: number[] = [];
  for (let i = 0; i < panel.dates.length; i++) {
    dates.push(`${panel.dates[i].slice(0, 7)}-15`);
    for (let j = 0; j < n; j++) rows.push(panel.yieldsPct[i * n + j] + 0.05 * Math.sin(i + j / 17));
    dates.push(panel.dates[i]);
    for (let j = 0; j < n; j++) rows.push(panel.yieldsPct[i * n + j]);
  }
  const daily = decomposeDaily(r, {
    dates,
    maturitiesMonths: panel.maturitiesMonths,
    yieldsPct: Float64Array.from(rows),
  });
  assert.equal(daily.dates.length, 2 * r.dates.length);
  const monthEnd = (m: Dense) => {
    const out = new Float64Array(r.dates.length * m.cols);
    for (let i = 0; i < r.dates.length; i++)
      out.set(m.data.subarray((2 * i + 1) * m.cols, (2 * i + 2) * m.cols), i * m.cols);
    return out;
  };
  // same projection and pricing code: bit-identical, tolerance 0
  assert.deepEqual(monthEnd(daily.fittedPct), r.fittedPct.data);
  assert.deepEqual(monthEnd(daily.riskNeutralPct), r.riskNeutralPct.data);
  assert.deepEqual(monthEnd(daily.termPremiumPct), r.termPremiumPct.data);
  assert.deepEqual(monthEnd(daily.factors), r.factors.data);
  // mid-month days differ (the jitter reaches the factors)
  assert.notEqual(daily.termPremiumPct.data[119], r.termPremiumPct.data[119]);
});

// ------------------------------------------------------------------------------------------
// output objects and errors
// ------------------------------------------------------------------------------------------

test("summary() and toJSON(): a readable table and plain JSON", () => {
  const { r } = plainFit();
  const text = r.summary();
  assert.match(text, /Adrian, Crump & Moench/);
  assert.match(text, /lambda0/);
  assert.match(text, /1961-06 \.\. 2025-06/);
  const json = JSON.parse(JSON.stringify(r));
  assert.equal(json.model, "ACM");
  assert.equal(json.fittedPct.length, r.dates.length);
  assert.equal(json.termPremiumPct[0].length, 120);
  assert.equal(json.parameters.B.length, 121);
  assert.equal(json.parameters.lambda1.length, 5);
  assert.equal(json.termPremiumPct[10][119], r.termPremiumPct.data[10 * 120 + 119]);
  // pricing errors: fitted − observed (bp), by maturity
  const { panel } = plainFit();
  let se = 0;
  for (let i = 0; i < r.dates.length; i++)
    se += ((r.fittedPct.data[i * 120 + 59] - panel.yieldsPct[i * 120 + 59]) * 100) ** 2;
  assertAllClose([r.diagnostics.pricingErrors.rmseBp[59]], [Math.sqrt(se / r.dates.length)], {
    rtol: 1e-12,
    label: "5y RMSE",
  });
});

test("short-rate fix: months without fed funds keep their yield and raise a warning", () => {
  const panel = loadPanel("1990-12");
  // synthetic fed funds from 1965-01 only, dated on the 1st as FRED does
  const dates: string[] = [];
  const values: number[] = [];
  for (let i = 0; i < panel.dates.length; i++) {
    if (panel.dates[i] < "1965-01") continue;
    dates.push(`${panel.dates[i].slice(0, 7)}-01`);
    values.push(panel.yieldsPct[i * 120] * 1.1 + 0.2);
  }
  const r = fitAcm(panel, { shortRateFix: { fedFundsPct: { dates, values } } });
  const fix = r.diagnostics.shortRateFix;
  assert.ok(fix);
  // y1 = a + b·(1.1 y1 + 0.2) exactly on the fit window: b = 1/1.1, a = −0.2/1.1
  assertAllClose([fix.a, fix.b], [-0.2 / 1.1, 1 / 1.1], { atol: 1e-12, label: "exact fit" });
  assert.equal(fix.monthsReplaced, 12 * (1982 - 1965));
  const w = r.warnings.find((x) => x.code === "short-rate-fix-gap");
  assert.ok(w, "warning recorded");
  assert.match(w.message, /1961-06 \.\. 1964-12/);
});

test("errors: too short, missing maturity, NaN, gaps, too few excess-return maturities", () => {
  const full = loadPanel("1990-12");
  const n = 120;
  const take = (rows: number): YieldPanel => ({
    dates: full.dates.slice(0, rows),
    maturitiesMonths: full.maturitiesMonths,
    yieldsPct: full.yieldsPct.slice(0, rows * n),
  });
  assert.throws(
    () => fitAcm(take(21)),
    (e: unknown) => e instanceof ModelError && /21 months/.test(e.message) && /at least 22/.test(e.message),
  );
  assert.doesNotThrow(() => fitAcm(take(22)));
  // drop maturity 7
  const keep = full.maturitiesMonths.map((_, j) => j).filter((j) => j !== 6);
  const t = full.dates.length;
  const y = new Float64Array(t * keep.length);
  for (let i = 0; i < t; i++)
    for (let c = 0; c < keep.length; c++) y[i * keep.length + c] = full.yieldsPct[i * n + keep[c]];
  assert.throws(
    () => fitAcm({ dates: full.dates, maturitiesMonths: keep.map((j) => j + 1), yieldsPct: y }),
    (e: unknown) => e instanceof ModelError && /lacks maturities 7 months/.test(e.message),
  );
  const withNaN = { ...full, yieldsPct: full.yieldsPct.slice() };
  withNaN.yieldsPct[40 * n + 23] = Number.NaN;
  assert.throws(
    () => fitAcm(withNaN),
    (e: unknown) =>
      e instanceof ModelError && e.message.includes(full.dates[40]) && /maturity 24 months/.test(e.message),
  );
  const gap = {
    ...full,
    dates: full.dates.filter((_, i) => i !== 30),
    yieldsPct: full.yieldsPct.slice(0, (t - 1) * n),
  };
  assert.throws(
    () => fitAcm(gap),
    (e: unknown) => e instanceof ModelError && /gap of 1 month/.test(e.message),
  );
  assert.throws(
    () => fitAcm(full, { excessReturnMaturities: [12, 24, 60, 120] }),
    (e: unknown) => e instanceof ModelError && /cannot identify 5 prices of risk/.test(e.message),
  );
  const daily = { ...full, yieldsPct: full.yieldsPct.slice() };
  daily.yieldsPct[5 * n + 99] = Number.NaN;
  assert.throws(
    () => decomposeDaily(fitAcm(full), daily),
    (e: unknown) =>
      e instanceof ModelError && e.message.includes(full.dates[5]) && /maturity 100 months/.test(e.message),
  );
});
