/**
 * Minimal readers for the GSW CSV files used by the curve tests: the committed fixture
 * test/fixtures/curves/gsw_days.csv and, when ../shared is present, the Fed Board files in
 * shared/data/gsw/. Deliberately independent of src/sources (the code under test must not
 * validate its own input path). Handles CRLF lines, empty cells and GSW's −999.99 marker.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GswDaily } from "../../src/curves/panel.ts";
import { GSW_MISSING, type SvenssonParams } from "../../src/curves/svensson.ts";
import { REPO_ROOT } from "../helpers.ts";

export interface GswRow {
  date: string;
  params: SvenssonParams | null;
  /** SVENY01..30, percent; NaN missing. */
  sveny: Float64Array;
  /** SVENPY01..30, percent; NaN missing (only in the 2022-2025 file / fixture). */
  svenpy: Float64Array;
}

const num = (s: string | undefined): number => (s === undefined || s.trim() === "" ? Number.NaN : Number(s));

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const start = lines.findIndex((l) => l.replace(/"/g, "").startsWith("Date") || l.startsWith("date"));
  const header = lines[start].split(",").map((h) => h.replace(/"/g, "").trim());
  return { header, rows: lines.slice(start + 1).map((l) => l.split(",")) };
}

function paramsFrom(get: (k: string) => number): SvenssonParams | null {
  const [b0, b1, b2, b3, t1, t2] = ["BETA0", "BETA1", "BETA2", "BETA3", "TAU1", "TAU2"].map(get);
  if ([b0, b1, b2, t1].some(Number.isNaN)) return null;
  const ns = Number.isNaN(b3) || Number.isNaN(t2) || b3 === GSW_MISSING || t2 === GSW_MISSING;
  return { beta0: b0, beta1: b1, beta2: b2, beta3: ns ? 0 : b3, tau1: t1, tau2: ns ? GSW_MISSING : t2 };
}

/** Rows of a GSW-style CSV (any of the three shared files or the fixture), in file order. */
export function readGswCsv(path: string): GswRow[] {
  const { header, rows } = parseCsv(readFileSync(path, "utf8"));
  const ix = new Map(header.map((h, i) => [h, i]));
  const cols = (prefix: string) =>
    Array.from({ length: 30 }, (_, n) => ix.get(`${prefix}${String(n + 1).padStart(2, "0")}`) ?? -1);
  const yc = cols("SVENY");
  const pc = cols("SVENPY");
  return rows.map((r) => {
    const get = (k: string) => (ix.has(k) ? num(r[ix.get(k) as number]) : Number.NaN);
    return {
      date: r[0].trim(),
      params: paramsFrom(get),
      sveny: Float64Array.from(yc, (i) => (i < 0 ? Number.NaN : num(r[i]))),
      svenpy: Float64Array.from(pc, (i) => (i < 0 ? Number.NaN : num(r[i]))),
    };
  });
}

export const FIXTURE_DAYS = join(REPO_ROOT, "test", "fixtures", "curves", "gsw_days.csv");

export function readFixtureDays(): Map<string, GswRow> {
  return new Map(readGswCsv(FIXTURE_DAYS).map((r) => [r.date, r]));
}

export const SVENY_YEARS: readonly number[] = Array.from({ length: 30 }, (_, i) => i + 1);

/** Assemble the daily panel input from rows (sorted by date; params and SVENY merged by date). */
export function toGswDaily(rows: readonly GswRow[]): GswDaily {
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    dates: sorted.map((r) => r.date),
    params: sorted.map((r) => r.params),
    svenyYears: SVENY_YEARS,
    sveny: SVENY_YEARS.map((_, j) => Float64Array.from(sorted, (r) => r.sveny[j])),
  };
}

/**
 * Merge the shared files the way the oracle does: SVENY from the combined file, parameters from
 * the 1961-2018 file and the 2022-2025 file (later files win on a shared date).
 */
export function mergeGsw(svenyRows: readonly GswRow[], ...paramFiles: readonly GswRow[][]): GswRow[] {
  const params = new Map<string, SvenssonParams>();
  for (const f of paramFiles) for (const r of f) if (r.params) params.set(r.date, r.params);
  const byDate = new Map<string, GswRow>();
  for (const r of svenyRows) byDate.set(r.date, { ...r, params: params.get(r.date) ?? null });
  for (const [d, p] of params) {
    if (!byDate.has(d)) {
      byDate.set(d, {
        date: d,
        params: p,
        sveny: new Float64Array(30).fill(Number.NaN),
        svenpy: new Float64Array(30),
      });
    }
  }
  return [...byDate.values()];
}
