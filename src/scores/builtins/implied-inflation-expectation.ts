/**
 * Implied-inflation-expectation score (METHODS.md §2) = 50% × commodity index change (lagged 6m)
 * + 20% × US inventory-cycle score (lagged 6m) + 30% × composite inflation, then percentile-ranked;
 * judged by its correlation with the 10y breakeven (T10YIE).
 *
 * Commodity index: PPIACO (PPI, all commodities), a PROXY for a commodity index (its basket is
 * producer prices, broader than raw materials; the bundled copper series ends in 2025 and would
 * stop the score). Its 12-month change is percentile-ranked before weighting so that all three
 * components are on the same 0-100 scale: the sum of a percent change and two 0-100 scores would
 * weight them by their units rather than by the recipe's weights.
 */
import type { RecipeInput } from "../recipe.ts";

export const impliedInflationExpectation: RecipeInput = {
  name: "implied-inflation-expectation",
  description:
    "50% commodity index change (PPIACO proxy, 6m lag) + 20% US inventory cycle (6m lag) + 30% composite inflation",
  target: "T10YIE",
  targetLeadMonths: 0,
  components: [
    {
      series: "PPIACO",
      label: "commodity index change: PPIACO 12m % (proxy), percentile",
      transform: [{ op: "pct_change", periods: 12 }, "percentile"],
      lagMonths: 6,
      weight: 0.5,
    },
    { series: "us-inventory-cycle", lagMonths: 6, weight: 0.2 },
    { series: "composite-inflation", weight: 0.3 },
  ],
  normalise: "percentile",
};
