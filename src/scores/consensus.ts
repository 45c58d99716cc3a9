/**
 * Consensus paths: the user's expected future values of a score's inputs (METHODS.md §2,
 * "extend each score with a consensus path for its inputs"). A wide CSV, one row per month:
 *
 *   date,CPIAUCSL:yoy,PPIACO:yoy,UNRATE,T10Y3M
 *   2026-09,2.8,1.5,4.2,0.60
 *
 * A column is a series id, optionally with how its values are written:
 *   ID or ID:level   the series in its own units (an index level, a rate in percent);
 *   ID:yoy           percent change from a year earlier: x_P = x_{P−12} (1 + v/100);
 *   ID:mom           percent change from the month before: x_P = x_{P−1} (1 + v/100).
 * Strategists quote inflation as rates, so the rate forms spare them from inventing index levels.
 *
 * Inputs without a path (and months after a path ends) follow the labelled DEFAULT consensus:
 * series that a recipe reads through a growth step (pct_change, yoy) keep growing at their last
 * 12-month rate, compounded monthly (x_P = x_{P−1} (x_last / x_{last−12})^(1/12)); all others hold
 * their last value. Holding an index
 * level flat would mean zero inflation, which nobody forecasts; holding a rate or spread is the
 * usual "no change" benchmark.
 */
import { InputError, type Warning } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import type { WideTable } from "../sources/csv.ts";
import { toMonthly } from "../transforms/resample.ts";
import { MAX_FILL } from "./engine.ts";
import { monthIndex, monthLabel, monthText } from "./months.ts";
import type { Recipe } from "./recipe.ts";

export type PathForm = "level" | "yoy" | "mom";
export type DefaultRule = "hold-level" | "hold-yoy";

export interface ConsensusPath {
  id: string;
  form: PathForm;
  /** Month indices (see months.ts), strictly increasing. */
  months: number[];
  values: number[];
  /** Where it came from, for messages. */
  origin: string;
}

/** Parse a consensus CSV already read as a wide table (sources/csv.ts checks dates and numbers). */
export function consensusFromTable(table: WideTable): ConsensusPath[] {
  const seen = new Set<string>();
  const monthRows = table.dates.map(monthIndex);
  for (let i = 1; i < monthRows.length; i++) {
    if (monthRows[i] === monthRows[i - 1]) {
      throw new InputError(`two rows for month ${monthText(monthRows[i])}: one value per month`, {
        file: table.file,
        line: table.lines?.[i],
      });
    }
  }
  return table.columns.map((col, k) => {
    const [id, formRaw, extra] = col.split(":");
    const form = (formRaw ?? "level").trim().toLowerCase();
    if (extra !== undefined || !id || !["level", "yoy", "mom"].includes(form)) {
      throw new InputError(
        `column "${col}" is not ID, ID:level, ID:yoy or ID:mom (e.g. CPIAUCSL:yoy for inflation in percent)`,
        { file: table.file, line: 1, column: col },
      );
    }
    if (seen.has(id)) {
      throw new InputError(`series ${id} has two columns; give one path per series`, {
        file: table.file,
        line: 1,
        column: col,
      });
    }
    seen.add(id);
    const months: number[] = [];
    const values: number[] = [];
    table.values[k].forEach((v, i) => {
      if (!Number.isNaN(v)) {
        months.push(monthRows[i]);
        values.push(v);
      }
    });
    return {
      id: id.trim(),
      form: form as PathForm,
      months,
      values,
      origin: `${table.file}, column "${col}"`,
    };
  });
}

/** How each raw input of the given scores is extended when the user gives no path. */
export function defaultRules(recipes: ReadonlyMap<string, Recipe>): Map<string, DefaultRule> {
  const rules = new Map<string, DefaultRule>();
  for (const r of recipes.values()) {
    for (const c of r.components) {
      if (recipes.has(c.series)) continue;
      const growth = c.steps[0]?.op === "pct_change" || c.steps[0]?.op === "yoy";
      for (const id of c.subtract ? [c.series, c.subtract] : [c.series]) {
        if (growth) rules.set(id, "hold-yoy");
        else if (!rules.has(id)) rules.set(id, "hold-level");
      }
    }
  }
  return rules;
}

export interface ExtendedSeries {
  series: Series;
  /** First month (label) that is not data. */
  firstExtended: string | null;
  source: "user" | "default" | "none";
  rule: string;
  warnings: Warning[];
}

/**
 * The series on a monthly grid (month-end values for daily data), extended from the month after
 * its last observation through `endMonth` by the path where given, else by the default rule.
 */
export function extendSeries(
  raw: Series,
  path: ConsensusPath | undefined,
  endMonth: number,
  rule: DefaultRule,
): ExtendedSeries {
  // Always through toMonthly: a monthly series may lack a row (no October 2025 CPI was published),
  // and the extension indexes months by position.
  const m = toMonthly(raw);
  const warnings: Warning[] = [];
  let lastValid = m.values.length - 1;
  while (lastValid >= 0 && Number.isNaN(m.values[lastValid])) lastValid--;
  if (lastValid < 0) throw new InputError(`series ${raw.meta.id} has no observation to extend`);
  const first = monthIndex(m.dates[0]);
  const lastMonth = first + lastValid;
  const ruleText = rule === "hold-yoy" ? "last 12-month growth held" : "last value held";
  if (lastMonth >= endMonth) {
    return { series: m, firstExtended: null, source: "none", rule: "data reach the horizon", warnings };
  }
  const n = endMonth - first + 1;
  const values = new Float64Array(n).fill(Number.NaN);
  values.set(m.values.subarray(0, lastValid + 1));
  const at = (t: number): number => (t >= first && t - first < n ? values[t - first] : Number.NaN);
  const given = new Map<number, number>();
  if (path) {
    const early = path.months.filter((t) => t <= lastMonth);
    if (early.length) {
      warnings.push({
        code: "path-overlaps-data",
        message:
          `${path.origin}: ${early.length} month(s) up to ${monthText(early[early.length - 1])} are already in the ` +
          `data (last observation ${monthText(lastMonth)}); the data are kept`,
        series: raw.meta.id,
      });
    }
    path.months.forEach((t, i) => {
      if (t > lastMonth && t <= endMonth) given.set(t, path.values[i]);
    });
  }
  // Default growth: the last 12-month growth as a monthly rate (from the nearest valid base 12..24
  // months back, since a month can be missing: the October 2025 CPI was never published).
  let monthlyGrowth = Number.NaN;
  for (let k = 12; k <= 24 && !Number.isFinite(monthlyGrowth); k++) {
    monthlyGrowth = (at(lastMonth) / at(lastMonth - k)) ** (1 / k);
  }
  let defaulted = 0;
  for (let t = lastMonth + 1; t <= endMonth; t++) {
    const v = given.get(t);
    let x: number;
    if (v !== undefined && path) {
      // the base month may be missing (a release that never came): the value before it stands in,
      // as the engine carries short gaps forward
      const want = path.form === "yoy" ? t - 12 : t - 1;
      let b = want;
      while (b > want - 1 - MAX_FILL && !Number.isFinite(at(b))) b--;
      const base = at(b);
      if (path.form !== "level" && !Number.isFinite(base)) {
        throw new InputError(
          `${path.origin}: ${monthText(t)} is a ${path.form} rate but ${raw.meta.id} has no value for ` +
            `${monthText(want)} or the ${MAX_FILL} months before (missing in the data); give the level instead`,
        );
      }
      if (path.form !== "level" && b !== want) {
        warnings.push({
          code: "path-base-filled",
          message: `${path.origin}: ${monthText(t)} is a ${path.form} rate on ${monthText(want)}, missing in the data; ${monthText(b)} stands in`,
          series: raw.meta.id,
        });
      }
      x = path.form === "level" ? v : base * (1 + v / 100);
    } else {
      defaulted++;
      x = rule === "hold-yoy" && Number.isFinite(monthlyGrowth) ? at(t - 1) * monthlyGrowth : at(t - 1);
    }
    values[t - first] = x;
  }
  if (path && defaulted > 0) {
    warnings.push({
      code: "path-gap",
      message: `${path.origin}: ${defaulted} month(s) up to ${monthText(endMonth)} not in the path; ${ruleText} there`,
      series: raw.meta.id,
    });
  }
  const dates = Array.from({ length: n }, (_, k) => monthLabel(first + k));
  const meta = {
    ...m.meta,
    frequency: "m" as const,
    notes: `${m.meta.notes ?? ""}; extended by consensus`.replace(/^; /, ""),
  };
  return {
    series: { meta, dates, values },
    firstExtended: monthLabel(lastMonth + 1),
    source: path && given.size > 0 ? "user" : "default",
    rule:
      path && given.size > 0
        ? `user path (${path.form})${defaulted ? `, then ${ruleText}` : ""}`
        : `DEFAULT: ${ruleText}`,
    warnings,
  };
}
