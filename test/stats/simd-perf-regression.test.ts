/**
 * The speed-ups of the ACM path (WebAssembly SIMD kernels of src/stats/wasm-simd.ts, blocked
 * Householder sweeps, fused panel handling) must not change a single bit: every fast route is
 * compared here with a slow, obvious re-implementation of the arithmetic it replaced (kept in
 * this file) and with its own JavaScript fallback (SIMD switched off). Exact equality
 * (tolerance 0) is the right bar: each fast route performs the same IEEE operations in the same
 * order (WebAssembly never fuses a multiply into an add), so any difference is a bug, not
 * rounding. `===` treats −0 and +0 as equal, which is the one difference allowed (the old K ≤ 6
 * pricing loop added a padded 0·0 term).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { covarianceMatrix, covarianceOfColumns } from "../../src/stats/covariance.ts";
import { dense } from "../../src/stats/dense.ts";
import { symmetricEigenTop } from "../../src/stats/eigen.ts";
import { olsMulti } from "../../src/stats/ols.ts";
import { pca, projectRows } from "../../src/stats/pca.ts";
import { householderQr, qrSolve } from "../../src/stats/qr.ts";
import { createRng } from "../../src/stats/random.ts";
import { setSimdDisabledForTests, simdKernels } from "../../src/stats/wasm-simd.ts";
import { decomposeDaily, estimateAcm, fitAcm, type YieldPanel } from "../../src/termstructure/acm.ts";
import { type AffineLoadings, affineDecomposition } from "../../src/termstructure/affine.ts";
import { buildAcmJob, simulateAcmPanel } from "../../src/termstructure/bands.ts";
import { REPO_ROOT } from "../helpers.ts";

function assertSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!(actual[i] === expected[i] || (Number.isNaN(actual[i]) && Number.isNaN(expected[i])))) {
      assert.fail(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]} (exact)`);
    }
  }
}

/** Run `f` with the SIMD kernels switched off (the JavaScript fallbacks). */
function withoutSimd<T>(f: () => T): T {
  setSimdDisabledForTests(true);
  try {
    return f();
  } finally {
    setSimdDisabledForTests(null);
  }
}

function randomArray(seed: number, n: number, scale = 1, shift = 0): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => shift + scale * rng.normal());
}

test("the SIMD kernels compile on this Node (otherwise every other test here checks the fallbacks only)", () => {
  assert.notEqual(simdKernels(), null);
});

// ------------------------------------------------------------------------------------------
// covariance: naive two-pass triple loop as the reference
// ------------------------------------------------------------------------------------------

/** Means, then Σ_r (y_ri − m_i)(y_rj − m_j) summed in row order from 0, then × 1/(T − ddof). */
function naiveCovariance(y: Float64Array, t: number, stride: number, off: number, n: number, ddof: number) {
  const means = new Float64Array(n);
  for (let r = 0; r < t; r++) for (let j = 0; j < n; j++) means[j] += y[r * stride + off + j];
  for (let j = 0; j < n; j++) means[j] /= t;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let acc = 0;
      for (let r = 0; r < t; r++) {
        acc += (y[r * stride + off + i] - means[i]) * (y[r * stride + off + j] - means[j]);
      }
      s[i * n + j] = acc;
      s[j * n + i] = acc;
    }
  const inv = 1 / (t - ddof);
  for (let q = 0; q < s.length; q++) s[q] *= inv;
  return { means, s };
}

test("covariance of panel columns: SIMD and scalar kernels equal the naive loop bit for bit (property)", () => {
  fc.assert(
    fc.property(
      fc.record({
        t: fc.integer({ min: 2, max: 60 }),
        n: fc.integer({ min: 1, max: 23 }),
        extra: fc.integer({ min: 0, max: 3 }),
        off: fc.integer({ min: 0, max: 3 }),
        ddof: fc.integer({ min: 0, max: 1 }),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      ({ t, n, extra, off, ddof, seed }) => {
        const stride = n + off + extra;
        // yield-like levels (mean 5): centring matters, as in the PCA of a yield panel
        const y = randomArray(seed, t * stride, 2, 5);
        const ref = naiveCovariance(y, t, stride, off, n, ddof);
        const fast = covarianceOfColumns(y, t, stride, off, n, ddof);
        const slow = withoutSimd(() => covarianceOfColumns(y, t, stride, off, n, ddof));
        assertSameBits(fast.means, ref.means, "SIMD means");
        assertSameBits(fast.covariance.data, ref.s, "SIMD covariance");
        assertSameBits(slow.means, ref.means, "scalar means");
        assertSameBits(slow.covariance.data, ref.s, "scalar covariance");
      },
    ),
    { numRuns: 60 },
  );
});

test("covariance of a 769 x 118 yield-sized panel: SIMD = naive, and covarianceMatrix = the column route", () => {
  const t = 769;
  const stride = 120;
  const y = randomArray(7, t * stride, 1, 4);
  const ref = naiveCovariance(y, t, stride, 2, 118, 1);
  const fast = covarianceOfColumns(y, t, stride, 2, 118, 1);
  assertSameBits(fast.covariance.data, ref.s, "covariance");
  const cols = new Float64Array(t * 118);
  for (let r = 0; r < t; r++) cols.set(y.subarray(r * stride + 2, r * stride + 120), r * 118);
  assertSameBits(covarianceMatrix(dense(t, 118, cols)).covariance.data, ref.s, "covarianceMatrix");
});

// ------------------------------------------------------------------------------------------
// eigen, projection, PCA
// ------------------------------------------------------------------------------------------

test("top eigenpairs: the SIMD block product gives the same bits as the scalar one", () => {
  for (const [n, k, seed] of [
    [30, 3, 1],
    [57, 5, 2],
    [118, 5, 3],
  ] as const) {
    // a covariance with a geometric spectrum, like a yield panel's
    const t = 3 * n;
    const f = randomArray(seed, t * n);
    for (let r = 0; r < t; r++) for (let j = 0; j < n; j++) f[r * n + j] *= 0.7 ** j;
    const s = covarianceOfColumns(f, t, n, 0, n, 1).covariance;
    const fast = symmetricEigenTop(s, k, { method: "subspace" });
    const slow = withoutSimd(() => symmetricEigenTop(s, k, { method: "subspace" }));
    assert.equal(fast.iterations, slow.iterations);
    assertSameBits(fast.values, slow.values, `n=${n} eigenvalues`);
    assertSameBits(fast.vectors.data, slow.vectors.data, `n=${n} eigenvectors`);
  }
});

test("a matrix that is not bitwise symmetric still gets S·V (the SIMD kernel reads S transposed)", () => {
  const n = 40;
  const f = randomArray(11, 4 * n * n);
  const s = covarianceOfColumns(f, 4 * n, n, 0, n, 1).covariance;
  // nudge one off-diagonal element by one ulp: the solver must fall back to the scalar product
  s.data[3 * n + 17] = s.data[3 * n + 17] * (1 + 2 ** -52);
  const fast = symmetricEigenTop(s, 4, { method: "subspace" });
  const slow = withoutSimd(() => symmetricEigenTop(s, 4, { method: "subspace" }));
  assertSameBits(fast.vectors.data, slow.vectors.data, "eigenvectors");
});

/** F[r, c] = Σ_j (y[r, off + j] − m_j) W[j, c], j in order from zero. */
function naiveProject(
  y: Float64Array,
  t: number,
  stride: number,
  off: number,
  m: Float64Array,
  w: Float64Array,
  k: number,
) {
  const n = m.length;
  const out = new Float64Array(t * k);
  for (let r = 0; r < t; r++)
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += (y[r * stride + off + j] - m[j]) * w[j * k + c];
      out[r * k + c] = acc;
    }
  return out;
}

test("projection on PCA loadings: SIMD kernel = naive loop for 1..9 components and odd shapes", () => {
  for (let k = 1; k <= 9; k++) {
    const t = 300 + 37 * k; // crosses the 256-row chunk boundary
    const n = 11 + k;
    const stride = n + 3;
    const y = randomArray(100 + k, t * stride, 1, 3);
    const m = randomArray(200 + k, n, 0.1, 3);
    const w = randomArray(300 + k, n * k);
    const cols = Int32Array.from({ length: n }, (_, j) => j + 2);
    const got = projectRows(y, t, stride, cols, m, dense(n, k, w));
    assert.equal(got.badRow, -1);
    assertSameBits(got.scores.data, naiveProject(y, t, stride, 2, m, w, k), `k=${k}`);
    const slow = withoutSimd(() => projectRows(y, t, stride, cols, m, dense(n, k, w)));
    assertSameBits(slow.scores.data, got.scores.data, `k=${k} fallback`);
  }
});

test("projection reports the first row with a NaN on the SIMD route too", () => {
  const t = 600;
  const n = 10;
  const y = randomArray(5, t * n);
  y[417 * n + 6] = Number.NaN;
  y[512 * n + 1] = Number.POSITIVE_INFINITY;
  const cols = Int32Array.from({ length: n }, (_, j) => j);
  const r = projectRows(y, t, n, cols, new Float64Array(n), dense(n, 3, randomArray(6, 3 * n)));
  assert.equal(r.badRow, 417);
});

test("PCA: SIMD and fallback routes agree bit for bit (scores, loadings, eigenvalues)", () => {
  const t = 200;
  const n = 33;
  const y = randomArray(77, t * n);
  for (let r = 0; r < t; r++) for (let j = 0; j < n; j++) y[r * n + j] = 5 + y[r * n + j] * 0.8 ** j;
  const a = pca(dense(t, n, y), { components: 4 });
  const b = withoutSimd(() => pca(dense(t, n, y), { components: 4 }));
  assertSameBits(a.scores.data, b.scores.data, "scores");
  assertSameBits(a.loadings.data, b.loadings.data, "loadings");
  assertSameBits(a.eigenvalues, b.eigenvalues, "eigenvalues");
});

// ------------------------------------------------------------------------------------------
// QR and least squares: the unblocked Householder loops as the reference
// ------------------------------------------------------------------------------------------

/** The previous QR + solve + residuals, one column at a time (kept as the slow reference). */
function referenceLeastSquares(x: Float64Array, n: number, p: number, y: Float64Array, m: number) {
  const a = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) a[j * n + i] = x[i * p + j];
  const rdiag = new Float64Array(p);
  const tau = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const ok = k * n;
    let scale = 0;
    for (let i = k; i < n; i++) scale = Math.max(scale, Math.abs(a[ok + i]));
    if (scale === 0) continue;
    let ss = 0;
    for (let i = k; i < n; i++) {
      const v = a[ok + i] / scale;
      ss += v * v;
    }
    const sigma = scale * Math.sqrt(ss);
    const x0 = a[ok + k];
    const alpha = x0 >= 0 ? -sigma : sigma;
    const v0 = x0 - alpha;
    a[ok + k] = v0;
    const t = 2 / (sigma * sigma - x0 * x0 + v0 * v0);
    tau[k] = t;
    rdiag[k] = alpha;
    for (let j = k + 1; j < p; j++) {
      const oj = j * n;
      let s = 0;
      for (let i = k; i < n; i++) s += a[ok + i] * a[oj + i];
      s *= t;
      for (let i = k; i < n; i++) a[oj + i] -= s * a[ok + i];
    }
  }
  const coef = new Float64Array(p * m);
  const col = new Float64Array(n);
  for (let e = 0; e < m; e++) {
    for (let i = 0; i < n; i++) col[i] = y[i * m + e];
    for (let k = 0; k < p; k++) {
      if (tau[k] === 0) continue;
      let s = 0;
      for (let i = k; i < n; i++) s += a[k * n + i] * col[i];
      s *= tau[k];
      for (let i = k; i < n; i++) col[i] -= s * a[k * n + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = col[i];
      for (let j = i + 1; j < p; j++) s -= a[j * n + i] * coef[j * m + e];
      coef[i * m + e] = s / rdiag[i];
    }
  }
  const res = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let e = 0; e < m; e++) {
      let s = y[t * m + e];
      for (let k = 0; k < p; k++) s -= x[t * p + k] * coef[k * m + e];
      res[t * m + e] = s;
    }
  return { factors: a, rdiag, tau, coef, res };
}

test("QR and multi-equation OLS: blocked / SIMD routes = the unblocked loops bit for bit (property)", () => {
  fc.assert(
    fc.property(
      fc.record({
        p: fc.integer({ min: 1, max: 12 }),
        m: fc.integer({ min: 1, max: 13 }),
        extraRows: fc.integer({ min: 1, max: 80 }),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      ({ p, m, extraRows, seed }) => {
        const n = p + extraRows;
        const x = randomArray(seed, n * p);
        for (let i = 0; i < n; i++) x[i * p] = 1; // an intercept, as in every ACM regression
        const y = randomArray(seed + 1, n * m, 3);
        const ref = referenceLeastSquares(x, n, p, y, m);
        const qr = householderQr(dense(n, p, x));
        assertSameBits(qr.factors, ref.factors, "QR factors");
        assertSameBits(qr.tau, ref.tau, "tau");
        assertSameBits(qrSolve(qr, dense(n, m, y)).data, ref.coef, "qrSolve");
        const fast = olsMulti(dense(n, m, y), dense(n, p, x));
        assertSameBits(fast.coefficients.data, ref.coef, "SIMD coefficients");
        assertSameBits(fast.residuals.data, ref.res, "SIMD residuals");
        const slow = withoutSimd(() => olsMulti(dense(n, m, y), dense(n, p, x)));
        assertSameBits(slow.coefficients.data, ref.coef, "scalar coefficients");
        assertSameBits(slow.residuals.data, ref.res, "scalar residuals");
      },
    ),
    { numRuns: 60 },
  );
});

// ------------------------------------------------------------------------------------------
// affine pricing and the bootstrap's synthetic panels
// ------------------------------------------------------------------------------------------

function randomLoadings(seed: number, k: number, nMax: number): AffineLoadings {
  const a = randomArray(seed, nMax + 1, 1e-3);
  const b = randomArray(seed + 1, (nMax + 1) * k, 1e-2);
  a[0] = 0;
  for (let i = 0; i < k; i++) b[i] = 0;
  return { nMax, k, a, b };
}

test("affine decomposition: SIMD kernel = the plain formula for K = 1..9, odd maturities, chunk edges", () => {
  for (let k = 1; k <= 9; k++) {
    const nMax = k % 2 === 0 ? 120 : 37;
    const t = 64 * 3 + k; // crosses the 64-row chunk boundary
    const wr = randomLoadings(10 * k, k, nMax);
    const rn = randomLoadings(10 * k + 5, k, nMax);
    const x = dense(t, k, randomArray(k, t * k, 2));
    const got = affineDecomposition(wr, rn, x);
    const fit = new Float64Array(t * nMax);
    const rny = new Float64Array(t * nMax);
    for (let r = 0; r < t; r++)
      for (let n = 1; n <= nMax; n++) {
        let f = wr.a[n];
        let g = rn.a[n];
        for (let i = 0; i < k; i++) {
          f += wr.b[n * k + i] * x.data[r * k + i];
          g += rn.b[n * k + i] * x.data[r * k + i];
        }
        fit[r * nMax + n - 1] = f * (-1200 / n);
        rny[r * nMax + n - 1] = g * (-1200 / n);
      }
    assertSameBits(got.fitted, fit, `K=${k} fitted`);
    assertSameBits(got.riskNeutral, rny, `K=${k} risk-neutral`);
    assertSameBits(
      got.termPremium,
      fit.map((v, i) => v - rny[i]),
      `K=${k} premium`,
    );
    const slow = withoutSimd(() => affineDecomposition(wr, rn, x));
    assertSameBits(slow.fitted, got.fitted, `K=${k} fallback fitted`);
    assertSameBits(slow.termPremium, got.termPremium, `K=${k} fallback premium`);
  }
});

const PANEL_GZ = join(REPO_ROOT, "test/fixtures/termstructure/gsw_month_end_1_120.csv.gz");

function loadPanel(first: string, last: string): YieldPanel {
  const rows = gunzipSync(readFileSync(PANEL_GZ)).toString("utf8").trim().split(/\r?\n/).slice(1);
  const body = rows.filter((l) => l.slice(0, 7) >= first && l.slice(0, 7) <= last);
  const y = new Float64Array(body.length * 120);
  const dates = body.map((l, i) => {
    const f = l.split(",");
    for (let j = 0; j < 120; j++) y[i * 120 + j] = Number(f[1 + j]);
    return f[0];
  });
  return { dates, maturitiesMonths: Array.from({ length: 120 }, (_, i) => i + 1), yieldsPct: y };
}

test("bootstrap synthetic panels: SIMD kernel = the JavaScript loop", () => {
  const panel = loadPanel("1995-01", "2020-12");
  const est = estimateAcm(panel, {});
  const { job } = buildAcmJob(est, {}, [24, 120], 1);
  for (const seed of [1, 2, 3]) {
    const a = simulateAcmPanel(job, createRng(seed));
    const b = withoutSimd(() => simulateAcmPanel(job, createRng(seed)));
    assertSameBits(a.factors, b.factors, "factors");
    assertSameBits(a.yieldsPct, b.yieldsPct, "synthetic yields");
  }
});

test("ACM end to end: SIMD and fallback routes give the same bits (monthly fit and daily decomposition)", () => {
  const panel = loadPanel("1985-01", "2025-06");
  for (const options of [{}, { factors: 3, excessReturnMaturities: "paper" as const, sigmaDdof: 0 }]) {
    const a = fitAcm(panel, options);
    const b = withoutSimd(() => fitAcm(panel, options));
    assertSameBits(a.termPremiumPct.data, b.termPremiumPct.data, "monthly premia");
    assertSameBits(a.fittedPct.data, b.fittedPct.data, "monthly fitted");
    assertSameBits(a.parameters.lambda1.data, b.parameters.lambda1.data, "lambda1");
    // a daily-like panel: each month-end curve plus a small wiggle, 3 days per month
    const t = panel.dates.length * 3;
    const y = new Float64Array(t * 120);
    const dates: string[] = [];
    for (let r = 0; r < t; r++) {
      const m = Math.floor(r / 3);
      dates.push(`${panel.dates[m].slice(0, 8)}${String(10 + (r % 3)).padStart(2, "0")}`);
      for (let j = 0; j < 120; j++)
        y[r * 120 + j] = panel.yieldsPct[m * 120 + j] + 0.03 * Math.sin(r + j / 7);
    }
    const daily = { dates, maturitiesMonths: panel.maturitiesMonths, yieldsPct: y };
    const da = decomposeDaily(a, daily);
    const db = withoutSimd(() => decomposeDaily(b, daily));
    assertSameBits(da.factors.data, db.factors.data, "daily factors");
    assertSameBits(da.termPremiumPct.data, db.termPremiumPct.data, "daily premia");
  }
});

test("ACM input check: a NaN or infinity anywhere (odd or even position) is named on both routes", () => {
  const panel = loadPanel("2000-01", "2010-12");
  for (const [row, col, value] of [
    [5, 0, Number.NaN],
    [100, 119, Number.POSITIVE_INFINITY],
    [131, 64, Number.NEGATIVE_INFINITY],
  ] as const) {
    const y = panel.yieldsPct.slice();
    y[row * 120 + col] = value;
    const bad = { ...panel, yieldsPct: y };
    const expected = new RegExp(`at ${panel.dates[row]}, maturity ${col + 1} months`);
    assert.throws(() => estimateAcm(bad), expected);
    assert.throws(() => withoutSimd(() => estimateAcm(bad)), expected);
  }
});
