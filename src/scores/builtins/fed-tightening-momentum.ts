/**
 * Fed tightening-momentum score (METHODS.md §2): unemployment, CPI rent, term spread and business
 * conditions, equally weighted, each signed so that a high value means pressure for tighter
 * policy; judged against the 10y real yield (DFII10) six months ahead.
 *   unemployment: UNRATE, inverse percentile (a tight labour market pushes the Fed to tighten);
 *   CPI rent: owners' equivalent rent YoY (CUSR0000SEHC; the rent-of-primary-residence index
 *     CUSR0000SEHA is not bundled), percentile (shelter inflation is the sticky part the Fed
 *     watches);
 *   term spread: 10y − 3m (T10Y3M), inverse percentile (a flat or inverted curve is what a
 *     tightening cycle leaves behind);
 *   business conditions: industrial production YoY (INDPRO), percentile.
 * Levels rather than changes: the target is a yield level, and a score of changes (tested: 12m
 * change of unemployment, 6m change of the spread) correlated with it at the wrong sign in sample.
 */
import type { RecipeInput } from "../recipe.ts";

export const fedTighteningMomentum: RecipeInput = {
  name: "fed-tightening-momentum",
  description:
    "Fed tightening momentum: unemployment (inverse), CPI rent (OER) YoY, term spread (inverse), INDPRO YoY",
  target: "DFII10",
  targetLeadMonths: 6,
  components: [
    { series: "UNRATE", label: "unemployment rate (inverse)", transform: "inverse_percentile", weight: 0.25 },
    { series: "CUSR0000SEHC", label: "CPI rent (OER) YoY", transform: ["yoy", "percentile"], weight: 0.25 },
    {
      series: "T10Y3M",
      label: "term spread 10y−3m (inverse)",
      transform: "inverse_percentile",
      weight: 0.25,
    },
    {
      series: "INDPRO",
      label: "business conditions: INDPRO YoY",
      transform: ["yoy", "percentile"],
      weight: 0.25,
    },
  ],
  normalise: "percentile",
};
