/**
 * `yardstick forecast nominal`: the 10y nominal yield as real + breakeven, each forecast from its
 * score by the historical regression with a prediction interval, the inputs extended by the user's
 * consensus paths (CSV) or, where none is given, by the labelled default consensus.
 */
import { Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { isIsoDate } from "../core/dates.ts";
import { YardstickError } from "../core/errors.ts";
import type { ConsensusPath } from "../scores/consensus.ts";
import { type NominalForecast, nominalForecast } from "../scores/forecast.ts";
import { loadConsensusFile, loadScoreInputs, storeRecipes } from "../scores/load.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, printWarnings, toJson } from "./output.ts";

type Globals = () => GlobalOptions;

const REAL = "fed-tightening-momentum";
const BREAKEVEN = "implied-inflation-expectation";

/** One row per forecast month with every leg, its interval and the no-change benchmark. */
export function forecastRows(r: NominalForecast) {
  const re = new Map(r.real.points.map((p) => [p.date, p]));
  const be = new Map(r.breakeven.points.map((p) => [p.date, p]));
  return r.nominal.map((n) => {
    const a = re.get(n.date)!;
    const b = be.get(n.date)!;
    return {
      date: n.date,
      realPct: a.mean,
      realLo: a.lo,
      realHi: a.hi,
      realScore: a.score,
      realScoreDate: a.scoreDate,
      breakevenPct: b.mean,
      breakevenLo: b.lo,
      breakevenHi: b.hi,
      breakevenScore: b.score,
      breakevenScoreDate: b.scoreDate,
      nominalPct: n.mean,
      nominalLo: n.lo,
      nominalHi: n.hi,
      noChangePct: n.noChange.mean,
      noChangeLo: n.noChange.lo,
      noChangeHi: n.noChange.hi,
      fromConsensus: a.scoreFromConsensus || b.scoreFromConsensus,
    };
  });
}

export function forecastCommand(globals: Globals) {
  const forecast = new Command("forecast").description("forecasts built on the composite scores");

  forecast
    .command("nominal")
    .description(
      "10y nominal = real (fed-tightening-momentum → DFII10) + breakeven (implied-inflation-expectation → " +
        "T10YIE), each by historical regression with a prediction interval",
    )
    .option(
      "--inputs <file>",
      "consensus paths CSV: date + one column per input, ID (level), ID:yoy or ID:mom (percent), e.g. " +
        "`date,CPIAUCSL:yoy,UNRATE` / `2026-09,2.8,4.2`; inputs without a path use the labelled default",
    )
    .option("--as-of <date>", "use only data published by this date")
    .option("--horizon <months>", "months ahead (default 12)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 60)
        throw new YardstickError(`--horizon "${v}" must be 1..60`, "usage");
      return n;
    })
    .option("--level <p>", "prediction-interval coverage (default 0.9)", (v) => {
      const p = Number(v);
      if (!(p > 0 && p < 1))
        throw new YardstickError(`--level "${v}" must be between 0 and 1, e.g. 0.9`, "usage");
      return p;
    })
    .addOption(
      new Option("--format <format>", "table (default), CSV (one row per month) or JSON envelope")
        .choices(["table", "csv", "json"] as const)
        .default("table" as const),
    )
    .action(async (opts) => {
      const g = globals();
      let asOf: string | undefined;
      if (opts.asOf !== undefined) {
        asOf = /^\d{4}-\d{2}$/.test(opts.asOf) ? `${opts.asOf}-01` : opts.asOf;
        if (!isIsoDate(asOf))
          throw new YardstickError(`--as-of "${opts.asOf}" is not a date (YYYY-MM-DD)`, "usage");
      }
      const format = g.json ? "json" : opts.format;
      const paths: ConsensusPath[] = opts.inputs ? await loadConsensusFile(opts.inputs) : [];
      await withStore(g, async (store) => {
        const recipes = await storeRecipes(store);
        const { inputs, vintage } = await loadScoreInputs(store, recipes, [REAL, BREAKEVEN], {
          targets: true,
        });
        const r = nominalForecast(inputs, paths, {
          asOf,
          horizonMonths: opts.horizon ?? 12,
          level: opts.level ?? 0.9,
          realScore: REAL,
          breakevenScore: BREAKEVEN,
        });
        const rows = forecastRows(r);
        const params = {
          inputs: opts.inputs ?? null,
          asOf: asOf ?? null,
          horizon: r.horizonMonths,
          level: r.level,
        };
        if (format === "json") {
          console.log(
            toJson(
              envelope("forecast nominal", params, rows, {
                dataVintage: vintage,
                warnings: r.warnings,
                extra: {
                  origin: r.origin,
                  latestActual: r.latestActual,
                  realMap: r.real.map,
                  breakevenMap: r.breakeven.map,
                  residualCorrelation: r.residualCorrelation,
                  consensus: r.consensus,
                },
              }),
            ),
          );
          return;
        }
        if (format === "csv") {
          printWarnings(r.warnings);
          const cols = Object.keys(rows[0] ?? { date: "" }) as (keyof (typeof rows)[number])[];
          process.stdout.write(
            stringify([
              cols,
              ...rows.map((row) =>
                cols.map((c) =>
                  typeof row[c] === "number" && !Number.isFinite(row[c]) ? "" : String(row[c]),
                ),
              ),
            ]),
          );
          return;
        }
        console.log(r.summary());
        console.log(`\ndata vintage ${vintage ?? "n/a"}`);
      });
    });

  return forecast;
}
