/**
 * Wide CSV input (one date column, one column per series), the shape of FRED downloads, the
 * GSW and ACM files and most spreadsheet exports. This is the one place where external text
 * becomes typed data, so every check happens here and downstream code trusts the result.
 *
 * Decisions (each rejects input that could be silently misread, since a wrong number costs more
 * than a refused file):
 * - Dates: `YYYY-MM-DD`; `YYYY-MM-DD 00:00:00` (pandas/Excel export of a date) and the `T` form,
 *   midnight only, since macro data have no time of day; `YYYY/MM/DD` (year first, unambiguous);
 *   `YYYY-MM` → the first of the month (FRED's period label); `30-Jun-1961` (NY Fed files).
 *   `MM/DD/YYYY` and `DD/MM/YYYY` are refused as ambiguous. One format per file.
 * - Numbers: plain decimals and exponents (`6.995e-05`), surrounding blanks ignored. Thousands
 *   separators are refused even when quoted ("1,234" may be 1234 or a European 1.234), as are
 *   `%`, currency signs and infinities.
 * - Missing: exact (case-sensitive) markers, by default "", ".", "NA", "NaN", "#N/A", "null".
 * - A header with no data rows is an error: an empty series is never what the caller asked for.
 * - Rows must be in strictly increasing date order; nothing is sorted or de-duplicated silently.
 * - An unnamed first header field (pandas `to_csv` of a date index) is named "date".
 * Line numbers in messages are 1-based physical lines of the file, header and preamble included.
 */
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { daysInMonth, isIsoDate } from "../core/dates.ts";
import { InputError, NotFoundError, type YardstickError } from "../core/errors.ts";
import { makeSeries, type Series, type SeriesMeta } from "../core/series.ts";
import { inferFrequency } from "./infer-frequency.ts";

export const DEFAULT_MISSING: readonly string[] = ["", ".", "NA", "NaN", "#N/A", "null"];

export interface CsvOptions {
  /** Name used in error messages (default "<input>"). */
  file?: string;
  /** Name of the date column (default: the first column). */
  dateColumn?: string;
  /** Exact strings meaning "missing" (default DEFAULT_MISSING). */
  missing?: readonly string[];
  /** Preamble lines before the header (GSW's notes); line numbers still count them. */
  skipLines?: number;
}

export interface WideTable {
  file: string;
  dateColumn: string;
  /** Value columns in file order (the date column excluded). */
  columns: string[];
  /** ISO dates, strictly increasing. */
  dates: string[];
  /** One array per value column, aligned with `dates`; NaN = missing. */
  values: Float64Array[];
  /** Physical line (1-based) of each data row, for messages about a row found later. */
  lines?: number[];
}

// ---------------------------------------------------------------------------------------------
// dates

type DateFormat = "YYYY-MM-DD" | "YYYY-MM-DD 00:00:00" | "YYYY/MM/DD" | "YYYY-MM" | "DD-Mon-YYYY";

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const RE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const RE_ISO_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]00:?00)?$/;
const RE_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const RE_MONTH = /^(\d{4})-(\d{2})$/;
const RE_DMON = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const RE_AMBIGUOUS = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/;

export type DateParse = { ok: true; iso: string; format: DateFormat } | { ok: false; reason: string };

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function ymd(y: number, m: number, d: number, raw: string, format: DateFormat): DateParse {
  if (m < 1 || m > 12) return { ok: false, reason: `"${raw}" is not a valid date (month ${m})` };
  if (d < 1 || d > daysInMonth(y, m)) {
    return { ok: false, reason: `"${raw}" is not a valid date (day ${d} of ${y}-${pad2(m)})` };
  }
  return { ok: true, iso: `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`, format };
}

/** Parse one date cell under the rules in the file header comment. */
export function parseDateCell(cell: string): DateParse {
  const raw = cell.trim();
  let m = RE_ISO.exec(raw);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), raw, "YYYY-MM-DD");
  m = RE_ISO_TIME.exec(raw);
  if (m) {
    if (Number(m[2]) !== 0 || Number(m[3]) !== 0 || Number(m[4] ?? 0) !== 0) {
      return { ok: false, reason: `"${raw}" has a time of day; expected a date (YYYY-MM-DD)` };
    }
    if (!isIsoDate(m[1])) return { ok: false, reason: `"${raw}" is not a valid date` };
    return { ok: true, iso: m[1], format: "YYYY-MM-DD 00:00:00" };
  }
  m = RE_SLASH.exec(raw);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]), raw, "YYYY/MM/DD");
  m = RE_MONTH.exec(raw);
  if (m) return ymd(Number(m[1]), Number(m[2]), 1, raw, "YYYY-MM");
  m = RE_DMON.exec(raw);
  if (m) {
    const month = MONTHS[m[2].toLowerCase()];
    if (month === undefined) return { ok: false, reason: `"${raw}" is not a valid date (month "${m[2]}")` };
    return ymd(Number(m[3]), month, Number(m[1]), raw, "DD-Mon-YYYY");
  }
  if (RE_AMBIGUOUS.test(raw)) {
    return {
      ok: false,
      reason: `"${raw}" is not a valid date: day/month order is ambiguous, write YYYY-MM-DD`,
    };
  }
  if (raw === "") return { ok: false, reason: "the date is empty" };
  return {
    ok: false,
    reason: `"${raw}" is not a valid date (expected YYYY-MM-DD, YYYY/MM/DD, YYYY-MM or DD-Mon-YYYY)`,
  };
}

// ---------------------------------------------------------------------------------------------
// numbers

const RE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RE_THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/** A number, NaN for a missing marker, or an error message. */
export function parseNumberCell(cell: string, missing: ReadonlySet<string>): number | string {
  if (missing.has(cell)) return Number.NaN;
  if (RE_NUMBER.test(cell)) {
    const x = Number(cell);
    if (Number.isFinite(x)) return x;
  }
  const s = cell.trim();
  if (missing.has(s)) return Number.NaN;
  if (RE_NUMBER.test(s)) {
    const x = Number(s);
    if (Number.isFinite(x)) return x;
    return `"${cell}" is out of the range of a double`;
  }
  if (RE_THOUSANDS.test(s)) {
    const plain = s.replaceAll(",", "");
    return `"${cell}" is not a number: thousands separators are not accepted (write ${plain})`;
  }
  const markers = [...missing].map((x) => JSON.stringify(x)).join(", ");
  return `"${cell}" is not a number (missing values must be written as one of ${markers})`;
}

// ---------------------------------------------------------------------------------------------
// content sniffing

/** Offset of the first control character no text file contains (NUL..BS, SO..SUB), or -1. */
function firstBinaryChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x08 || (c >= 0x0e && c <= 0x1a)) return i;
  }
  return -1;
}

/** Throws "does not look like CSV" for binary, spreadsheet, HTML and JSON content. */
function sniff(text: string, file: string): void {
  const head = text.slice(0, 4096);
  const start = head.trimStart();
  const notCsv = (why: string): never => {
    throw new InputError(`does not look like CSV: ${why}`, { file, line: 1 });
  };
  if (head.startsWith("PK\u0003\u0004"))
    notCsv("it is a zip archive (an .xlsx workbook?); export the sheet as CSV");
  if (head.startsWith("\u00d0\u00cf\u0011\u00e0") || head.startsWith("\ufffd\ufffd\u0011\ufffd")) {
    notCsv("it is an Excel 97-2003 (.xls) workbook; export the sheet as CSV");
  }
  const control = firstBinaryChar(head);
  if (control >= 0) {
    const hex = head.charCodeAt(control).toString(16).padStart(2, "0");
    notCsv(`it contains binary bytes (0x${hex} at offset ${control})`);
  }
  if (start.startsWith("<")) {
    notCsv(
      `it starts with "${start.slice(0, 30).split("\n")[0]}" (an HTML/XML page, e.g. an error or login page)`,
    );
  }
  if (start.startsWith("{") || start.startsWith("[")) {
    notCsv(`it starts with "${start[0]}" (JSON content, e.g. an API error response)`);
  }
}

// ---------------------------------------------------------------------------------------------
// the parser

/** One CSV record and the physical line (1-based, whole file) where it starts. */
interface CsvRecord {
  fields: string[];
  line: number;
}

interface CsvParseError {
  code?: string;
  message: string;
  lines?: number;
}

/** Index just after the first `n` line breaks of `text`, or -1 when it has fewer lines. */
function afterLines(text: string, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) return -1;
    pos = nl + 1;
  }
  return pos;
}

/**
 * Without any double quote, RFC 4180 CSV is exactly "split lines, split commas"; that covers
 * the big published files (GSW, ACM, FRED) and is ~5x faster than the general parser.
 */
function splitUnquoted(body: string, lineOffset: number): CsvRecord[] {
  const out: CsvRecord[] = [];
  const rows = body.split("\n");
  for (let i = 0; i < rows.length; i++) {
    let row = rows[i];
    if (row.endsWith("\r")) row = row.slice(0, -1);
    if (row === "") continue;
    out.push({ fields: row.split(","), line: i + 1 + lineOffset });
  }
  return out;
}

/** The general case (quoted fields, embedded commas or line breaks) through csv-parse. */
function parseQuoted(body: string, file: string, lineOffset: number): CsvRecord[] {
  let raw: { record: string[]; info: { lines: number } }[];
  try {
    raw = parse(body, {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof raw;
  } catch (e) {
    const err = e as CsvParseError;
    const line = typeof err.lines === "number" ? err.lines + lineOffset : undefined;
    const what = err.message.replace(/\s*at line \d+/, "").replace(/^[\w ]+: /, "");
    throw new InputError(`malformed CSV (${err.code ?? "parse error"}): ${what}`, { file, line });
  }
  // info.lines is the record's last line; a quoted field may span lines, so count back.
  return raw.map((r) => {
    let breaks = 0;
    for (const f of r.record) for (let i = f.indexOf("\n"); i >= 0; i = f.indexOf("\n", i + 1)) breaks++;
    return { fields: r.record, line: r.info.lines - breaks + lineOffset };
  });
}

function splitRecords(body: string, file: string, lineOffset: number): CsvRecord[] {
  const simple = !body.includes('"') && (body.includes("\n") || !body.includes("\r"));
  return simple ? splitUnquoted(body, lineOffset) : parseQuoted(body, file, lineOffset);
}

/**
 * Parse a wide CSV: a header, one date column, numeric value columns. Throws InputError naming
 * file, line and column for every malformed input; see the file comment for the accepted forms.
 */
export function parseWideCsv(text: string, opts: CsvOptions = {}): WideTable {
  const file = opts.file ?? "<input>";
  const missing = new Set(opts.missing ?? DEFAULT_MISSING);
  const skip = opts.skipLines ?? 0;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new InputError("the file is empty", { file });
  sniff(text, file);

  const bodyStart = afterLines(text, skip);
  if (bodyStart < 0) {
    throw new InputError(`the file has fewer lines than the ${skip} preamble lines to skip`, { file });
  }
  const records = splitRecords(text.slice(bodyStart), file, skip);
  if (records.length === 0)
    throw new InputError("no header line after the preamble", { file, line: skip + 1 });

  const headerRec = records[0];
  const headerLine = headerRec.line;
  const header = headerRec.fields.map((h) => h.trim());
  if (header.length < 2) {
    const h = headerRec.fields[0] ?? "";
    const delim = [";", "\t", "|"].find((d) => h.includes(d));
    const why = delim
      ? `the header has no comma but contains ${JSON.stringify(delim)}; ` +
        "the file seems to use another delimiter"
      : "the header line has a single column and no comma delimiter";
    throw new InputError(`does not look like CSV: ${why}`, { file, line: headerLine });
  }
  if (header[0] === "") header[0] = "date";
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === "") {
      throw new InputError(`header field ${j + 1} is empty: every column needs a name`, {
        file,
        line: headerLine,
      });
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new InputError(`column name appears twice in the header (fields ${first + 1} and ${j + 1})`, {
        file,
        line: headerLine,
        column: name,
      });
    }
    seen.set(name, j);
  });

  const dateColumn = opts.dateColumn ?? header[0];
  const dateIdx = header.indexOf(dateColumn);
  if (dateIdx < 0) {
    throw new InputError(`no date column "${dateColumn}" in the header (columns: ${header.join(", ")})`, {
      file,
      line: headerLine,
    });
  }
  const valueIdx = header.map((_, j) => j).filter((j) => j !== dateIdx);
  const columns = valueIdx.map((j) => header[j]);

  const nRows = records.length - 1;
  if (nRows === 0) throw new InputError("the header has no data rows after it", { file, line: headerLine });

  const dates: string[] = new Array(nRows);
  const rowLines: number[] = new Array(nRows);
  const values = valueIdx.map(() => new Float64Array(nRows));
  const lineOfDate = new Map<string, number>();
  let format: DateFormat | undefined;
  let formatLine = 0;

  for (let r = 0; r < nRows; r++) {
    const rec = records[r + 1];
    const { line, fields } = rec;
    if (fields.length !== header.length) {
      throw new InputError(
        `${fields.length} fields where the header has ${header.length} (${header.join(", ")})`,
        { file, line },
      );
    }
    const d = parseDateCell(fields[dateIdx]);
    if (!d.ok) throw new InputError(d.reason, { file, line, column: dateColumn });
    if (format === undefined) {
      format = d.format;
      formatLine = line;
    } else if (d.format !== format) {
      throw new InputError(
        `"${fields[dateIdx].trim()}" is written as ${d.format} but line ${formatLine} uses ${format}; ` +
          "use one date format per file",
        { file, line, column: dateColumn },
      );
    }
    const dupLine = lineOfDate.get(d.iso);
    if (dupLine !== undefined) {
      throw new InputError(`duplicate date ${d.iso}: also on line ${dupLine}`, {
        file,
        line,
        column: dateColumn,
      });
    }
    if (r > 0 && d.iso < dates[r - 1]) {
      throw new InputError(
        `dates are not in increasing order: ${d.iso} comes after ${dates[r - 1]} ` +
          `(line ${rowLines[r - 1]}); sort the file by date`,
        { file, line, column: dateColumn },
      );
    }
    lineOfDate.set(d.iso, line);
    dates[r] = d.iso;
    rowLines[r] = line;
    for (let k = 0; k < valueIdx.length; k++) {
      const x = parseNumberCell(fields[valueIdx[k]], missing);
      if (typeof x === "string") throw new InputError(x, { file, line, column: columns[k] });
      values[k][r] = x;
    }
  }
  return { file, dateColumn, columns, dates, values, lines: rowLines };
}

// ---------------------------------------------------------------------------------------------
// files

function ioError(e: unknown, path: string): YardstickError {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return new NotFoundError(`${path}: no such file`);
  if (code === "EISDIR") return new InputError("is a directory, expected a CSV file", { file: path });
  if (code === "EACCES" || code === "EPERM") return new InputError("permission denied", { file: path });
  const msg = e instanceof Error ? e.message : String(e);
  return new InputError(`cannot be read: ${msg}`, { file: path });
}

/**
 * Read a text input file: gunzips when the name ends in .gz or the bytes start with the gzip
 * magic, refuses UTF-16 and invalid UTF-8 (a Latin-1 export would otherwise turn into U+FFFD
 * silently), strips a UTF-8 BOM.
 */
export async function readTextFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw ioError(e, path);
  }
  const gzMagic = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (path.endsWith(".gz") || gzMagic) {
    if (!gzMagic) throw new InputError("is named .gz but is not gzip-compressed", { file: path });
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new InputError(`is not valid gzip: ${(e as Error).message}`, { file: path });
    }
  }
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new InputError("does not look like CSV: it is UTF-16 text; save it as UTF-8 CSV", {
      file: path,
      line: 1,
    });
  }
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new InputError(
      "does not look like CSV: it is an Excel 97-2003 (.xls) workbook; export the sheet as CSV",
      {
        file: path,
        line: 1,
      },
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      throw new InputError(`does not look like CSV: it contains binary bytes (0x00 at offset ${nul})`, {
        file: path,
        line: 1,
      });
    }
    throw new InputError("is not valid UTF-8 text (a Latin-1 / Windows-1252 export?); save it as UTF-8", {
      file: path,
    });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read and parse a wide CSV file (plain or .gz). `opts.file` defaults to `path`. */
export async function readCsvFile(path: string, opts: CsvOptions = {}): Promise<WideTable> {
  const text = await readTextFile(path);
  return parseWideCsv(text, { ...opts, file: opts.file ?? path });
}

// ---------------------------------------------------------------------------------------------
// to series

/**
 * One series per value column, each trimmed to its first..last observation (gaps inside are kept
 * as NaN, so a holiday stays visible); columns with no observation at all are skipped.
 */
export function wideTableToSeries(table: WideTable, metaFor: (column: string) => SeriesMeta): Series[] {
  const out: Series[] = [];
  table.columns.forEach((col, k) => {
    const v = table.values[k];
    let lo = 0;
    while (lo < v.length && Number.isNaN(v[lo])) lo++;
    if (lo === v.length) return;
    let hi = v.length - 1;
    while (Number.isNaN(v[hi])) hi--;
    out.push(makeSeries(metaFor(col), table.dates.slice(lo, hi + 1), v.subarray(lo, hi + 1)));
  });
  return out;
}

export const FRED_SOURCE = "FRED, Federal Reserve Bank of St. Louis";
export const FRED_LICENCE = "see FRED series notes; cite FRED";

/**
 * A FRED CSV download (`observation_date,DGS10`, `date,DGS10` or the older `DATE,DGS10`) as one
 * series. FRED writes "." (API) or "" (fredgraph) for missing days. The file carries no units or
 * title: they default to the id and "see FRED" unless given in `meta`; the frequency is inferred
 * from the date spacing.
 */
export function parseFredCsv(
  text: string,
  opts: { file?: string; id?: string; meta?: Partial<SeriesMeta> } = {},
): Series {
  const file = opts.file ?? "<input>";
  const table = parseWideCsv(text, { file });
  if (table.columns.length !== 1) {
    throw new InputError(
      `a FRED CSV has two columns (date and one series); this header has ${table.columns.length + 1}: ` +
        `${[table.dateColumn, ...table.columns].join(", ")}`,
      { file, line: 1 },
    );
  }
  const column = table.columns[0];
  const id = opts.id ?? column;
  const [series] = wideTableToSeries(table, () => ({
    id,
    title: id,
    units: "see FRED series notes (not in the CSV download)",
    frequency: "irregular",
    source: `${FRED_SOURCE} (CSV download)`,
    licence: FRED_LICENCE,
    ...opts.meta,
  }));
  if (!series)
    throw new InputError("the series has no observations (every value is missing)", { file, column });
  if (opts.meta?.frequency !== undefined) return series;
  return { ...series, meta: { ...series.meta, frequency: inferFrequency(series.dates) } };
}
