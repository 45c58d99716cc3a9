/**
 * Month arithmetic for the score engine's monthly grid. A month is an integer index
 * (year × 12 + month − 1) inside the engine and a `YYYY-MM-01` label outside (FRED's period
 * label; the score for that month is as of the month's END, see publication-lags.ts).
 */
import { daysInMonth } from "../core/dates.ts";

/** Month index of an ISO date (any day of the month). */
export function monthIndex(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

/** `YYYY-MM-01` label of a month index. */
export function monthLabel(m: number): string {
  const y = Math.floor(m / 12);
  return `${String(y).padStart(4, "0")}-${String(m - y * 12 + 1).padStart(2, "0")}-01`;
}

/** Last day of a month index, ISO. */
export function monthEnd(m: number): string {
  const y = Math.floor(m / 12);
  const mo = m - y * 12 + 1;
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(daysInMonth(y, mo)).padStart(2, "0")}`;
}

/** Day `day` of a month index (clamped to the month's length), ISO. */
export function dayOfMonth(m: number, day: number): string {
  const y = Math.floor(m / 12);
  const mo = m - y * 12 + 1;
  const d = Math.min(day, daysInMonth(y, mo));
  return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** `YYYY-MM` of a month index, for tables. */
export function monthText(m: number): string {
  return monthLabel(m).slice(0, 7);
}
