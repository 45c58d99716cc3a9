/**
 * Which assumption moves the fair value? A grid over the recession probability p and the term
 * premium TP for one path, one evaluation date and one maturity (METHODS.md §1b). The fair value
 * (1 − p) A + p R + TP is linear in both, so the grid shows the two slopes plainly:
 * ∂FV/∂p = R − A (percent per unit probability) and ∂FV/∂TP = 1.
 */
import { formatTable, num } from "../core/format.ts";
import {
  checkProbability,
  expectedRateComponent,
  type RecessionAssumption,
  windowMonths,
} from "./fair-value.ts";
import { monthsBetween, type PolicyPath } from "./policy-path.ts";

export interface SensitivityGrid {
  path: string;
  at: string;
  maturityYears: number;
  probabilities: number[];
  termPremiaPct: number[];
  /** Path average (no recession) and recession-branch average over the window. */
  noRecessionPct: number;
  recessionPct: number;
  /** fairValuePct[i][j]: probability i, term premium j. */
  fairValuePct: number[][];
  /** Fair value moves across the grid's range of each assumption, bp. */
  rangeBp: { probability: number; termPremium: number };
  /** d fair value / d probability, bp per 0.10 of probability. */
  bpPerTenthProbability: number;
  chart: { x: "recessionProbability"; series: { name: string; termPremiumPct: number; y: number[] }[] };
  summary(): string;
}

export function sensitivityGrid(
  path: PolicyPath,
  at: string,
  maturityYears: number,
  probabilities: readonly number[],
  termPremiaPct: readonly number[],
  recession: Omit<RecessionAssumption, "probability">,
): SensitivityGrid {
  probabilities.forEach((p) => {
    checkProbability(p, "probabilities");
  });
  const e = monthsBetween(path.asOf, at);
  const c = expectedRateComponent(path.ratesPct, e, windowMonths(maturityYears), {
    ...recession,
    probability: 0,
  });
  const grid = probabilities.map((p) =>
    termPremiaPct.map((tp) => (1 - p) * c.noRecessionPct + p * c.recessionPct + tp),
  );
  const span = (xs: readonly number[]) => (xs.length ? Math.max(...xs) - Math.min(...xs) : 0);
  const slope = c.recessionPct - c.noRecessionPct;
  const result: SensitivityGrid = {
    path: path.name,
    at,
    maturityYears,
    probabilities: [...probabilities],
    termPremiaPct: [...termPremiaPct],
    noRecessionPct: c.noRecessionPct,
    recessionPct: c.recessionPct,
    fairValuePct: grid,
    rangeBp: {
      probability: Math.abs(slope) * span(probabilities) * 100,
      termPremium: span(termPremiaPct) * 100,
    },
    bpPerTenthProbability: slope * 10,
    chart: {
      x: "recessionProbability",
      series: termPremiaPct.map((tp, j) => ({
        name: `term premium ${tp.toFixed(2)}%`,
        termPremiumPct: tp,
        y: grid.map((row) => row[j]),
      })),
    },
    summary: () => sensitivityText(result),
  };
  return result;
}

export function sensitivityText(g: SensitivityGrid): string {
  const header = ["p \\ TP %", ...g.termPremiaPct.map((tp) => num(tp, 2))];
  const rows = g.probabilities.map((p, i) => [num(p, 2), ...g.fairValuePct[i].map((v) => num(v, 3))]);
  const bigger = g.rangeBp.probability >= g.rangeBp.termPremium ? "recession probability" : "term premium";
  return [
    `${g.maturityYears}-year fair value (percent), path ${g.path}, evaluated ${g.at}`,
    `path average ${num(g.noRecessionPct, 3)}%, recession-branch average ${num(g.recessionPct, 3)}%: ` +
      `each +0.10 of probability moves fair value ${num(g.bpPerTenthProbability, 1)} bp; each +0.10% of ` +
      `term premium 10 bp`,
    formatTable(
      header,
      rows,
      header.map((_, i) => (i === 0 ? "left" : "right")),
    ),
    `over this grid the recession probability moves fair value by ${num(g.rangeBp.probability, 0)} bp ` +
      `and the term ` +
      `premium by ${num(g.rangeBp.termPremium, 0)} bp: the ${bigger} matters more here`,
  ].join("\n");
}
