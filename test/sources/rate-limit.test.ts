import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { RateLimiter } from "../../src/sources/rate-limit.ts";

function fakeClock() {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

/** Most grants inside any half-open window [t, t + w) starting at a grant (where maxima occur). */
function maxInWindow(times: number[], w: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j] < times[i] + w) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

test("120/min and 2/s hold in every window, and 300 grants take the minimum time", async () => {
  const clock = fakeClock();
  const lim = new RateLimiter(
    [
      { limit: 120, windowMs: 60_000 },
      { limit: 2, windowMs: 1000 },
    ],
    clock,
  );
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    await lim.acquire();
    times.push(clock.now());
  }
  assert.equal(maxInWindow(times, 60_000), 120);
  assert.equal(maxInWindow(times, 1000), 2);
  // 2/s from t=0 packs pairs at 0, 1, 2, ... s: the 300th grant at 149 s exactly (no idle time)
  assert.equal(times[299], 149_000);
});

test("the per-minute limit binds when it is tighter than the burst", async () => {
  const clock = fakeClock();
  const lim = new RateLimiter(
    [
      { limit: 10, windowMs: 60_000 },
      { limit: 2, windowMs: 1000 },
    ],
    clock,
  );
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    await lim.acquire();
    times.push(clock.now());
  }
  assert.equal(maxInWindow(times, 60_000), 10);
  assert.deepEqual(times.slice(0, 10), [0, 0, 1000, 1000, 2000, 2000, 3000, 3000, 4000, 4000]);
  assert.equal(times[10], 60_000); // the 11th waits for the 1st to leave the minute
});

test("property: concurrent callers never exceed any window", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 100, max: 5000 }),
      fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 }),
      async (limit, windowMs, gaps) => {
        const clock = fakeClock();
        const lim = new RateLimiter([{ limit, windowMs }], clock);
        const times: number[] = [];
        const pending: Promise<void>[] = [];
        for (const g of gaps) {
          clock.t += g;
          pending.push(lim.acquire().then(() => void times.push(clock.now())));
        }
        await Promise.all(pending);
        assert.ok(maxInWindow(times, windowMs) <= limit);
        for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1]);
      },
    ),
    { numRuns: 100 },
  );
});

test("invalid windows are refused", () => {
  assert.throws(() => new RateLimiter([{ limit: 0, windowMs: 1000 }]), RangeError);
  assert.throws(() => new RateLimiter([{ limit: 1.5, windowMs: 1000 }]), RangeError);
});
