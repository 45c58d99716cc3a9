/**
 * `yardstick scenario`: forward-looking answers from the decomposition (METHODS.md §1b, §1c).
 * `policy` prices policy-rate paths into fair values of 2/5/10-year yields against the market;
 * `sensitivity` shows which assumption (recession probability or term premium) moves the answer;
 * `supply` relates Treasury net supply to the term premium and projects an issuance scenario.
 */
import { Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { isIsoDate } from "../core/dates.ts";
import { YardstickError } from "../core/errors.ts";
import { PATH_CONVENTIONS } from "../scenarios/policy-path.ts";
import { runPolicyScenario, runSensitivity } from "../scenarios/policy-service.ts";
import { readPolicyScenario, readSupplyScenario } from "../scenarios/scenario-file.ts";
import { runSupplyScenario } from "../scenarios/supply-service.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, printWarnings, toJson } from "./output.ts";
import { stageProgress } from "./progress.ts";

function dateList(v: string): string[] {
  const out = v.split(",").map((d) => d.trim());
  const bad = out.find((d) => !isIsoDate(d));
  if (bad !== undefined)
    throw new YardstickError(`--at "${v}": "${bad}" is not a date; give YYYY-MM-DD[,YYYY-MM-DD...]`, "usage");
  return out;
}

function numberList(name: string, check: (x: number) => boolean, what: string) {
  return (v: string) => {
    const out = v.split(",").map((x) => Number(x.trim()));
    if (out.length === 0 || out.some((x) => !Number.isFinite(x) || !check(x)))
      throw new YardstickError(`--${name} "${v}": comma-separated ${what}`, "usage");
    return out;
  };
}

/** Wrap `text` at spaces to `width` columns, continuation lines starting with `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lead = /^\s*/.exec(text)?.[0] ?? "";
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() ? `${line} ${word}` : line + word;
  }
  lines.push(line);
  return lines.join("\n");
}

const POLICY_HELP = `
Scenario file (YAML or JSON):
  asOf: 2021-12-31            # the paths start the month after
  startRatePct: 0.08          # optional: default = policy rate on asOf from the store
  stepBp: 25                  # size of one move
  recessionProbability: 0.14  # a recession arrives within the window with this probability
  recessionArrival: uniform   # uniform over the window's months (default) | immediate
  termPremiumPct: 1.00        # a number, a map {2: 0.1, 10: 1.0}, or "acm" / "hw"
                              # (the model's estimate on asOf)
  maturitiesYears: [2, 5, 10]
  evaluationDates: [2021-12-31, 2022-12-30]   # optional; --at overrides; default asOf
  paths:
    dots:   { moves: { 2022: 1, 2023: 3, 2024: 3 }, terminalPct: 2.5 }
    flat:   { moves: {} }
    market: { points: { 2022-06-30: 0.35, 2022-12-31: 0.85 } }
    list:   { monthly: [0.08, 0.08, 0.33] }

Assumptions:
${PATH_CONVENTIONS.map((c) => wrap(`  - ${c}`, 110, "    ")).join("\n")}
  - expected-rate component = average policy rate over the 12n months after the evaluation month
  - recession branch: with the given probability a recession arrives within the window (the same probability
    for every maturity); arrival uniform over the window's months (or immediate); the Fed cuts to 0% at once
    and starts no new cycle; the component is the probability-weighted mix
  - fair value = component + term premium (held at its assumed value); no convexity/compounding adjustment
  - market = FRED constant-maturity par yield (DGS2, DGS5, DGS10, ...) on the last day on or before the date;
    dates after the data have no market yield and are marked as projections (*)`;

const SUPPLY_HELP = `
Scenario file (YAML or JSON), every field optional:
  model: acm                 # term-premium model of the fitted relation: acm | hw
  scale: pctGdp              # regressor: net supply in % of GDP (pctGdp) or $tn (tn)
  fedMix: marketable         # Fed holdings spread over all marketable debt (marketable)
                             # or treated as all coupons (coupon)
  horizonMonths: 36
  nominalGdpGrowthPct: 4
  intervalPct: 90
  auctions:                  # change in each monthly auction, $bn, per tenor (2,3,5,7,10,20,30)
    - { tenorYears: 10, changeBn: 3, from: 2022-02, to: 2022-12 }
  centralBank:               # $bn per month: + purchases, - run-off
    - { perMonthBn: -30, from: 2022-06, to: 2022-08 }
  billsShare: { nowPct: 21, targetPct: 18, overMonths: 24 }

Net supply = nominal coupon Treasuries with more than 12 months to maturity (bundled MSPD buckets, 2001-2021;
bills, TIPS and FRNs excluded) minus Fed holdings (TREAST, maturity mix approximated), in 10-year duration
equivalents (par-bond durations at the 10-year yield). Regressions: quarter-end ACM and Hamilton-Wu 10-year
term premium on net supply, full sample and QE1 (2008Q4-2010Q2), QE2 (2010Q4-2011Q2), QE3 (2012Q3-2014Q4),
taper (2014Q1-2014Q4), QT (2017Q4-2019Q3), Newey-West HAC standard errors. Projections start the month after
the last supply data and are all marked as projections.`;

export function scenarioCommand(globals: () => GlobalOptions) {
  const cmd = new Command("scenario").description(
    "forward-looking scenarios: policy-rate paths -> fair values of Treasury yields; Treasury net supply " +
      "-> term premium",
  );

  cmd
    .command("policy")
    .description("fair values of Treasury yields under policy-rate paths, against the market yield")
    .argument("<file>", "scenario file (.yaml, .yml or .json)")
    .option(
      "--at <dates>",
      "evaluation dates, comma-separated YYYY-MM-DD (default: the file's, else asOf)",
      dateList,
    )
    .option("--paths <names>", "only these paths, comma-separated", (v) => v.split(",").map((s) => s.trim()))
    .addOption(
      new Option("--format <format>", "table, json or csv")
        .choices(["table", "json", "csv"] as const)
        .default("table" as const),
    )
    .addHelpText("after", POLICY_HELP)
    .action(async (file, opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      const scenario = readPolicyScenario(file);
      await withStore(g, async (store) => {
        const run = await runPolicyScenario(store, scenario, { at: opts.at, paths: opts.paths });
        const results = run.rows.map((r) => ({
          path: r.path,
          at: r.at,
          maturityYears: r.maturityYears,
          expectedRatePct: r.expectedRatePct,
          termPremiumPct: r.termPremiumPct,
          fairValuePct: r.fairValuePct,
          marketPct: r.marketPct,
        }));
        if (format === "json") {
          console.log(
            toJson(
              envelope("scenario policy", { file, at: run.at, paths: opts.paths ?? null }, results, {
                dataVintage: await store.dataVintage(),
                warnings: run.warnings,
                extra: {
                  units: "percent per year",
                  asOf: run.asOf,
                  startRatePct: run.startRatePct,
                  startRateSource: run.startRateSource,
                  stepBp: run.stepBp,
                  termPremium: { source: run.termPremiumSource, date: run.termPremiumDate },
                  recession: run.recession,
                  maturitiesYears: run.maturitiesYears,
                  paths: run.paths,
                  projections: {
                    dates: run.projectedDates,
                    note:
                      "evaluation dates after the market data: fair values along the path, no market " +
                      "yield (marketPct null)",
                  },
                  marketDates: run.rows.map((r) => r.marketDate),
                  assumptions: run.assumptions,
                },
              }),
            ),
          );
          return;
        }
        printWarnings(run.warnings);
        if (format === "csv") {
          const header = [...Object.keys(results[0] ?? {}), "projection"];
          process.stdout.write(
            stringify([
              header,
              ...run.rows.map((r, i) => [
                ...Object.values(results[i]).map((v) => (v === null ? "" : v)),
                String(r.projection),
              ]),
            ]),
          );
          return;
        }
        console.log(run.summary());
      });
    });

  cmd
    .command("sensitivity")
    .description(
      "fair value of one path over a grid of recession probabilities x term premia (table and chart data)",
    )
    .argument("<file>", "scenario file (.yaml, .yml or .json)")
    .requiredOption("--path <name>", "the path to vary")
    .option("--at <date>", "evaluation date (default: asOf)", (v) => dateList(v)[0])
    .option("--maturity <years>", "maturity in years (default: 10, else the file's longest)", (v) => {
      const n = Number(v);
      if (!(n > 0 && n <= 30))
        throw new YardstickError(`--maturity "${v}" must be years in (0, 30]`, "usage");
      return n;
    })
    .option(
      "--probabilities <list>",
      "recession probabilities (default 0,0.05,0.1,0.15,0.2,0.3,0.5,0.75,1 plus the file's)",
      numberList("probabilities", (x) => x >= 0 && x <= 1, "probabilities in [0, 1]"),
    )
    .option(
      "--term-premia <list>",
      "term premia in percent (default: the file's ± 0.5 and ± 1.0)",
      numberList("term-premia", () => true, "numbers (percent)"),
    )
    .addOption(
      new Option("--format <format>", "table, json or csv")
        .choices(["table", "json", "csv"] as const)
        .default("table" as const),
    )
    .addHelpText("after", POLICY_HELP)
    .action(async (file, opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      const scenario = readPolicyScenario(file);
      await withStore(g, async (store) => {
        const r = await runSensitivity(store, scenario, {
          path: opts.path,
          at: opts.at,
          maturityYears: opts.maturity,
          probabilities: opts.probabilities,
          termPremiaPct: opts.termPremia,
        });
        const grid = r.grid;
        const results = grid.probabilities.flatMap((p, i) =>
          grid.termPremiaPct.map((tp, j) => ({
            recessionProbability: p,
            termPremiumPct: tp,
            fairValuePct: grid.fairValuePct[i][j],
          })),
        );
        if (format === "json") {
          console.log(
            toJson(
              envelope(
                "scenario sensitivity",
                { file, path: opts.path, at: grid.at, maturityYears: grid.maturityYears },
                results,
                {
                  dataVintage: await store.dataVintage(),
                  warnings: r.warnings,
                  extra: {
                    units: "percent per year",
                    startRatePct: r.startRatePct,
                    startRateSource: r.startRateSource,
                    termPremiumSource: r.termPremiumSource,
                    base: { recessionProbability: r.baseProbability, termPremiumPct: r.baseTermPremiumPct },
                    noRecessionPct: grid.noRecessionPct,
                    recessionPct: grid.recessionPct,
                    bpPerTenthProbability: grid.bpPerTenthProbability,
                    rangeBp: grid.rangeBp,
                    chart: grid.chart,
                    assumptions: r.assumptions,
                  },
                },
              ),
            ),
          );
          return;
        }
        printWarnings(r.warnings);
        if (format === "csv") {
          process.stdout.write(
            stringify([
              ["recessionProbability", "termPremiumPct", "fairValuePct"],
              ...results.map((x) => [x.recessionProbability, x.termPremiumPct, x.fairValuePct]),
            ]),
          );
          return;
        }
        console.log(
          `start rate ${r.startRatePct.toFixed(3)}% (${r.startRateSource}); base term premium ` +
            `${r.baseTermPremiumPct.toFixed(2)}% (${r.termPremiumSource}); base probability ` +
            `${r.baseProbability}`,
        );
        console.log(grid.summary());
      });
    });

  cmd
    .command("supply")
    .description(
      "Treasury net coupon supply (10-year equivalents, minus the Fed) vs the term premium; issuance " +
        "scenario projection",
    )
    .argument("<file>", "issuance scenario file (.yaml, .yml or .json)")
    .addOption(
      new Option("--format <format>", "table, json or csv (the projection rows)")
        .choices(["table", "json", "csv"] as const)
        .default("table" as const),
    )
    .addHelpText("after", SUPPLY_HELP)
    .action(async (file, opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      const parsed = readSupplyScenario(file);
      await withStore(g, async (store) => {
        const progress = stageProgress({ json: format !== "table", quiet: g.quiet });
        const run = await runSupplyScenario(store, parsed, {
          onProgress: progress.onProgress,
        });
        progress.stopAll();
        const a = run.analysis;
        if (format === "json") {
          const fits = (m: "acm" | "hw") => a.regressions[m].fits;
          console.log(
            toJson(
              envelope(
                "scenario supply",
                {
                  file,
                  model: run.model,
                  scale: a.scale,
                  fedMix: a.netSupply.options.fedMix,
                  intervalPct: run.intervalPct,
                },
                run.rows,
                {
                  dataVintage: a.dataVintage,
                  warnings: run.warnings,
                  extra: {
                    units: {
                      amounts: "$bn of 10-year-note duration equivalents",
                      x: a.xUnits,
                      termPremium: "percent",
                    },
                    projection: { from: run.firstMonth, note: "every result row is a projection" },
                    scenario: run.scenario,
                    base: a.base,
                    regressions: { acm: fits("acm"), hw: fits("hw") },
                    history: a.quarters,
                    netSupply: a.netSupply.rows,
                    assumptions: run.assumptions,
                  },
                },
              ),
            ),
          );
          return;
        }
        printWarnings(run.warnings);
        if (format === "csv") {
          const cols = [
            "month",
            "delta10yEqBn",
            "net10yEqBn",
            "gdpBn",
            "x",
            "tpFittedPct",
            "lowerPct",
            "upperPct",
            "tpAnchoredPct",
            "anchoredLowerPct",
            "anchoredUpperPct",
            "projection",
          ] as const;
          process.stdout.write(stringify([[...cols], ...run.rows.map((r) => cols.map((c) => String(r[c])))]));
          return;
        }
        console.log(run.summary());
        console.log(`\nAssumptions:\n${run.assumptions.map((x) => `  - ${x}`).join("\n")}`);
      });
    });
  return cmd;
}
