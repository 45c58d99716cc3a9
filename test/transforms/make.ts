/** Test-only builders for the transforms tests: a Series from plain arrays and a seeded RNG. */
import { addDays, toEpochDay } from "../../src/core/dates.ts";
import { type Frequency, makeSeries, type Series } from "../../src/core/series.ts";

export function series(id: string, frequency: Frequency, dates: string[], values: number[]): Series {
  return makeSeries(
    { id, title: `test series ${id}`, units: "percent", frequency, source: "test", licence: "test" },
    dates,
    values,
  );
}

/** Mulberry32: a tiny deterministic generator so fixtures do not depend on Math.random. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from `rng`. */
export function normals(n: number, seed: number): Float64Array {
  const u = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/** Weekday dates (Mon-Fri) from `start`, `n` of them. */
export function weekdays(start: string, n: number): string[] {
  const out: string[] = [];
  for (let d = start; out.length < n; d = addDays(d, 1)) {
    const dow = (toEpochDay(d) + 4) % 7; // 1970-01-01 was a Thursday: 0 = Sunday
    if (dow !== 0 && dow !== 6) out.push(d);
  }
  return out;
}
