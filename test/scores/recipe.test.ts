/**
 * Recipe validation: the issue's YAML verbatim, the canonical form it becomes, and errors that
 * name the field and (for YAML and JSON text) the line.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { stringify } from "yaml";
import { InputError } from "../../src/core/errors.ts";
import { builtinRecipes } from "../../src/scores/builtins/index.ts";
import { describeSteps, parseRecipe, parseRecipeText, recipeToInput } from "../../src/scores/recipe.ts";

const ISSUE_YAML = `name: implied-inflation-expectation
target: T10YIE                  # what the score is judged against
components:
  - { series: PPIACO, transform: pct_change, periods: 12, lagMonths: 6, weight: 0.5 }
  - { series: us-inventory-cycle, lagMonths: 6, weight: 0.2 }   # another score
  - { series: composite-inflation, weight: 0.3 }
normalise: percentile            # expanding by default; "full-sample" allowed and labelled
`;

function inputError(re: RegExp, line?: number) {
  return (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.match(e.message, re);
    if (line !== undefined) assert.equal(e.location.line, line, e.message);
    return true;
  };
}

test("the issue's recipe parses to its canonical form", () => {
  const r = parseRecipeText(ISSUE_YAML, "issue.yaml");
  assert.equal(r.name, "implied-inflation-expectation");
  assert.equal(r.target, "T10YIE");
  assert.equal(r.normalise, "percentile");
  assert.equal(r.targetLeadMonths, 0);
  assert.deepEqual(r.components[0], {
    series: "PPIACO",
    steps: [{ op: "pct_change", periods: 12 }],
    lagMonths: 6,
    weight: 0.5,
  });
  assert.deepEqual(r.components[1], {
    series: "us-inventory-cycle",
    steps: [{ op: "level" }],
    lagMonths: 6,
    weight: 0.2,
  });
  assert.deepEqual(r.components[2].steps, [{ op: "level" }]);
  assert.equal(
    describeSteps([{ op: "pct_change", periods: 12 }, { op: "percentile" }]),
    "pct_change(12) → percentile",
  );
});

test("JSON recipes go through the same parser, with line numbers", () => {
  const json = JSON.stringify(
    {
      name: "j",
      components: [{ series: "CPIAUCSL", transform: ["yoy", { op: "zscore", window: 60 }], weight: 1 }],
    },
    null,
    2,
  );
  const r = parseRecipeText(json, "j.json");
  assert.deepEqual(r.components[0].steps, [{ op: "yoy" }, { op: "zscore", window: 60 }]);
  const bad = json.replace('"weight": 1', '"weight": "one"');
  assert.throws(
    () => parseRecipeText(bad, "j.json"),
    inputError(/components\[0\]\.weight: .*expected number/, 13),
  );
});

test("a misspelt field is reported as unknown (not as the real one missing), with its line", () => {
  const yaml = ISSUE_YAML.replace(
    "{ series: composite-inflation, weight: 0.3 }",
    "{ series: composite-inflation, wieght: 0.3 }",
  );
  assert.throws(
    () => parseRecipeText(yaml, "r.yaml"),
    inputError(
      /^r\.yaml, line 6: recipe field components\[2\]\.wieght: unknown field "wieght" \(known: series,/,
      6,
    ),
  );
});

test("a missing required field, an unknown transform and a parameter that does not apply", () => {
  assert.throws(
    () => parseRecipeText("name: x\ncomponents:\n  - series: CPIAUCSL\n", "x.yaml"),
    inputError(/components\[0\]\.weight: missing \(required\)/, 3),
  );
  assert.throws(
    () =>
      parseRecipeText(
        "name: x\ncomponents:\n  - series: CPIAUCSL\n    transform: pct_chg\n    weight: 1\n",
        "x.yaml",
      ),
    inputError(/components\[0\]\.transform: must be a transform name \(level, change, pct_change/, 4),
  );
  assert.throws(
    () =>
      parseRecipeText(
        "name: x\ncomponents:\n  - series: CPIAUCSL\n    transform: yoy\n    periods: 3\n    weight: 1\n",
        "x.yaml",
      ),
    inputError(
      /components\[0\]\.periods: parameter "periods" does not apply to yoy \(yoy takes no parameters\)/,
      5,
    ),
  );
  assert.throws(
    () =>
      parseRecipe({ name: "x", components: [{ series: "A", transform: ["yoy"], periods: 3, weight: 1 }] }),
    inputError(/parameter "periods" beside a list of steps is ambiguous/),
  );
  assert.throws(
    () => parseRecipe({ name: "x", components: [{ series: "A", transform: [{ op: "ewma" }], weight: 1 }] }),
    inputError(/components\[0\]\.transform\[0\]: ewma needs halfLife/),
  );
  assert.throws(
    () => parseRecipe({ name: "Bad Name", components: [{ series: "A", weight: 1 }] }),
    inputError(/recipe field name: must be lower-case/),
  );
  assert.throws(() => parseRecipe({ name: "x", components: [] }), inputError(/recipe field components: /));
  assert.throws(
    () => parseRecipe({ name: "x", components: [{ series: "A", weight: 1, lagMonths: -1 }] }),
    inputError(/components\[0\]\.lagMonths/),
  );
});

test("YAML syntax errors name the line", () => {
  assert.throws(
    () => parseRecipeText("name: x\ncomponents: [\n  { series: A, weight: 1 \n", "s.yaml"),
    inputError(/cannot parse the recipe \(YAML\/JSON\)/),
  );
  assert.throws(
    () => parseRecipeText("- just\n- a list\n", "l.yaml"),
    inputError(/a recipe is a mapping/, 1),
  );
});

test("every built-in recipe validates; the proxy inventory cycle carries its caveat, the ISM one does not", () => {
  const proxy = builtinRecipes();
  for (const name of [
    "implied-inflation-expectation",
    "us-inventory-cycle",
    "us-slack-indicator",
    "fed-tightening-momentum",
    "composite-inflation",
    "adaptive-inflation-expectations",
  ]) {
    const r = proxy.get(name);
    assert.ok(r, name);
    const sum = r.components.reduce((s, c) => s + c.weight, 0);
    // weights are decimal fractions: their sum is 1 up to one rounding of a double
    assert.ok(Math.abs(sum - 1) < 1e-12, `${name} weights sum to ${sum}`);
  }
  assert.match(proxy.get("us-inventory-cycle")?.caveat ?? "", /PUBLIC PROXY/);
  assert.ok(proxy.get("us-slack-indicator")?.components.every((c) => c.series === "INDPRO"));
  const ism = builtinRecipes(new Set(["ism.inventories", "ism.production"]));
  assert.equal(ism.get("us-inventory-cycle")?.caveat, undefined);
  assert.deepEqual(
    ism.get("us-slack-indicator")?.components.map((c) => [c.series, c.subtract]),
    [["ism.inventories", "ism.production"]],
  );
});

test("recipes written back as YAML (what `score show` prints) parse to the same recipe", () => {
  for (const r of builtinRecipes().values()) {
    assert.deepEqual(parseRecipeText(stringify(recipeToInput(r)), `${r.name}.yaml`), r, r.name);
  }
  const issue = parseRecipeText(ISSUE_YAML);
  assert.deepEqual(recipeToInput(issue).components[0], {
    series: "PPIACO",
    weight: 0.5,
    transform: [{ op: "pct_change", periods: 12 }],
    lagMonths: 6,
  });
});
