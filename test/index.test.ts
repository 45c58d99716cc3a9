/** The public API loads as one module and exposes the main entry points by name. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as yardstick from "../src/index.ts";

test("public API exposes the models, the store and the transforms by name", () => {
  for (const name of [
    "Store",
    "ensureBundled",
    "fitAcm",
    "fitHamiltonWu",
    "runTermPremium",
    "acmBands",
    "hpFilter",
    "percentileRankExpanding",
    "computeScore",
    "fairValues",
    "fitDivergence",
    "fitSvensson",
  ]) {
    assert.equal(typeof (yardstick as Record<string, unknown>)[name], "function", name);
  }
});
