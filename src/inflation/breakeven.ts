/**
 * Nominal = real + breakeven (METHODS.md §2; D'Amico, Kim & Wei 2018 for what a breakeven holds:
 * expected inflation + inflation risk premium − TIPS liquidity premium). The data identity
 *
 *   nominal_t = real_t + breakeven_t        (percent per year)
 *
 * is checked date by date, and every change is split into its real and breakeven parts:
 *   Δnominal = Δreal + Δbreakeven (+ Δresidual, zero when the identity holds), in basis points.
 *
 * Two versions:
 * - constant maturity (FRED): DGS{5,10} (par, bond-equivalent) = DFII{5,10} + T{5,10}YIE. FRED
 *   computes T*YIE as the difference of the two published yields, so the identity holds to
 *   rounding; a gap above 0.5 bp means a revised or mismatched vintage and is reported.
 * - GSW zero-coupon (Gürkaynak, Sack & Wright 2007 nominal, 2010 TIPS curves), continuously
 *   compounded: SVENY{05,10} − TIPSY{05,10} vs BKEVEN{05,10}. The Board stores these as float32
 *   (about 1e-5 percent), far below the threshold. The bundled TIPS curve covers 2022-10..2025-10.
 * Zero-coupon and par yields are not interchangeable (STACK.md 1.7), so the two versions are never
 * mixed in one identity.
 */
import { addMonths } from "../core/dates.ts";
import { ModelError, type Warning } from "../core/errors.ts";
import type { Series } from "../core/series.ts";

export type CurveKind = "constant-maturity" | "gsw-zero-coupon";

export interface TenorInputs {
  tenorYears: number;
  kind: CurveKind;
  nominal: Series;
  real: Series;
  breakeven: Series;
}

export interface IdentityViolation {
  date: string;
  nominalPct: number;
  realPct: number;
  breakevenPct: number;
  /** nominal − real − breakeven, basis points. */
  residualBp: number;
}

export interface ChangeSplit {
  horizon: "1m" | "3m" | "1y";
  from: string;
  to: string;
  nominalBp: number;
  realBp: number;
  breakevenBp: number;
  /** Δnominal − Δreal − Δbreakeven (0 when the identity holds at both ends). */
  residualBp: number;
  /** Δreal / Δnominal in percent; null when |Δnominal| < 5 bp (shares of a near-zero move are noise). */
  realSharePct: number | null;
}

export interface TenorDecomposition {
  tenorYears: number;
  kind: CurveKind;
  ids: { nominal: string; real: string; breakeven: string };
  /** Dates where all three are observed. */
  dates: string[];
  nominalPct: Float64Array;
  realPct: Float64Array;
  breakevenPct: Float64Array;
  /** nominal − real − breakeven, basis points. */
  residualBp: Float64Array;
  violations: IdentityViolation[];
  /** Dates where one or two legs are observed but not all three. */
  incompleteDates: string[];
  latest: { date: string; nominalPct: number; realPct: number; breakevenPct: number } | null;
  changes: ChangeSplit[];
}

export interface BreakevenOptions {
  /** Use observations dated on or before this ISO date (default: all). */
  asOf?: string;
  /** Identity violations are gaps above this many basis points (default 0.5). */
  thresholdBp?: number;
  /** At most this many violations become individual warnings (default 50); a summary covers the rest. */
  maxViolationWarnings?: number;
}

export interface BreakevenResult {
  asOf: string | null;
  thresholdBp: number;
  tenors: TenorDecomposition[];
  warnings: Warning[];
  summary(): string;
}

const HORIZONS: { horizon: ChangeSplit["horizon"]; months: number }[] = [
  { horizon: "1m", months: 1 },
  { horizon: "3m", months: 3 },
  { horizon: "1y", months: 12 },
];

/** Below this nominal move (bp) the real share is not reported. */
const MIN_SHARE_BP = 5;

/** Rounding slack when comparing a residual with the threshold (values are 2-decimal percents). */
const EPS_BP = 1e-6;

function valuesByDate(s: Series, asOf: string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.dates.length; i++) {
    if (asOf !== undefined && s.dates[i] > asOf) break;
    if (!Number.isNaN(s.values[i])) m.set(s.dates[i], s.values[i]);
  }
  return m;
}

/** Index of the last date <= `iso` in sorted `dates`, or -1. */
function lastAtOrBefore(dates: readonly string[], iso: string): number {
  let lo = 0;
  let hi = dates.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid] <= iso) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** The identity check, history, latest values and change split for one tenor. */
export function decomposeTenor(inp: TenorInputs, opts: BreakevenOptions = {}): TenorDecomposition {
  const threshold = opts.thresholdBp ?? 0.5;
  const n = valuesByDate(inp.nominal, opts.asOf);
  const r = valuesByDate(inp.real, opts.asOf);
  const b = valuesByDate(inp.breakeven, opts.asOf);
  // Dates before the last of the three series starts are out of range, not missing legs.
  const start = [n, r, b].reduce((m, x) => {
    const first = x.keys().next().value;
    return first !== undefined && first > m ? first : m;
  }, "");
  const all = [...new Set([...n.keys(), ...r.keys(), ...b.keys()])].filter((d) => d >= start).sort();
  const dates: string[] = [];
  const nom: number[] = [];
  const real: number[] = [];
  const be: number[] = [];
  const incompleteDates: string[] = [];
  for (const d of all) {
    const x = n.get(d);
    const y = r.get(d);
    const z = b.get(d);
    if (x === undefined || y === undefined || z === undefined) {
      incompleteDates.push(d);
      continue;
    }
    dates.push(d);
    nom.push(x);
    real.push(y);
    be.push(z);
  }
  const residualBp = new Float64Array(dates.length);
  const violations: IdentityViolation[] = [];
  for (let i = 0; i < dates.length; i++) {
    residualBp[i] = (nom[i] - real[i] - be[i]) * 100;
    if (Math.abs(residualBp[i]) > threshold + EPS_BP) {
      violations.push({
        date: dates[i],
        nominalPct: nom[i],
        realPct: real[i],
        breakevenPct: be[i],
        residualBp: residualBp[i],
      });
    }
  }
  const last = dates.length - 1;
  const changes: ChangeSplit[] = [];
  if (last >= 0) {
    for (const { horizon, months } of HORIZONS) {
      const j = lastAtOrBefore(dates, addMonths(dates[last], -months));
      if (j < 0) continue;
      const dn = (nom[last] - nom[j]) * 100;
      const dr = (real[last] - real[j]) * 100;
      const db = (be[last] - be[j]) * 100;
      changes.push({
        horizon,
        from: dates[j],
        to: dates[last],
        nominalBp: dn,
        realBp: dr,
        breakevenBp: db,
        residualBp: dn - dr - db,
        realSharePct: Math.abs(dn) >= MIN_SHARE_BP ? (100 * dr) / dn : null,
      });
    }
  }
  return {
    tenorYears: inp.tenorYears,
    kind: inp.kind,
    ids: { nominal: inp.nominal.meta.id, real: inp.real.meta.id, breakeven: inp.breakeven.meta.id },
    dates,
    nominalPct: Float64Array.from(nom),
    realPct: Float64Array.from(real),
    breakevenPct: Float64Array.from(be),
    residualBp,
    violations,
    incompleteDates,
    latest:
      last >= 0
        ? { date: dates[last], nominalPct: nom[last], realPct: real[last], breakevenPct: be[last] }
        : null,
    changes,
  };
}

function label(t: Pick<TenorDecomposition, "tenorYears" | "kind">): string {
  return `${t.tenorYears}y ${t.kind === "constant-maturity" ? "constant maturity" : "GSW zero-coupon"}`;
}

/**
 * Decompose every tenor given (typically 5y and 10y constant maturity, plus the GSW zero-coupon
 * versions where the store has them). Violations and missing legs become typed warnings.
 */
export function breakevenDecomposition(
  inputs: readonly TenorInputs[],
  opts: BreakevenOptions = {},
): BreakevenResult {
  if (inputs.length === 0) throw new ModelError("breakeven decomposition: no tenor given");
  const threshold = opts.thresholdBp ?? 0.5;
  const cap = opts.maxViolationWarnings ?? 50;
  const tenors = inputs.map((t) => decomposeTenor(t, opts));
  const warnings: Warning[] = [];
  for (const t of tenors) {
    const { nominal, real, breakeven } = t.ids;
    const name = `${label(t)} (${nominal} = ${real} + ${breakeven})`;
    t.violations.slice(0, cap).forEach((v) => {
      warnings.push({
        code: "identity-violation",
        message:
          `${name}: identity off by ${v.residualBp.toFixed(2)} bp on ${v.date} ` +
          `(${v.nominalPct} vs ${v.realPct} + ${v.breakevenPct})`,
        series: breakeven,
        date: v.date,
      });
    });
    if (t.violations.length > cap) {
      warnings.push({
        code: "identity-violation",
        message: `${name}: ${t.violations.length - cap} more dates off by more than ${threshold} bp`,
        series: breakeven,
      });
    }
    if (t.incompleteDates.length) {
      const shown = t.incompleteDates.slice(-3).join(", ");
      warnings.push({
        code: "missing-leg",
        message:
          `${name}: ${t.incompleteDates.length} date(s) with only one or two of the three legs observed ` +
          `(latest: ${shown}); left out of the check`,
        series: breakeven,
        date: t.incompleteDates[t.incompleteDates.length - 1],
      });
    }
    if (t.dates.length === 0) {
      warnings.push({ code: "no-data", message: `${name}: no date with all three legs observed` });
    }
  }
  const result: BreakevenResult = {
    asOf: opts.asOf ?? null,
    thresholdBp: threshold,
    tenors,
    warnings,
    summary: () => breakevenSummary(result),
  };
  return result;
}

function f(x: number | null | undefined, d = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d);
}

function sign(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
}

function breakevenSummary(r: BreakevenResult): string {
  const lines = [
    `Nominal = real + breakeven${r.asOf ? ` as of ${r.asOf}` : ""} (percent; changes in bp; identity threshold ${r.thresholdBp} bp)`,
    "",
  ];
  const head = [
    "tenor",
    "date",
    "nominal",
    "real",
    "breakeven",
    "horizon",
    "Δnominal",
    "Δreal",
    "Δbreakeven",
    "real share",
  ];
  const rows: string[][] = [];
  for (const t of r.tenors) {
    if (!t.latest) continue;
    const first = [
      label(t),
      t.latest.date,
      f(t.latest.nominalPct),
      f(t.latest.realPct),
      f(t.latest.breakevenPct),
    ];
    if (t.changes.length === 0) rows.push([...first, "", "", "", "", ""]);
    t.changes.forEach((c, i) => {
      rows.push([
        ...(i === 0 ? first : ["", "", "", "", ""]),
        `${c.horizon} (from ${c.from})`,
        sign(c.nominalBp),
        sign(c.realBp),
        sign(c.breakevenBp),
        c.realSharePct === null ? "n/a" : `${c.realSharePct.toFixed(0)}%`,
      ]);
    });
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  lines.push(line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line));
  lines.push("");
  for (const t of r.tenors) {
    lines.push(
      `${label(t)}: ${t.dates.length} dates checked${t.dates.length ? ` (${t.dates[0]}..${t.dates[t.dates.length - 1]})` : ""}, ` +
        `${t.violations.length} above ${r.thresholdBp} bp, max |gap| ${f(maxAbs(t.residualBp), 3)} bp`,
    );
  }
  for (const w of r.warnings) lines.push(`warning: ${w.message}`);
  return lines.join("\n");
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return x.length ? m : Number.NaN;
}
