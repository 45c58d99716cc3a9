/**
 * `yardstick report` (= `npm start`): the main job. Initialises the store from the bundled data
 * if needed and prints the state of the data: each series' range, last value and staleness as of
 * today. Later analyses (term premia, scenarios, scores) add their sections here.
 */
import { writeFileSync } from "node:fs";
import { Command } from "@commander-js/extra-typings";
import { isIsoDate } from "../core/dates.ts";
import { YardstickError } from "../core/errors.ts";
import { type DataStateReport, dataState } from "../report/data-state.ts";
import type { GlobalOptions } from "./context.ts";
import { today, withStore } from "./context.ts";
import { envelope, formatTable, num, toJson } from "./output.ts";

export function renderDataState(r: DataStateReport, { all = false }: { all?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`State of the data as of ${r.asOf}`);
  lines.push(
    `${r.counts.series} series, ${r.counts.observations.toLocaleString("en-US")} observations; ${r.counts.stale} stale (older than their usual publication cadence)`,
  );
  lines.push(
    `groups: ${Object.entries(r.groups)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  lines.push("");
  const shown = all
    ? r.series
    : r.series.filter(
        (s) =>
          !/^(gsw\.(BETA|TAU|SVENY(0[2-46-9]|1[1-9]|2[1-9]))|gswtips\.|acm\.ACM(Y|RNY|TP0[13-46-9]))/.test(
            s.id,
          ),
      );
  lines.push(
    formatTable(
      ["id", "freq", "first", "last", "last value", "age (days)", "stale", "title"],
      shown.map((s) => [
        s.id,
        s.frequency,
        s.firstDate,
        s.lastDate,
        num(s.lastValue, 3),
        s.ageDays,
        s.projection ? "projection" : s.stale ? "STALE" : "",
        s.title.slice(0, 56),
      ]),
      ["left", "left", "left", "left", "right", "right", "left", "left"],
    ),
  );
  if (!all && shown.length < r.series.length) {
    lines.push(
      `\n(${r.series.length - shown.length} more curve-parameter and maturity series hidden: \`yardstick report --all\` lists every series)`,
    );
  }
  return lines.join("\n");
}

export function reportCommand(globals: () => GlobalOptions) {
  return new Command("report")
    .description(
      "the main job: load the bundled data if needed and report the state of the data (and, as analyses land, their latest results)",
    )
    .option("--as-of <date>", "judge staleness as of this date (default: today)")
    .option("--all", "list every series (default hides curve parameters and intermediate maturities)")
    .option("--out <file>", "also write the report to this file (text, or JSON with --json)")
    .action(async (opts) => {
      const g = globals();
      const asOf = opts.asOf ?? today();
      if (!isIsoDate(asOf)) throw new YardstickError(`--as-of "${asOf}" is not a date (YYYY-MM-DD)`, "usage");
      await withStore(g, async (store) => {
        const state = dataState(await store.listSeries(), asOf);
        const text = g.json
          ? toJson(
              envelope("report", { asOf }, [{ section: "data", ...state }], {
                dataVintage: await store.dataVintage(),
                extra: { store: store.path },
              }),
            )
          : `${renderDataState(state, { all: Boolean(opts.all) })}\n\nstore: ${store.path}`;
        console.log(text);
        if (opts.out) writeFileSync(opts.out, `${text}\n`);
      });
    });
}
