/**
 * `yardstick report` (= `npm start`): the main job. Initialises the store from the bundled data
 * if needed and prints the state of the data: each series' range, last value and staleness as of
 * today. Later analyses (term premia, scenarios, scores) add their sections here.
 */
import { writeFileSync } from "node:fs";
import { Command } from "@commander-js/extra-typings";
import { isIsoDate } from "../core/dates.ts";
import { type Warning, YardstickError } from "../core/errors.ts";
import { type DataStateReport, dataState } from "../report/data-state.ts";
import { inflationSection } from "../report/inflation-section.ts";
import { regimeSection } from "../report/regime-section.ts";
import { scenarioSection } from "../report/scenario-section.ts";
import { termPremiumSection } from "../report/termpremium-section.ts";
import type { GlobalOptions } from "./context.ts";
import { today, withStore } from "./context.ts";
import { envelope, formatTable, num, printWarnings, toJson } from "./output.ts";
import { stageProgress } from "./progress.ts";

export function renderDataState(r: DataStateReport, { all = false }: { all?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`State of the data as of ${r.asOf}`);
  lines.push(
    `${r.counts.series} series, ${r.counts.observations.toLocaleString("en-US")} observations; ${r.counts.stale} stale (older than their usual publication cadence)`,
  );
  lines.push(`newest observation: ${r.newestObservation ?? "none"}`);
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
          !/^(gsw\.(BETA|TAU|SVENY(0[2-46-9]|1[1-9]|2[1-9]))|gswtips\.|acm\.ACM(Y|RNY|TP0[13-46-9])|supply\.)/.test(
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
      `\n(${r.series.length - shown.length} more curve-parameter, maturity and supply-bucket series hidden: \`yardstick report --all\` lists every series)`,
    );
  }
  return lines.join("\n");
}

/** A report section: its JSON data and its text, or the error that stopped it. */
interface SectionOutcome {
  section: string;
  title: string;
  data?: unknown;
  text?: string;
  error?: string;
}

async function runSection(
  section: string,
  title: string,
  fn: () => Promise<{ data: unknown; text: string }>,
  warnings: Warning[],
): Promise<SectionOutcome> {
  try {
    const { data, text } = await fn();
    return { section, title, data, text };
  } catch (err) {
    if (!(err instanceof YardstickError)) throw err;
    warnings.push({ code: `section-failed:${section}`, message: `${title}: ${err.message}` });
    process.exitCode = err.exitCode;
    return { section, title, error: err.message };
  }
}

export function reportCommand(globals: () => GlobalOptions) {
  return new Command("report")
    .description(
      "the main job: load the bundled data if needed, report the state of the data, then each analysis: " +
        "the 10-year decomposition into expected rates and term premium (ACM and Hamilton-Wu, with bootstrap bands)",
    )
    .option("--as-of <date>", "judge staleness as of this date (default: today)")
    .option("--all", "list every series (default hides curve parameters and intermediate maturities)")
    .option(
      "--no-bands",
      "skip the bootstrap bands (faster; they are cached in the store after the first run)",
    )
    .option("--out <file>", "also write the report to this file (text, or JSON with --json)")
    .action(async (opts) => {
      const g = globals();
      const asOf = opts.asOf ?? today();
      if (!isIsoDate(asOf)) throw new YardstickError(`--as-of "${asOf}" is not a date (YYYY-MM-DD)`, "usage");
      await withStore(g, async (store) => {
        const warnings: Warning[] = [];
        const state = dataState(await store.listSeries(), asOf);
        const sections: SectionOutcome[] = [];
        const progress = stageProgress(g);
        const onProgress = progress.onProgress;
        sections.push(
          await runSection(
            "termpremium",
            "10-year decomposition",
            async () => {
              const r = await termPremiumSection(store, {
                onProgress,
                ...(opts.bands ? {} : { reps: { acm: 0, hw: 0 } }),
              });
              warnings.push(...r.data.warnings);
              return r;
            },
            warnings,
          ),
        );
        sections.push(
          await runSection(
            "inflation",
            "Inflation: breakevens, macro scores and the nominal forecast",
            async () => {
              const r = await inflationSection(store, asOf);
              return r;
            },
            warnings,
          ),
        );
        sections.push(
          await runSection(
            "scenarios",
            "Scenarios: 10-year fair value by policy path; supply-implied term premium",
            () => scenarioSection(store, { asOf, onProgress }),
            warnings,
          ),
        );
        sections.push(
          await runSection(
            "regimes",
            "When the anchor breaks: relations, gaps, K-shape",
            () => regimeSection(store, {}),
            warnings,
          ),
        );
        progress.stopAll();
        let text: string;
        if (g.json) {
          text = toJson(
            envelope(
              "report",
              { asOf, bands: opts.bands },
              [{ section: "data", ...state }, ...sections.map(({ text: _t, ...rest }) => rest)],
              { dataVintage: await store.dataVintage(), warnings, extra: { store: store.path } },
            ),
          );
        } else {
          printWarnings(warnings);
          const parts = [renderDataState(state, { all: Boolean(opts.all) })];
          for (const s of sections) parts.push(`== ${s.title} ==\n${s.text ?? `not available: ${s.error}`}`);
          parts.push(`store: ${store.path}`);
          text = parts.join("\n\n");
        }
        console.log(text);
        if (opts.out) writeFileSync(opts.out, `${text}\n`);
      });
    });
}
