/**
 * `yardstick termpremium`: split Treasury yields into expected short rates and a term premium
 * with ACM or Hamilton-Wu, optionally with bootstrap bands. `termpremium compare` puts both
 * models and the NY Fed's published ACM series side by side.
 */
import { writeFileSync } from "node:fs";
import { Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { YardstickError } from "../core/errors.ts";
import { lineChartSvg } from "../report/svg-chart.ts";
import { compareTermPremia } from "../termstructure/compare.ts";
import { runTermPremium, termPremiumRows } from "../termstructure/service.ts";
import { positiveInt } from "./args.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, formatTable, num, printWarnings, toJson } from "./output.ts";
import { stageProgress } from "./progress.ts";

function parseMaturities(v: string): number[] {
  const out = v.split(",").map((x) => Number(x.trim()));
  if (out.length === 0 || out.some((m) => !Number.isInteger(m) || m < 1 || m > 120)) {
    throw new YardstickError(
      `--maturities "${v}": comma-separated whole months in 1..120, e.g. 24,60,120`,
      "usage",
    );
  }
  return out;
}

export function termPremiumCommand(globals: () => GlobalOptions) {
  const cmd = new Command("termpremium")
    .description(
      "decompose Treasury yields into expected short rates + term premium (ACM or Hamilton-Wu) from the GSW month-end zero curve",
    )
    .addOption(
      new Option("--model <model>", "acm (Adrian-Crump-Moench 2013) or hw (Hamilton-Wu 2012)")
        .choices(["acm", "hw"] as const)
        .default("acm" as const),
    )
    .option("--from <YYYY-MM>", "first month of the estimation sample (acm default 1961-06, hw 1971-08)")
    .option("--to <YYYY-MM>", "last month of the estimation sample (default: the last complete month)")
    .addOption(
      new Option(
        "--freq <freq>",
        "monthly estimates, or daily (ACM: daily curves priced with the monthly parameters)",
      )
        .choices(["monthly", "daily"] as const)
        .default("monthly" as const),
    )
    .option("--daily-from <date>", "with --freq daily: first day (default: one year before the sample end)")
    .option("--maturities <list>", "maturities in months", parseMaturities, [24, 60, 120])
    .option("--factors <k>", "ACM pricing factors (principal components)", positiveInt("factors"), 5)
    .option(
      "--no-ffr-fix",
      "ACM: do not replace the pre-1982 one-month yield by its fit on FEDFUNDS (the NY Fed does)",
    )
    .option("--bands <pct>", "add a bootstrap band of this central width, e.g. 90", (v) => {
      const n = Number(v);
      if (!(n > 0 && n < 100))
        throw new YardstickError(`--bands "${v}" must be a percentage in (0, 100)`, "usage");
      return n;
    })
    .option("--reps <n>", "bootstrap replications", positiveInt("reps"), 500)
    .option(
      "--seed <s>",
      "bootstrap seed (same seed, same bands)",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n)) throw new YardstickError(`--seed "${v}" must be an integer`, "usage");
        return n;
      },
      1,
    )
    .addOption(
      new Option("--format <format>", "table (latest months), csv (long, every date) or json")
        .choices(["table", "csv", "json"] as const)
        .default("table" as const),
    )
    .option("--tail <n>", "table: how many latest dates to show", positiveInt("tail"), 12)
    .option("--summary", "table: also print the model's full summary")
    .action(async (opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      await withStore(g, async (store) => {
        const progress = stageProgress({ json: format !== "table", quiet: g.quiet });
        const run = await runTermPremium(store, {
          model: opts.model,
          from: opts.from,
          to: opts.to,
          freq: opts.freq,
          dailyFrom: opts.dailyFrom,
          maturitiesMonths: opts.maturities,
          factors: opts.factors,
          ffrFix: opts.ffrFix,
          bands: opts.bands ? { bandPct: opts.bands, reps: opts.reps, seed: opts.seed } : undefined,
          onProgress: progress.onProgress,
        });
        progress.stopAll();
        const rows = termPremiumRows(run);
        if (format === "json") {
          const params = {
            model: opts.model,
            from: run.sample.from,
            to: run.sample.to,
            freq: run.freq,
            maturities: opts.maturities,
            bands: opts.bands ?? null,
            reps: opts.bands ? opts.reps : null,
            seed: opts.bands ? opts.seed : null,
          };
          console.log(
            toJson(
              envelope("termpremium", params, rows, {
                dataVintage: run.dataVintage,
                warnings: run.warnings,
                extra: {
                  model: run.model,
                  units: "percent per year, continuously compounded",
                  sample: run.sample,
                  settings: run.settings,
                  diagnostics: run.diagnostics,
                  bands: run.bands,
                },
              }),
            ),
          );
          return;
        }
        if (format === "csv") {
          const header = ["date", "maturity_months", "fitted", "risk_neutral", "term_premium"];
          const withBands = run.bands !== null;
          if (withBands) header.push("term_premium_lower", "term_premium_upper");
          const body = rows.map((r) => {
            const base = [r.date, r.maturity_months, r.fitted, r.risk_neutral, r.term_premium];
            return withBands ? [...base, r.term_premium_lower, r.term_premium_upper] : base;
          });
          printWarnings(run.warnings);
          process.stdout.write(stringify([header, ...body]));
          return;
        }
        printWarnings(run.warnings);
        console.log(
          `${run.model} term premium, ${run.freq}; estimation sample ${run.sample.from}..${run.sample.to} (${run.sample.months} months); GSW data vintage ${run.dataVintage}`,
        );
        if (run.bands)
          console.log(
            `bands: ${run.bands.bandPct}% bootstrap, ${run.bands.reps} replications (seed ${run.bands.seed}, ${run.bands.failed} failed), ${(run.bands.elapsedMs / 1000).toFixed(1)} s`,
          );
        const tail = rows.slice(Math.max(0, rows.length - opts.tail * run.series.length));
        const header = ["date", "months", "fitted %", "risk-neutral %", "term premium %"];
        if (run.bands) header.push(`${run.bands.bandPct}% band`);
        console.log(
          formatTable(
            header,
            tail.map((r) => {
              const base: (string | number)[] = [
                r.date,
                r.maturity_months,
                num(r.fitted, 3),
                num(r.risk_neutral, 3),
                num(r.term_premium, 3),
              ];
              if (run.bands) base.push(`${num(r.term_premium_lower, 2)} .. ${num(r.term_premium_upper, 2)}`);
              return base;
            }),
            ["left", "right", "right", "right", "right", "right"],
          ),
        );
        if (opts.summary) console.log(`\n${run.modelSummary}`);
      });
    });

  cmd
    .command("compare")
    .description(
      "ACM vs Hamilton-Wu vs the NY Fed's published ACM series: statistics, sign disagreements, chart data",
    )
    .option(
      "--maturity <months>",
      "maturity compared (the NY Fed file has 12, 24, ..., 120)",
      positiveInt("maturity"),
      120,
    )
    .option("--to <YYYY-MM>", "last month of both estimation samples")
    .option("--svg <file>", "also write the comparison chart (SVG; sign disagreements shaded)")
    .addOption(
      new Option("--format <format>", "table or json (with chart data)")
        .choices(["table", "json"] as const)
        .default("table" as const),
    )
    .action(async (opts) => {
      const g = globals();
      await withStore(g, async (store) => {
        const cmp = await compareTermPremia(store, { maturityMonths: opts.maturity, to: opts.to });
        if (opts.svg) {
          writeFileSync(
            opts.svg,
            lineChartSvg({
              title: `${opts.maturity / 12}-year term premium: ACM vs Hamilton-Wu vs NY Fed (percent)`,
              dates: cmp.chart.dates,
              series: cmp.chart.series.map((x) => ({ ...x, reference: x.name.startsWith("NY Fed") })),
              yLabel: "percent",
              shade: cmp.disagreements.map((d) => ({ from: d.from, to: d.to })),
              shadeLabel: "ACM and Hamilton-Wu disagree in sign",
              footnote: `yardstick; GSW zero curve, data vintage ${cmp.dataVintage}; estimation samples end ${cmp.to}; NY Fed ACM monthly file`,
            }),
          );
          process.stderr.write(`wrote ${opts.svg}\n`);
        }
        if (g.json || opts.format === "json") {
          console.log(
            toJson(
              envelope("termpremium compare", { maturity: opts.maturity, to: cmp.to }, cmp.rows, {
                dataVintage: cmp.dataVintage,
                warnings: cmp.warnings,
                extra: { statistics: cmp.statistics, disagreements: cmp.disagreements, chart: cmp.chart },
              }),
            ),
          );
          return;
        }
        printWarnings(cmp.warnings);
        console.log(cmp.summary());
      });
    });
  return cmd;
}
