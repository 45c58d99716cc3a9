/**
 * Frequency of an imported series guessed from its date spacing, for files that do not say
 * (a FRED CSV download, an ACM export). The median gap between consecutive observations decides,
 * because business-day data has weekend and holiday gaps (1-4 days) and month-end data has gaps
 * of 28-31 days; the median is robust to the odd missing period. Gaps in days:
 *   d ≤ 4 < w ≤ 10 < (irregular) < m in 27..32, q in 88..93, a in 364..367; anything else irregular.
 */

import { toEpochDay } from "../core/dates.ts";
import type { Frequency } from "../core/series.ts";

/** Guess the frequency from ISO dates (strictly increasing). Fewer than 2 dates → "irregular". */
export function inferFrequency(dates: readonly string[]): Frequency {
  if (dates.length < 2) return "irregular";
  const gaps = new Float64Array(dates.length - 1);
  let prev = toEpochDay(dates[0]);
  for (let i = 1; i < dates.length; i++) {
    const d = toEpochDay(dates[i]);
    gaps[i - 1] = d - prev;
    prev = d;
  }
  gaps.sort();
  const median = gaps[Math.floor((gaps.length - 1) / 2)];
  if (median <= 4) return "d";
  if (median <= 10) return "w";
  if (median >= 27 && median <= 32) return "m";
  if (median >= 88 && median <= 93) return "q";
  if (median >= 364 && median <= 367) return "a";
  return "irregular";
}
