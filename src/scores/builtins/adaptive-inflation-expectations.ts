/**
 * Adaptive inflation expectations (METHODS.md §2: "expected inflation as a weighted average of
 * past inflation"): E_t[π] = Σ_j δ^j π_{t−j} / Σ_j δ^j over the CPI's YoY history up to t, with
 * geometric weights halving every 36 months (δ = 0.5^(1/36) ≈ 0.981 a month: the last three years
 * carry half the weight, the three before a quarter, ...). Cagan's (1956) adaptive-expectations
 * rule written as a distributed lag. Output in percent per year, comparable with the 10y
 * breakeven (T10YIE) as a level; no percentile normalisation.
 */
import type { RecipeInput } from "../recipe.ts";

export const adaptiveInflationExpectations: RecipeInput = {
  name: "adaptive-inflation-expectations",
  description:
    "adaptive expectations: geometrically weighted average of past CPI YoY inflation (half-life 36m)",
  target: "T10YIE",
  targetLeadMonths: 0,
  units: "percent per year",
  components: [
    {
      series: "CPIAUCSL",
      label: "CPI YoY, geometric average (half-life 36m)",
      transform: ["yoy", { op: "ewma", halfLife: 36 }],
      weight: 1,
    },
  ],
  normalise: "none",
};
