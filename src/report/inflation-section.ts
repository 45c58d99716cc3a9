/**
 * The main job's inflation section (issue 5, METHODS.md §2): the breakeven/real split of the 5y
 * and 10y yields, the latest built-in scores with their out-of-sample record (at each score's
 * headline lead, against the naive last-value forecast), and the nominal 10y forecast with its
 * interval under the DEFAULT consensus (inputs keep their last 12-month growth or last value,
 * labelled as such). Everything uses only data published by `asOf`.
 *
 * A part that cannot be computed (a series missing from a user's store, too short a history)
 * becomes a warning and a null in the data; the rest of the report still prints.
 */
import { type Warning, YardstickError } from "../core/errors.ts";
import { type BreakevenResult, breakevenDecomposition } from "../inflation/breakeven.ts";
import { loadBreakevenInputs } from "../inflation/load.ts";
import { BUILTIN_SCORES } from "../scores/builtins/index.ts";
import { computeScores, publishedBy } from "../scores/engine.ts";
import { evaluateScore } from "../scores/evaluate.ts";
import { type NominalForecast, nominalForecast } from "../scores/forecast.ts";
import { loadScoreInputs, storeRecipes } from "../scores/load.ts";
import type { Store } from "../store/store.ts";

export interface BreakevenTenorRow {
  tenor: string;
  date: string;
  nominalPct: number;
  realPct: number;
  breakevenPct: number;
  changes: { horizon: string; from: string; nominalBp: number; realBp: number; breakevenBp: number }[];
  datesChecked: number;
  violations: number;
}

export interface ScoreRow {
  name: string;
  description: string;
  caveat: string | null;
  units: string;
  latestMonth: string | null;
  latestValue: number | null;
  target: string | null;
  headlineLeadMonths: number;
  inSampleCorr: number | null;
  outOfSampleCorr: number | null;
  naiveCorr: number | null;
  oosR2VsNaive: number | null;
  oosR2VsMean: number | null;
  outOfSampleN: number;
}

export interface ForecastRow {
  date: string;
  nominalPct: number;
  nominalLo: number;
  nominalHi: number;
  realPct: number;
  realLo: number;
  realHi: number;
  breakevenPct: number;
  breakevenLo: number;
  breakevenHi: number;
  noChangeLo: number;
  noChangeHi: number;
}

export interface InflationSectionData {
  section: "inflation";
  asOf: string;
  breakeven: BreakevenTenorRow[] | null;
  scores: ScoreRow[] | null;
  forecast: {
    origin: string;
    level: number;
    consensus: string;
    latestActual: NominalForecast["latestActual"];
    rows: ForecastRow[];
    realFit: { rSquared: number; residualSd: number; nobs: number };
    breakevenFit: { rSquared: number; residualSd: number; nobs: number };
  } | null;
  warnings: Warning[];
}

const DEFAULT_CONSENSUS_LABEL =
  "DEFAULT consensus: price and activity indices keep their last 12-month growth, rates and spreads their last value";

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Run `part`, turning a typed error into a warning (the report goes on without that part). */
async function attempt<T>(what: string, warnings: Warning[], part: () => Promise<T>): Promise<T | null> {
  try {
    return await part();
  } catch (err) {
    if (!(err instanceof YardstickError)) throw err;
    warnings.push({ code: "section-part-failed", message: `inflation section, ${what}: ${err.message}` });
    return null;
  }
}

function breakevenRows(r: BreakevenResult): BreakevenTenorRow[] {
  return r.tenors
    .filter((t) => t.latest !== null)
    .map((t) => ({
      tenor: `${t.tenorYears}y ${t.kind === "constant-maturity" ? "CMT" : "GSW zero"}`,
      date: t.latest!.date,
      nominalPct: t.latest!.nominalPct,
      realPct: t.latest!.realPct,
      breakevenPct: t.latest!.breakevenPct,
      changes: t.changes.map((c) => ({
        horizon: c.horizon,
        from: c.from,
        nominalBp: c.nominalBp,
        realBp: c.realBp,
        breakevenBp: c.breakevenBp,
      })),
      datesChecked: t.dates.length,
      violations: t.violations.length,
    }));
}

export async function inflationSection(
  store: Store,
  asOf: string,
): Promise<{ data: InflationSectionData; text: string }> {
  const warnings: Warning[] = [];

  const breakeven = await attempt("breakeven split", warnings, async () => {
    const { inputs } = await loadBreakevenInputs(store);
    const r = breakevenDecomposition(inputs, { asOf });
    warnings.push(...r.warnings.filter((w) => w.code !== "missing-leg"));
    return breakevenRows(r);
  });

  const recipes = await storeRecipes(store);
  const loaded = await attempt("loading score inputs", warnings, () =>
    loadScoreInputs(store, recipes, [...BUILTIN_SCORES], { targets: true }),
  );

  const scores = loaded
    ? await attempt("scores", warnings, async () => {
        const results = computeScores([...BUILTIN_SCORES], loaded.inputs, { asOf });
        const rows: ScoreRow[] = [];
        for (const name of BUILTIN_SCORES) {
          const s = results.get(name)!;
          for (const w of s.warnings) {
            // one line per missing release, not one per component that reads it; staleness summarised below
            if (w.code === "score-stale") continue;
            const dup = warnings.some(
              (x) =>
                x.message === w.message ||
                (w.code === "gap-filled" && x.code === w.code && x.series === w.series),
            );
            if (!dup) warnings.push(w);
          }
          let ev: ReturnType<typeof evaluateScore> | null = null;
          if (s.target) {
            const target = publishedBy(loaded.inputs.series.get(s.target)!, asOf);
            ev = evaluateScore(s, target);
          }
          rows.push({
            name,
            description: s.description,
            caveat: s.caveat,
            units: s.units,
            latestMonth: s.latest?.date ?? null,
            latestValue: s.latest ? fin(s.latest.value) : null,
            target: s.target,
            headlineLeadMonths: s.targetLeadMonths,
            inSampleCorr: ev ? fin(ev.headline.inSampleCorr) : null,
            outOfSampleCorr: ev ? fin(ev.headline.outOfSampleCorr) : null,
            naiveCorr: ev ? fin(ev.headline.naiveCorr) : null,
            oosR2VsNaive: ev ? fin(ev.headline.oosR2VsNaive) : null,
            oosR2VsMean: ev ? fin(ev.headline.oosR2VsMean) : null,
            outOfSampleN: ev ? ev.headline.outOfSampleN : 0,
          });
        }
        const asOfMonth = asOf.slice(0, 7);
        const stale = rows.filter((r) => r.latestMonth && r.latestMonth.slice(0, 7) < asOfMonth);
        if (stale.length) {
          warnings.push({
            code: "score-stale",
            message:
              `scores end before ${asOfMonth} because their inputs do (latest releases in the store): ` +
              stale.map((r) => `${r.name} ${r.latestMonth!.slice(0, 7)}`).join(", "),
          });
        }
        return rows;
      })
    : null;

  const forecast = loaded
    ? await attempt("nominal forecast", warnings, async () => {
        const f = nominalForecast(loaded.inputs, [], { asOf, horizonMonths: 12, level: 0.9 });
        for (const w of f.warnings) if (w.code !== "default-consensus") warnings.push(w);
        const be = new Map(f.breakeven.points.map((p) => [p.date, p]));
        const re = new Map(f.real.points.map((p) => [p.date, p]));
        return {
          origin: f.origin,
          level: f.level,
          consensus: DEFAULT_CONSENSUS_LABEL,
          latestActual: f.latestActual,
          rows: f.nominal.map((n) => {
            const a = re.get(n.date)!;
            const b = be.get(n.date)!;
            return {
              date: n.date,
              nominalPct: n.mean,
              nominalLo: n.lo,
              nominalHi: n.hi,
              realPct: a.mean,
              realLo: a.lo,
              realHi: a.hi,
              breakevenPct: b.mean,
              breakevenLo: b.lo,
              breakevenHi: b.hi,
              noChangeLo: n.noChange.lo,
              noChangeHi: n.noChange.hi,
            };
          }),
          realFit: {
            rSquared: f.real.map.rSquared,
            residualSd: f.real.map.residualSd,
            nobs: f.real.map.nobs,
          },
          breakevenFit: {
            rSquared: f.breakeven.map.rSquared,
            residualSd: f.breakeven.map.residualSd,
            nobs: f.breakeven.map.nobs,
          },
        };
      })
    : null;

  const data: InflationSectionData = { section: "inflation", asOf, breakeven, scores, forecast, warnings };
  return { data, text: renderInflationSection(data) };
}

function f(x: number | null | undefined, d = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d);
}

function table(head: string[], rows: string[][], leftCols = 1): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The section as text (what `yardstick report` prints). */
export function renderInflationSection(d: InflationSectionData): string {
  const out: string[] = [`Inflation side as of ${d.asOf}`, ""];
  if (d.breakeven) {
    out.push("Nominal = real + breakeven (percent; changes in bp, split into real and breakeven)");
    const rows: string[][] = [];
    for (const t of d.breakeven) {
      const ch = (h: string) => t.changes.find((c) => c.horizon === h);
      const cell = (h: string) => {
        const c = ch(h);
        return c
          ? `${c.nominalBp.toFixed(0)} = ${c.realBp.toFixed(0)} ${c.breakevenBp < 0 ? "−" : "+"} ${Math.abs(c.breakevenBp).toFixed(0)}`
          : "n/a";
      };
      rows.push([
        t.tenor,
        t.date,
        f(t.nominalPct),
        f(t.realPct),
        f(t.breakevenPct),
        cell("1m"),
        cell("3m"),
        cell("1y"),
        `${t.violations}/${t.datesChecked}`,
      ]);
    }
    out.push(
      table(
        [
          "tenor",
          "date",
          "nominal",
          "real",
          "breakeven",
          "1m Δ (n = r + b)",
          "3m Δ",
          "1y Δ",
          "identity >0.5bp",
        ],
        rows,
        2,
      ),
      "",
    );
  }
  if (d.scores) {
    out.push(
      "Composite scores: latest value and record at the headline lead (OOS = expanding-window regression, only data " +
        "published at each date; naive = the target's last value; OOS R² > 0 beats no-change / the historical mean)",
    );
    out.push(
      table(
        [
          "score",
          "month",
          "value",
          "target",
          "lead",
          "in-sample r",
          "OOS r",
          "naive r",
          "OOS R² vs naive",
          "vs mean",
          "OOS n",
        ],
        d.scores.map((s) => [
          s.name,
          s.latestMonth?.slice(0, 7) ?? "n/a",
          f(s.latestValue, 1),
          s.target ?? "",
          String(s.headlineLeadMonths),
          f(s.inSampleCorr),
          f(s.outOfSampleCorr),
          f(s.naiveCorr),
          f(s.oosR2VsNaive),
          f(s.oosR2VsMean),
          String(s.outOfSampleN),
        ]),
      ),
      "",
    );
  }
  if (d.forecast) {
    const p = Math.round(d.forecast.level * 100);
    const a = d.forecast.latestActual;
    out.push(
      `Nominal 10y forecast = real + breakeven, ${p}% intervals (${d.forecast.consensus}); ` +
        `origin ${d.forecast.origin.slice(0, 7)}: real ${f(a.realPct)} + breakeven ${f(a.breakevenPct)} = ${f(a.nominalPct)}`,
    );
    out.push(
      `fits: real R² ${f(d.forecast.realFit.rSquared)} (resid sd ${f(d.forecast.realFit.residualSd)} pp), ` +
        `breakeven R² ${f(d.forecast.breakevenFit.rSquared)} (resid sd ${f(d.forecast.breakevenFit.residualSd)} pp)`,
    );
    const rows = d.forecast.rows.filter((_, i, all) => i % 3 === 2 || i === all.length - 1 || i === 0);
    out.push(
      table(
        ["month", "nominal", `${p}%`, "real", `${p}%`, "breakeven", `${p}%`, `no-change ${p}%`],
        rows.map((r) => [
          r.date.slice(0, 7),
          f(r.nominalPct),
          `${f(r.nominalLo)}..${f(r.nominalHi)}`,
          f(r.realPct),
          `${f(r.realLo)}..${f(r.realHi)}`,
          f(r.breakevenPct),
          `${f(r.breakevenLo)}..${f(r.breakevenHi)}`,
          `${f(r.noChangeLo)}..${f(r.noChangeHi)}`,
        ]),
      ),
      "",
    );
  }
  for (const w of d.warnings) out.push(`warning: ${w.message}`);
  return out.join("\n").trimEnd();
}
