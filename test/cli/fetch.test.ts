/**
 * `data fetch` end to end against a fake FRED on 127.0.0.1 (never the internet): a fetch lands in
 * the store with FRED's metadata; a later failure (HTTP 500 on every retry) falls back to the
 * cached copy with a warning and exit 0; the API key never appears in any output.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { REPO_ROOT } from "../helpers.ts";

const KEY = "abcdefabcdefabcdefabcdefabcdef12";
const home = mkdtempSync(join(tmpdir(), "yardstick-fetch-"));
let server: Server;
let baseUrl = "";
let mode: "ok" | "fail" = "ok";

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (mode === "fail") {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error_code: 500, error_message: "Internal Server Error" }));
      return;
    }
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.endsWith("/series")) {
      json({
        seriess: [
          {
            id: "TESTSER",
            title: "A test series",
            units: "Percent",
            units_short: "%",
            frequency: "Daily",
            frequency_short: "D",
            seasonal_adjustment: "Not Seasonally Adjusted",
            seasonal_adjustment_short: "NSA",
            last_updated: "2026-11-20 15:16:02-06",
            observation_start: "2026-11-16",
            observation_end: "2026-11-18",
            notes: "test",
          },
        ],
      });
    } else if (url.pathname.endsWith("/series/observations")) {
      json({
        realtime_start: "2026-11-21",
        realtime_end: "2026-11-21",
        observation_start: "1600-01-01",
        observation_end: "9999-12-31",
        units: "lin",
        output_type: 1,
        file_type: "json",
        order_by: "observation_date",
        sort_order: "asc",
        count: 3,
        offset: 0,
        limit: 100000,
        observations: [
          { date: "2026-11-16", value: "4.10", realtime_start: "2026-11-21", realtime_end: "2026-11-21" },
          { date: "2026-11-17", value: ".", realtime_start: "2026-11-21", realtime_end: "2026-11-21" },
          { date: "2026-11-18", value: "4.20", realtime_start: "2026-11-21", realtime_end: "2026-11-21" },
        ],
      });
    } else if (url.pathname.endsWith("/series/release")) {
      json({ releases: [{ id: 18, name: "H.15 Selected Interest Rates" }] });
    } else if (url.pathname.endsWith("/release/sources")) {
      json({ sources: [{ id: 1, name: "Board of Governors of the Federal Reserve System (US)" }] });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fred`;
});
after(() => {
  server.close();
  rmSync(home, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), ...args], {
      env: {
        ...process.env,
        YARDSTICK_HOME: home,
        CI: "true",
        FRED_API_KEY: KEY,
        YARDSTICK_FRED_BACKOFF_MS: "5",
      },
      cwd: REPO_ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => {
      stdout += b;
    });
    child.stderr.on("data", (b) => {
      stderr += b;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("fetch stores FRED's observations and metadata; '.' is missing", { timeout: 120_000 }, async () => {
  const r = await cli(["data", "fetch", "testser", "--base-url", baseUrl, "--json"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), "the API key is never printed");
  const env = JSON.parse(r.stdout);
  assert.equal(env.results[0].status, "fetched");
  assert.equal(env.results[0].observations, 3);
  const show = JSON.parse((await cli(["data", "show", "TESTSER", "--json"])).stdout);
  assert.deepEqual(show.results, [
    { date: "2026-11-16", value: 4.1 },
    { date: "2026-11-17", value: null },
    { date: "2026-11-18", value: 4.2 },
  ]);
  assert.equal(show.meta.series.frequency, "d");
  assert.equal(show.meta.series.title, "A test series");
});

test("a recent fetch is served from the cache without contacting FRED", { timeout: 60_000 }, async () => {
  mode = "fail";
  const r = await cli(["data", "fetch", "TESTSER", "--base-url", baseUrl, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).results[0].status, "cached");
});

test("FRED failing (500 on every retry): cached copy with a warning, exit 0; unknown id without cache: exit 5", {
  timeout: 120_000,
}, async () => {
  mode = "fail";
  const r = await cli(["data", "fetch", "TESTSER", "NOCACHE", "--refresh", "--base-url", baseUrl, "--json"]);
  assert.equal(r.code, 5, "NOCACHE has no cached copy");
  const env = JSON.parse(r.stdout);
  assert.equal(env.results[0].status, "cached (FRED unavailable)");
  assert.equal(env.results[1].status, "failed");
  assert.match(env.warnings[0].message, /500/);
  assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), "the API key is never printed");
  const only = await cli(["data", "fetch", "TESTSER", "--refresh", "--base-url", baseUrl]);
  assert.equal(only.code, 0);
  assert.match(only.stderr, /using the cached copy of TESTSER/);
});
