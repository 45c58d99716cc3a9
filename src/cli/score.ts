/**
 * `yardstick score ...`: run a composite macro score (a built-in or a YAML/JSON recipe), evaluate
 * it against its target in and out of sample, list and show the built-ins. Output: a table for
 * people, long CSV `date,name,value`, or the JSON envelope (`--json` or `--format json`).
 */
import { Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { stringify as toYaml } from "yaml";
import { YardstickError } from "../core/errors.ts";
import { BUILTIN_SCORES } from "../scores/builtins/index.ts";
import { computeScore, publishedBy, type ScoreResult } from "../scores/engine.ts";
import { evaluateScore } from "../scores/evaluate.ts";
import { loadScoreInputs, resolveScore, storeRecipes } from "../scores/load.ts";
import { type Recipe, recipeToInput, STEP_HELP, STEP_OPS } from "../scores/recipe.ts";
import { optionalDate, positiveInt } from "./args.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, formatTable, num, printWarnings, toJson } from "./output.ts";

type Globals = () => GlobalOptions;

const formatOption = () =>
  new Option("--format <format>", "table (default), long CSV date,name,value, or JSON envelope")
    .choices(["table", "csv", "json"] as const)
    .default("table" as const);

/** Long rows (date, name, value) of a score and, optionally, its components. */
export function scoreRows(
  r: ScoreResult,
  { components = false, from, to }: { components?: boolean; from?: string; to?: string } = {},
): { date: string; name: string; value: number | null }[] {
  const rows: { date: string; name: string; value: number | null }[] = [];
  const keep = (d: string) => (!from || d >= from.slice(0, 7)) && (!to || d <= to);
  const push = (name: string, values: Float64Array) => {
    r.dates.forEach((d, i) => {
      if (keep(d)) rows.push({ date: d, name, value: Number.isFinite(values[i]) ? values[i] : null });
    });
  };
  push(r.name, r.values);
  if (components) for (const c of r.components) push(`${r.name}/${c.index}:${c.label}`, c.values);
  return rows;
}

function scoreMeta(r: ScoreResult, origin: string) {
  return {
    name: r.name,
    origin,
    description: r.description,
    caveat: r.caveat,
    units: r.units,
    normalise: r.normalise,
    lookAhead: r.lookAhead,
    asOf: r.asOf,
    target: r.target,
    targetLeadMonths: r.targetLeadMonths,
    latest: r.latest,
    firstDate: r.dates[0] ?? null,
    components: r.components.map(({ values: _v, ...c }) => c),
  };
}

function recipeRow(r: Recipe) {
  return {
    name: r.name,
    target: r.target ?? null,
    targetLeadMonths: r.targetLeadMonths,
    normalise: r.normalise,
    components: r.components.map((c) => c.series).join(", "),
    description: r.description ?? "",
    caveat: r.caveat ?? null,
  };
}

export function scoreCommand(globals: Globals) {
  const score = new Command("score").description(
    "composite macro scores: run a built-in or a YAML/JSON recipe, evaluate it, list the built-ins",
  );

  score
    .command("run")
    .description(
      "compute a score as of each month-end (only data published by then: publication lags, expanding " +
        "percentiles, one-sided filters); RECIPE is a built-in name or a .yaml/.json recipe file",
    )
    .argument("<recipe>", "built-in name (see `score list`) or recipe file")
    .option("--from <date>", "first month to print (YYYY-MM or YYYY-MM-DD)")
    .option("--to <date>", "last month to print")
    .option("--as-of <date>", "use only data published by this date (default: everything in the store)")
    .addOption(formatOption())
    .option("--components", "also output each component's values (after its transforms)")
    .option("--strict", "weights not summing to 1 are an error, not a warning")
    .option("--tail <n>", "table format: months shown (default 12)", positiveInt("tail"), 12)
    .action(async (arg, opts) => {
      const g = globals();
      const from = optionalDate("from", opts.from);
      const to = optionalDate("to", opts.to);
      const asOf = optionalDate("as-of", opts.asOf);
      const format = g.json ? "json" : opts.format;
      await withStore(g, async (store) => {
        const resolved = await resolveScore(arg, store);
        const { inputs, vintage } = await loadScoreInputs(store, resolved.recipes, [resolved.name]);
        const r = computeScore(resolved.name, inputs, { asOf, strict: Boolean(opts.strict) });
        const rows = scoreRows(r, { components: Boolean(opts.components), from, to });
        const params = {
          recipe: arg,
          from: from ?? null,
          to: to ?? null,
          asOf: asOf ?? null,
          strict: Boolean(opts.strict),
        };
        if (format === "json") {
          console.log(
            toJson(
              envelope("score run", params, rows, {
                dataVintage: vintage,
                warnings: r.warnings,
                extra: { score: scoreMeta(r, resolved.origin) },
              }),
            ),
          );
          return;
        }
        if (format === "csv") {
          printWarnings(r.warnings);
          process.stdout.write(
            stringify([
              ["date", "name", "value"],
              ...rows.map((x) => [x.date, x.name, x.value === null ? "" : String(x.value)]),
            ]),
          );
          return;
        }
        console.log(r.summary());
        const shown = new Set(
          rows
            .filter((x) => x.name === r.name)
            .slice(-opts.tail)
            .map((x) => x.date),
        );
        const idx = r.dates.map((d, i) => [d, i] as const).filter(([d]) => shown.has(d));
        console.log("");
        console.log(
          formatTable(
            ["month", r.name, ...r.components.map((c) => `#${c.index}`)],
            idx.map(([d, i]) => [
              d.slice(0, 7),
              num(r.values[i], 2),
              ...r.components.map((c) => num(c.values[i], 2)),
            ]),
            ["left", ...Array(r.components.length + 1).fill("right")],
          ),
        );
        console.log(
          `\ndata vintage ${vintage ?? "n/a"}; ${resolved.origin === "built-in" ? "built-in recipe" : `recipe ${resolved.origin}`}`,
        );
      });
    });

  score
    .command("eval")
    .description(
      "correlation with the target at leads 0..12 months, in sample and out of sample (expanding-window " +
        "regression, only data published at each date), against the naive forecast (the target's last value)",
    )
    .argument("<recipe>", "built-in name or recipe file (the recipe must name a target)")
    .option("--as-of <date>", "evaluate with data published by this date only")
    .option("--target <id>", "judge against this series instead of the recipe's target")
    .option("--max-lead <n>", "largest lead in months (default 12)", positiveInt("max-lead"), 12)
    .option(
      "--min-train <n>",
      "training months before the first out-of-sample forecast (default 60)",
      positiveInt("min-train"),
      60,
    )
    .option("--strict", "weights not summing to 1 are an error")
    .addOption(formatOption())
    .action(async (arg, opts) => {
      const g = globals();
      const asOf = optionalDate("as-of", opts.asOf);
      const format = g.json ? "json" : opts.format;
      await withStore(g, async (store) => {
        const resolved = await resolveScore(arg, store);
        const recipe = resolved.recipes.get(resolved.name)!;
        const targetId = opts.target ?? recipe.target;
        if (!targetId) {
          throw new YardstickError(
            `recipe "${resolved.name}" names no target: add \`target:\` or pass --target ID`,
            "usage",
          );
        }
        const { inputs, vintage } = await loadScoreInputs(store, resolved.recipes, [resolved.name], {
          extra: [targetId],
        });
        const r = computeScore(resolved.name, inputs, { asOf, strict: Boolean(opts.strict) });
        const raw = inputs.series.get(targetId)!;
        const target = asOf ? publishedBy(raw, asOf) : raw;
        const e = evaluateScore(r, target, { maxLead: opts.maxLead, minTrain: opts.minTrain });
        const warnings = [...r.warnings, ...e.warnings];
        const params = {
          recipe: arg,
          target: targetId,
          asOf: asOf ?? null,
          maxLead: opts.maxLead,
          minTrain: opts.minTrain,
        };
        if (format === "json") {
          console.log(
            toJson(
              envelope("score eval", params, e.rows, {
                dataVintage: vintage,
                warnings,
                extra: {
                  score: scoreMeta(r, resolved.origin),
                  definition: e.definition,
                  headline: e.headline,
                  chart: e.chart,
                  path: e.path,
                },
              }),
            ),
          );
          return;
        }
        if (format === "csv") {
          printWarnings(warnings);
          const cols = Object.keys(e.rows[0]) as (keyof (typeof e.rows)[number])[];
          process.stdout.write(stringify([cols, ...e.rows.map((row) => cols.map((c) => fmtCell(row[c])))]));
          return;
        }
        printWarnings(r.warnings);
        console.log(e.summary());
      });
    });

  score
    .command("list")
    .description("the built-in scores: target, components and caveats")
    .action(async () => {
      const g = globals();
      await withStore({ ...g, quiet: true }, async (store) => {
        const recipes = await storeRecipes(store);
        const rows = [...BUILTIN_SCORES, "us-slack-indicator"].map((n) => recipeRow(recipes.get(n)!));
        if (g.json) {
          console.log(toJson(envelope("score list", {}, rows, { extra: { steps: STEP_HELP } })));
          return;
        }
        console.log(
          formatTable(
            ["name", "target", "lead", "normalise", "components"],
            rows.map((r) => [r.name, r.target, r.targetLeadMonths, r.normalise, r.components]),
            ["left", "left", "right", "left", "left"],
          ),
        );
        console.log("");
        for (const r of rows)
          console.log(`${r.name}: ${r.description}${r.caveat ? `\n  caveat: ${r.caveat}` : ""}`);
        console.log(
          `\ntransform steps: ${STEP_OPS.join(", ")} (\`score show NAME\` prints a recipe as YAML to copy)`,
        );
      });
    });

  score
    .command("show")
    .description("print a built-in recipe as YAML (a starting point for your own)")
    .argument("<name>", "built-in name")
    .action(async (name) => {
      const g = globals();
      await withStore({ ...g, quiet: true }, async (store) => {
        const resolved = await resolveScore(name, store);
        const recipe = recipeToInput(resolved.recipes.get(resolved.name)!);
        if (g.json) {
          console.log(toJson(envelope("score show", { name }, [recipe])));
          return;
        }
        process.stdout.write(toYaml(recipe, { lineWidth: 110 }));
      });
    });

  return score;
}

function fmtCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  return String(v);
}
