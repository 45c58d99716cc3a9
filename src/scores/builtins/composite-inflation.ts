/**
 * Composite inflation (METHODS.md §2: "composite inflation (CPI and PPI blended)"): the
 * year-over-year rates of the CPI (all items, SA) and of the PPI (all commodities), each
 * standardised on its own history up to t (expanding z-score), averaged 50/50 and ranked as an
 * expanding percentile (0-100). Standardising first gives the two equal say: the PPI's YoY swings
 * about twice as much as the CPI's and would otherwise be the score on its own. PPIACO is used
 * rather than PPI final demand (PPIFES) because the bundled PPIFES starts in 2021.
 */
import type { RecipeInput } from "../recipe.ts";

export const compositeInflation: RecipeInput = {
  name: "composite-inflation",
  description: "CPI and PPI inflation blended: 50% CPI YoY + 50% PPI (all commodities) YoY, each z-scored",
  target: "T10YIE",
  targetLeadMonths: 0,
  components: [
    { series: "CPIAUCSL", label: "CPI all items YoY (z)", transform: ["yoy", "zscore"], weight: 0.5 },
    { series: "PPIACO", label: "PPI all commodities YoY (z)", transform: ["yoy", "zscore"], weight: 0.5 },
  ],
  normalise: "percentile",
};
