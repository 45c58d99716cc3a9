/**
 * `yardstick divergence gold|equity|copper`: an asset against its traditional model (fitted on a
 * training window), the out-of-sample deviation in percent and in standard errors, the implied
 * rate that inverts the fit, and the implied-rate gap in bp, one row per month.
 * Models (src/regimes/divergence.ts): gold ln P on the 10y TIPS yield; equity ln P on ln E and the
 * 10y yield (or the Fed model: earnings yield on the 10y); copper ln P on the 10y breakeven.
 */
import { Argument, Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { type DivergenceRow, renderDivergence } from "../regimes/divergence.ts";
import { DEFAULT_TRAIN, runDivergence } from "../regimes/service.ts";
import { positiveInt } from "./args.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, printWarnings, toJson } from "./output.ts";
import { parseTrain } from "./regime.ts";

/** One JSON / CSV row: the fields plus the deviation in standard errors and the sample flag. */
export function divergenceJsonRow(r: DivergenceRow) {
  return {
    date: r.date,
    actual: r.actual,
    model: r.model,
    deviationPct: r.deviationPct,
    deviationSe: r.deviationSe,
    impliedRatePct: r.impliedRatePct,
    actualRatePct: r.actualRatePct,
    gapBp: r.gapBp,
    outOfSample: r.outOfSample,
  };
}

export function divergenceCommand(globals: () => GlobalOptions) {
  return new Command("divergence")
    .description(
      "an asset vs its traditional model: out-of-sample deviation (percent, standard errors), implied rate and implied-rate gap (bp)",
    )
    .addArgument(
      new Argument(
        "<asset>",
        "gold (on the 10y TIPS yield), equity (S&P on earnings and the 10y), copper (on the 10y breakeven)",
      ).choices(["gold", "equity", "copper"] as const),
    )
    .option(
      "--train <FROM:TO>",
      `training window, months (default ${DEFAULT_TRAIN.from}:${DEFAULT_TRAIN.to})`,
      parseTrain,
    )
    .addOption(
      new Option(
        "--equity-model <form>",
        "equity: log-earnings (ln P on ln E and the 10y) or fed (earnings yield on the 10y)",
      )
        .choices(["log-earnings", "fed"] as const)
        .default("log-earnings" as const),
    )
    .option("--price <id>", "price series instead of the bundled one, e.g. gold.LBMA.PM (averaged to months)")
    .addOption(
      new Option(
        "--agg <how>",
        "how daily series become monthly (mean matches the bundled monthly-average prices)",
      )
        .choices(["mean", "last"] as const)
        .default("mean" as const),
    )
    .addOption(
      new Option("--format <format>", "table (latest months), csv or json (every month)")
        .choices(["table", "csv", "json"] as const)
        .default("table" as const),
    )
    .option("--tail <n>", "table: latest months shown", positiveInt("tail"), 12)
    .action(async (asset, opts) => {
      const g = globals();
      const format = g.json ? "json" : opts.format;
      await withStore(g, async (store) => {
        const r = await runDivergence(store, asset, {
          train: opts.train,
          equityForm: opts.equityModel === "fed" ? "earnings-yield" : "log-earnings",
          priceId: opts.price,
          aggregation: opts.agg,
        });
        const rows = r.rows.map(divergenceJsonRow);
        if (format === "json") {
          console.log(
            toJson(
              envelope(
                `divergence ${asset}`,
                {
                  asset,
                  train: opts.train ?? DEFAULT_TRAIN,
                  equityModel: asset === "equity" ? opts.equityModel : null,
                  price: r.spec.priceId,
                  rate: r.spec.rateId,
                  agg: r.aggregation,
                },
                rows,
                {
                  dataVintage: r.dataVintage,
                  warnings: r.warnings,
                  extra: {
                    model: {
                      form: r.fit.form,
                      coefficients: r.fit.coefficients,
                      rSquared: r.fit.rSquared,
                      sigma: r.fit.sigma,
                      nobs: r.fit.nobs,
                      train: r.fit.train,
                    },
                    units: {
                      actual: r.spec.priceLabel,
                      model: r.spec.priceLabel,
                      deviationPct: "percent of the model value",
                      deviationSe: "prediction standard errors (positive = above the model)",
                      impliedRatePct: `${r.spec.rateLabel}, percent`,
                      actualRatePct: `${r.spec.rateLabel}, percent (monthly ${r.aggregation})`,
                      gapBp: "actual minus implied rate, basis points",
                    },
                    latest: r.latest ? divergenceJsonRow(r.latest) : null,
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
            "date",
            "actual",
            "model",
            "deviationPct",
            "deviationSe",
            "impliedRatePct",
            "actualRatePct",
            "gapBp",
            "outOfSample",
          ];
          process.stdout.write(
            stringify([
              header,
              ...rows.map((x) =>
                Object.values(x).map((v) => (typeof v === "number" && !Number.isFinite(v) ? "" : v)),
              ),
            ]),
          );
          return;
        }
        console.log(renderDivergence(r, opts.tail));
        if (r.latest) {
          const l = r.latest;
          console.log(
            `\nlatest ${l.date.slice(0, 7)}: ${l.deviationPct >= 0 ? "+" : ""}${l.deviationPct.toFixed(1)}% vs model ` +
              `(${l.deviationSe.toFixed(1)} s.e.); implied ${r.spec.rateLabel} ${l.impliedRatePct.toFixed(2)}% vs actual ` +
              `${l.actualRatePct.toFixed(2)}%: gap ${Math.round(l.gapBp)} bp`,
          );
        }
      });
    });
}
