/**
 * ACM vs Hamilton-Wu vs the NY Fed's published ACM series, side by side (METHODS §1a: show
 * both models, surface the known ACM criticisms rather than hide them). Periods where the two
 * models disagree in sign are listed: e.g. ACM's premium near −100 bp in 2019-2020 while
 * Hamilton-Wu stays closer to zero.
 *
 * The NY Fed re-estimates ACM on the full sample each month, so its history revises: the
 * comparison ends both estimations at the published file's last month unless told otherwise.
 */
import { NotFoundError, type Warning } from "../core/errors.ts";
import { formatTable, num } from "../core/format.ts";
import type { Store } from "../store/store.ts";
import { runTermPremium } from "./service.ts";

export interface ComparisonRow {
  date: string;
  acmPct: number | null;
  hwPct: number | null;
  nyFedPct: number | null;
  signDisagreement: boolean;
}

export interface PairStatistics {
  pair: string;
  months: number;
  correlation: number;
  meanDiffBp: number;
  meanAbsDiffBp: number;
  rmseBp: number;
  maxAbsDiffBp: number;
  maxAt: string;
}

export interface DisagreementPeriod {
  from: string;
  to: string;
  months: number;
  meanAcmPct: number;
  meanHwPct: number;
}

export interface TermPremiumComparison {
  maturityMonths: number;
  to: string;
  dataVintage: string;
  rows: ComparisonRow[];
  statistics: PairStatistics[];
  disagreements: DisagreementPeriod[];
  chart: { dates: string[]; series: { name: string; values: (number | null)[] }[] };
  warnings: Warning[];
  summary(): string;
}

export function pairStatistics(
  pair: string,
  dates: string[],
  a: (number | null)[],
  b: (number | null)[],
): PairStatistics | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const ds: string[] = [];
  for (let i = 0; i < dates.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y)) {
      xs.push(x);
      ys.push(y);
      ds.push(dates[i]);
    }
  }
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let sd = 0;
  let sad = 0;
  let ssd = 0;
  let maxAbs = 0;
  let maxAt = ds[0];
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
    const d = xs[i] - ys[i];
    sd += d;
    sad += Math.abs(d);
    ssd += d * d;
    if (Math.abs(d) > maxAbs) {
      maxAbs = Math.abs(d);
      maxAt = ds[i];
    }
  }
  return {
    pair,
    months: n,
    correlation: sxy / Math.sqrt(sxx * syy),
    meanDiffBp: (sd / n) * 100,
    meanAbsDiffBp: (sad / n) * 100,
    rmseBp: Math.sqrt(ssd / n) * 100,
    maxAbsDiffBp: maxAbs * 100,
    maxAt,
  };
}

/** Maximal runs of consecutive rows where both values exist and have opposite signs. */
export function signDisagreements(rows: ComparisonRow[]): DisagreementPeriod[] {
  const out: DisagreementPeriod[] = [];
  let start = -1;
  const close = (end: number) => {
    const run = rows.slice(start, end);
    out.push({
      from: run[0].date,
      to: run[run.length - 1].date,
      months: run.length,
      meanAcmPct: run.reduce((s, r) => s + (r.acmPct ?? 0), 0) / run.length,
      meanHwPct: run.reduce((s, r) => s + (r.hwPct ?? 0), 0) / run.length,
    });
  };
  rows.forEach((r, i) => {
    if (r.signDisagreement && start < 0) start = i;
    if (!r.signDisagreement && start >= 0) {
      close(i);
      start = -1;
    }
  });
  if (start >= 0) close(rows.length);
  return out;
}

export async function compareTermPremia(
  store: Store,
  { maturityMonths = 120, to }: { maturityMonths?: number; to?: string } = {},
): Promise<TermPremiumComparison> {
  const warnings: Warning[] = [];
  let nyFed: Map<string, number> | null = null;
  let nyFedLast: string | undefined;
  if (maturityMonths % 12 === 0 && maturityMonths <= 120) {
    const id = `acm.ACMTP${String(maturityMonths / 12).padStart(2, "0")}`;
    try {
      const s = (await store.getSeries(id)).series;
      nyFed = new Map(s.dates.map((d, i) => [d.slice(0, 7), s.values[i]]));
      nyFedLast = s.dates[s.dates.length - 1].slice(0, 7);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      warnings.push({
        code: "nyfed-missing",
        message: `${id} is not in the store: the NY Fed column is left empty`,
      });
    }
  } else {
    warnings.push({
      code: "nyfed-maturity",
      message: `the NY Fed file has whole years only: no published series at ${maturityMonths} months`,
    });
  }
  const end = to ?? nyFedLast;
  if (!to && nyFedLast) {
    warnings.push({
      code: "vintage-aligned",
      message: `both models are estimated to ${nyFedLast}, the sample end of the NY Fed file, because ACM history revises with the sample`,
    });
  }
  const acm = await runTermPremium(store, { model: "acm", to: end, maturitiesMonths: [maturityMonths] });
  const hw = await runTermPremium(store, { model: "hw", to: end, maturitiesMonths: [maturityMonths] });
  warnings.push(...acm.warnings, ...hw.warnings);
  const hwByMonth = new Map(hw.dates.map((d, i) => [d.slice(0, 7), hw.series[0].termPremiumPct[i]]));
  const rows: ComparisonRow[] = acm.dates.map((d, i) => {
    const a = acm.series[0].termPremiumPct[i];
    const h = hwByMonth.get(d.slice(0, 7)) ?? null;
    const n = nyFed?.get(d.slice(0, 7)) ?? null;
    return {
      date: d,
      acmPct: a,
      hwPct: h,
      nyFedPct: n,
      signDisagreement: h !== null && Math.sign(a) * Math.sign(h) < 0,
    };
  });
  const dates = rows.map((r) => r.date);
  const col = (k: "acmPct" | "hwPct" | "nyFedPct") => rows.map((r) => r[k]);
  const statistics = [
    pairStatistics("ACM (yardstick) vs NY Fed ACM", dates, col("acmPct"), col("nyFedPct")),
    pairStatistics("Hamilton-Wu vs ACM (yardstick)", dates, col("hwPct"), col("acmPct")),
    pairStatistics("Hamilton-Wu vs NY Fed ACM", dates, col("hwPct"), col("nyFedPct")),
  ].filter((s): s is PairStatistics => s !== null);
  const disagreements = signDisagreements(rows);
  const result: TermPremiumComparison = {
    maturityMonths,
    to: acm.sample.to,
    dataVintage: acm.dataVintage,
    rows,
    statistics,
    disagreements,
    chart: {
      dates,
      series: [
        { name: "ACM (yardstick)", values: col("acmPct") },
        { name: "Hamilton-Wu (yardstick)", values: col("hwPct") },
        { name: "NY Fed ACM (published)", values: col("nyFedPct") },
      ],
    },
    warnings,
    summary: () => comparisonSummary(result),
  };
  return result;
}

function comparisonSummary(c: TermPremiumComparison): string {
  const lines: string[] = [];
  lines.push(
    `Term premium at ${c.maturityMonths} months: ACM vs Hamilton-Wu vs NY Fed, samples ending ${c.to}`,
  );
  lines.push("");
  lines.push(
    formatTable(
      ["pair", "months", "corr", "mean diff bp", "mean |diff| bp", "RMSE bp", "max |diff| bp", "at"],
      c.statistics.map((s) => [
        s.pair,
        s.months,
        num(s.correlation, 4),
        num(s.meanDiffBp, 1),
        num(s.meanAbsDiffBp, 1),
        num(s.rmseBp, 1),
        num(s.maxAbsDiffBp, 1),
        s.maxAt,
      ]),
    ),
  );
  lines.push("");
  const total = c.disagreements.reduce((n, d) => n + d.months, 0);
  lines.push(
    `ACM and Hamilton-Wu disagree in sign in ${total} months, ${c.disagreements.length} periods; the longest:`,
  );
  const longest = [...c.disagreements].sort((a, b) => b.months - a.months).slice(0, 8);
  lines.push(
    formatTable(
      ["from", "to", "months", "ACM mean %", "HW mean %"],
      longest.map((d) => [d.from, d.to, d.months, num(d.meanAcmPct, 2), num(d.meanHwPct, 2)]),
    ),
  );
  lines.push("");
  const last = c.rows.slice(-6);
  lines.push(
    formatTable(
      ["date", "ACM %", "Hamilton-Wu %", "NY Fed %", "sign"],
      last.map((r) => [
        r.date,
        num(r.acmPct, 3),
        num(r.hwPct, 3),
        num(r.nyFedPct, 3),
        r.signDisagreement ? "DISAGREE" : "",
      ]),
    ),
  );
  return lines.join("\n");
}
