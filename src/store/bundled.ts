/**
 * The bundled dataset: real published series shipped in `data/` (see data/PROVENANCE.md),
 * described by `data/catalog.json`, loaded into the store on first run. Loading is idempotent:
 * a fingerprint of the catalog and files is kept in the store, and the bundle is only (re)loaded
 * when it changed, in one transaction.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { InputError } from "../core/errors.ts";
import type { Series, SeriesMeta } from "../core/series.ts";
import { readCsvFile, wideTableToSeries } from "../sources/csv.ts";
import { gswToSeries, readGswFile } from "../sources/gsw.ts";
import type { ImportItem, Store } from "./store.ts";

/** `data/` of the installed package (works from src/ under tsx and from dist/). */
export const BUNDLED_DATA_DIR = fileURLToPath(new URL("../../data/", import.meta.url));

const CatalogEntrySchema = z.object({
  file: z.string().min(1),
  format: z.enum(["fred", "wide", "gsw"]),
  frequency: z.enum(["d", "w", "m", "q", "a", "irregular"]),
  source: z.string().min(1),
  licence: z.string().min(1),
  notes: z.string().optional(),
  series: z
    .array(z.object({ column: z.string(), id: z.string().min(1), title: z.string(), units: z.string() }))
    .min(1),
});
const CatalogSchema = z.object({
  version: z.number(),
  /** Retrieval date of the bundle: the vintage its series are stored under. */
  vintage: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  note: z.string().optional(),
  files: z.array(CatalogEntrySchema).min(1),
});
export type Catalog = z.infer<typeof CatalogSchema>;
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export function readCatalog(dir: string = BUNDLED_DATA_DIR): Catalog {
  const file = join(dir, "catalog.json");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new InputError(`cannot read the bundled catalog: ${(err as Error).message}`, { file });
  }
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`invalid catalog at ${issue.path.join(".")}: ${issue.message}`, { file });
  }
  return parsed.data;
}

/** sha256 over the catalog and every file it names: changes whenever the bundle does. */
export function bundleFingerprint(
  dir: string = BUNDLED_DATA_DIR,
  catalog: Catalog = readCatalog(dir),
): string {
  const h = createHash("sha256");
  h.update(readFileSync(join(dir, "catalog.json")));
  for (const f of catalog.files) h.update(f.file).update(readFileSync(join(dir, f.file)));
  return h.digest("hex");
}

function catalogMeta(entry: CatalogEntry, s: CatalogEntry["series"][number]): SeriesMeta {
  const meta: SeriesMeta = {
    id: s.id,
    title: s.title,
    units: s.units,
    frequency: entry.frequency,
    source: entry.source,
    licence: entry.licence,
  };
  if (entry.notes) meta.notes = entry.notes;
  return meta;
}

/**
 * GSW files go through the GSW reader, which knows the -999.99 Nelson-Siegel sentinel (stored
 * as BETA3 = 0 and TAU2 missing, never as a number) and the official file's preamble.
 */
async function loadGswEntry(path: string, entry: CatalogEntry): Promise<Series[]> {
  const all = gswToSeries(await readGswFile(path));
  const byColumn = new Map(all.map((s) => [s.meta.id.replace(/^gsw\./, ""), s]));
  return entry.series.map((c) => {
    const s = byColumn.get(c.column);
    if (!s)
      throw new InputError(`catalog names column "${c.column}" which the GSW file does not have`, {
        file: path,
      });
    return { ...s, meta: catalogMeta(entry, c) };
  });
}

/** Parse one catalog entry's file into its series. */
export async function loadCatalogEntry(dir: string, entry: CatalogEntry): Promise<Series[]> {
  const path = join(dir, entry.file);
  if (entry.format === "gsw") return loadGswEntry(path, entry);
  const table = await readCsvFile(path, {});
  const wanted = new Map(entry.series.map((s) => [s.column, s]));
  for (const col of wanted.keys()) {
    if (!table.columns.includes(col)) {
      throw new InputError(`catalog names column "${col}" which the file does not have`, { file: path });
    }
  }
  const keep = table.columns.map((c) => wanted.has(c));
  const filtered = {
    ...table,
    columns: table.columns.filter((_, i) => keep[i]),
    values: table.values.filter((_, i) => keep[i]),
  };
  return wideTableToSeries(filtered, (column) => catalogMeta(entry, wanted.get(column)!));
}

/**
 * Series of several files may share an id (GSW parameters come in two files covering different
 * years): merge them by date, refusing overlaps with different values.
 */
function mergeById(items: ImportItem[]): ImportItem[] {
  const byId = new Map<string, ImportItem[]>();
  for (const it of items) {
    const list = byId.get(it.series.meta.id) ?? [];
    list.push(it);
    byId.set(it.series.meta.id, list);
  }
  const out: ImportItem[] = [];
  for (const [id, list] of byId) {
    if (list.length === 1) {
      out.push(list[0]);
      continue;
    }
    const points = new Map<string, number>();
    for (const { series } of list) {
      series.dates.forEach((d, i) => {
        const v = series.values[i];
        const prev = points.get(d);
        if (prev !== undefined && !(Number.isNaN(prev) && Number.isNaN(v)) && prev !== v) {
          throw new InputError(`bundled series ${id}: two files disagree on ${d} (${prev} vs ${v})`);
        }
        points.set(d, v);
      });
    }
    const dates = [...points.keys()].sort();
    out.push({
      series: { meta: list[0].series.meta, dates, values: Float64Array.from(dates, (d) => points.get(d)!) },
      origin: list.map((x) => x.origin).join(" + "),
    });
  }
  return out;
}

export async function loadBundledItems(
  dir: string = BUNDLED_DATA_DIR,
  catalog: Catalog = readCatalog(dir),
): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for (const entry of catalog.files) {
    for (const series of await loadCatalogEntry(dir, entry))
      items.push({ series, origin: `bundled:${entry.file}` });
  }
  return mergeById(items);
}

export interface EnsureBundledResult {
  loaded: boolean;
  fingerprint: string;
  series: number;
  rows: number;
  vintage: string;
}

/**
 * Load the bundle into `store` unless the same bundle is already there. One transaction: the
 * fingerprint is written inside it, so an interrupted load is retried on the next run.
 */
export async function ensureBundled(
  store: Store,
  {
    dir = BUNDLED_DATA_DIR,
    force = false,
    onProgress,
  }: { dir?: string; force?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<EnsureBundledResult> {
  const catalog = readCatalog(dir);
  const fingerprint = bundleFingerprint(dir, catalog);
  if (!force && (await store.getInfo("bundle_fingerprint")) === fingerprint) {
    return { loaded: false, fingerprint, series: 0, rows: 0, vintage: catalog.vintage };
  }
  if (store.readOnly) return { loaded: false, fingerprint, series: 0, rows: 0, vintage: catalog.vintage };
  const items = await loadBundledItems(dir, catalog);
  const report = await store.importSeries(items, {
    vintage: catalog.vintage,
    onProgress,
    beforeCommit: async (conn) => {
      await store.setInfo("bundle_fingerprint", fingerprint, conn);
      await store.setInfo("bundle_vintage", catalog.vintage, conn);
    },
  });
  return {
    loaded: true,
    fingerprint,
    series: report.series.length,
    rows: report.rows,
    vintage: catalog.vintage,
  };
}
