/**
 * Output conventions shared by every command: a JSON envelope for scripts
 * (`{ meta, warnings, results }`, the data vintage and parameters in meta), aligned text tables
 * for people, and one-line errors on stderr.
 */
import type { Warning } from "../core/errors.ts";
import { VERSION } from "../version.ts";

export interface EnvelopeMeta {
  command: string;
  version: string;
  generatedAt: string;
  /** Newest vintage of the data used (retrieval date), or null for commands that use none. */
  dataVintage: string | null;
  params: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Envelope<T> {
  meta: EnvelopeMeta;
  warnings: Warning[];
  results: T[];
}

export function envelope<T>(
  command: string,
  params: Record<string, unknown>,
  results: T[],
  {
    dataVintage = null,
    warnings = [],
    extra = {},
  }: { dataVintage?: string | null; warnings?: Warning[]; extra?: Record<string, unknown> } = {},
): Envelope<T> {
  return {
    meta: { command, version: VERSION, generatedAt: new Date().toISOString(), dataVintage, params, ...extra },
    warnings,
    results,
  };
}

/** JSON with NaN and ±Infinity written as null (JSON has no NaN). */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) return null;
      if (typeof v === "bigint") return Number(v);
      if (v instanceof Float64Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
      return v;
    },
    2,
  );
}

export { type Align, formatTable, num } from "../core/format.ts";

export function printWarnings(warnings: Warning[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
}
