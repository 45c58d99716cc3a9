/**
 * `yardstick data ...`: list, show, import, fetch and export series. Each subcommand parses and
 * validates its arguments, calls the library, and prints a table or the JSON envelope.
 */
import { writeFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { stringify } from "csv-stringify/sync";
import { todayIso } from "../core/dates.ts";
import { InputError, type Warning, YardstickError } from "../core/errors.ts";
import { FREQUENCY_NAMES, type Frequency, type Series, type SeriesMeta, slice } from "../core/series.ts";
import { readAcmFile } from "../sources/acm-file.ts";
import { readCsvFile, readTextFile, wideTableToSeries } from "../sources/csv.ts";
import { gswToSeries, readGswFile } from "../sources/gsw.ts";
import { inferFrequency } from "../sources/infer-frequency.ts";
import { SCHEMA_SQL } from "../store/store.ts";
import { toAnnual, toMonthly, toQuarterly } from "../transforms/resample.ts";
import { optionalDate, positiveInt } from "./args.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { fetchCommand } from "./fetch.ts";
import { envelope, formatTable, num, printWarnings, toJson } from "./output.ts";

type Globals = () => GlobalOptions;

const FREQ_ORDER: Frequency[] = ["d", "w", "m", "q", "a"];

/** Convert to a lower frequency; refuses upsampling with a message naming the series. */
export function convertFrequency(
  s: Series,
  to: "m" | "q" | "a",
  how: "last" | "mean" | "sum" | "first",
): Series {
  const from = s.meta.frequency;
  if (from !== "irregular" && FREQ_ORDER.indexOf(from) > FREQ_ORDER.indexOf(to)) {
    throw new InputError(
      `cannot convert ${FREQUENCY_NAMES[from]} series ${s.meta.id} to ${FREQUENCY_NAMES[to]}: upsampling would invent observations`,
    );
  }
  if (from === to) return s;
  if (to === "m") return toMonthly(s, { how });
  if (to === "q") return toQuarterly(s, { how });
  return toAnnual(s, { how });
}

export function dataCommand(globals: Globals) {
  const data = new Command("data").description(
    "list, show, import, fetch and export series in the local store",
  );

  data
    .command("list")
    .description("list the series in the store with their range, last value and source")
    .option("--filter <text>", "only ids or titles containing this text (case-insensitive)")
    .action(async (opts) => {
      const g = globals();
      await withStore(g, async (store) => {
        let infos = await store.listSeries();
        if (opts.filter) {
          const f = opts.filter.toLowerCase();
          infos = infos.filter(
            (s) => s.meta.id.toLowerCase().includes(f) || s.meta.title.toLowerCase().includes(f),
          );
        }
        const results = infos.map((s) => ({
          id: s.meta.id,
          title: s.meta.title,
          units: s.meta.units,
          frequency: s.meta.frequency,
          firstDate: s.firstDate,
          lastDate: s.lastDate,
          observations: s.count,
          lastValue: s.lastValue,
          source: s.meta.source,
          licence: s.meta.licence,
          origin: s.origin,
          vintage: s.vintage,
        }));
        if (g.json) {
          console.log(
            toJson(
              envelope("data list", { filter: opts.filter ?? null }, results, {
                dataVintage: await store.dataVintage(),
              }),
            ),
          );
          return;
        }
        console.log(
          formatTable(
            ["id", "freq", "first", "last", "obs", "last value", "title"],
            results.map((r) => [
              r.id,
              r.frequency,
              r.firstDate,
              r.lastDate,
              r.observations,
              num(r.lastValue, 4),
              r.title.slice(0, 60),
            ]),
            ["left", "left", "left", "left", "right", "right", "left"],
          ),
        );
        console.log(`\n${results.length} series in ${store.path}`);
      });
    });

  data
    .command("show")
    .description("print one series (optionally converted to monthly, quarterly or annual)")
    .argument("<id>", "series id, e.g. DGS10 or gsw.SVENY10")
    .option("--from <date>", "first date (YYYY-MM-DD or YYYY-MM)")
    .option("--to <date>", "last date (YYYY-MM-DD or YYYY-MM)")
    .addOption(
      new Option(
        "--freq <f>",
        "convert to monthly, quarterly or annual (periods labelled by their first day)",
      ).choices(["m", "q", "a"] as const),
    )
    .addOption(
      new Option(
        "--how <agg>",
        "aggregation for --freq: last value of the period (default) or mean, sum, first",
      )
        .choices(["last", "mean", "sum", "first"] as const)
        .default("last" as const),
    )
    .option("--vintage <date>", "the newest snapshot at or before this retrieval date (default: newest)")
    .option("--tail <n>", "only the last n observations", positiveInt("tail"))
    .action(async (id, opts) => {
      const g = globals();
      const from = optionalDate("from", opts.from);
      const to = optionalDate("to", opts.to);
      const vintage = optionalDate("vintage", opts.vintage);
      await withStore(g, async (store) => {
        const got = await store.getSeries(id, { vintage });
        let s = got.series;
        if (opts.freq) s = convertFrequency(s, opts.freq, opts.how);
        s = slice(s, from, to);
        if (opts.tail) s = slice(s, s.dates[Math.max(0, s.dates.length - opts.tail)]);
        const rows = s.dates.map((d, i) => ({
          date: d,
          value: Number.isNaN(s.values[i]) ? null : s.values[i],
        }));
        const params = {
          id,
          from: from ?? null,
          to: to ?? null,
          freq: opts.freq ?? null,
          how: opts.how,
          vintage: got.vintage,
        };
        if (g.json) {
          console.log(
            toJson(
              envelope("data show", params, rows, { dataVintage: got.vintage, extra: { series: s.meta } }),
            ),
          );
          return;
        }
        console.log(`${s.meta.id}: ${s.meta.title} [${s.meta.units}, ${FREQUENCY_NAMES[s.meta.frequency]}]`);
        console.log(`source: ${s.meta.source}; vintage ${got.vintage}`);
        console.log(
          formatTable(
            ["date", "value"],
            rows.map((r) => [r.date, r.value === null ? "" : String(r.value)]),
            ["left", "right"],
          ),
        );
      });
    });

  data
    .command("import")
    .description(
      "import a CSV file: FRED-style `date,VALUE` (FRED's '.' = missing) or a wide table (date + many columns). " +
        "The whole file is one transaction: on any error the store is unchanged.",
    )
    .argument("<file>", "CSV file (.csv or .csv.gz)")
    .option("--id <id>", "series id for a two-column file (default: the column name)")
    .option("--prefix <prefix>", "id prefix for a wide file: columns become <prefix>.<column>")
    .option("--columns <list>", "only these value columns (comma-separated)")
    .option("--date-column <name>", "name of the date column (default: the first column)")
    .option("--title <title>", "title (two-column files)")
    .option("--units <units>", "units, e.g. percent", "unknown (user import)")
    .addOption(
      new Option("--frequency <f>", "frequency (default: inferred from the dates)").choices([
        "d",
        "w",
        "m",
        "q",
        "a",
        "irregular",
      ] as const),
    )
    .option("--source <source>", "publisher / origin (default: the file name)")
    .option("--licence <licence>", "terms of use", "user-supplied; check the publisher's terms")
    .option("--vintage <date>", "retrieval date of this copy (default: today)")
    .addOption(
      new Option(
        "--format <format>",
        "csv (FRED-style or wide), gsw (Fed Board feds200628: Svensson parameters and/or SVENY, preamble allowed), acm (NY Fed ACMTermPremium export); auto sniffs the header",
      )
        .choices(["auto", "csv", "gsw", "acm"] as const)
        .default("auto" as const),
    )
    .action(async (file, opts) => {
      const g = globals();
      const vintage = optionalDate("vintage", opts.vintage) ?? todayIso();
      const path = resolve(file);
      const format = opts.format === "auto" ? await sniffFormat(path) : opts.format;
      if (format !== "csv") {
        const { series, warnings } = await readSpecialFile(format, path, file);
        await importAndReport(g, series, path, vintage, warnings);
        return;
      }
      const table = await readCsvFile(path, { file, dateColumn: opts.dateColumn });
      let columns = table.columns;
      if (opts.columns) {
        const want = opts.columns.split(",").map((c) => c.trim());
        for (const c of want)
          if (!columns.includes(c))
            throw new InputError(`no column "${c}" (columns: ${columns.join(", ")})`, { file });
        columns = want;
      }
      if (opts.id && columns.length !== 1) {
        throw new YardstickError(
          `--id needs a file with one value column; ${file} has ${columns.length} (use --prefix)`,
          "usage",
        );
      }
      const keep = table.columns.map((c) => columns.includes(c));
      const sub = {
        ...table,
        columns: table.columns.filter((_, i) => keep[i]),
        values: table.values.filter((_, i) => keep[i]),
      };
      const series = wideTableToSeries(
        sub,
        (column): SeriesMeta => ({
          id: opts.id ?? (opts.prefix ? `${opts.prefix}.${column}` : column),
          title: opts.title ?? column,
          units: opts.units,
          frequency: opts.frequency ?? "irregular",
          source: opts.source ?? `user import: ${basename(file)}`,
          licence: opts.licence,
        }),
      ).map((s) => (opts.frequency ? s : { ...s, meta: { ...s.meta, frequency: inferFrequency(s.dates) } }));
      if (series.length === 0)
        throw new InputError("no observations to import (every value is missing)", { file });
      await withStore(g, async (store) => {
        const report = await store.importSeries(
          series.map((s) => ({ series: s, origin: path })),
          { vintage },
        );
        if (g.json) {
          console.log(
            toJson(envelope("data import", { file: path, vintage }, report.series, { dataVintage: vintage })),
          );
          return;
        }
        console.log(
          formatTable(
            ["id", "rows", "first", "last"],
            report.series.map((r) => [r.id, r.rows, r.firstDate, r.lastDate]),
            ["left", "right", "left", "left"],
          ),
        );
        console.log(
          `\nimported ${report.series.length} series (${report.rows} rows) from ${file}, vintage ${vintage}`,
        );
      });
    });

  data.addCommand(fetchCommand(globals));

  data
    .command("export")
    .description("export series: CSV (long `date,id,value`, or --wide), JSON envelope, or Parquet")
    .argument("<ids...>", "series ids")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["csv", "json", "parquet"] as const)
        .default("csv" as const),
    )
    .option("--out <file>", "write to this file (required for parquet; default stdout)")
    .option("--wide", "CSV: one column per series on the union of dates (blank = no observation)")
    .option("--from <date>", "first date")
    .option("--to <date>", "last date")
    .action(async (ids, opts) => {
      const g = globals();
      const from = optionalDate("from", opts.from);
      const to = optionalDate("to", opts.to);
      const format = g.json ? "json" : opts.format;
      if (format === "parquet" && !opts.out)
        throw new YardstickError("--format parquet needs --out FILE", "usage");
      await withStore(g, async (store) => {
        const list: { s: Series; vintage: string }[] = [];
        for (const id of ids) {
          const got = await store.getSeries(id, { from, to });
          list.push({ s: got.series, vintage: got.vintage });
        }
        if (format === "parquet") {
          const out = resolve(opts.out!);
          if (extname(out) !== ".parquet") process.stderr.write(`note: writing Parquet to ${out}\n`);
          await store.exportParquet(ids, out, { from, to });
          process.stderr.write(`wrote ${ids.length} series to ${out}\n`);
          return;
        }
        let text: string;
        if (format === "json") {
          const results = list.map(({ s, vintage }) => ({
            id: s.meta.id,
            meta: s.meta,
            vintage,
            observations: s.dates.map((d, i) => ({
              date: d,
              value: Number.isNaN(s.values[i]) ? null : s.values[i],
            })),
          }));
          const vint =
            list
              .map((x) => x.vintage)
              .sort()
              .pop() ?? null;
          text = `${toJson(envelope("data export", { ids, from: from ?? null, to: to ?? null }, results, { dataVintage: vint }))}\n`;
        } else if (opts.wide) {
          const dates = [...new Set(list.flatMap(({ s }) => s.dates))].sort();
          const lookups = list.map(({ s }) => new Map(s.dates.map((d, i) => [d, s.values[i]])));
          const rows = dates.map((d) => [d, ...lookups.map((m) => fmtValue(m.get(d)))]);
          text = stringify([["date", ...ids], ...rows]);
        } else {
          const rows: string[][] = [["date", "id", "value"]];
          for (const { s } of list) {
            for (let i = 0; i < s.dates.length; i++)
              rows.push([s.dates[i], s.meta.id, fmtValue(s.values[i])]);
          }
          text = stringify(rows);
        }
        if (opts.out) {
          writeFileSync(resolve(opts.out), text);
          process.stderr.write(`wrote ${ids.length} series to ${opts.out}\n`);
        } else process.stdout.write(text);
      });
    });

  data
    .command("schema")
    .description("print the store's location and SQL schema")
    .action(async () => {
      const g = globals();
      await withStore({ ...g, quiet: true }, async (store) => {
        if (g.json) {
          console.log(
            toJson(
              envelope(
                "data schema",
                {},
                SCHEMA_SQL.map((sql) => ({ sql })),
                { extra: { path: store.path } },
              ),
            ),
          );
          return;
        }
        console.log(`-- store: ${store.path}\n`);
        console.log(SCHEMA_SQL.map((s) => `${s.replace(/\n {2}/g, "\n")};`).join("\n\n"));
      });
    });

  return data;
}

/** gsw or acm when the first lines look like those files, else csv. */
async function sniffFormat(path: string): Promise<"csv" | "gsw" | "acm"> {
  const head = (await readTextFile(path)).slice(0, 20_000);
  if (/(^|[\r\n,])(BETA0|SVENY\d\d)(,|\r|\n)/.test(head)) return "gsw";
  if (/(^|[\r\n,])ACM(TP|Y|RNY)\d\d(,|\r|\n)/.test(head)) return "acm";
  return "csv";
}

async function readSpecialFile(
  format: "gsw" | "acm",
  path: string,
  file: string,
): Promise<{ series: Series[]; warnings: Warning[] }> {
  if (format === "gsw") {
    const curves = await readGswFile(path);
    return { series: gswToSeries(curves), warnings: curves.warnings };
  }
  const acm = await readAcmFile(path);
  if (acm.series.length === 0) throw new InputError("no ACM columns with observations", { file });
  return { series: acm.series, warnings: acm.warnings };
}

async function importAndReport(
  g: GlobalOptions,
  series: Series[],
  path: string,
  vintage: string,
  warnings: Warning[],
): Promise<void> {
  await withStore(g, async (store) => {
    const report = await store.importSeries(
      series.map((s) => ({ series: s, origin: path })),
      { vintage },
    );
    if (g.json) {
      console.log(
        toJson(
          envelope("data import", { file: path, vintage }, report.series, { dataVintage: vintage, warnings }),
        ),
      );
      return;
    }
    printWarnings(warnings);
    console.log(
      formatTable(
        ["id", "rows", "first", "last"],
        report.series.map((r) => [r.id, r.rows, r.firstDate, r.lastDate]),
        ["left", "right", "left", "left"],
      ),
    );
    console.log(
      `\nimported ${report.series.length} series (${report.rows} rows) from ${path}, vintage ${vintage}`,
    );
  });
}

function fmtValue(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "" : String(v);
}
