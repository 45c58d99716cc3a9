import assert from "node:assert/strict";
import { test } from "node:test";
import { ModelError } from "../../src/core/errors.ts";
import { createRng, normals, xoshiro128ssNext } from "../../src/stats/random.ts";

test("xoshiro128** from state (1, 2, 3, 4) gives the reference outputs", () => {
  // First output by hand: rotl(2·5, 7)·9 = 1280·9 = 11520. The rest from a separate Python
  // re-implementation on arbitrary-precision integers masked to 32 bits (exact: integers).
  const s = Uint32Array.from([1, 2, 3, 4]);
  const got = Array.from({ length: 6 }, () => xoshiro128ssNext(s));
  assert.deepEqual(got, [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

test("same seed, same stream; different seeds, different streams", () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xa = Array.from({ length: 100 }, () => a.uniform());
  const xb = Array.from({ length: 100 }, () => b.uniform());
  const xc = Array.from({ length: 100 }, () => c.uniform());
  assert.deepEqual(xa, xb);
  assert.ok(xa.some((v, i) => v !== xc[i]));
  assert.throws(() => createRng(1.5), ModelError);
});

test("uniform and normal moments", () => {
  const n = 200_000;
  const rng = createRng(7);
  let s = 0;
  let s2 = 0;
  let lo = 1;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    s += u;
    s2 += u * u;
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  }
  assert.ok(lo >= 0 && hi < 1);
  // U(0,1): mean 1/2 with sd 0.289/√n = 6.5e-4; variance 1/12 with sd ≈ 0.0745/√n = 1.7e-4; 5 sd
  assert.ok(Math.abs(s / n - 0.5) < 5 * 6.5e-4, `uniform mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12) < 5 * 1.7e-4, "uniform variance");

  const z = normals(createRng(8), n);
  let m1 = 0;
  let m2 = 0;
  let m4 = 0;
  let beyond196 = 0;
  for (const v of z) {
    m1 += v;
    m2 += v * v;
    m4 += v ** 4;
    if (Math.abs(v) > 1.959963984540054) beyond196++;
  }
  m1 /= n;
  m2 /= n;
  m4 /= n;
  // N(0,1): sd of the sample mean 1/√n = 2.2e-3, of the second moment √2/√n = 3.2e-3,
  // of the fourth moment √96/√n = 0.022, of the 5% two-sided tail share √(.05·.95/n) = 4.9e-4; 5 sd
  assert.ok(Math.abs(m1) < 5 * 2.2e-3, `normal mean ${m1}`);
  assert.ok(Math.abs(m2 - 1) < 5 * 3.2e-3, `normal variance ${m2}`);
  assert.ok(Math.abs(m4 - 3) < 5 * 0.022, `normal 4th moment ${m4}`);
  assert.ok(Math.abs(beyond196 / n - 0.05) < 5 * 4.9e-4, `tail share ${beyond196 / n}`);
});

test("successive normals are uncorrelated (Box-Muller pairs included)", () => {
  const n = 100_000;
  const z = normals(createRng(9), n);
  for (const lag of [1, 2]) {
    let c = 0;
    for (let i = lag; i < n; i++) c += z[i] * z[i - lag];
    // sample autocorrelation has sd 1/√n = 3.2e-3 under independence; 5 sd
    assert.ok(Math.abs(c / n) < 5 * 3.2e-3, `lag ${lag} autocorrelation ${c / n}`);
  }
});
