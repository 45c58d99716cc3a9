/**
 * `yardstick data fetch ID...`: download series from the FRED API into the store. A series
 * fetched within the cache window is served from the store unless --refresh. When FRED is
 * offline or refuses, the cached copy is used with a warning; the command fails (exit 5) only
 * for ids that have no cached copy.
 */
import { Command } from "@commander-js/extra-typings";
import { todayIso } from "../core/dates.ts";
import { NetworkError, type Warning, YardstickError } from "../core/errors.ts";
import { FredClient } from "../sources/fred.ts";
import { fredApiKey } from "../store/home.ts";
import type { GlobalOptions } from "./context.ts";
import { withStore } from "./context.ts";
import { envelope, formatTable, printWarnings, toJson } from "./output.ts";

interface FetchRow {
  id: string;
  status: "fetched" | "cached" | "cached (FRED unavailable)" | "failed";
  observations: number | null;
  lastDate: string | null;
  lastUpdated: string | null;
  fetchedAt: string | null;
}

export function fetchCommand(globals: () => GlobalOptions) {
  return new Command("fetch")
    .description(
      "fetch series from the FRED API (key from FRED_API_KEY or $YARDSTICK_HOME/config.json, never printed); " +
        "rate-limited to 120 requests/minute with retry and backoff on 429/5xx; offline: uses the cached copy",
    )
    .argument("<ids...>", "FRED series ids, e.g. DGS10 T10YIE")
    .option("--refresh", "fetch even if the cached copy is recent")
    .option("--max-age-hours <h>", "serve from cache when fetched less than this many hours ago", "12")
    .option("--base-url <url>", "FRED API base URL (for testing against a local server)")
    .action(async (ids, opts) => {
      const g = globals();
      const maxAgeMs = Number(opts.maxAgeHours) * 3_600_000;
      if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
        throw new YardstickError(
          `--max-age-hours "${opts.maxAgeHours}" must be a non-negative number`,
          "usage",
        );
      }
      const apiKey = fredApiKey();
      await withStore(g, async (store) => {
        const warnings: Warning[] = [];
        const rows: FetchRow[] = [];
        let client: FredClient | null = null;
        for (const typed of ids) {
          // FRED ids are upper case; the store keeps FRED's spelling
          const id = typed.toUpperCase();
          const fetchedAt = await store.getInfo(`fred_fetched:${id}`);
          const cachedMeta = await store.getMeta(id);
          const fresh = fetchedAt !== null && Date.now() - Date.parse(fetchedAt) < maxAgeMs;
          if (cachedMeta && fresh && !opts.refresh) {
            const info = (await store.listSeries()).find((s) => s.meta.id === id);
            rows.push({
              id,
              status: "cached",
              observations: info?.count ?? null,
              lastDate: info?.lastDate ?? null,
              lastUpdated: cachedMeta.lastUpdated ?? null,
              fetchedAt,
            });
            continue;
          }
          try {
            if (!apiKey) {
              throw new NetworkError(
                'no FRED API key: set FRED_API_KEY or put { "fredApiKey": "..." } in $YARDSTICK_HOME/config.json (free key at fred.stlouisfed.org)',
              );
            }
            client ??= new FredClient({
              apiKey,
              ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
              // for tests of the retry path; FRED itself gets the default backoff
              ...(process.env.YARDSTICK_FRED_BACKOFF_MS
                ? { backoffBaseMs: Number(process.env.YARDSTICK_FRED_BACKOFF_MS) }
                : {}),
            });
            const got = await client.fetchSeries(id);
            warnings.push(...got.warnings);
            const now = new Date().toISOString();
            await store.importSeries([{ series: got.series, origin: "FRED API" }], {
              vintage: todayIso(),
              beforeCommit: async (conn) => store.setInfo(`fred_fetched:${id}`, now, conn),
            });
            const s = got.series;
            rows.push({
              id,
              status: "fetched",
              observations: s.dates.length,
              lastDate: s.dates[s.dates.length - 1] ?? null,
              lastUpdated: got.lastUpdated,
              fetchedAt: now,
            });
          } catch (err) {
            if (!(err instanceof NetworkError)) throw err;
            if (cachedMeta) {
              const info = (await store.listSeries()).find((s) => s.meta.id === id);
              warnings.push({
                code: "fred-unavailable",
                series: id,
                message: `${err.message}; using the cached copy of ${id} (last observation ${info?.lastDate ?? "?"})`,
              });
              rows.push({
                id,
                status: "cached (FRED unavailable)",
                observations: info?.count ?? null,
                lastDate: info?.lastDate ?? null,
                lastUpdated: cachedMeta.lastUpdated ?? null,
                fetchedAt,
              });
            } else {
              warnings.push({
                code: "fred-unavailable",
                series: id,
                message: `${err.message}; no cached copy of ${id}`,
              });
              rows.push({
                id,
                status: "failed",
                observations: null,
                lastDate: null,
                lastUpdated: null,
                fetchedAt: null,
              });
            }
          }
        }
        if (g.json)
          console.log(
            toJson(
              envelope("data fetch", { ids, refresh: Boolean(opts.refresh) }, rows, {
                dataVintage: await store.dataVintage(),
                warnings,
              }),
            ),
          );
        else {
          printWarnings(warnings);
          console.log(
            formatTable(
              ["id", "status", "obs", "last date", "FRED updated"],
              rows.map((r) => [r.id, r.status, r.observations, r.lastDate, r.lastUpdated]),
            ),
          );
        }
        if (rows.some((r) => r.status === "failed")) {
          process.exitCode = 5;
        }
      });
    });
}
