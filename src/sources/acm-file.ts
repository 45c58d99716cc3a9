/**
 * The NY Fed's Adrian-Crump-Moench term-structure decomposition (Adrian, Crump & Moench 2013,
 * "Pricing the term structure with linear regressions", JFE 110(1)), as published in
 * `ACMTermPremium.xls` and its CSV exports: for maturities n = 1..10 years, ACMYnn (model-fitted
 * zero yield), ACMTPnn (term premium) and ACMRNYnn (risk-neutral yield), percent, with the
 * identity ACMY = ACMRNY + ACMTP (TP is defined as fitted minus risk-neutral). The monthly sheet
 * is end-of-month (last business day, kept as published); the daily sheet is business days.
 * Also read: replicated files with month columns (ACMTP003M...), and the single-column daily
 * export `date,ACMTP10`.
 *
 * Import checks the identity on every date and maturity where all three columns exist: a
 * violation > 1e-6 percentage points (far above float noise, far below a published rounding)
 * means a column was shifted, mislabelled or mixed across vintages, so it is reported as a
 * Warning rather than passed on silently.
 */
import type { Warning } from "../core/errors.ts";
import { InputError } from "../core/errors.ts";
import type { Frequency, Series, SeriesMeta } from "../core/series.ts";
import { parseWideCsv, readTextFile, type WideTable, wideTableToSeries } from "./csv.ts";
import { inferFrequency } from "./infer-frequency.ts";

export const ACM_SOURCE = "Federal Reserve Bank of New York, Adrian-Crump-Moench term structure model";
export const ACM_LICENCE =
  "NY Fed research data; NY Fed terms of use; cite Adrian, Crump & Moench (2013, JFE)";

/** Largest |ACMY − (ACMRNY + ACMTP)| (percent) accepted without a warning. */
export const ACM_IDENTITY_TOL = 1e-6;
/** Identity warnings listed one by one before they are summarised. */
const MAX_IDENTITY_WARNINGS = 100;

export interface AcmImport {
  /** `acm.ACMTP10` etc.; a daily file's ids end in `.daily` (`acm.ACMTP10.daily`). */
  series: Series[];
  frequency: Frequency;
  warnings: Warning[];
}

const RE_ACM = /^ACM(Y|TP|RNY)(\d{2}|\d{3}M)$/;

const KIND_TITLE: Record<string, string> = {
  Y: "ACM model-fitted zero-coupon Treasury yield",
  TP: "ACM Treasury term premium",
  RNY: "ACM risk-neutral zero-coupon Treasury yield",
};

function maturityLabel(code: string): string {
  return code.endsWith("M") ? `${Number(code.slice(0, 3))}-month` : `${Number(code)}-year`;
}

/**
 * Parse an ACM CSV (monthly or daily sheet, official or replicated layout). The date column is
 * DATE or date, ISO or "30-Jun-1961". Columns other than ACMY/ACMTP/ACMRNY are refused, so a
 * mislabelled file cannot slip in as ACM.
 */
export function parseAcmCsv(text: string, opts: { file?: string } = {}): AcmImport {
  const file = opts.file ?? "<input>";
  const table = parseWideCsv(text, { file });
  if (!/^date$/i.test(table.dateColumn)) {
    throw new InputError(`the first column is "${table.dateColumn}", expected DATE (an ACM export)`, {
      file,
      line: 1,
    });
  }
  const unknown = table.columns.filter((c) => !RE_ACM.test(c));
  if (unknown.length > 0) {
    const also = unknown.length > 1 ? ` (also: ${unknown.slice(1, 6).join(", ")})` : "";
    throw new InputError(`column is not an ACM series (expected ACMYnn, ACMTPnn, ACMRNYnn)${also}`, {
      file,
      line: 1,
      column: unknown[0],
    });
  }
  const frequency = inferFrequency(table.dates);
  const warnings = checkIdentity(table);
  const suffix = frequency === "d" ? ".daily" : "";
  const series = wideTableToSeries(table, (column): SeriesMeta => {
    const m = RE_ACM.exec(column)!;
    return {
      id: `acm.${column}${suffix}`,
      title: `${KIND_TITLE[m[1]]}, ${maturityLabel(m[2])}${frequency === "d" ? " (daily)" : ""}`,
      units: "percent",
      frequency,
      source: ACM_SOURCE,
      licence: ACM_LICENCE,
      notes:
        frequency === "m"
          ? "End-of-month observations dated at the last business day of the month, as published. " +
            "ACM history revises every month: compare only with a run of the same sample end."
          : "ACM history revises every month: compare only with a run of the same sample end.",
    };
  });
  return { series, frequency, warnings };
}

/** Read an ACM file (plain or .gz). */
export async function readAcmFile(path: string): Promise<AcmImport> {
  return parseAcmCsv(await readTextFile(path), { file: path });
}

/** One warning per (date, maturity) where ACMY ≠ ACMRNY + ACMTP beyond ACM_IDENTITY_TOL. */
function checkIdentity(table: WideTable): Warning[] {
  const warnings: Warning[] = [];
  let extra = 0;
  const col = new Map(table.columns.map((c, k) => [c, table.values[k]]));
  for (const c of table.columns) {
    const m = RE_ACM.exec(c)!;
    if (m[1] !== "Y") continue;
    const y = col.get(c)!;
    const tp = col.get(`ACMTP${m[2]}`);
    const rn = col.get(`ACMRNY${m[2]}`);
    if (!tp || !rn) continue;
    for (let i = 0; i < y.length; i++) {
      const gap = y[i] - (rn[i] + tp[i]);
      if (!(Math.abs(gap) > ACM_IDENTITY_TOL)) continue; // NaN (a missing term) is not a violation
      if (warnings.length < MAX_IDENTITY_WARNINGS) {
        warnings.push({
          code: "acm-identity",
          series: `acm.ACMY${m[2]}`,
          date: table.dates[i],
          message:
            `${table.dates[i]}: ACMY${m[2]} = ${y[i]} but ACMRNY${m[2]} + ACMTP${m[2]} = ${rn[i] + tp[i]} ` +
            `(gap ${gap.toExponential(2)} percent, line ${table.lines?.[i] ?? "?"} of ${table.file})`,
        });
      } else extra++;
    }
  }
  if (extra > 0) {
    warnings.push({
      code: "acm-identity",
      message: `${extra} more ACMY ≠ ACMRNY + ACMTP violations in ${table.file} not listed`,
    });
  }
  return warnings;
}
