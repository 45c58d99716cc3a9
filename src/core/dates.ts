/**
 * Calendar for macro data: dates are ISO `YYYY-MM-DD` strings at every boundary and whole days
 * since 1970-01-01 (UTC, no time of day) inside arithmetic. Macro observations have no time of
 * day, and `Date` with local time zones is the classic source of off-by-one-day bugs, so nothing
 * here touches local time.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in month `month` (1-12) of `year`, proleptic Gregorian. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `s` is a real calendar date written as `YYYY-MM-DD` (2023-02-30 is not). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Whole days since 1970-01-01 for an ISO date. Throws on an invalid date. */
export function toEpochDay(iso: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${iso}"`);
  return Math.round(
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000,
  );
}

/**
 * Days since 1970-01-01 for an ISO date already known to be valid (no checks): Howard Hinnant's
 * days-from-civil algorithm, for bulk conversions where `toEpochDay`'s validation would dominate.
 */
export function epochDayUnchecked(iso: string): number {
  let y =
    (iso.charCodeAt(0) - 48) * 1000 +
    (iso.charCodeAt(1) - 48) * 100 +
    (iso.charCodeAt(2) - 48) * 10 +
    (iso.charCodeAt(3) - 48);
  const m = (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48);
  const d = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** ISO date for a day count since 1970-01-01. */
export function fromEpochDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** `YYYY-MM` of a date: the monthly period it falls in. */
export function monthKey(iso: string): string {
  return iso.slice(0, 7);
}

/** `YYYY-Qn` of a date: the quarterly period it falls in. */
export function quarterKey(iso: string): string {
  return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
}

/** First day of the month of `iso`. */
export function startOfMonth(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

/** Last day of the month of `iso`. */
export function endOfMonth(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return `${iso.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, "0")}`;
}

/** First day of the quarter of `iso` (FRED stamps quarters this way). */
export function startOfQuarter(iso: string): string {
  const m = Number(iso.slice(5, 7));
  const qm = Math.floor((m - 1) / 3) * 3 + 1;
  return `${iso.slice(0, 4)}-${String(qm).padStart(2, "0")}-01`;
}

/** First day of the year of `iso`. */
export function startOfYear(iso: string): string {
  return `${iso.slice(0, 4)}-01-01`;
}

/**
 * Add `months` calendar months; the day is clamped to the target month's length
 * (2024-01-31 + 1 month = 2024-02-29), the convention of Temporal's PlainDate and of most
 * bond calendars.
 */
export function addMonths(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const ty = y + Math.floor(m / 12);
  const tm = (((m % 12) + 12) % 12) + 1;
  const d = Math.min(Number(iso.slice(8, 10)), daysInMonth(ty, tm));
  return `${String(ty).padStart(4, "0")}-${String(tm).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Add whole days. */
export function addDays(iso: string, days: number): string {
  return fromEpochDay(toEpochDay(iso) + days);
}

/** Signed number of days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** Today's date in UTC as ISO. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
