/**
 * Argument parsers shared by the commands, so every command reads dates and counts the same way
 * and says the same thing when they are wrong (exit 2, usage).
 */
import { endOfMonth, isIsoDate } from "../core/dates.ts";
import { YardstickError } from "../core/errors.ts";

/**
 * An ISO date, or a month `YYYY-MM`: its first day, or with `monthEnd` its last day (so
 * `--to 2020-03` keeps all of March).
 */
export function parseDateArg(
  name: string,
  value: string,
  { monthEnd = false }: { monthEnd?: boolean } = {},
): string {
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
  const d = month ? (monthEnd ? endOfMonth(`${value}-01`) : `${value}-01`) : value;
  if (!isIsoDate(d))
    throw new YardstickError(`--${name} "${value}" is not a date (YYYY-MM-DD or YYYY-MM)`, "usage");
  return d;
}

/** `parseDateArg` for an optional option value; `--to`-like options take the month's last day. */
export function optionalDate(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return parseDateArg(name, value, { monthEnd: name === "to" });
}

/** A commander parser for whole numbers >= `min`. */
export function positiveInt(name: string, min = 1) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      throw new YardstickError(`--${name} "${v}" must be a whole number >= ${min}`, "usage");
    }
    return n;
  };
}
