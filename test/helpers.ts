/**
 * Test helpers shared by the suite. `assertAllClose` follows numpy's `allclose`:
 * |actual - expected| <= atol + rtol * |expected|, element-wise, NaN equal to NaN only when
 * `nanEqual` (the default, since NaN marks "missing" in a Series).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface CloseOptions {
  rtol?: number;
  atol?: number;
  nanEqual?: boolean;
  label?: string;
}

export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 0, atol = 0, nanEqual = true, label = "" }: CloseOptions = {},
): void {
  assert.equal(actual.length, expected.length, `${label} length ${actual.length} vs ${expected.length}`);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (nanEqual && Number.isNaN(a) && Number.isNaN(e)) continue;
      assert.fail(`${label} index ${i}: actual ${a}, expected ${e}`);
    }
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (excess > worst) {
      worst = excess;
      worstAt = i;
    }
  }
  if (worstAt >= 0) {
    assert.fail(
      `${label} index ${worstAt}: actual ${actual[worstAt]}, expected ${expected[worstAt]} (|diff| ${Math.abs(
        actual[worstAt] - expected[worstAt],
      )} > atol ${atol} + rtol ${rtol})`,
    );
  }
}

/** Root of the repository. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * `../shared` beside the repo, where CI puts the reference data and oracles. Tests that need it
 * skip cleanly when it is absent: `test("...", { skip: sharedSkip("data/fred/DGS10.csv") }, ...)`.
 */
export const SHARED_DIR = process.env.YARDSTICK_SHARED ?? join(REPO_ROOT, "..", "shared");

export function sharedPath(rel: string): string {
  return join(SHARED_DIR, rel);
}

/** false when the shared file exists (run the test), else a skip reason. */
export function sharedSkip(rel: string): false | string {
  return existsSync(sharedPath(rel)) ? false : `../shared/${rel} not present`;
}
