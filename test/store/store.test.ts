import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { StoreError } from "../../src/core/errors.ts";
import { makeSeries, type Series } from "../../src/core/series.ts";
import { Store } from "../../src/store/store.ts";

const dir = mkdtempSync(join(tmpdir(), "yardstick-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function series(id: string, dates: string[], values: number[]): Series {
  return makeSeries(
    { id, title: id, units: "percent", frequency: "d", source: "test", licence: "test" },
    dates,
    values,
  );
}

async function snapshot(store: Store): Promise<string> {
  const list = await store.listSeries();
  const parts: string[] = [];
  for (const s of list) {
    const { series: x, vintage } = await store.getSeries(s.meta.id);
    parts.push(`${s.meta.id}@${vintage}:${x.dates.join(",")}=${Array.from(x.values).join(",")}`);
  }
  return parts.join("\n");
}

test("import round-trips values, NaN as missing, and metadata", async () => {
  const store = await Store.open({ path: join(dir, "a.duckdb") });
  await store.importSeries(
    [{ series: series("X", ["2020-01-01", "2020-01-02", "2020-01-03"], [1.5, Number.NaN, -2]), origin: "t" }],
    {
      vintage: "2026-01-01",
    },
  );
  const { series: x, vintage } = await store.getSeries("X");
  assert.equal(vintage, "2026-01-01");
  assert.deepEqual(x.dates, ["2020-01-01", "2020-01-02", "2020-01-03"]);
  assert.equal(x.values[0], 1.5);
  assert.ok(Number.isNaN(x.values[1]));
  assert.equal(x.values[2], -2);
  assert.equal(x.meta.units, "percent");
  const info = (await store.listSeries())[0];
  assert.equal(info.count, 2, "missing values are not counted");
  assert.equal(info.lastValue, -2);
  store.close();
});

test("vintages are snapshots: as-of reads return the newest snapshot at or before the date", async () => {
  const store = await Store.open({ path: join(dir, "v.duckdb") });
  await store.importSeries([{ series: series("CPI", ["2020-01-01", "2020-02-01"], [1, 2]), origin: "t" }], {
    vintage: "2026-01-01",
  });
  await store.importSeries(
    [{ series: series("CPI", ["2020-01-01", "2020-02-01", "2020-03-01"], [1, 2.5, 3]), origin: "t" }],
    {
      vintage: "2026-02-01",
    },
  );
  const old = await store.getSeries("CPI", { vintage: "2026-01-15" });
  assert.deepEqual(Array.from(old.series.values), [1, 2]);
  const now = await store.getSeries("CPI");
  assert.deepEqual(Array.from(now.series.values), [1, 2.5, 3]);
  await assert.rejects(store.getSeries("CPI", { vintage: "2025-01-01" }), /no vintage at or before/);
  store.close();
});

test("a failed import leaves the store exactly as it was", async () => {
  const store = await Store.open({ path: join(dir, "f.duckdb") });
  await store.importSeries([{ series: series("A", ["2020-01-01"], [1]), origin: "t" }], {
    vintage: "2026-01-01",
  });
  const before = await snapshot(store);
  await assert.rejects(
    store.importSeries(
      [
        { series: series("A", ["2020-01-01", "2020-01-02"], [9, 9]), origin: "t" },
        { series: series("B", ["2020-01-01"], [2]), origin: "t" },
      ],
      {
        vintage: "2026-01-01",
        beforeCommit: async () => {
          throw new Error("simulated failure after all rows were written");
        },
      },
    ),
    /simulated failure/,
  );
  assert.equal(await snapshot(store), before);
  store.close();
});

test("unknown series: NotFoundError with suggestions", async () => {
  const store = await Store.open({ path: join(dir, "n.duckdb") });
  await store.importSeries([{ series: series("DGS10", ["2020-01-01"], [1]), origin: "t" }], {
    vintage: "2026-01-01",
  });
  await assert.rejects(
    store.getSeries("DGS11"),
    (e: Error) => e.name === "NotFoundError" && /did you mean DGS10/.test(e.message),
  );
  store.close();
});

test("a read-only store file opens read-only and refuses writes with a clear error", async () => {
  const path = join(dir, "ro.duckdb");
  const w = await Store.open({ path });
  await w.importSeries([{ series: series("A", ["2020-01-01"], [1]), origin: "t" }], {
    vintage: "2026-01-01",
  });
  w.close();
  chmodSync(path, 0o444);
  const store = await Store.open({ path });
  assert.equal(store.readOnly, true);
  assert.equal((await store.getSeries("A")).series.values[0], 1);
  await assert.rejects(
    store.importSeries([{ series: series("B", ["2020-01-01"], [1]), origin: "t" }], {
      vintage: "2026-01-01",
    }),
    (e: Error) => e instanceof StoreError && /read-only/.test(e.message),
  );
  store.close();
  chmodSync(path, 0o644);
});

function runChild(script: string, args: string[]) {
  return spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, script), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function waitFor(child: ReturnType<typeof runChild>, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (b) => {
      out += b;
      if (out.includes(text)) resolve();
    });
    child.stderr?.on("data", (b) => {
      err += b;
    });
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before "${text}": ${err}`)));
  });
}

test("a store locked by another process gives a clear error naming the lock", async () => {
  const path = join(dir, "lock.duckdb");
  (await Store.open({ path })).close();
  const child = runChild("lock-child.ts", [path]);
  try {
    await waitFor(child, "open");
    await assert.rejects(
      Store.open({ path }),
      (e: Error) => e instanceof StoreError && /locked by another process/.test(e.message),
    );
  } finally {
    child.kill("SIGKILL");
  }
});

test("SIGKILL in the middle of a large import: the store reopens with its previous contents", {
  timeout: 120_000,
}, async () => {
  const path = join(dir, "kill.duckdb");
  const store = await Store.open({ path });
  await store.importSeries([{ series: series("KEEP", ["2020-01-01", "2020-01-02"], [1, 2]), origin: "t" }], {
    vintage: "2026-01-01",
  });
  const before = await snapshot(store);
  store.close();
  const child = runChild("kill-child.ts", [path]);
  const exited = new Promise<string | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  await waitFor(child, "writing");
  child.kill("SIGKILL");
  assert.equal(await exited, "SIGKILL");
  const reopened = await Store.open({ path });
  assert.equal(await snapshot(reopened), before);
  reopened.close();
});
