/**
 * `npm run bench`: every bench in bench/*.bench.ts, timed against its numpy reference in the
 * same run. Prints a table (or JSON with --json). Timings are medians; ratio = numpy / yardstick
 * (above 1 means yardstick is faster).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR, type BenchRow, numpyPython } from "./lib.ts";

const json = process.argv.includes("--json");
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const files = readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: (BenchRow & { file: string })[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(BENCH_DIR, f)).href)) as { run: () => Promise<BenchRow[]> };
  for (const r of await mod.run()) rows.push({ ...r, file: f });
}

const py = numpyPython();
if (json) {
  console.log(JSON.stringify({ meta: { node: process.version, python: py }, results: rows }, null, 2));
} else {
  const fmt = (x: number | null) => (x === null ? "n/a" : x < 1 ? x.toFixed(3) : x.toFixed(1));
  const header = ["bench", "size", "yardstick ms", "numpy ms", "numpy/yardstick"];
  const body = rows.map((r) => [
    r.name,
    r.size,
    fmt(r.yardstickMs),
    fmt(r.numpyMs),
    r.numpyMs === null ? "n/a" : `${(r.numpyMs / r.yardstickMs).toFixed(1)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const b of body) console.log(line(b));
  console.log(`\nnode ${process.version}; numpy reference: ${py ?? "not available (column skipped)"}`);
  for (const r of rows) if (r.note) console.log(`- ${r.name}: ${r.note}`);
}
