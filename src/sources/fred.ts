/**
 * FRED API client (Federal Reserve Bank of St. Louis, https://fred.stlouisfed.org/docs/api/fred/):
 * `fred/series` (metadata), `fred/series/observations` (values), `fred/series/release` and
 * `fred/release/sources` (the original publisher, for attribution). Values come back in the
 * series' own units (FRED rates are percent); "." marks a missing observation (holidays).
 *
 * Why it is built this way:
 * - FRED allows 120 requests per minute per key and answers 429 beyond; we stay under it with a
 *   sliding-window limiter (≤ 120/min and ≤ 2/s) and retry 429, 408, 5xx, timeouts and network
 *   errors with exponential backoff and jitter, honouring Retry-After. A 400/404 is never retried:
 *   FRED answers 400 for an unknown series id, and asking again cannot help.
 * - The API key travels in the query string (FRED offers nothing else), so every message and
 *   error this module produces passes through `redactSecrets`: a key must never reach a log, a
 *   terminal or a bug report.
 * - Failures that a cached copy can stand in for (offline, refused, timeouts, 5xx after retries,
 *   key problems, garbage responses) are NetworkError; an id FRED does not know is NotFoundError.
 * - Responses are validated with zod once, here; downstream code trusts the Series.
 */
import { z } from "zod";
import { isIsoDate } from "../core/dates.ts";
import { InputError, NetworkError, NotFoundError, type Warning, YardstickError } from "../core/errors.ts";
import { type Frequency, makeSeries, type Series, type SeriesMeta } from "../core/series.ts";
import { FRED_LICENCE, FRED_SOURCE } from "./csv.ts";
import { type Clock, RateLimiter, systemClock } from "./rate-limit.ts";

export const FRED_BASE_URL = "https://api.stlouisfed.org/fred";
const KEY_HELP =
  "set the FRED_API_KEY environment variable (free key: https://fred.stlouisfed.org/docs/api/api_key.html)";

export interface FredClientOptions {
  /** The caller resolves it (FRED_API_KEY or the config file); it is never printed. */
  apiKey: string | undefined;
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  /** Requests per minute (FRED's limit is 120). */
  maxPerMinute?: number;
  /** Requests per second (burst). */
  maxPerSecond?: number;
  /** Retries after the first attempt, for 429/408/5xx/network errors/timeouts. */
  maxRetries?: number;
  /** Per attempt, headers and body included. */
  timeoutMs?: number;
  /** First backoff delay; doubles each retry, with jitter in [½, 1] of it. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this fails at once instead of stalling the caller. */
  maxRetryAfterMs?: number;
  /** Injectable time, for tests: `sleep` for backoff and the rate limiter, `now` for the limiter. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Uniform [0, 1) source for the jitter (default: a generator seeded from time and pid). */
  random?: () => number;
  /** Wall clock for `retrievedAt` (default Date.now). */
  wallClock?: () => number;
}

export interface FredSeriesInfo {
  id: string;
  title: string;
  units: string;
  unitsShort: string;
  frequency: Frequency;
  frequencyShort: string;
  seasonalAdjustmentShort: string;
  /** As FRED writes it, e.g. "2026-08-21 15:17:03-05". */
  lastUpdated: string;
  observationStart: string;
  observationEnd: string;
  notes: string;
}

export interface FredObservations {
  dates: string[];
  /** NaN where FRED wrote "." */
  values: Float64Array;
}

export interface FredFetchResult {
  series: Series;
  /** FRED's last_updated timestamp of the series (the publisher's revision time). */
  lastUpdated: string;
  /** ISO timestamp of this download. */
  retrievedAt: string;
  warnings: Warning[];
}

// ---------------------------------------------------------------------------------------------
// secrets

/** Replace `api_key=...` in URLs and any literal occurrence of `key` by "REDACTED". */
export function redactSecrets(text: string, key?: string): string {
  let out = text.replace(/(api_key(?:=|%3D))[^&\s"'<>]*/gi, "$1REDACTED");
  if (key && key.length >= 4) out = out.split(key).join("REDACTED");
  return out;
}

// ---------------------------------------------------------------------------------------------
// response schemas (only the fields we use; FRED adds fields over time)

const DateStr = z.string().refine(isIsoDate, "not a YYYY-MM-DD date");

const SeriesResponse = z.object({
  seriess: z
    .array(
      z.object({
        id: z.string().min(1),
        title: z.string(),
        observation_start: DateStr,
        observation_end: DateStr,
        frequency_short: z.string(),
        units: z.string(),
        units_short: z.string().optional().default(""),
        seasonal_adjustment_short: z.string().optional().default(""),
        last_updated: z.string(),
        notes: z.string().optional().default(""),
      }),
    )
    .min(1),
});

const ObservationsResponse = z.object({
  count: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  observations: z.array(z.object({ date: DateStr, value: z.string() })),
});

const ReleasesResponse = z.object({
  releases: z.array(z.object({ id: z.number().int(), name: z.string() })),
});

const SourcesResponse = z.object({
  sources: z.array(z.object({ name: z.string() })),
});

const ErrorBody = z.object({ error_message: z.string() });

// ---------------------------------------------------------------------------------------------
// helpers

const FREQUENCY_FROM_SHORT: Record<string, Frequency> = { D: "d", W: "w", M: "m", Q: "q", A: "a" };
const RE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RE_SERIES_ID = /^[A-Za-z0-9_]{1,64}$/;

/** Small seeded PRNG (mulberry32) so library code never calls Math.random. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - nowMs);
}

/** One-line reason for a failed fetch: the innermost system message (ECONNREFUSED, ENOTFOUND...). */
function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: unknown };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return `no response within ${timeoutMs} ms`;
  let inner: unknown = err?.cause ?? e;
  const agg = inner as { errors?: unknown[] };
  if (Array.isArray(agg.errors) && agg.errors.length > 0) inner = agg.errors[0];
  const i = inner as { message?: string; code?: string; name?: string };
  if (i?.name === "TimeoutError") return `no response within ${timeoutMs} ms`;
  const msg = i?.message || i?.code || err?.message || String(e);
  return msg.split("\n")[0];
}

function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join(".") || "(root)"}: ${issue.message}`;
}

// ---------------------------------------------------------------------------------------------
// the client

interface RequestContext {
  /** What was asked, for messages: `series "DGS10"`. */
  what: string;
  /** Series id when the request is about one (400 → NotFoundError naming it). */
  seriesId?: string;
}

export class FredClient {
  private readonly apiKey: string | undefined;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly wallClock: () => number;
  private readonly limiter: RateLimiter;
  private readonly sourcesByRelease = new Map<number, string[]>();

  constructor(opts: FredClientOptions) {
    this.apiKey = opts.apiKey;
    this.baseUrl = (opts.baseUrl ?? FRED_BASE_URL).replace(/\/+$/, "");
    if (!URL.canParse(this.baseUrl)) {
      throw new YardstickError(`FRED base URL "${redactSecrets(this.baseUrl)}" is not a valid URL`, "usage");
    }
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
    this.maxRetries = opts.maxRetries ?? 4;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.backoffBaseMs = opts.backoffBaseMs ?? 1000;
    this.backoffMaxMs = opts.backoffMaxMs ?? 30_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
    this.clock = { now: opts.now ?? systemClock.now, sleep: opts.sleep ?? systemClock.sleep };
    this.random = opts.random ?? mulberry32(Date.now() ^ (process.pid << 16));
    this.wallClock = opts.wallClock ?? Date.now;
    this.limiter = new RateLimiter(
      [
        { limit: opts.maxPerMinute ?? 120, windowMs: 60_000 },
        { limit: opts.maxPerSecond ?? 2, windowMs: 1000 },
      ],
      this.clock,
    );
  }

  /** Series metadata (`fred/series`). */
  async seriesInfo(id: string): Promise<FredSeriesInfo> {
    checkSeriesId(id);
    const ctx = { what: `series "${id}"`, seriesId: id };
    const body = await this.getJson("series", { series_id: id }, ctx);
    const s = this.validate(SeriesResponse, body, ctx).seriess[0];
    return {
      id: s.id,
      title: s.title,
      units: s.units,
      unitsShort: s.units_short,
      frequency: FREQUENCY_FROM_SHORT[s.frequency_short] ?? "irregular",
      frequencyShort: s.frequency_short,
      seasonalAdjustmentShort: s.seasonal_adjustment_short,
      lastUpdated: s.last_updated,
      observationStart: s.observation_start,
      observationEnd: s.observation_end,
      notes: s.notes,
    };
  }

  /** Observations (`fred/series/observations`), ascending, all pages; "." → NaN. */
  async observations(id: string, opts: { start?: string; end?: string } = {}): Promise<FredObservations> {
    checkSeriesId(id);
    for (const [name, d] of [
      ["start", opts.start],
      ["end", opts.end],
    ] as const) {
      if (d !== undefined && !isIsoDate(d)) throw new InputError(`${name} date "${d}" is not YYYY-MM-DD`);
    }
    const ctx = { what: `observations of "${id}"`, seriesId: id };
    const dates: string[] = [];
    const values: number[] = [];
    const limit = 100_000; // FRED's maximum page size
    for (;;) {
      const params: Record<string, string> = {
        series_id: id,
        sort_order: "asc",
        limit: String(limit),
        offset: String(dates.length),
      };
      if (opts.start) params.observation_start = opts.start;
      if (opts.end) params.observation_end = opts.end;
      const page = this.validate(
        ObservationsResponse,
        await this.getJson("series/observations", params, ctx),
        ctx,
      );
      for (const o of page.observations) {
        if (dates.length > 0 && o.date <= dates[dates.length - 1]) {
          throw this.badResponse(ctx, `dates not increasing (${o.date} after ${dates[dates.length - 1]})`);
        }
        let x = Number.NaN;
        if (o.value !== ".") {
          if (!RE_NUMBER.test(o.value.trim())) throw this.badResponse(ctx, `value "${o.value}" on ${o.date}`);
          x = Number(o.value);
        }
        dates.push(o.date);
        values.push(x);
      }
      if (page.observations.length === 0 || dates.length >= page.count) break;
    }
    return { dates, values: Float64Array.from(values) };
  }

  /** Names of the original publishers of a series (via its release), cached per release. */
  async publishers(id: string): Promise<{ release: string; sources: string[] } | null> {
    checkSeriesId(id);
    const ctx = { what: `release of "${id}"`, seriesId: id };
    const rel = this.validate(
      ReleasesResponse,
      await this.getJson("series/release", { series_id: id }, ctx),
      ctx,
    );
    if (rel.releases.length === 0) return null;
    const { id: releaseId, name } = rel.releases[0];
    let sources = this.sourcesByRelease.get(releaseId);
    if (!sources) {
      const sctx = { what: `sources of FRED release ${releaseId}` };
      const body = await this.getJson("release/sources", { release_id: String(releaseId) }, sctx);
      sources = this.validate(SourcesResponse, body, sctx).sources.map((s) => s.name);
      this.sourcesByRelease.set(releaseId, sources);
    }
    return { release: name, sources };
  }

  /**
   * Metadata + observations (+ publisher unless `publisher: false`) as one Series with full
   * provenance. Leading and trailing missing observations are trimmed; inner ones stay NaN.
   */
  async fetchSeries(
    id: string,
    opts: { start?: string; end?: string; publisher?: boolean } = {},
  ): Promise<FredFetchResult> {
    const warnings: Warning[] = [];
    const info = await this.seriesInfo(id);
    const obs = await this.observations(id, opts);
    let origin = "original publisher: see FRED series notes";
    if (opts.publisher !== false) {
      try {
        const p = await this.publishers(id);
        if (p && p.sources.length > 0)
          origin = `original publisher: ${p.sources.join("; ")}; release: ${p.release}`;
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        warnings.push({ code: "fred-publisher-unknown", series: info.id, message: e.message });
      }
    }
    if (!(info.frequencyShort in FREQUENCY_FROM_SHORT)) {
      warnings.push({
        code: "fred-frequency",
        series: info.id,
        message: `FRED frequency "${info.frequencyShort}" has no yardstick equivalent; stored as irregular`,
      });
    }
    let lo = 0;
    let hi = obs.values.length;
    while (lo < hi && Number.isNaN(obs.values[lo])) lo++;
    while (hi > lo && Number.isNaN(obs.values[hi - 1])) hi--;
    if (lo === hi) {
      warnings.push({
        code: "fred-empty",
        series: info.id,
        message: `FRED returned no observations for ${info.id}`,
      });
    }
    const sa = info.seasonalAdjustmentShort ? `Seasonal adjustment: ${info.seasonalAdjustmentShort}. ` : "";
    const meta: SeriesMeta = {
      id: info.id,
      title: info.title,
      units: info.units,
      frequency: info.frequency,
      source: `${FRED_SOURCE} (${origin})`,
      licence: FRED_LICENCE,
      lastUpdated: info.lastUpdated.slice(0, 10),
      notes: `${sa}${info.notes}`.trim(),
    };
    const series = makeSeries(meta, obs.dates.slice(lo, hi), obs.values.subarray(lo, hi));
    return {
      series,
      lastUpdated: info.lastUpdated,
      retrievedAt: new Date(this.wallClock()).toISOString(),
      warnings,
    };
  }

  // -------------------------------------------------------------------------------------------

  private validate<T>(schema: z.ZodType<T>, body: unknown, ctx: RequestContext): T {
    const r = schema.safeParse(body);
    if (!r.success) throw this.badResponse(ctx, describeSchemaError(r.error));
    return r.data;
  }

  private badResponse(ctx: RequestContext, detail: string): NetworkError {
    return new NetworkError(this.redact(`FRED returned an unexpected response for ${ctx.what}: ${detail}`));
  }

  private redact(s: string): string {
    return redactSecrets(s, this.apiKey);
  }

  private backoffMs(retry: number): number {
    const cap = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** retry);
    return cap * (0.5 + 0.5 * this.random());
  }

  private checkKey(): string {
    const key = this.apiKey?.trim();
    if (!key) throw new NetworkError(`no FRED API key: ${KEY_HELP}`);
    if (!/^[a-z0-9]{32}$/.test(key)) {
      throw new NetworkError(
        "the FRED API key is malformed (FRED keys are 32 lower-case letters and digits; " +
          `this one has ${key.length} characters): check FRED_API_KEY`,
      );
    }
    return key;
  }

  /** GET `path` with retries; returns parsed JSON of a 2xx answer or throws a typed error. */
  private async getJson(path: string, params: Record<string, string>, ctx: RequestContext): Promise<unknown> {
    const key = this.checkKey();
    const url = new URL(`${this.baseUrl}/${path}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set("api_key", key);
    url.searchParams.set("file_type", "json");

    let lastReason = "";
    let lastStatus: number | undefined;
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < this.maxRetries;
      await this.limiter.acquire();
      let res: Response;
      let text: string;
      try {
        res = await this.fetchImpl(url, {
          signal: AbortSignal.timeout(this.timeoutMs),
          headers: { accept: "application/json" },
        });
        text = await res.text();
      } catch (e) {
        lastReason = this.redact(describeFetchError(e, this.timeoutMs));
        if (retriesLeft) {
          await this.clock.sleep(this.backoffMs(attempt));
          continue;
        }
        throw new NetworkError(
          `FRED unreachable: ${lastReason} (after ${this.maxRetries} retries)`,
          undefined,
          {
            cause: new Error(lastReason),
          },
        );
      }

      if (res.ok) {
        try {
          return JSON.parse(text);
        } catch {
          throw this.badResponse(ctx, `not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
        }
      }

      const fredMessage = this.errorMessage(text);
      const status = res.status;
      const detail = fredMessage ? `: ${fredMessage}` : res.statusText ? ` ${res.statusText}` : "";
      const statusText = `HTTP ${status}${detail}`;
      if (status === 429 || status === 408 || status >= 500) {
        lastReason = statusText;
        lastStatus = status;
        if (!retriesLeft) break;
        const retryAfter = parseRetryAfter(res.headers.get("retry-after"), this.wallClock());
        if (retryAfter !== null && retryAfter > this.maxRetryAfterMs) {
          throw new NetworkError(
            `FRED busy: ${statusText}; it asks to retry after ${Math.round(retryAfter / 1000)} s`,
            status,
          );
        }
        await this.clock.sleep(Math.max(this.backoffMs(attempt), retryAfter ?? 0));
        continue;
      }
      throw this.clientError(status, statusText, fredMessage, ctx);
    }
    const what = lastStatus === 429 ? "FRED rate limit" : "FRED unavailable";
    throw new NetworkError(`${what}: ${lastReason} (after ${this.maxRetries} retries)`, lastStatus);
  }

  /** FRED's JSON `error_message`, redacted, or "" when the body is not FRED's error JSON. */
  private errorMessage(text: string): string {
    try {
      const r = ErrorBody.safeParse(JSON.parse(text));
      return r.success ? this.redact(r.data.error_message.replace(/\s+/g, " ").trim()) : "";
    } catch {
      return "";
    }
  }

  private clientError(
    status: number,
    statusText: string,
    fredMessage: string,
    ctx: RequestContext,
  ): YardstickError {
    if (/api[_ ]?key/i.test(fredMessage) || status === 401 || status === 403) {
      return new NetworkError(`FRED refused the API key (${statusText}): check FRED_API_KEY`, status);
    }
    if ((status === 400 || status === 404) && ctx.seriesId !== undefined) {
      if (status === 404 || fredMessage === "" || /series/i.test(fredMessage)) {
        return new NotFoundError(`FRED has no series "${ctx.seriesId}" (${statusText})`);
      }
      return new YardstickError(`FRED rejected the request for ${ctx.what} (${statusText})`, "usage");
    }
    if (status === 404) return new NotFoundError(`FRED has no ${ctx.what} (${statusText})`);
    return new NetworkError(`FRED request for ${ctx.what} failed (${statusText})`, status);
  }
}

function checkSeriesId(id: string): void {
  if (!RE_SERIES_ID.test(id)) {
    throw new NotFoundError(`"${id}" is not a FRED series id (letters, digits and _ only, e.g. DGS10)`);
  }
}
