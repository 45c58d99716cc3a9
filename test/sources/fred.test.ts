/**
 * FredClient against a local fake FRED (node:http on 127.0.0.1, port 0): never the internet.
 * Backoff sleeps and the rate limiter run on a fake clock, so the suite takes well under a
 * second apart from the one real timeout test.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { inspect } from "node:util";
import { NetworkError, NotFoundError } from "../../src/core/errors.ts";
import { FredClient, type FredClientOptions, redactSecrets } from "../../src/sources/fred.ts";

const KEY = "0123456789abcdefghijklmnopqrstuv"; // 32 lower-case alphanumerics, FRED's key format

// --- fake FRED -------------------------------------------------------------------------------

type Route = (url: URL, req: IncomingMessage, res: ServerResponse) => void;

interface FakeFred {
  baseUrl: string;
  hits: URL[];
  close(): Promise<void>;
}

const servers: FakeFred[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", connection: "close", ...headers });
  res.end(JSON.stringify(body));
}

const BAD_SERIES = { error_code: 400, error_message: "Bad Request.  The series does not exist." };

const DGS10_INFO = {
  realtime_start: "2026-11-20",
  realtime_end: "2026-11-20",
  seriess: [
    {
      id: "DGS10",
      realtime_start: "2026-11-20",
      realtime_end: "2026-11-20",
      title: "Market Yield on U.S. Treasury Securities at 10-Year Constant Maturity",
      observation_start: "1962-01-02",
      observation_end: "2026-11-19",
      frequency: "Daily",
      frequency_short: "D",
      units: "Percent",
      units_short: "%",
      seasonal_adjustment: "Not Seasonally Adjusted",
      seasonal_adjustment_short: "NSA",
      last_updated: "2026-11-20 15:18:03-06",
      popularity: 94,
      notes: "For further information regarding treasury constant maturity data, please refer to the H.15.",
    },
  ],
};

const DGS10_OBS = [
  ["2019-12-31", "."],
  ["2020-01-01", "."],
  ["2020-01-02", "1.88"],
  ["2020-01-03", "1.80"],
  ["2020-01-06", "."],
  ["2020-01-07", "1.83"],
  ["2020-01-08", "."],
];

function observationsBody(rows: string[][], offset = 0, count = rows.length) {
  return {
    realtime_start: "2026-11-20",
    realtime_end: "2026-11-20",
    observation_start: "1776-07-04",
    observation_end: "9999-12-31",
    units: "lin",
    output_type: 1,
    file_type: "json",
    order_by: "observation_date",
    sort_order: "asc",
    count,
    offset,
    limit: 100000,
    observations: rows.map(([date, value]) => ({
      realtime_start: "2026-11-20",
      realtime_end: "2026-11-20",
      date,
      value,
    })),
  };
}

/** The well-behaved FRED: DGS10 and T10Y2Y known, everything else 400. */
const happy: Route = (url, _req, res) => {
  const id = url.searchParams.get("series_id");
  const known = id === "DGS10" || id === "T10Y2Y";
  switch (url.pathname) {
    case "/fred/series":
      if (!known) return json(res, 400, BAD_SERIES);
      return json(res, 200, {
        ...DGS10_INFO,
        seriess: [{ ...DGS10_INFO.seriess[0], id, extra_field_fred_may_add: 1 }],
      });
    case "/fred/series/observations":
      return known ? json(res, 200, observationsBody(DGS10_OBS)) : json(res, 400, BAD_SERIES);
    case "/fred/series/release":
      return json(res, 200, {
        releases: [{ id: 18, name: "H.15 Selected Interest Rates", press_release: true }],
      });
    case "/fred/release/sources":
      return json(res, 200, {
        sources: [{ id: 1, name: "Board of Governors of the Federal Reserve System (US)" }],
      });
    default:
      return json(res, 404, { error_code: 404, error_message: "Not Found" });
  }
};

async function fakeFred(route: Route): Promise<FakeFred> {
  const hits: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push(url);
    route(url, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeFred = {
    baseUrl: `http://127.0.0.1:${port}/fred`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

/** Fake time: `sleep` advances `now` instantly and records the requested delays. */
function fakeClock() {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

function client(baseUrl: string, extra: Partial<FredClientOptions> = {}) {
  const clock = fakeClock();
  const c = new FredClient({
    apiKey: KEY,
    baseUrl,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    wallClock: () => Date.UTC(2026, 10, 21, 12, 0, 0),
    ...extra,
  });
  return { c, clock };
}

/** Every way an error could be shown or logged must be free of the key. */
function assertNoKey(e: unknown): void {
  const err = e as Error & { cause?: unknown };
  for (const text of [
    err.message,
    String(err),
    err.stack ?? "",
    inspect(err, { depth: 5 }),
    JSON.stringify(err),
  ]) {
    assert.ok(!text.includes(KEY), `key leaked in: ${text}`);
  }
}

// --- tests -----------------------------------------------------------------------------------

test("happy path: metadata, observations with '.', publisher, provenance", async () => {
  const fake = await fakeFred(happy);
  const { c, clock } = client(fake.baseUrl);
  const got = await c.fetchSeries("DGS10");
  const s = got.series;
  // leading "." rows trimmed, trailing "." trimmed, inner "." kept as NaN
  assert.deepEqual(s.dates, ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"]);
  assert.deepEqual([...s.values], [1.88, 1.8, Number.NaN, 1.83]);
  assert.equal(s.meta.id, "DGS10");
  assert.equal(s.meta.units, "Percent");
  assert.equal(s.meta.frequency, "d");
  assert.equal(s.meta.lastUpdated, "2026-11-20");
  assert.equal(got.lastUpdated, "2026-11-20 15:18:03-06");
  assert.equal(got.retrievedAt, "2026-11-21T12:00:00.000Z");
  assert.match(
    s.meta.source,
    /^FRED, Federal Reserve Bank of St\. Louis \(original publisher: Board of Governors/,
  );
  assert.match(s.meta.source, /H\.15 Selected Interest Rates/);
  assert.equal(s.meta.licence, "see FRED series notes; cite FRED");
  assert.match(s.meta.notes ?? "", /^Seasonal adjustment: NSA\. For further information/);
  assert.deepEqual(got.warnings, []);
  assert.deepEqual(
    fake.hits.map((u) => u.pathname),
    ["/fred/series", "/fred/series/observations", "/fred/series/release", "/fred/release/sources"],
  );
  for (const u of fake.hits) {
    assert.equal(u.searchParams.get("api_key"), KEY);
    assert.equal(u.searchParams.get("file_type"), "json");
  }
  assert.equal(fake.hits[1].searchParams.get("sort_order"), "asc");
  // second series of the same release: the release's sources come from the client's cache
  await c.fetchSeries("T10Y2Y", { start: "2020-01-01", end: "2020-12-31" });
  assert.equal(fake.hits.length, 7);
  assert.equal(fake.hits[5].searchParams.get("observation_start"), "2020-01-01");
  assert.equal(fake.hits[5].searchParams.get("observation_end"), "2020-12-31");
  assert.deepEqual(clock.sleeps.length > 0, true, "7 requests at ≤ 2/s must have waited on the limiter");
});

test("observations are paged with offset until count is reached", async () => {
  const rows = Array.from({ length: 5 }, (_, i) => [`2020-01-0${i + 1}`, String(i + 0.5)]);
  const fake = await fakeFred((url, _req, res) => {
    const offset = Number(url.searchParams.get("offset"));
    json(res, 200, observationsBody(rows.slice(offset, offset + 2), offset, rows.length));
  });
  const { c } = client(fake.baseUrl);
  const obs = await c.observations("DGS10");
  assert.deepEqual(
    obs.dates,
    rows.map((r) => r[0]),
  );
  assert.deepEqual([...obs.values], [0.5, 1.5, 2.5, 3.5, 4.5]);
  assert.deepEqual(
    fake.hits.map((u) => u.searchParams.get("offset")),
    ["0", "2", "4"],
  );
});

test("400 on a bad id → NotFoundError quoting FRED, not retried", async () => {
  const fake = await fakeFred(happy);
  const { c, clock } = client(fake.baseUrl);
  await assert.rejects(c.fetchSeries("XYZ"), (e: unknown) => {
    assert.ok(e instanceof NotFoundError);
    assert.equal(e.message, 'FRED has no series "XYZ" (HTTP 400: Bad Request. The series does not exist.)');
    return true;
  });
  assert.equal(fake.hits.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

test("an id that cannot be a FRED id is refused before any request", async () => {
  const fake = await fakeFred(happy);
  const { c } = client(fake.baseUrl);
  await assert.rejects(c.seriesInfo("DGS 10&x=1"), NotFoundError);
  assert.equal(fake.hits.length, 0);
});

test("429 then success: retried, Retry-After honoured", async () => {
  let n = 0;
  const fake = await fakeFred((url, req, res) => {
    if (url.pathname === "/fred/series" && n++ === 0) {
      return json(res, 429, { error_code: 429, error_message: "Too Many Requests." }, { "retry-after": "7" });
    }
    happy(url, req, res);
  });
  const { c, clock } = client(fake.baseUrl);
  const info = await c.seriesInfo("DGS10");
  assert.equal(info.id, "DGS10");
  assert.equal(fake.hits.length, 2);
  // backoff for retry 0 with random 0.5 is 750 ms; Retry-After asks 7 s, which must win
  assert.ok(clock.sleeps.includes(7000), `sleeps ${clock.sleeps}`);
});

test("500 three times then success: exponential backoff with jitter", async () => {
  let n = 0;
  const fake = await fakeFred((url, req, res) => {
    if (n++ < 3) return json(res, 500, { error_code: 500, error_message: "Internal Server Error" });
    happy(url, req, res);
  });
  const { c, clock } = client(fake.baseUrl, { random: () => 0 });
  await c.seriesInfo("DGS10");
  assert.equal(fake.hits.length, 4);
  // random()=0 → half of base·2^k, base 1000 ms: 500, 1000, 2000 ms. Limiter waits (if any) are
  // also sleeps, so look for the backoff values in order rather than the whole list.
  const backoffs = clock.sleeps.filter((ms) => [500, 1000, 2000].includes(ms));
  assert.deepEqual(backoffs, [500, 1000, 2000], `sleeps ${clock.sleeps}`);
});

test("persistent 500 → NetworkError after maxRetries, status kept", async () => {
  const fake = await fakeFred((_url, _req, res) =>
    json(res, 500, { error_message: "Internal Server Error" }),
  );
  const { c } = client(fake.baseUrl);
  await assert.rejects(c.fetchSeries("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.equal(e.message, "FRED unavailable: HTTP 500: Internal Server Error (after 4 retries)");
    assert.equal(e.status, 500);
    assert.equal(e.exitCode, 5);
    return true;
  });
  assert.equal(fake.hits.length, 5);
});

test("Retry-After beyond the cap fails at once instead of stalling", async () => {
  const fake = await fakeFred((_url, _req, res) => json(res, 503, {}, { "retry-after": "3600" }));
  const { c, clock } = client(fake.baseUrl);
  await assert.rejects(c.seriesInfo("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.match(e.message, /retry after 3600 s/);
    return true;
  });
  assert.equal(fake.hits.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

test("timeout: a server that never answers → NetworkError after retries", async () => {
  const fake = await fakeFred(() => {
    /* never respond */
  });
  const { c } = client(fake.baseUrl, { timeoutMs: 150, maxRetries: 1 });
  await assert.rejects(c.seriesInfo("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.equal(e.message, "FRED unreachable: no response within 150 ms (after 1 retries)");
    return true;
  });
  assert.equal(fake.hits.length, 2);
});

test("connection refused (closed port) → NetworkError with the system reason", async () => {
  const fake = await fakeFred(happy);
  const port = new URL(fake.baseUrl).port;
  await fake.close();
  const { c } = client(fake.baseUrl, { maxRetries: 2 });
  await assert.rejects(c.fetchSeries("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.equal(e.message, `FRED unreachable: connect ECONNREFUSED 127.0.0.1:${port} (after 2 retries)`);
    assertNoKey(e);
    return true;
  });
});

test("rate limiter: requests through the client are spaced ≤ 2/s and ≤ N/min", async () => {
  const fake = await fakeFred(happy);
  const clock = fakeClock();
  const sent: number[] = [];
  const c = new FredClient({
    apiKey: KEY,
    baseUrl: fake.baseUrl,
    sleep: clock.sleep,
    now: clock.now,
    maxPerMinute: 5,
    fetchImpl: (input, init) => {
      sent.push(clock.now());
      return fetch(input, init);
    },
  });
  await Promise.all(Array.from({ length: 12 }, () => c.seriesInfo("DGS10")));
  assert.equal(sent.length, 12);
  for (let i = 0; i < sent.length; i++) {
    const inSecond = sent.filter((t) => t >= sent[i] && t < sent[i] + 1000).length;
    const inMinute = sent.filter((t) => t >= sent[i] && t < sent[i] + 60_000).length;
    assert.ok(inSecond <= 2, `${inSecond} requests in 1 s from t=${sent[i]}: ${sent}`);
    assert.ok(inMinute <= 5, `${inMinute} requests in 60 s from t=${sent[i]}: ${sent}`);
  }
  // and no slower than needed: request 6 goes exactly when request 1 leaves the 60 s window
  assert.equal(sent[5], sent[0] + 60_000);
});

test("key redaction: echoed keys never reach messages, stacks or causes", async () => {
  const fake = await fakeFred((url, _req, res) => {
    const echo = `request http://x${url.pathname}${url.search} with key ${KEY}`;
    if (url.pathname === "/fred/series") return json(res, 400, { error_message: `Bad Request. ${echo}` });
    return json(res, 500, { error_message: echo });
  });
  const { c } = client(fake.baseUrl, { maxRetries: 1 });
  await assert.rejects(c.seriesInfo("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError, String(e)); // FRED's text mentions api_key: a key problem
    assert.match(e.message, /api_key=REDACTED/);
    assertNoKey(e);
    return true;
  });
  await assert.rejects(c.observations("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.match(e.message, /REDACTED/);
    assertNoKey(e);
    return true;
  });
  assert.equal(
    redactSecrets(`https://h/fred/series?series_id=A&api_key=${KEY}&file_type=json`, KEY),
    "https://h/fred/series?series_id=A&api_key=REDACTED&file_type=json",
  );
  assert.equal(redactSecrets(`api_key%3D${KEY}`), "api_key%3DREDACTED");
});

test("missing or malformed key → NetworkError asking for FRED_API_KEY; nothing sent", async () => {
  const fake = await fakeFred(happy);
  for (const apiKey of [undefined, "", "   "]) {
    const { c } = client(fake.baseUrl, { apiKey });
    await assert.rejects(c.fetchSeries("DGS10"), (e: unknown) => {
      assert.ok(e instanceof NetworkError);
      assert.match(e.message, /no FRED API key: set the FRED_API_KEY environment variable/);
      return true;
    });
  }
  const bad = "NOT-A-KEY-but-secret-1234";
  const { c } = client(fake.baseUrl, { apiKey: bad });
  await assert.rejects(c.fetchSeries("DGS10"), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.match(e.message, /malformed.*FRED_API_KEY/);
    assert.ok(!e.message.includes(bad));
    return true;
  });
  assert.equal(fake.hits.length, 0);
});

test("garbage answers (HTML, missing fields, bad values) → NetworkError naming the problem", async () => {
  const fake = await fakeFred((url, _req, res) => {
    if (url.pathname === "/fred/series") {
      res.writeHead(200, { "content-type": "text/html", connection: "close" });
      return res.end("<html><body>Captive portal</body></html>");
    }
    if (url.searchParams.get("series_id") === "A") return json(res, 200, { observations: [] });
    return json(
      res,
      200,
      observationsBody([
        ["2020-01-02", "1.2"],
        ["2020-01-03", "n/a"],
      ]),
    );
  });
  const { c } = client(fake.baseUrl);
  await assert.rejects(c.seriesInfo("DGS10"), /unexpected response for series "DGS10": not JSON/);
  await assert.rejects(c.observations("A"), /unexpected response for observations of "A": count: /);
  await assert.rejects(c.observations("B"), /unexpected response.*value "n\/a" on 2020-01-03/);
});
