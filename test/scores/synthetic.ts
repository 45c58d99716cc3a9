/**
 * Synthetic inputs for the score tests: seeded random walks shaped like the series the engine
 * knows (ids from the publication-lag table, so their lags apply), monthly labelled YYYY-MM-01
 * and daily on days 1..28 of each month. Not a test file (no .test.ts): shared by the score tests.
 */
import { makeSeries, type Series } from "../../src/core/series.ts";
import { createRng } from "../../src/stats/random.ts";

export function monthLabelOf(m: number): string {
  const y = Math.floor(m / 12);
  return `${y}-${String(m - y * 12 + 1).padStart(2, "0")}-01`;
}

export function monthlyIndexSeries(
  id: string,
  startMonth: number,
  n: number,
  seed: number,
  { drift = 0.002, vol = 0.004, skip = [] as number[] } = {},
): Series {
  const rng = createRng(seed);
  const dates: string[] = [];
  const values: number[] = [];
  let x = 100;
  for (let k = 0; k < n; k++) {
    x *= 1 + drift + vol * (2 * rng.uniform() - 1);
    if (skip.includes(k)) continue; // a release that never came
    dates.push(monthLabelOf(startMonth + k));
    values.push(x);
  }
  return makeSeries(
    { id, title: id, units: "index", frequency: "m", source: "synthetic", licence: "test" },
    dates,
    values,
  );
}

/** Daily observations on days 1..lastDay of each month; the final month stops at `lastDayFinal`. */
export function dailySeries(
  id: string,
  startMonth: number,
  months: number,
  seed: number,
  lastDayFinal = 28,
): Series {
  const rng = createRng(seed);
  const dates: string[] = [];
  const values: number[] = [];
  let x = 2;
  for (let k = 0; k < months; k++) {
    const label = monthLabelOf(startMonth + k).slice(0, 8);
    const last = k === months - 1 ? lastDayFinal : 28;
    for (let d = 1; d <= last; d++) {
      x += 0.02 * (2 * rng.uniform() - 1);
      dates.push(`${label}${String(d).padStart(2, "0")}`);
      values.push(x);
    }
  }
  return makeSeries(
    { id, title: id, units: "percent", frequency: "d", source: "synthetic", licence: "test" },
    dates,
    values,
  );
}

/** Observations dated on or before `iso` (what "deleting the data after t" means). */
export function cutAfter(s: Series, iso: string): Series {
  let n = s.dates.length;
  while (n > 0 && s.dates[n - 1] > iso) n--;
  return { meta: s.meta, dates: s.dates.slice(0, n), values: s.values.slice(0, n) };
}
