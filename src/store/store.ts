/**
 * The local store: one DuckDB file under YARDSTICK_HOME holding series metadata, observations by
 * vintage, and model runs.
 *
 * Vintages are snapshots: every import of a series writes its complete history under the
 * vintage (retrieval date) of that import, and reading "as of" a vintage returns the newest
 * snapshot at or before it. Re-importing on the same day replaces that day's snapshot. This keeps
 * every past answer reproducible ("what did DGS10 look like when we ran this in June?").
 *
 * Every write is one transaction: a failed, interrupted or killed import leaves the store as it
 * was (DuckDB's write-ahead log only replays committed transactions). All SQL is parameterised;
 * bulk rows go through DuckDB's appender inside the same transaction.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { type DuckDBConnection, DuckDBDateValue, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { epochDayUnchecked, toEpochDay } from "../core/dates.ts";
import { NotFoundError, StoreError } from "../core/errors.ts";
import type { Frequency, Series, SeriesMeta } from "../core/series.ts";

export const SCHEMA_VERSION = "1";

/** The schema, also printed by `yardstick data schema` and documented in the README. */
export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS store_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS series (
    id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    units VARCHAR NOT NULL,
    frequency VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    licence VARCHAR NOT NULL,
    last_updated DATE,
    notes VARCHAR,
    origin VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS observations (
    series_id VARCHAR NOT NULL,
    vintage DATE NOT NULL,
    date DATE NOT NULL,
    value DOUBLE,
    PRIMARY KEY (series_id, vintage, date)
  )`,
  `CREATE TABLE IF NOT EXISTS model_runs (
    run_id VARCHAR PRIMARY KEY,
    model VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    data_vintage DATE,
    params JSON,
    summary VARCHAR,
    result JSON
  )`,
];

export interface OpenOptions {
  /** Path of the DuckDB file; ":memory:" for an in-memory store (tests). */
  path: string;
  /** Open without write access (also chosen automatically when the file is read-only). */
  readOnly?: boolean;
}

export interface SeriesInfo {
  meta: SeriesMeta;
  origin: string;
  importedAt: string;
  /** Newest vintage held. */
  vintage: string;
  firstDate: string | null;
  lastDate: string | null;
  count: number;
  lastValue: number | null;
}

export interface ImportItem {
  series: Series;
  /** Where it came from: a file path, "FRED", "bundled:fred/DGS10.csv". */
  origin: string;
}

export interface ImportReport {
  vintage: string;
  series: { id: string; rows: number; firstDate: string | null; lastDate: string | null }[];
  rows: number;
}

export interface ModelRun {
  runId: string;
  model: string;
  dataVintage?: string;
  params: unknown;
  summary: string;
  result: unknown;
}

function toDateValue(iso: string): DuckDBDateValue {
  return new DuckDBDateValue(toEpochDay(iso));
}

function describeOpenError(path: string, err: unknown): StoreError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(msg)) {
    const pid = /PID (\d+)/.exec(msg)?.[1];
    return new StoreError(
      `store ${path} is locked by another process${pid ? ` (PID ${pid})` : ""}: close the other yardstick or DuckDB session and retry`,
      { cause: err },
    );
  }
  if (/permission|read-only|EACCES/i.test(msg)) {
    return new StoreError(`store ${path} cannot be opened for writing (permission denied)`, { cause: err });
  }
  return new StoreError(`store ${path} could not be opened: ${msg.split("\n")[0]}`, { cause: err });
}

/** True when the file exists and has no write permission bits (root ignores permissions, so check bits). */
export function isReadOnlyFile(path: string): boolean {
  if (!existsSync(path)) return false;
  const mode = statSync(path).mode;
  if ((mode & 0o222) === 0) return true;
  try {
    accessSync(path, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

export class Store {
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Open (creating if needed) the store at `path`. Read-only files open read-only. */
  static async open({ path, readOnly = false }: OpenOptions): Promise<Store> {
    const memory = path === ":memory:";
    const ro = readOnly || (!memory && isReadOnlyFile(path));
    if (ro && !memory && !existsSync(path)) {
      throw new StoreError(`store ${path} does not exist yet (open it once for writing to create it)`);
    }
    if (!memory && !ro) {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (err) {
        throw new StoreError(`cannot create the store folder ${dirname(path)}: ${(err as Error).message}`);
      }
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, ro ? { access_mode: "READ_ONLY" } : {});
    } catch (err) {
      throw describeOpenError(path, err);
    }
    const conn = await instance.connect();
    const store = new Store(path, ro, instance, conn);
    if (!ro) {
      for (const sql of SCHEMA_SQL) await conn.run(sql);
      await conn.run(`INSERT INTO store_info VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING`, [
        SCHEMA_VERSION,
      ]);
    } else {
      const tables = await store.rows(
        `SELECT table_name FROM information_schema.tables WHERE table_name = 'series'`,
      );
      if (tables.length === 0)
        throw new StoreError(`store ${path} is not a yardstick store (no series table)`);
    }
    return store;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Record<string, DuckDBValue>[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjects();
  }

  private assertWritable(what: string): void {
    if (this.readOnly) {
      throw new StoreError(
        `store ${this.path} is read-only: cannot ${what} (make the file writable or use another YARDSTICK_HOME)`,
      );
    }
  }

  /**
   * Run `fn` in one transaction: committed when it resolves, rolled back (store unchanged) when it
   * throws. Not re-entrant.
   */
  async transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.assertWritable("write");
    await this.conn.run("BEGIN TRANSACTION");
    try {
      const out = await fn(this.conn);
      await this.conn.run("COMMIT");
      return out;
    } catch (err) {
      await this.conn.run("ROLLBACK");
      throw err;
    }
  }

  async getInfo(key: string): Promise<string | null> {
    const r = await this.rows(`SELECT value FROM store_info WHERE key = $1`, [key]);
    return r.length ? String(r[0].value) : null;
  }

  async setInfo(key: string, value: string, conn: DuckDBConnection = this.conn): Promise<void> {
    this.assertWritable("write");
    await conn.run(
      `INSERT INTO store_info VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  /**
   * Import series as one snapshot each under `vintage` (ISO date, default today), all in one
   * transaction. `beforeCommit` runs inside the transaction (used to stamp bundle versions).
   * `onProgress(done, total)` reports rows written.
   */
  async importSeries(
    items: ImportItem[],
    {
      vintage,
      onProgress,
      beforeCommit,
    }: {
      vintage: string;
      onProgress?: (doneRows: number, totalRows: number) => void;
      beforeCommit?: (conn: DuckDBConnection) => Promise<void>;
    },
  ): Promise<ImportReport> {
    this.assertWritable("import");
    const ids = new Set<string>();
    for (const { series } of items) {
      if (ids.has(series.meta.id))
        throw new StoreError(`series ${series.meta.id} appears twice in one import`);
      ids.add(series.meta.id);
    }
    const total = items.reduce((n, it) => n + it.series.dates.length, 0);
    const vintageValue = toDateValue(vintage);
    const now = new Date().toISOString().replace("T", " ").slice(0, 19);
    return this.transaction(async (conn) => {
      const report: ImportReport = { vintage, series: [], rows: 0 };
      for (const { series } of items) {
        await conn.run(`DELETE FROM observations WHERE series_id = $1 AND vintage = $2::DATE`, [
          series.meta.id,
          vintage,
        ]);
      }
      const appender = await conn.createAppender("observations");
      let done = 0;
      try {
        for (const { series } of items) {
          const { dates, values } = series;
          for (let i = 0; i < dates.length; i++) {
            appender.appendVarchar(series.meta.id);
            appender.appendDate(vintageValue);
            appender.appendDate(new DuckDBDateValue(epochDayUnchecked(dates[i])));
            const v = values[i];
            if (Number.isNaN(v)) appender.appendNull();
            else appender.appendDouble(v);
            appender.endRow();
          }
          done += dates.length;
          onProgress?.(done, total);
          report.series.push({
            id: series.meta.id,
            rows: dates.length,
            firstDate: dates[0] ?? null,
            lastDate: dates[dates.length - 1] ?? null,
          });
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      for (const { series, origin } of items) {
        const m = series.meta;
        await conn.run(
          `INSERT INTO series VALUES ($1, $2, $3, $4, $5, $6, $7::DATE, $8, $9, $10::TIMESTAMP)
           ON CONFLICT (id) DO UPDATE SET title = excluded.title, units = excluded.units,
             frequency = excluded.frequency, source = excluded.source, licence = excluded.licence,
             last_updated = excluded.last_updated, notes = excluded.notes, origin = excluded.origin,
             imported_at = excluded.imported_at`,
          [
            m.id,
            m.title,
            m.units,
            m.frequency,
            m.source,
            m.licence,
            m.lastUpdated ?? null,
            m.notes ?? null,
            origin,
            now,
          ],
        );
      }
      if (beforeCommit) await beforeCommit(conn);
      report.rows = total;
      return report;
    });
  }

  /** All series with their newest vintage's range, count and last value. */
  async listSeries(): Promise<SeriesInfo[]> {
    const rows = await this.rows(
      `WITH latest AS (
         SELECT series_id, max(vintage) AS vintage FROM observations GROUP BY series_id
       ), stats AS (
         SELECT o.series_id, l.vintage,
                min(o.date) FILTER (WHERE o.value IS NOT NULL) AS first_date,
                max(o.date) FILTER (WHERE o.value IS NOT NULL) AS last_date,
                count(o.value) AS n,
                arg_max(o.value, o.date) FILTER (WHERE o.value IS NOT NULL) AS last_value
         FROM observations o JOIN latest l ON o.series_id = l.series_id AND o.vintage = l.vintage
         GROUP BY o.series_id, l.vintage
       )
       SELECT s.*, strftime(st.vintage, '%Y-%m-%d') AS vintage_s,
              strftime(st.first_date, '%Y-%m-%d') AS first_s, strftime(st.last_date, '%Y-%m-%d') AS last_s,
              strftime(s.last_updated, '%Y-%m-%d') AS last_updated_s,
              strftime(s.imported_at, '%Y-%m-%d %H:%M:%S') AS imported_s,
              st.n, st.last_value
       FROM series s LEFT JOIN stats st ON st.series_id = s.id
       ORDER BY s.id`,
    );
    return rows.map((r) => ({
      meta: rowToMeta(r),
      origin: String(r.origin),
      importedAt: String(r.imported_s),
      vintage: r.vintage_s === null ? "" : String(r.vintage_s),
      firstDate: r.first_s === null ? null : String(r.first_s),
      lastDate: r.last_s === null ? null : String(r.last_s),
      count: r.n === null ? 0 : Number(r.n),
      lastValue: r.last_value === null ? null : Number(r.last_value),
    }));
  }

  /** Metadata of one series, or null. */
  async getMeta(id: string): Promise<SeriesMeta | null> {
    const r = await this.rows(
      `SELECT *, strftime(last_updated, '%Y-%m-%d') AS last_updated_s FROM series WHERE id = $1`,
      [id],
    );
    return r.length ? rowToMeta(r[0]) : null;
  }

  /** Ids close to `id` (same prefix or small edit distance), for "did you mean" messages. */
  async suggest(id: string): Promise<string[]> {
    const r = await this.rows(
      `SELECT id FROM series ORDER BY levenshtein(lower(id), lower($1)) ASC, id LIMIT 3`,
      [id],
    );
    return r.map((x) => String(x.id));
  }

  /**
   * One series as of a vintage (default: newest), optionally restricted to [from, to].
   * Throws NotFoundError naming near matches when the id is unknown.
   */
  async getSeries(
    id: string,
    { from, to, vintage }: { from?: string; to?: string; vintage?: string } = {},
  ): Promise<{
    series: Series;
    vintage: string;
  }> {
    const meta = await this.getMeta(id);
    if (!meta) {
      const near = await this.suggest(id);
      throw new NotFoundError(
        `unknown series "${id}"${near.length ? ` (did you mean ${near.join(", ")}?)` : ""}; \`yardstick data list\` shows what the store holds`,
      );
    }
    const v = await this.rows(
      `SELECT strftime(max(vintage), '%Y-%m-%d') AS v FROM observations
       WHERE series_id = $1 AND ($2::DATE IS NULL OR vintage <= $2::DATE)`,
      [id, vintage ?? null],
    );
    const chosen = v[0]?.v;
    if (chosen === null || chosen === undefined) {
      throw new NotFoundError(`series "${id}" has no vintage at or before ${vintage}`);
    }
    const reader = await this.conn.runAndReadAll(
      `SELECT strftime(date, '%Y-%m-%d') AS d, value FROM observations
       WHERE series_id = $1 AND vintage = $2::DATE
         AND ($3::DATE IS NULL OR date >= $3::DATE) AND ($4::DATE IS NULL OR date <= $4::DATE)
       ORDER BY date`,
      [id, String(chosen), from ?? null, to ?? null],
    );
    const cols = reader.getColumns();
    const dates = cols[0] as string[];
    const raw = cols[1] as (number | null)[];
    const values = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) values[i] = raw[i] === null ? Number.NaN : (raw[i] as number);
    return { series: { meta, dates, values }, vintage: String(chosen) };
  }

  /** Newest vintage over all series (the "data vintage" stamped on outputs). */
  async dataVintage(): Promise<string | null> {
    const r = await this.rows(`SELECT strftime(max(vintage), '%Y-%m-%d') AS v FROM observations`);
    return r[0]?.v === null || r[0]?.v === undefined ? null : String(r[0].v);
  }

  async recordModelRun(run: ModelRun): Promise<void> {
    await this.transaction(async (conn) => {
      await conn.run(
        `INSERT OR REPLACE INTO model_runs VALUES ($1, $2, now()::TIMESTAMP, $3::DATE, $4::JSON, $5, $6::JSON)`,
        [
          run.runId,
          run.model,
          run.dataVintage ?? null,
          JSON.stringify(run.params),
          run.summary,
          JSON.stringify(run.result),
        ],
      );
    });
  }

  async getModelRun(runId: string): Promise<ModelRun | null> {
    const r = await this.rows(
      `SELECT run_id, model, strftime(data_vintage, '%Y-%m-%d') AS v, params::VARCHAR AS p, summary,
              result::VARCHAR AS r FROM model_runs WHERE run_id = $1`,
      [runId],
    );
    if (!r.length) return null;
    const x = r[0];
    return {
      runId: String(x.run_id),
      model: String(x.model),
      dataVintage: x.v === null ? undefined : String(x.v),
      params: JSON.parse(String(x.p)),
      summary: String(x.summary),
      result: JSON.parse(String(x.r)),
    };
  }

  /** Export observations of `ids` (newest vintages) to a Parquet file via DuckDB's COPY. */
  async exportParquet(
    ids: string[],
    path: string,
    { from, to }: { from?: string; to?: string } = {},
  ): Promise<void> {
    const placeholders = ids.map((_, i) => `$${i + 3}`).join(", ");
    // DuckDB cannot bind COPY's target as a parameter: the path is quoted as an SQL literal.
    const target = path.replaceAll("'", "''");
    await this.conn.run(
      `COPY (
         SELECT o.series_id, o.date, o.value, o.vintage FROM observations o
         JOIN (SELECT series_id, max(vintage) AS v FROM observations WHERE series_id IN (${placeholders})
               GROUP BY series_id) l ON o.series_id = l.series_id AND o.vintage = l.v
         WHERE ($1::DATE IS NULL OR o.date >= $1::DATE) AND ($2::DATE IS NULL OR o.date <= $2::DATE)
         ORDER BY o.series_id, o.date
       ) TO '${target}' (FORMAT parquet)`,
      [from ?? null, to ?? null, ...ids],
    );
  }
}

function rowToMeta(r: Record<string, DuckDBValue>): SeriesMeta {
  const meta: SeriesMeta = {
    id: String(r.id),
    title: String(r.title),
    units: String(r.units),
    frequency: String(r.frequency) as Frequency,
    source: String(r.source),
    licence: String(r.licence),
  };
  if (r.last_updated_s !== null && r.last_updated_s !== undefined)
    meta.lastUpdated = String(r.last_updated_s);
  if (r.notes !== null && r.notes !== undefined) meta.notes = String(r.notes);
  return meta;
}
