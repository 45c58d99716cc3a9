/**
 * OLS and Newey-West HAC against statsmodels (golden JSON from
 * test/fixtures/stats/make_ols_golden.py), against a slow textbook double sum for the HAC
 * middle matrix, and on properties that hold for any design (orthogonal residuals).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { ModelError } from "../../src/core/errors.ts";
import { type Dense, dense, fromRows } from "../../src/stats/dense.ts";
import { neweyWestCovariance, neweyWestLag, ols, olsMulti } from "../../src/stats/ols.ts";
import { assertAllClose, REPO_ROOT } from "../helpers.ts";

interface GoldenCase {
  name: string;
  y: number[];
  X: number[][];
  hacLag: number;
  hacSmallSample: boolean;
  params: number[];
  bse: number[];
  tvalues: number[];
  resid: number[];
  ssr: number;
  scale: number;
  rsquared: number;
  rsquared_adj: number;
  cov_params: number[][];
  hac_cov_params: number[][];
  hac_bse: number[];
}

const golden = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/stats/ols_golden.json"), "utf8")) as {
  defaultLag: number;
  cases: GoldenCase[];
};

const flat = (m: number[][]) => m.flat();

for (const c of golden.cases) {
  test(`OLS matches statsmodels: ${c.name}`, () => {
    const r = ols(c.y, fromRows(c.X), { hacLag: c.hacLag, hacSmallSample: c.hacSmallSample });
    // Well-conditioned 80 x p design: QR (ours) and pinv/QR (statsmodels) agree to rounding
    // (~1e-14 relative); 1e-10 leaves room for the summation order of 80-term sums.
    const tol = { rtol: 1e-10, atol: 1e-12 };
    assertAllClose(r.coefficients, c.params, { ...tol, label: "params" });
    assertAllClose(r.standardErrors, c.bse, { ...tol, label: "bse" });
    assertAllClose(r.tValues, c.tvalues, { ...tol, label: "t" });
    assertAllClose(r.residuals, c.resid, { ...tol, label: "resid" });
    assertAllClose(
      [r.ssr, r.sigma2, r.rSquared, r.adjRSquared],
      [c.ssr, c.scale, c.rsquared, c.rsquared_adj],
      {
        ...tol,
        label: "ssr, scale, R2, adj R2",
      },
    );
    assertAllClose(r.covParams.data, flat(c.cov_params), { ...tol, label: "cov" });
    // HAC: sums of lagged cross-products, same ~1e-14 rounding
    assertAllClose(r.hac.covParams.data, flat(c.hac_cov_params), { ...tol, label: "HAC cov" });
    assertAllClose(r.hac.standardErrors, c.hac_bse, { ...tol, label: "HAC bse" });
    assert.equal(r.hac.lag, c.hacLag);
    assert.match(r.summary(), /HAC/);
  });
}

test("default Newey-West lag is floor(4 (T/100)^(2/9)) as in statsmodels", () => {
  // statsmodels' S_hac_simple default computed in the generator for T = 80
  assert.equal(neweyWestLag(golden.cases[0].y.length), golden.defaultLag);
  // hand values: 100 -> 4 exactly; 769 -> 4 * 7.69^(2/9) = 6.29 -> 6; 1000 -> 4 * 10^(2/9) = 6.67 -> 6
  assert.equal(neweyWestLag(100), 4);
  assert.equal(neweyWestLag(769), 6);
  assert.equal(neweyWestLag(1000), 6);
  const r = ols(golden.cases[0].y, fromRows(golden.cases[0].X));
  assert.equal(r.hac.lag, golden.defaultLag);
});

/** Slow S = Σ_t Σ_s w(|t−s|) g_t g_sᵀ with g_t = x_t u_t, w(l) = 1 − l/(L+1) for l ≤ L. */
function slowHac(x: Dense, u: ArrayLike<number>, lag: number, xtxInv: Dense, smallSample: boolean): number[] {
  const { rows: n, cols: p } = x;
  const s = new Array<number>(p * p).fill(0);
  for (let t = 0; t < n; t++)
    for (let r = 0; r < n; r++) {
      const l = Math.abs(t - r);
      if (l > lag) continue;
      const w = 1 - l / (lag + 1);
      for (let i = 0; i < p; i++)
        for (let j = 0; j < p; j++) s[i * p + j] += w * x.data[t * p + i] * u[t] * x.data[r * p + j] * u[r];
    }
  const h = xtxInv.data;
  const out = new Array<number>(p * p).fill(0);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++)
      for (let a = 0; a < p; a++)
        for (let b = 0; b < p; b++) out[i * p + j] += h[i * p + a] * s[a * p + b] * h[b * p + j];
  return out.map((v) => (smallSample ? (v * n) / (n - p) : v));
}

const design = fc
  .record({
    n: fc.integer({ min: 12, max: 40 }),
    p: fc.integer({ min: 1, max: 4 }),
    lag: fc.integer({ min: 0, max: 6 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    small: fc.boolean(),
  })
  .map(({ n, p, lag, seed, small }) => {
    let s = seed;
    const rnd = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648 - 0.5;
    };
    const x = dense(n, p);
    for (let i = 0; i < n; i++) {
      x.data[i * p] = 1;
      for (let j = 1; j < p; j++) x.data[i * p + j] = rnd() * (j + 1) + 0.1 * i * (j === 1 ? 1 : 0);
    }
    const y = Array.from({ length: n }, (_, i) => 0.5 + x.data[i * p + (p - 1)] + rnd());
    return { x, y, lag, small };
  });

test("HAC equals the slow double-sum definition (property)", () => {
  fc.assert(
    fc.property(design, ({ x, y, lag, small }) => {
      const r = ols(y, x, { hacLag: lag, hacSmallSample: small });
      const slow = slowHac(x, r.residuals, lag, r.xtxInverse, small);
      const fast = neweyWestCovariance(x, r.residuals, r.xtxInverse, lag, small);
      // same sums in a different order: relative rounding ~1e-15 on O(1) entries
      const scale = Math.max(...slow.map(Math.abs));
      assertAllClose(fast.data, slow, { atol: 1e-12 * scale, label: "HAC" });
      assertAllClose(r.hac.covParams.data, slow, { atol: 1e-12 * scale, label: "HAC in ols()" });
    }),
    { numRuns: 60 },
  );
});

test("residuals are orthogonal to every regressor and fitted + resid = y (property)", () => {
  fc.assert(
    fc.property(design, ({ x, y }) => {
      const r = ols(y, x);
      const { rows: n, cols: p } = x;
      for (let j = 0; j < p; j++) {
        let dot = 0;
        let norm = 0;
        for (let i = 0; i < n; i++) {
          dot += x.data[i * p + j] * r.residuals[i];
          norm += x.data[i * p + j] ** 2;
        }
        // X'u = 0 up to rounding ~ eps * |x_j| * |y| * sqrt(n); 1e-10 is far above that
        assert.ok(Math.abs(dot) <= 1e-10 * Math.sqrt(norm) * Math.sqrt(n) * 10, `X'u[${j}] = ${dot}`);
      }
      for (let i = 0; i < n; i++)
        assert.ok(Math.abs(r.fittedValues[i] + r.residuals[i] - y[i]) <= 1e-12 * (1 + Math.abs(y[i])));
    }),
    { numRuns: 60 },
  );
});

test("olsMulti equals equation-by-equation ols", () => {
  const c = golden.cases[0];
  const x = fromRows(c.X);
  const n = x.rows;
  const y2 = c.y.map((v, i) => v * 0.5 - i * 0.01);
  const yy = dense(n, 2);
  for (let i = 0; i < n; i++) {
    yy.data[2 * i] = c.y[i];
    yy.data[2 * i + 1] = y2[i];
  }
  const m = olsMulti(yy, x);
  const a = ols(c.y, x);
  const b = ols(y2, x);
  // identical QR and solve path: equal to the last bits
  assertAllClose(
    [0, 1, 2].map((k) => m.coefficients.data[2 * k]),
    a.coefficients,
    { rtol: 1e-14, label: "eq 1" },
  );
  assertAllClose(
    [0, 1, 2].map((k) => m.coefficients.data[2 * k + 1]),
    b.coefficients,
    { rtol: 1e-14, label: "eq 2" },
  );
});

test("rank-deficient design: ModelError naming the collinear column", () => {
  const n = 20;
  const x = dense(n, 3);
  for (let i = 0; i < n; i++) {
    x.data[3 * i] = 1;
    x.data[3 * i + 1] = i;
    x.data[3 * i + 2] = 2 * i + 3; // = 3·const + 2·trend
  }
  const y = Array.from({ length: n }, (_, i) => i * 0.3 + Math.sin(i));
  assert.throws(
    () => ols(y, x, { colNames: ["const", "trend", "bad"] }),
    (e: unknown) => e instanceof ModelError && /rank deficient/.test(e.message) && /bad/.test(e.message),
  );
  const z = dense(n, 2);
  for (let i = 0; i < n; i++) z.data[2 * i] = 1;
  assert.throws(
    () => ols(y, z),
    (e: unknown) => e instanceof ModelError && /all zeros/.test(e.message),
  );
});

test("NaN in X or y: ModelError naming row and column", () => {
  const c = golden.cases[0];
  const x = fromRows(c.X);
  x.data[5 * 3 + 2] = Number.NaN;
  assert.throws(
    () => ols(c.y, x, { colNames: ["const", "x1", "x2"] }),
    (e: unknown) => e instanceof ModelError && /row 5/.test(e.message) && /x2/.test(e.message),
  );
  const y = c.y.slice();
  y[7] = Number.NaN;
  assert.throws(
    () => ols(y, fromRows(c.X), { rowNames: c.y.map((_, i) => `t${i}`) }),
    (e: unknown) => e instanceof ModelError && /row 7 \(t7\)/.test(e.message),
  );
});

test("too few observations: ModelError", () => {
  assert.throws(
    () =>
      ols(
        [1, 2, 3],
        fromRows([
          [1, 0, 0],
          [1, 1, 0],
          [1, 0, 1],
        ]),
      ),
    (e: unknown) => e instanceof ModelError && /degrees of freedom/.test(e.message),
  );
});
