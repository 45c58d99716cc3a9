/**
 * `yardstick curve --date D`: the zero curve on a date — GSW (published Svensson parameters, or
 * an NSS refit to SVENY) or FRED constant-maturity par yields (NSS par fit + bootstrap).
 */
import { Command, Option } from "@commander-js/extra-typings";
import { isIsoDate } from "../core/dates.ts";
import { YardstickError } from "../core/errors.ts";
import { FRED_CMT_TENORS } from "../curves/bootstrap.ts";
import { cmtCurveOnDate, gswCurveOnDate } from "../curves/on-date.ts";
import { loadGswDaily } from "../termstructure/inputs.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, formatTable, num, printWarnings, toJson } from "./output.ts";

/** "3m,6m,1,2y,10" → years (a bare number is years). */
export function parseTenors(v: string): number[] {
  return v.split(",").map((raw) => {
    const s = raw.trim().toLowerCase();
    const m = /^(\d+(?:\.\d+)?)(m|y)?$/.exec(s);
    if (!m) throw new YardstickError(`--maturities: "${raw}" is not a maturity (e.g. 3m, 2y, 10)`, "usage");
    const x = Number(m[1]) / (m[2] === "m" ? 12 : 1);
    if (!(x > 0 && x <= 50))
      throw new YardstickError(`--maturities: ${raw} is outside (0, 50] years`, "usage");
    return x;
  });
}

export function curveCommand(globals: () => GlobalOptions) {
  return new Command("curve")
    .description(
      "the zero-coupon curve on a date: yields (continuously compounded), forwards, discount factors, par yields",
    )
    .requiredOption("--date <date>", "YYYY-MM-DD (the last curve on or before it)")
    .option(
      "--maturities <list>",
      "maturities, e.g. 3m,6m,1y,2y,5y,10y,30y (bare numbers are years)",
      parseTenors,
      parseTenors("3m,6m,1,2,3,5,7,10,20,30"),
    )
    .addOption(
      new Option("--source <source>", "gsw (Fed Board Svensson curve) or cmt (FRED par yields DGS1MO..DGS30)")
        .choices(["gsw", "cmt"] as const)
        .default("gsw" as const),
    )
    .action(async (opts) => {
      const g = globals();
      if (!isIsoDate(opts.date))
        throw new YardstickError(`--date "${opts.date}" is not a date (YYYY-MM-DD)`, "usage");
      await withStore(g, async (store) => {
        let curve: ReturnType<typeof gswCurveOnDate>;
        let vintage: string;
        if (opts.source === "gsw") {
          const gsw = await loadGswDaily(store, { to: opts.date });
          vintage = gsw.vintage;
          curve = gswCurveOnDate(gsw, opts.date, opts.maturities);
        } else {
          const nodes: number[] = [];
          const pars: number[] = [];
          vintage = "";
          for (const t of FRED_CMT_TENORS) {
            const got = await store.getSeries(t.id, { from: opts.date, to: opts.date });
            nodes.push(t.years);
            pars.push(got.series.values.length ? got.series.values[0] : Number.NaN);
            if (got.vintage > vintage) vintage = got.vintage;
          }
          curve = cmtCurveOnDate(opts.date, nodes, pars, opts.maturities);
        }
        const p = curve.params;
        if (g.json) {
          console.log(
            toJson(
              envelope(
                "curve",
                { date: opts.date, source: opts.source, maturitiesYears: opts.maturities },
                curve.points,
                {
                  dataVintage: vintage,
                  warnings: curve.warnings,
                  extra: {
                    curveDate: curve.date,
                    curveSource: curve.source,
                    params: p,
                    fitErrorBp: curve.fitErrorBp,
                    units:
                      "percent; zero and forward continuously compounded, par semiannual bond-equivalent",
                  },
                },
              ),
            ),
          );
          return;
        }
        printWarnings(curve.warnings);
        const model = p.beta3 === 0 || !(p.tau2 > 0) ? "Nelson-Siegel" : "Svensson";
        console.log(
          `${model} curve on ${curve.date} (${curve.source}${curve.fitErrorBp !== null ? `, fit error max ${num(curve.fitErrorBp, 3)} bp` : ""})`,
        );
        console.log(
          `β0 ${num(p.beta0, 4)}  β1 ${num(p.beta1, 4)}  β2 ${num(p.beta2, 4)}  β3 ${num(p.beta3, 4)}  τ1 ${num(p.tau1, 4)}  τ2 ${num(p.tau2, 4)}`,
        );
        const cmt = curve.source === "cmt-fit";
        const header = ["maturity (y)", "zero %", "forward %", "discount", "par %"];
        if (cmt) header.push("bootstrapped zero %");
        console.log(
          formatTable(
            header,
            curve.points.map((q) => {
              const row: (string | number)[] = [
                num(q.maturityYears, 3),
                num(q.zeroPct, 4),
                num(q.forwardPct, 4),
                num(q.discount, 6),
                num(q.parPct, 4),
              ];
              if (cmt) row.push(num(q.bootstrapZeroPct, 4));
              return row;
            }),
            ["right", "right", "right", "right", "right", "right"],
          ),
        );
      });
    });
}
