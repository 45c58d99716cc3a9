/**
 * Policy-rate paths for the expected-rate part of long yields (METHODS.md §1b): the policy rate
 * month by month after an as-of date, in percent per year. Three ways to write one:
 *
 * - `moves`: counts of `stepBp` steps (25 bp by default) per calendar year, negative = cuts,
 *   optionally with a terminal level where moving stops (the FOMC dot-plot way of speaking).
 *   Timing, chosen because dots are year-end levels reached through evenly spaced meetings: the
 *   n moves of a year are spread over the L months of that year that lie after the as-of month,
 *   move k (k = 0..n-1) taking effect on the first day of available month ⌊L (k + ½) / n⌋
 *   (0-based). A full year with one move hikes in July; four moves in Feb, May, Aug, Nov; eight
 *   moves land close to the FOMC's eight meetings. The rate of a month is the rate in effect
 *   during it. Cuts stop at zero (no negative policy rate). After the last listed year the rate
 *   is held.
 * - `points`: levels on dates (futures, surveys), linear in months between the as-of month (at
 *   the start rate) and each point's month, held after the last point.
 * - `monthly`: an explicit list, the first entry being the month after the as-of month, held
 *   after the last entry.
 *
 * Month index 0 is the as-of month (rate = start rate); index i is the i-th month after it.
 * Validation returns field-addressed issues so a file reader can point at the line.
 */
import { addMonths, isIsoDate } from "../core/dates.ts";
import { InputError, type Warning } from "../core/errors.ts";
import { type FieldIssue, prefixIssues, throwIssues } from "./issues.ts";

export type PathSpec =
  | {
      kind: "moves";
      /** In the order written: years must increase. */
      moves: { year: number; count: number }[];
      terminalPct?: number;
    }
  | { kind: "points"; points: { date: string; ratePct: number }[] }
  | { kind: "monthly"; ratesPct: number[] };

export interface PathContext {
  /** ISO date; the path starts the month after. */
  asOf: string;
  startRatePct: number;
  /** Size of one move, basis points (default 25). */
  stepBp?: number;
}

export interface PolicyPath {
  name: string;
  kind: PathSpec["kind"];
  asOf: string;
  /** YYYY-MM of the as-of date: month index 0. */
  startMonth: string;
  startRatePct: number;
  /** ratesPct[i] = policy rate during month index i (index 0 = the as-of month = start rate). */
  ratesPct: Float64Array;
  /** Last month index the spec itself defines; later months hold that month's rate. */
  definedThrough: number;
  /** Moves actually applied (after the terminal level and the zero floor): month and size. */
  moves: { month: string; bp: number }[];
  /** Moves in the spec that the terminal level or the zero floor absorbed. */
  absorbedMoves: number;
  warnings: Warning[];
}

/** Months from the month of `a` to the month of `b` (ISO dates or YYYY-MM). */
export function monthsBetween(a: string, b: string): number {
  return (
    Number(b.slice(0, 4)) * 12 + Number(b.slice(5, 7)) - (Number(a.slice(0, 4)) * 12 + Number(a.slice(5, 7)))
  );
}

/** YYYY-MM of month index `i` counted from the month of `asOf`. */
export function monthLabel(asOf: string, i: number): string {
  return addMonths(`${asOf.slice(0, 7)}-01`, i).slice(0, 7);
}

/** Month indices (0-based within the year's available months) at which n moves take effect. */
export function moveMonthOffsets(available: number, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(Math.floor((available * (k + 0.5)) / n));
  return out;
}

/** Problems with `spec`, addressed relative to it (e.g. ["moves", "2023"]); empty when it can be built. */
export function checkPathSpec(spec: PathSpec, ctx: PathContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const asOfYear = Number(ctx.asOf.slice(0, 4));
  const asOfMonth = Number(ctx.asOf.slice(5, 7));
  if (spec.kind === "moves") {
    let prev: number | null = null;
    let hikes = false;
    let cuts = false;
    for (const { year, count } of spec.moves) {
      const field = ["moves", String(year)];
      if (!Number.isInteger(year)) issues.push({ field, message: `"${year}" is not a calendar year` });
      if (!Number.isInteger(count))
        issues.push({ field, message: `move count must be a whole number of steps, got ${count}` });
      if (prev !== null && year <= prev)
        issues.push({
          field,
          message: `years out of order: ${year} follows ${prev} (list years in increasing order, once each)`,
        });
      if (year < asOfYear || (year === asOfYear && asOfMonth === 12 && count !== 0))
        issues.push({
          field,
          message:
            `${year} is before the path starts (the month after asOf ${ctx.asOf}): no month left ` +
            `for its moves`,
        });
      prev = year;
      if (count > 0) hikes = true;
      if (count < 0) cuts = true;
    }
    if (spec.terminalPct !== undefined) {
      const t = spec.terminalPct;
      const field = ["terminalPct"];
      if (!Number.isFinite(t) || t < 0)
        issues.push({ field, message: `terminal rate must be a number >= 0, got ${t}` });
      else if (hikes && !cuts && t < ctx.startRatePct)
        issues.push({
          field,
          message:
            `terminal rate ${t}% is below the start rate ${ctx.startRatePct}% on a hiking path ` +
            `without cuts`,
        });
      else if (cuts && !hikes && t > ctx.startRatePct)
        issues.push({
          field,
          message:
            `terminal rate ${t}% is above the start rate ${ctx.startRatePct}% on a cutting path ` +
            `without hikes`,
        });
      else if (!hikes && !cuts && t !== ctx.startRatePct)
        issues.push({
          field,
          message:
            `terminal rate ${t}% cannot be reached: the path has no moves (start rate ` +
            `${ctx.startRatePct}%)`,
        });
    }
  } else if (spec.kind === "points") {
    if (spec.points.length === 0) issues.push({ field: ["points"], message: "needs at least one date" });
    let prev: string | null = null;
    for (const { date, ratePct } of spec.points) {
      const field = ["points", date];
      if (!isIsoDate(date)) {
        issues.push({ field, message: `"${date}" is not a date (YYYY-MM-DD)` });
        continue;
      }
      if (date <= ctx.asOf)
        issues.push({
          field,
          message: `${date} is not after asOf ${ctx.asOf}: points describe the future path`,
        });
      else if (date.slice(0, 7) === ctx.asOf.slice(0, 7))
        issues.push({
          field,
          message: `${date} is in the asOf month, which is at the start rate: use a later month`,
        });
      if (prev !== null && date <= prev)
        issues.push({ field, message: `dates out of order: ${date} follows ${prev}` });
      else if (prev !== null && date.slice(0, 7) === prev.slice(0, 7))
        issues.push({ field, message: `${date} and ${prev} fall in the same month: one point per month` });
      if (!Number.isFinite(ratePct)) issues.push({ field, message: `rate must be a number, got ${ratePct}` });
      prev = date;
    }
  } else {
    if (spec.ratesPct.length === 0) issues.push({ field: ["monthly"], message: "needs at least one month" });
    spec.ratesPct.forEach((r, i) => {
      if (!Number.isFinite(r))
        issues.push({ field: ["monthly", i], message: `rate must be a number, got ${r}` });
    });
  }
  return issues;
}

/**
 * The monthly path of `spec` over month indices 0..months (inclusive). Throws InputError naming
 * the field when the spec is invalid (see `checkPathSpec`).
 */
export function buildPolicyPath(name: string, spec: PathSpec, ctx: PathContext, months: number): PolicyPath {
  if (!isIsoDate(ctx.asOf))
    throw new InputError(`path ${name}: asOf "${ctx.asOf}" is not a date (YYYY-MM-DD)`);
  if (!Number.isFinite(ctx.startRatePct))
    throw new InputError(`path ${name}: start rate must be a number, got ${ctx.startRatePct}`);
  throwIssues(prefixIssues(["paths", name], checkPathSpec(spec, ctx)));
  const n = Math.max(0, Math.floor(months)) + 1;
  const rates = new Float64Array(n);
  const warnings: Warning[] = [];
  const applied: { month: string; bp: number }[] = [];
  let absorbed = 0;
  let definedThrough = 0;
  const start = ctx.startRatePct;
  rates[0] = start;

  if (spec.kind === "moves") {
    const stepPct = (ctx.stepBp ?? 25) / 100;
    // net steps scheduled per month index
    const scheduled = new Map<number, number>();
    for (const { year, count } of spec.moves) {
      if (count === 0) continue;
      const firstIdx = monthsBetween(ctx.asOf, `${year}-01`);
      const available: number[] = [];
      for (let m = 0; m < 12; m++) if (firstIdx + m >= 1) available.push(firstIdx + m);
      for (const off of moveMonthOffsets(available.length, Math.abs(count))) {
        const idx = available[off];
        scheduled.set(idx, (scheduled.get(idx) ?? 0) + Math.sign(count));
      }
    }
    const last = spec.moves.length ? spec.moves[spec.moves.length - 1].year : null;
    definedThrough = last === null ? 0 : Math.max(0, monthsBetween(ctx.asOf, `${last}-12`));
    const t = spec.terminalPct;
    const cap = t !== undefined && t >= start ? t : Number.POSITIVE_INFINITY;
    const floor = t !== undefined && t < start ? t : 0;
    let r = start;
    let zeroFloorHit = false;
    for (let i = 1; i < n; i++) {
      const steps = scheduled.get(i) ?? 0;
      for (let s = 0; s < Math.abs(steps); s++) {
        const before = r;
        if (steps > 0) r = Math.min(before + stepPct, Math.max(cap, before));
        else {
          r = Math.max(before - stepPct, Math.min(floor, before));
          if (r <= 0 && before - stepPct < 0 && floor === 0) zeroFloorHit = true;
        }
        const bp = Math.round((r - before) * 1e6) / 1e4;
        if (bp === 0) absorbed++;
        else applied.push({ month: monthLabel(ctx.asOf, i), bp });
      }
      rates[i] = r;
    }
    // moves scheduled beyond the requested months are not part of this path's window
    if (zeroFloorHit)
      warnings.push({
        code: "zero-floor",
        message: `path ${name}: cuts below zero were absorbed (the policy rate stops at 0%)`,
      });
  } else if (spec.kind === "points") {
    const anchors: [number, number][] = [[0, start]];
    for (const p of spec.points) anchors.push([monthsBetween(ctx.asOf, p.date), p.ratePct]);
    definedThrough = anchors[anchors.length - 1][0];
    let a = 0;
    for (let i = 1; i < n; i++) {
      while (a + 1 < anchors.length && anchors[a + 1][0] < i) a++;
      if (a + 1 >= anchors.length) rates[i] = anchors[anchors.length - 1][1];
      else {
        const [i0, r0] = anchors[a];
        const [i1, r1] = anchors[a + 1];
        rates[i] = r0 + ((r1 - r0) * (i - i0)) / (i1 - i0);
      }
    }
  } else {
    definedThrough = spec.ratesPct.length;
    for (let i = 1; i < n; i++) rates[i] = spec.ratesPct[Math.min(i, spec.ratesPct.length) - 1];
  }
  return {
    name,
    kind: spec.kind,
    asOf: ctx.asOf,
    startMonth: ctx.asOf.slice(0, 7),
    startRatePct: start,
    ratesPct: rates,
    definedThrough,
    moves: applied,
    absorbedMoves: absorbed,
    warnings,
  };
}

/** One line describing how a path is built, for metadata and summaries. */
export function describePath(p: PolicyPath): string {
  const held = `held from ${monthLabel(p.asOf, p.definedThrough)}`;
  if (p.kind === "moves") {
    const net = p.moves.reduce((s, m) => s + m.bp, 0);
    const end = p.ratesPct[Math.min(p.definedThrough, p.ratesPct.length - 1)];
    return (
      `${p.moves.length} moves (${net >= 0 ? "+" : ""}${net} bp) from ${p.startRatePct}% to ` +
      `${end.toFixed(3)}%, ${held}` +
      (p.absorbedMoves ? `; ${p.absorbedMoves} moves absorbed by the terminal level or the zero floor` : "")
    );
  }
  if (p.kind === "points") return `interpolated monthly between points, ${held}`;
  return `explicit monthly list, ${held}`;
}

/** The move-timing and hold conventions, as stated in --help and output metadata. */
export const PATH_CONVENTIONS = [
  "a path starts the month after asOf; month 0 (the asOf month) is at the start rate",
  "moves: the n moves of a calendar year are spread evenly over that year's months after asOf; " +
    "move k (0-based) takes effect on the first day of available month floor(L*(k+1/2)/n) of the L " +
    "available " +
    "(one move in a full year: July; four: Feb, May, Aug, Nov); moving stops at the terminal level; cuts " +
    "stop at 0%",
  "points: linear in months from the start rate to each point's month; monthly lists: one rate per month",
  "after the last year, point or month a path defines, the rate is held at its last level",
];
