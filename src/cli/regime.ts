/**
 * `yardstick regime ...`: when the anchor breaks (issue 6). Rolling correlations and betas of
 * assets with yield changes (with bands and up/down asymmetry), structural breaks and sign flips,
 * the attribution of 10y moves to expected rates vs term premium (and real vs breakeven), the
 * K-shape monitor and the fiscal-premium pathways. Without --x/--y, `corr` and `breaks` run every
 * default relation (src/regimes/relations.ts).
 */
import { Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { type Warning, YardstickError } from "../core/errors.ts";
import { renderKShape } from "../regimes/kshape.ts";
import { renderPathways } from "../regimes/pathways.ts";
import type { RelationAnalysis } from "../regimes/rolling-relations.ts";
import {
  DEFAULT_TRAIN,
  runAttribution,
  runBreaks,
  runDefaultBreaks,
  runDefaultRelations,
  runKShape,
  runRelation,
} from "../regimes/service.ts";
import { parseDateArg, positiveInt } from "./args.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, formatTable, num, printWarnings, toJson } from "./output.ts";

/** --train FROM:TO with months YYYY-MM (a bare year means its January / December). */
export function parseTrain(v: string): { from: string; to: string } {
  const m = /^(\d{4})(?:-(\d{2}))?:(\d{4})(?:-(\d{2}))?$/.exec(v.trim());
  const ok = (mm: string | undefined) => mm === undefined || (Number(mm) >= 1 && Number(mm) <= 12);
  if (!m || !ok(m[2]) || !ok(m[4])) {
    throw new YardstickError(
      `--train "${v}": expected FROM:TO as months, e.g. 2006-01:2021-12 (or 2006:2021)`,
      "usage",
    );
  }
  const from = `${m[1]}-${m[2] ?? "01"}`;
  const to = `${m[3]}-${m[4] ?? "12"}`;
  if (from > to) throw new YardstickError(`--train "${v}": FROM is after TO`, "usage");
  return { from, to };
}

function parseLevel(v: string): number {
  const n = Number(v);
  const level = n > 1 ? n / 100 : n;
  if (!(level > 0 && level < 1))
    throw new YardstickError(`--level "${v}" must be in (0, 1) or a percentage`, "usage");
  return level;
}

/** A date, or a month YYYY-MM meaning its first day (--from) or its last day (--to). */
function parseDate(name: "from" | "to") {
  return (v: string) => parseDateArg(name, v, { monthEnd: name === "to" });
}

function parseNonNegative(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!(n >= 0)) throw new YardstickError(`--${name} "${v}" must be a number >= 0`, "usage");
    return n;
  };
}

/** Monthly rows are labelled YYYY-MM-01: show the month. */
function label(date: string, freq: "d" | "m"): string {
  return freq === "m" ? date.slice(0, 7) : date;
}

function xyPair(opts: { x?: string; y?: string }): { x: string; y: string } | null {
  if (opts.x === undefined && opts.y === undefined) return null;
  if (opts.x === undefined || opts.y === undefined) {
    throw new YardstickError(
      "give both --x (the yield or driver) and --y (the asset), or neither for the default relations",
      "usage",
    );
  }
  return { x: opts.x, y: opts.y };
}

function rollingRows(a: RelationAnalysis) {
  const r = a.rolling;
  return a.dates.map((d, i) => ({
    date: d,
    correlation: r.correlation[i],
    correlationLower: r.correlationLower[i],
    correlationUpper: r.correlationUpper[i],
    beta: r.beta[i],
    betaLower: r.betaLower[i],
    betaUpper: r.betaUpper[i],
  }));
}

function relationMeta(a: RelationAnalysis) {
  return {
    key: a.key,
    label: a.label,
    x: a.xId,
    y: a.yId,
    freq: a.freq,
    window: a.window,
    level: a.level,
    units: {
      x: a.xUnits,
      y: a.yUnits,
      beta: `${a.yUnits} per ${a.xUnits === "percentage points" ? "1 pp (100 bp)" : "1%"} of ${a.xId}`,
    },
    fullSample: a.fullSample,
    latest: a.latest,
    asymmetry: a.asymmetry,
  };
}

function overviewTable(results: RelationAnalysis[]): string {
  return formatTable(
    [
      "relation",
      "window",
      "latest",
      "corr",
      "band",
      "pctile",
      "beta",
      "full-sample corr",
      "up/down betas (p)",
    ],
    results.map((a) => {
      const l = a.latest;
      const asym = a.asymmetry.fullSample;
      return [
        a.label,
        `${a.window}${a.freq}`,
        l ? label(l.date, a.freq) : "",
        l ? num(l.correlation, 2) : "",
        l ? `${num(l.correlationLower, 2)}..${num(l.correlationUpper, 2)}` : "",
        l ? num(100 * l.correlationPercentile, 0) : "",
        l ? num(l.beta, 2) : "",
        num(a.fullSample.correlation, 2),
        asym ? `${num(asym.betaUp, 2)}/${num(asym.betaDown, 2)} (${num(asym.pValue, 3)})` : "",
      ];
    }),
    ["left", "right", "left", "right", "left", "right", "right", "right", "left"],
  );
}

const freqOption = () =>
  new Option("--freq <freq>", "d (daily, window in trading days) or m (monthly, window in months)")
    .choices(["d", "m"] as const)
    .default("m" as const);

const aggOption = () =>
  new Option(
    "--agg <how>",
    "monthly: how daily series become monthly (default: mean when the other series is published monthly, else last)",
  ).choices(["mean", "last"] as const);

export function regimeCommand(globals: () => GlobalOptions) {
  const cmd = new Command("regime").description(
    "when the anchor breaks: rolling correlations and betas of assets with yields, breaks, driver attribution, K-shape and pathways",
  );

  cmd
    .command("corr")
    .description(
      "rolling correlation and beta of an asset's returns (--y) on a yield's changes (--x), with confidence bands and up/down betas; " +
        "without --x/--y: every default relation",
    )
    .option(
      "--x <id>",
      "driver: a yield (changes in pp) or price (log returns), e.g. DFII10, DGS10, tr.UST10",
    )
    .option("--y <id>", "asset, e.g. gold.USD.monthly, DTWEXBGS, shiller.P, shiller.EY")
    .addOption(freqOption())
    .option("--window <n>", "rolling window (default 36 months / 250 days)", positiveInt("window", 5))
    .option("--level <p>", "confidence level of the bands", parseLevel, 0.95)
    .option("--from <date>", "first date", parseDate("from"))
    .option("--to <date>", "last date", parseDate("to"))
    .addOption(aggOption())
    .addOption(
      new Option("--format <format>", "table, csv (every date) or json")
        .choices(["table", "csv", "json"] as const)
        .default("table" as const),
    )
    .option("--tail <n>", "table: latest windows shown", positiveInt("tail"), 12)
    .action(async (opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      const pair = xyPair(opts);
      await withStore(g, async (store) => {
        const common = {
          freq: opts.freq,
          window: opts.window,
          level: opts.level,
          from: opts.from,
          to: opts.to,
        };
        if (!pair) {
          const run = await runDefaultRelations(store, { ...common });
          if (format === "json") {
            console.log(
              toJson(
                envelope("regime corr", { ...common, window: run.window }, run.results.map(relationMeta), {
                  dataVintage: run.dataVintage,
                  warnings: run.warnings,
                  extra: { skipped: run.skipped },
                }),
              ),
            );
            return;
          }
          if (format === "csv") {
            const header = [
              "relation",
              "date",
              "correlation",
              "correlation_lower",
              "correlation_upper",
              "beta",
              "beta_lower",
              "beta_upper",
            ];
            const body = run.results.flatMap((a) =>
              rollingRows(a).map((r) => [
                a.key,
                r.date,
                r.correlation,
                r.correlationLower,
                r.correlationUpper,
                r.beta,
                r.betaLower,
                r.betaUpper,
              ]),
            );
            printWarnings(run.warnings);
            process.stdout.write(stringify([header, ...body.map((row) => row.map(csvCell))]));
            return;
          }
          printWarnings(run.warnings);
          console.log(
            `Default relations, ${opts.freq === "m" ? "monthly" : "daily"}, ${run.window}-${opts.freq === "m" ? "month" : "day"} windows, ` +
              `${Math.round(opts.level * 100)}% bands; data vintage ${run.dataVintage}`,
          );
          console.log(overviewTable(run.results));
          for (const s of run.skipped) console.log(`skipped ${s.label}: ${s.reason}`);
          return;
        }
        const { analysis: a, dataVintage } = await runRelation(store, {
          ...common,
          ...pair,
          aggregation: opts.agg,
        });
        if (format === "json") {
          console.log(
            toJson(
              envelope(
                "regime corr",
                { ...common, ...pair, window: a.window, agg: opts.agg ?? null },
                rollingRows(a),
                {
                  dataVintage,
                  warnings: a.warnings,
                  extra: relationMeta(a),
                },
              ),
            ),
          );
          return;
        }
        printWarnings(a.warnings);
        if (format === "csv") {
          const rows = rollingRows(a);
          process.stdout.write(
            stringify([
              [
                "date",
                "correlation",
                "correlation_lower",
                "correlation_upper",
                "beta",
                "beta_lower",
                "beta_upper",
              ],
              ...rows.map((r) =>
                [
                  r.date,
                  r.correlation,
                  r.correlationLower,
                  r.correlationUpper,
                  r.beta,
                  r.betaLower,
                  r.betaUpper,
                ].map(csvCell),
              ),
            ]),
          );
          return;
        }
        console.log(a.summary());
        const rows = rollingRows(a).slice(-opts.tail);
        console.log(
          formatTable(
            ["window end", "correlation", "band", "beta", "band"],
            rows.map((r) => [
              label(r.date, a.freq),
              num(r.correlation, 3),
              `${num(r.correlationLower, 2)} .. ${num(r.correlationUpper, 2)}`,
              num(r.beta, 3),
              `${num(r.betaLower, 3)} .. ${num(r.betaUpper, 3)}`,
            ]),
            ["left", "right", "left", "right", "left"],
          ),
        );
      });
    });

  cmd
    .command("breaks")
    .description(
      "structural-break test (Quandt-Andrews sup-Wald, 15% trimming) and sign flips of the rolling correlation; " +
        "without --x/--y: every default relation",
    )
    .option("--x <id>", "driver series id")
    .option("--y <id>", "asset series id")
    .addOption(freqOption())
    .option(
      "--window <n>",
      "rolling window for the sign flips (default 36 months / 250 days)",
      positiveInt("window", 5),
    )
    .option(
      "--min-run <n>",
      "shortest run of one significant sign that counts (default 3 months / 20 days)",
      positiveInt("min-run"),
    )
    .addOption(
      new Option("--covariance <c>", "classical (homoskedastic Chow F) or robust (White, per regime)")
        .choices(["classical", "robust"] as const)
        .default("classical" as const),
    )
    .option("--from <date>", "first date", parseDate("from"))
    .option("--to <date>", "last date", parseDate("to"))
    .addOption(aggOption())
    .addOption(
      new Option("--format <format>", "table or json (with the statistic path)")
        .choices(["table", "json"] as const)
        .default("table" as const),
    )
    .action(async (opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      const pair = xyPair(opts);
      await withStore(g, async (store) => {
        const common = {
          freq: opts.freq,
          window: opts.window,
          minRun: opts.minRun,
          covariance: opts.covariance,
          from: opts.from,
          to: opts.to,
        };
        const runs = pair
          ? {
              results: [await runBreaks(store, { ...common, ...pair, aggregation: opts.agg })],
              skipped: [],
              dataVintage: "",
            }
          : await runDefaultBreaks(store, common);
        const vintage = runs.dataVintage || runs.results[0]?.dataVintage || null;
        const warnings: Warning[] = dedupe(runs.results.flatMap((r) => r.test.warnings));
        if (format === "json") {
          const results = runs.results.map((r) => ({
            key: r.test.key,
            label: r.test.label,
            x: r.test.xId,
            y: r.test.yId,
            n: r.test.n,
            supWald: r.test.supWald,
            criticalValues: r.test.criticalValues,
            significance: r.test.significance,
            breakDate: r.test.breakDate,
            strength: r.test.strength,
            before: r.test.before,
            after: r.test.after,
            signFlips: r.flips,
            zeroCrossings: r.zeroCrossings,
            window: r.window,
            minRun: r.minRun,
            path: r.test.path.dates.map((d, i) => ({ date: d, wald: r.test.path.statistic[i] })),
          }));
          console.log(
            toJson(
              envelope("regime breaks", { ...common, ...(pair ?? {}) }, results, {
                dataVintage: vintage,
                warnings,
                extra: {
                  test: "Quandt-Andrews sup-Wald for a break in intercept and beta (p = 2), 15% trimming; critical values Andrews (1993) as corrected in Andrews (2003)",
                  skipped: runs.skipped,
                },
              }),
            ),
          );
          return;
        }
        printWarnings(warnings);
        for (const r of runs.results) {
          console.log(r.test.summary());
          const flips = r.flips.map(
            (x) => `${label(x.date, opts.freq)} ${x.from} -> ${x.to} (Δ mean corr ${num(x.strength, 2)})`,
          );
          console.log(
            `sign flips of the ${r.window}-${opts.freq === "m" ? "month" : "day"} correlation (band excludes 0 for >= ${r.minRun}): ` +
              (flips.length ? flips.join("; ") : "none"),
          );
          console.log("");
        }
        for (const s of runs.skipped) console.log(`skipped ${s.key}: ${s.reason}`);
      });
    });

  cmd
    .command("attribution")
    .description(
      "each month's 10y change split into expected rates + term premium (ACM or Hamilton-Wu) and real + breakeven, " +
        "tagged real-rate- or term-premium-driven, with how gold and stocks behaved",
    )
    .addOption(
      new Option("--model <model>", "acm (Adrian-Crump-Moench) or hw (Hamilton-Wu)")
        .choices(["acm", "hw"] as const)
        .default("acm" as const),
    )
    .option("--from <YYYY-MM>", "first month (default 2003-01, the start of TIPS data)")
    .option("--to <YYYY-MM>", "last month (default: the model's last month)")
    .option(
      "--min-move <bp>",
      "leave out months whose 10y moved less than this (bp)",
      parseNonNegative("min-move"),
      0,
    )
    .addOption(
      new Option("--format <format>", "table, csv (one row per month) or json")
        .choices(["table", "csv", "json"] as const)
        .default("table" as const),
    )
    .action(async (opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      for (const [name, v] of [
        ["from", opts.from],
        ["to", opts.to],
      ] as const) {
        if (v !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v))
          throw new YardstickError(`--${name} "${v}" must be a month YYYY-MM`, "usage");
      }
      await withStore(g, async (store) => {
        const r = await runAttribution(store, {
          model: opts.model,
          from: opts.from,
          to: opts.to,
          minMoveBp: opts.minMove,
        });
        if (format === "json") {
          console.log(
            toJson(
              envelope(
                "regime attribution",
                { model: opts.model, from: opts.from ?? null, to: opts.to ?? null, minMoveBp: opts.minMove },
                r.rows,
                {
                  dataVintage: r.dataVintage,
                  warnings: r.warnings,
                  extra: {
                    model: r.model,
                    rule: r.rule,
                    gold: r.goldId,
                    stocks: r.stocksId,
                    statistics: r.statistics,
                    units: "bp for changes, percent log returns",
                  },
                },
              ),
            ),
          );
          return;
        }
        printWarnings(r.warnings);
        if (format === "csv") {
          const header = [
            "month",
            "yield_change_bp",
            "expected_change_bp",
            "term_premium_change_bp",
            "real_change_bp",
            "breakeven_change_bp",
            "tag",
            "gold_return_pct",
            "stocks_return_pct",
          ];
          process.stdout.write(
            stringify([
              header,
              ...r.rows.map((x) =>
                [
                  x.month,
                  x.yieldChangeBp,
                  x.expectedChangeBp,
                  x.termPremiumChangeBp,
                  x.realChangeBp,
                  x.breakevenChangeBp,
                  x.tag,
                  x.goldReturnPct,
                  x.stocksReturnPct,
                ].map(csvCell),
              ),
            ]),
          );
          return;
        }
        console.log(`${r.model}; gold ${r.goldId}, stocks ${r.stocksId}`);
        console.log(r.summary());
      });
    });

  for (const which of ["kshape", "pathways"] as const) {
    cmd
      .command(which)
      .description(
        which === "kshape"
          ? "K-shape monitor: are stocks and gold both far above their traditional models at once, and since when"
          : "what the three ways a fiscal premium can resolve imply for the 10y, gold and the S&P 500, as ranges",
      )
      .option(
        "--train <FROM:TO>",
        `training window of both models (default ${DEFAULT_TRAIN.from}:${DEFAULT_TRAIN.to})`,
        parseTrain,
      )
      .option("--gold-train <FROM:TO>", "training window of the gold model only", parseTrain)
      .option(
        "--threshold <se>",
        "K-shape: 'far above' = more than this many standard errors",
        parseNonNegative("threshold"),
        1,
      )
      .addOption(
        new Option(
          "--equity-model <form>",
          "log-earnings (ln P on ln E and the 10y) or fed (earnings yield on the 10y)",
        )
          .choices(["log-earnings", "fed"] as const)
          .default("log-earnings" as const),
      )
      .addOption(
        new Option("--format <format>", "table or json")
          .choices(["table", "json"] as const)
          .default("table" as const),
      )
      .action(async (opts) => {
        const g = globals();
        const format = g.json ? "json" : opts.format;
        await withStore(g, async (store) => {
          const r = await runKShape(store, {
            train: opts.train,
            goldTrain: opts.goldTrain,
            thresholdSe: opts.threshold,
            equityForm: opts.equityModel === "fed" ? "earnings-yield" : "log-earnings",
          });
          const warnings = dedupe(r.kshape.warnings);
          const params = {
            train: opts.train ?? DEFAULT_TRAIN,
            goldTrain: opts.goldTrain ?? opts.train ?? DEFAULT_TRAIN,
            threshold: opts.threshold,
            equityModel: opts.equityModel,
          };
          if (format === "json") {
            const k = r.kshape;
            const p = r.pathways;
            const results =
              which === "kshape"
                ? k.rows.map((x) => ({ date: x.date, goldSe: x.goldSe, equitySe: x.equitySe, both: x.both }))
                : p.scenarios;
            const extra =
              which === "kshape"
                ? {
                    on: k.on,
                    since: k.since,
                    asOf: k.asOf,
                    thresholdSe: k.thresholdSe,
                    episodes: k.episodes,
                    training: k.training,
                  }
                : { asOf: p.asOf, current: p.current, percentiles: p.percentiles, training: p.training };
            console.log(
              toJson(
                envelope(`regime ${which}`, params, results as unknown[], {
                  dataVintage: r.dataVintage,
                  warnings,
                  extra,
                }),
              ),
            );
            return;
          }
          printWarnings(warnings);
          console.log(which === "kshape" ? renderKShape(r.kshape) : renderPathways(r.pathways));
        });
      });
  }
  return cmd;
}

function csvCell(v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? "" : v;
}

function dedupe(ws: Warning[]): Warning[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    if (seen.has(w.message)) return false;
    seen.add(w.message);
    return true;
  });
}
