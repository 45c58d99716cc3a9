/**
 * The Federal Reserve Board's Gürkaynak-Sack-Wright nominal curve, `feds200628` (GSW 2007, "The
 * U.S. Treasury yield curve: 1961 to the present", JME 54(8)): daily Svensson parameters BETA0..
 * BETA3 (percent), TAU1, TAU2 (years) and the zero-coupon yields SVENY01..SVENY30 they imply
 * (GSW eq. 22, percent, continuously compounded; see src/curves/svensson.ts).
 *
 * Accepted files: the official CSV (about nine lines of notes above a `Date,BETA0,...` header,
 * "NA" for missing), or any wide CSV with the six parameters and/or SVENYnn columns (e.g. the
 * parameter-only and SVENY-only splices in ../shared/data/gsw). Other columns (SVENPY, SVENF,
 * SVEN1F) are read but not kept.
 *
 * Nelson-Siegel period: GSW write BETA3 and/or TAU2 = -999.99 when the curve has no second hump
 * (before ~1980). Only exactly -999.99 means that: when TAU1 ≈ TAU2 the fitted BETA2 and BETA3
 * are legitimately huge with opposite signs (2010-05-06: -55012.04 / 55012.46), so a "≤ -999"
 * test would silently turn real curves into wrong ones. NS rows are normalised to beta3 = 0,
 * tau2 = NaN, so the sentinel never reaches arithmetic or a stored series.
 */
import type { Warning } from "../core/errors.ts";
import { InputError, ModelError } from "../core/errors.ts";
import type { Series, SeriesMeta } from "../core/series.ts";
import { GSW_MISSING, type SvenssonParams, svenssonYieldsMonths } from "../curves/svensson.ts";
import { parseWideCsv, readTextFile, type WideTable, wideTableToSeries } from "./csv.ts";

export const GSW_SOURCE = "Federal Reserve Board, Gürkaynak-Sack-Wright (2007) feds200628";
export const GSW_LICENCE =
  "Federal Reserve Board staff research data; free to use with citation of Gürkaynak, Sack & Wright (2007)";

/** Parameter columns, in the order of SvenssonParams. */
export const GSW_PARAM_COLUMNS = ["BETA0", "BETA1", "BETA2", "BETA3", "TAU1", "TAU2"] as const;

export interface GswCurves {
  file: string;
  /** ISO dates, strictly increasing (business days). */
  dates: string[];
  /**
   * Svensson parameters per date; null where the row has none (holiday rows of the official
   * file, or a SVENY-only file). Nelson-Siegel rows have beta3 = 0 and tau2 = NaN.
   */
  params: (SvenssonParams | null)[];
  /** True when the file has the six parameter columns. */
  hasParams: boolean;
  /** Published zero yields by maturity in whole years (1..30): percent, cont. comp.; NaN = none. */
  sveny: Map<number, Float64Array>;
  warnings: Warning[];
}

const RE_SVENY = /^SVENY(\d{2})$/;
const MAX_PREAMBLE = 50;

/** Index (0-based) of the header: the first line whose first field is `Date` and has more fields. */
export function findGswHeaderLine(text: string, file = "<input>"): number {
  const lines = text.split("\n", MAX_PREAMBLE + 1).slice(0, MAX_PREAMBLE);
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]
      .split(",", 1)[0]
      .replace(/^\ufeff/, "")
      .replace(/"/g, "")
      .trim();
    if (first.toLowerCase() === "date" && lines[i].includes(",")) return i;
  }
  throw new InputError(
    `no GSW header found in the first ${MAX_PREAMBLE} lines: expected a line starting "Date," ` +
      "followed by BETA0..TAU2 and/or SVENY01..SVENY30 columns (the Fed Board feds200628 layout)",
    { file },
  );
}

/** Parse a feds200628-style CSV (preamble detected) into typed curves. */
export function parseGswCsv(text: string, opts: { file?: string } = {}): GswCurves {
  const file = opts.file ?? "<input>";
  const skipLines = findGswHeaderLine(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const table = parseWideCsv(text, { file, skipLines });
  return gswFromTable(table, skipLines + 1);
}

/** Read a GSW file (plain or .gz). */
export async function readGswFile(path: string): Promise<GswCurves> {
  return parseGswCsv(await readTextFile(path), { file: path });
}

function gswFromTable(table: WideTable, headerLine: number): GswCurves {
  const { file, dates } = table;
  const col = (name: string) => {
    const k = table.columns.indexOf(name);
    return k < 0 ? null : table.values[k];
  };
  const paramCols = GSW_PARAM_COLUMNS.map(col);
  const present = GSW_PARAM_COLUMNS.filter((_, k) => paramCols[k] !== null);
  if (present.length > 0 && present.length < GSW_PARAM_COLUMNS.length) {
    const absent = GSW_PARAM_COLUMNS.filter((_, k) => paramCols[k] === null);
    throw new InputError(
      `has Svensson parameter columns ${present.join(", ")} but not ${absent.join(", ")}: all six are needed`,
      { file, line: headerLine },
    );
  }
  const hasParams = present.length === GSW_PARAM_COLUMNS.length;

  const sveny = new Map<number, Float64Array>();
  table.columns.forEach((name, k) => {
    const m = RE_SVENY.exec(name);
    if (m && Number(m[1]) >= 1) sveny.set(Number(m[1]), table.values[k]);
  });
  if (!hasParams && sveny.size === 0) {
    throw new InputError(
      "has neither the Svensson parameters (BETA0, BETA1, BETA2, BETA3, TAU1, TAU2) nor zero-coupon " +
        `yields SVENY01..SVENY30; columns found: ${table.columns.slice(0, 12).join(", ")}` +
        (table.columns.length > 12 ? ", ..." : ""),
      { file, line: headerLine },
    );
  }

  const warnings: Warning[] = [];
  const params: (SvenssonParams | null)[] = new Array(dates.length).fill(null);
  if (hasParams) {
    const [b0, b1, b2, b3, t1, t2] = paramCols as Float64Array[];
    for (let i = 0; i < dates.length; i++) {
      const row = [b0[i], b1[i], b2[i], b3[i], t1[i], t2[i]];
      const nMissing = row.filter(Number.isNaN).length;
      if (nMissing === 6) continue;
      const line = table.lines?.[i];
      if (nMissing > 0) {
        const k = row.findIndex(Number.isNaN);
        throw new InputError(
          `${dates[i]}: ${GSW_PARAM_COLUMNS[k]} is missing while other parameters are not`,
          {
            file,
            line,
            column: GSW_PARAM_COLUMNS[k],
          },
        );
      }
      params[i] = normaliseParams(row, dates[i], { file, line }, warnings);
    }
  }
  return { file, dates, params, hasParams, sveny, warnings };
}

function normaliseParams(
  [beta0, beta1, beta2, beta3, tau1, tau2]: number[],
  date: string,
  where: { file: string; line?: number },
  warnings: Warning[],
): SvenssonParams {
  if (!(tau1 > 0)) {
    throw new InputError(`${date}: TAU1 = ${tau1} must be positive (years)`, { ...where, column: "TAU1" });
  }
  const ns = beta3 === GSW_MISSING || tau2 === GSW_MISSING;
  if (ns) {
    if (beta3 !== GSW_MISSING && beta3 !== 0) {
      warnings.push({
        code: "gsw-ns-beta3",
        date,
        series: "gsw.BETA3",
        message: `${date}: TAU2 = -999.99 (Nelson-Siegel) but BETA3 = ${beta3}; Svensson term dropped`,
      });
    }
    return { beta0, beta1, beta2, beta3: 0, tau1, tau2: Number.NaN };
  }
  if (!(tau2 > 0)) {
    throw new InputError(`${date}: TAU2 = ${tau2} must be positive, or exactly -999.99 for Nelson-Siegel`, {
      ...where,
      column: "TAU2",
    });
  }
  return { beta0, beta1, beta2, beta3, tau1, tau2 };
}

/**
 * Zero-coupon yields (percent, continuously compounded) at maturities in months, from GSW
 * parameters. Accepts raw published parameters too: the -999.99 sentinel is honoured.
 */
export function gswYieldMonths(params: SvenssonParams, months: ArrayLike<number>): Float64Array {
  for (let i = 0; i < months.length; i++) {
    if (!(months[i] >= 0)) throw new ModelError(`maturity ${months[i]} months: must be >= 0`);
  }
  return svenssonYieldsMonths(params, months);
}

const PARAM_META: Record<(typeof GSW_PARAM_COLUMNS)[number], { title: string; units: string }> = {
  BETA0: { title: "GSW Svensson β0 (long-run level)", units: "percent" },
  BETA1: { title: "GSW Svensson β1 (slope; β0 + β1 = instantaneous short rate)", units: "percent" },
  BETA2: { title: "GSW Svensson β2 (first hump)", units: "percent" },
  BETA3: { title: "GSW Svensson β3 (second hump; 0 in the Nelson-Siegel period)", units: "percent" },
  TAU1: { title: "GSW Svensson τ1 (first decay)", units: "years" },
  TAU2: { title: "GSW Svensson τ2 (second decay; missing in the Nelson-Siegel period)", units: "years" },
};

/**
 * Series `gsw.BETA0`..`gsw.TAU2` (when the file has parameters) and `gsw.SVENY01`..`gsw.SVENY30`
 * (those present), daily, each trimmed to its first..last observation. In the Nelson-Siegel
 * period BETA3 is 0 and TAU2 is missing (never -999.99).
 */
export function gswToSeries(curves: GswCurves): Series[] {
  const columns: string[] = [];
  const values: Float64Array[] = [];
  const n = curves.dates.length;
  if (curves.hasParams) {
    const fields: (keyof SvenssonParams)[] = ["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"];
    GSW_PARAM_COLUMNS.forEach((name, k) => {
      const v = new Float64Array(n).fill(Number.NaN);
      curves.params.forEach((p, i) => {
        if (p) v[i] = p[fields[k]];
      });
      columns.push(name);
      values.push(v);
    });
  }
  for (const years of [...curves.sveny.keys()].sort((a, b) => a - b)) {
    columns.push(`SVENY${String(years).padStart(2, "0")}`);
    values.push(curves.sveny.get(years)!);
  }
  const table: WideTable = { file: curves.file, dateColumn: "Date", columns, dates: curves.dates, values };
  return wideTableToSeries(table, (column): SeriesMeta => {
    const pm = PARAM_META[column as keyof typeof PARAM_META];
    const years = Number(column.slice(5));
    return {
      id: `gsw.${column}`,
      title: pm ? pm.title : `GSW zero-coupon Treasury yield, ${years}-year maturity`,
      units: pm ? pm.units : "percent, continuously compounded",
      frequency: "d",
      source: GSW_SOURCE,
      licence: GSW_LICENCE,
      notes: pm
        ? "Svensson (1994) parameters of GSW (2007) eq. 22; maturities in years."
        : "Zero-coupon yield implied by the GSW Svensson curve (eq. 22), continuously compounded.",
    };
  });
}
