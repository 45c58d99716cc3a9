/**
 * Scenario files: the bundled examples parse; the same scenario written in YAML and in JSON gives
 * identical fair values; every bad input of issue 4 produces an InputError naming the field and
 * (for files) the line. Fair values here use explicit start rates and term premia, so no store is
 * needed; the store-dependent errors (dates before the data, a missing model run) are in
 * bundled.test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { InputError, NotFoundError } from "../../src/core/errors.ts";
import { evaluatePolicyScenario, runSensitivity } from "../../src/scenarios/policy-service.ts";
import {
  parsePolicyScenario,
  parseScenarioText,
  parseSupplyScenario,
  readPolicyScenario,
  readSupplyScenario,
} from "../../src/scenarios/scenario-file.ts";
import { REPO_ROOT } from "../helpers.ts";

const EXAMPLES = join(REPO_ROOT, "examples", "scenarios");

const YAML = `asOf: 2021-12-31            # the path starts the month after
startRatePct: 0.08
stepBp: 25
recessionProbability: 0.14
termPremiumPct: 1.00
maturitiesYears: [2, 5, 10]
paths:
  dots: { moves: { 2022: 1, 2023: 3, 2024: 3, 2025: 3 }, terminalPct: 2.5 }
  half: { moves: { 2022: 1, 2023: 3, 2024: 1 } }
  flat: { moves: {} }
  market: { points: { 2022-06-30: 0.35, 2022-12-31: 0.85, 2023-12-31: 1.40 } }
`;

const JSON_TEXT = JSON.stringify({
  asOf: "2021-12-31",
  startRatePct: 0.08,
  stepBp: 25,
  recessionProbability: 0.14,
  termPremiumPct: 1.0,
  maturitiesYears: [2, 5, 10],
  paths: {
    dots: { moves: { 2022: 1, 2023: 3, 2024: 3, 2025: 3 }, terminalPct: 2.5 },
    half: { moves: { 2022: 1, 2023: 3, 2024: 1 } },
    flat: { moves: {} },
    market: { points: { "2022-06-30": 0.35, "2022-12-31": 0.85, "2023-12-31": 1.4 } },
  },
});

const inputs = {
  startRatePct: 0.08,
  startRateSource: "file",
  termPremiumPct: 1,
  termPremiumSource: "file",
  termPremiumDate: null,
};

test("the bundled examples parse", () => {
  const a = readPolicyScenario(join(EXAMPLES, "dots-2021.yaml"));
  assert.deepEqual(
    a.paths.map((p) => p.name),
    ["dots", "half", "flat", "market"],
  );
  assert.equal(a.recession.probability, 0.14);
  const b = readPolicyScenario(join(EXAMPLES, "model-tp-2024.json"));
  assert.deepEqual(b.termPremium, { kind: "model", model: "acm" });
  assert.equal(b.startRatePct, null);
  const s = readSupplyScenario(join(EXAMPLES, "supply-qt.yaml"));
  assert.equal(s.scenario.auctions.length, 3);
  assert.deepEqual(s.scenario.billsShare, { nowPct: 21, targetPct: 18, overMonths: 24 });
});

test("YAML and JSON versions of the issue's scenario give identical fair values", () => {
  const y = evaluatePolicyScenario(parsePolicyScenario(parseScenarioText(YAML, "s.yaml")), inputs, {
    at: ["2021-12-31", "2022-06-30"],
  });
  const j = evaluatePolicyScenario(parsePolicyScenario(parseScenarioText(JSON_TEXT, "s.json")), inputs, {
    at: ["2021-12-31", "2022-06-30"],
  });
  assert.equal(y.rows.length, 4 * 2 * 3);
  assert.deepEqual(
    y.rows.map((r) => r.fairValuePct),
    j.rows.map((r) => r.fairValuePct),
  );
  // dots: 1 + 3 + 3 + 3 moves from 0.08 capped at 2.5 -> ends exactly at the terminal level
  assert.equal(
    y.paths[0].moves.reduce((s, m) => s + m.bp, 0),
    242,
  );
});

/** The InputError a policy scenario text raises when evaluated with file-level inputs. */
function policyError(text: string, file = "bad.yaml"): InputError {
  try {
    const s = parsePolicyScenario(parseScenarioText(text, file));
    evaluatePolicyScenario(s, { ...inputs, startRatePct: s.startRatePct ?? 0.08 });
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
    return e;
  }
  assert.fail("no error raised");
}

test("bad input: probability outside [0, 1] names the field and the line", () => {
  const e = policyError(YAML.replace("recessionProbability: 0.14", "recessionProbability: 1.4"));
  assert.equal(e.location.line, 4);
  assert.match(
    e.message,
    /bad\.yaml, line 4: recessionProbability: a probability must be between 0 and 1 \(got 1\.4\)/,
  );
});

test("bad input: years out of order, in YAML and in JSON (where objects reorder year keys)", () => {
  const yaml =
    "asOf: 2021-12-31\nstartRatePct: 0.08\ntermPremiumPct: 1\npaths:\n  dots:\n    moves:\n      2023: " +
    "1\n      2022: 3\n";
  const e = policyError(yaml);
  assert.equal(e.location.line, 8);
  assert.match(e.message, /paths\.dots\.moves\.2022: years out of order: 2022 follows 2023/);
  const json =
    '{\n  "asOf": "2021-12-31",\n  "startRatePct": 0.08,\n  "termPremiumPct": 1,\n' +
    '  "paths": {\n    "dots": { "moves": { "2023": 1, "2022": 3 } }\n  }\n}\n';
  const j = policyError(json, "bad.json");
  assert.equal(j.location.line, 6);
  assert.match(j.message, /years out of order/);
});

test("bad input: a terminal rate below the start on a hiking path without cuts", () => {
  const e = policyError(
    "asOf: 2021-12-31\nstartRatePct: 1.5\ntermPremiumPct: 1\npaths:\n  dots: { moves: { 2022: 2 }, " +
      "terminalPct: 1.0 }\n",
  );
  assert.equal(e.location.line, 5);
  assert.match(
    e.message,
    /paths\.dots\.terminalPct: terminal rate 1% is below the start rate 1\.5% on a hiking path without cuts/,
  );
});

test("bad input: moves in a year before the path starts, and evaluation dates before asOf", () => {
  const e = policyError(
    "asOf: 2021-12-31\nstartRatePct: 0.08\ntermPremiumPct: 1\npaths:\n  a: { moves: { 2020: 1 } }\n",
  );
  assert.match(e.message, /line 5: paths\.a\.moves\.2020: 2020 is before the path starts/);
  const s = parsePolicyScenario(parseScenarioText(YAML, "s.yaml"));
  assert.throws(
    () => evaluatePolicyScenario(s, inputs, { at: ["2021-06-30"] }),
    /evaluation date 2021-06-30 is before the scenario's asOf/,
  );
});

test("bad input: unknown path names (NotFoundError listing the valid ones)", async () => {
  const s = parsePolicyScenario(parseScenarioText(YAML, "s.yaml"));
  assert.throws(
    () => evaluatePolicyScenario(s, inputs, { paths: ["dotz"] }),
    (e: unknown) =>
      e instanceof NotFoundError &&
      /unknown path "dotz": the scenario has dots, half, flat, market/.test(e.message),
  );
  await assert.rejects(runSensitivity(null, s, { path: "nope" }), NotFoundError);
});

test("bad input: shape errors name field and line (unknown, wrong type, missing, syntax)", () => {
  assert.match(
    policyError("asOf: 2021-12-31\ntermPremiumPct: 1\npaths:\n  flat: { moves: {}, extra: 2 }\n").message,
    /line 4: paths\.flat\.extra: unknown field "extra"/,
  );
  assert.match(
    policyError("asOf: 2021-13-01\ntermPremiumPct: 1\npaths:\n  f: { moves: {} }\n").message,
    /line 1: asOf: must be a real date/,
  );
  assert.match(
    policyError("asOf: 2021-12-31\npaths:\n  f: { moves: {} }\n").message,
    /termPremiumPct: required field is missing/,
  );
  assert.match(
    policyError("asOf: 2021-12-31\ntermPremiumPct: lots\npaths:\n  f: { moves: {} }\n").message,
    /line 2: termPremiumPct: must be a number .*"acm", "hw"/,
  );
  assert.match(
    policyError("asOf: 2021-12-31\ntermPremiumPct: 1\npaths:\n  f: { steps: {} }\n").message,
    /line 4: paths\.f: a path needs one of moves, points or monthly/,
  );
  assert.match(
    policyError("asOf: 2021-12-31\ntermPremiumPct: 1\npaths:\n  f: { moves: { 2022: 1.5 } }\n").message,
    /paths\.f\.moves\.2022: must be a whole number of steps/,
  );
  assert.match(
    policyError("asOf: 2021-12-31\ntermPremiumPct: 1\npaths: {}\n").message,
    /line 3: paths: give at least one path/,
  );
  const syntax = policyError('{ "asOf": "2021-12-31",\n "paths": { }, }\n', "bad.json");
  assert.match(syntax.message, /bad\.json.*not valid JSON/);
  assert.match(
    policyError("asOf: 2021-12-31\na: 1\na: 2\n").message,
    /line 3: not valid YAML: Map keys must be unique/,
  );
});

test("supply scenario files: shapes checked with lines", () => {
  const err = (text: string) => {
    try {
      parseSupplyScenario(parseScenarioText(text, "s.yaml"));
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e.message;
    }
    return "";
  };
  assert.match(
    err("auctions:\n  - { tenorYears: 4, changeBn: 1, from: 2022-01 }\n"),
    /line 2: auctions\.0\.tenorYears: must be one of 2, 3, 5, 7, 10, 20, 30/,
  );
  assert.match(err("model: kw\n"), /line 1: model: must be "acm" or "hw"/);
  assert.match(
    err("centralBank:\n  - { perMonthBn: -30, from: 2022-6 }\n"),
    /line 2: centralBank\.0\.from: must be a month written YYYY-MM/,
  );
  const ok = parseSupplyScenario(parseScenarioText("{}", "s.json"));
  assert.equal(ok.scenario.horizonMonths, 36);
  assert.equal(ok.model, "acm");
});
