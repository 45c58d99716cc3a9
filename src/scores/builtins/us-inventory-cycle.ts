/**
 * US inventory cycle (METHODS.md §2): slack indicator = (PMI inventories − 50) − (PMI production
 * − 50); standardise, HP-filter, inverse percentile → inventory-cycle score (0-100; high = lean
 * inventories relative to production, the restocking phase that pushes up input prices).
 *
 * ISM sub-indices are proprietary and not bundled. When the user has imported them as
 * `ism.inventories` and `ism.production` (`yardstick data import`), the slack indicator is the
 * real one. Otherwise a PUBLIC PROXY stands in, built from industrial production alone:
 *   inventories ≈ INDPRO year-over-year growth six months earlier (stocks are built from past
 *                 output), standardised;
 *   production  ≈ INDPRO 3-month growth now (what the ISM production index tracks), standardised;
 *   slack proxy = ½ z(inventories proxy) − ½ z(production proxy).
 * It is a proxy for a diffusion-index difference, not a measure of inventories: it captures the
 * turn of production momentum against its own recent past, which is the timing part of the
 * inventory cycle, and nothing about actual stock levels. Every result says so (caveat).
 *
 * The HP filter here smooths rather than detrends: λ = 100 on monthly data passes cycles longer
 * than about 20 months (gain ½ at 2π/acos(1 − 1/(2√λ)) ≈ 19.8 months), keeping the 3-4 year
 * inventory cycle and dropping month-to-month noise; it is one-sided (real-time).
 *
 * Judged against the 10y breakeven six months ahead: the implied-inflation-expectation recipe
 * uses it with a six-month lag, so that is the claim to test.
 */
import type { RecipeInput } from "../recipe.ts";

/** Shown with every result of the inventory cycle (and the scores using it) when the proxy is used. */
export const PROXY_CAVEAT =
  "PUBLIC PROXY for the ISM slack indicator: inventories ≈ INDPRO YoY growth 6 months earlier, production ≈ " +
  "INDPRO 3-month growth; import ISM sub-indices as ism.inventories and ism.production to use the real one";

export const usSlackIndicatorIsm: RecipeInput = {
  name: "us-slack-indicator",
  description: "US slack indicator: ISM manufacturing inventories − production (user-imported ISM data)",
  units: "diffusion-index points",
  components: [
    {
      series: "ism.inventories",
      subtract: "ism.production",
      label: "ISM inventories − production",
      weight: 1,
    },
  ],
  normalise: "none",
};

export const usSlackIndicatorProxy: RecipeInput = {
  name: "us-slack-indicator",
  description: "US slack indicator, PUBLIC PROXY from industrial production (ISM sub-indices not imported)",
  units: "standard deviations",
  components: [
    {
      series: "INDPRO",
      label: "inventories proxy: INDPRO YoY 6m earlier (z)",
      transform: ["yoy", "zscore"],
      lagMonths: 6,
      weight: 0.5,
    },
    {
      series: "INDPRO",
      label: "production proxy: INDPRO 3m growth (z, negated)",
      transform: [{ op: "pct_change", periods: 3 }, "zscore", "negate"],
      weight: 0.5,
    },
  ],
  normalise: "none",
};

export const usInventoryCycle: RecipeInput = {
  name: "us-inventory-cycle",
  description:
    "US inventory-cycle score: slack indicator standardised, HP-smoothed (one-sided), inverse percentile",
  target: "T10YIE",
  targetLeadMonths: 6,
  units: "score 0-100",
  components: [
    {
      series: "us-slack-indicator",
      label: "slack indicator → z → HP trend → inverse percentile",
      transform: ["zscore", { op: "hp_trend", lambda: 100 }, "inverse_percentile"],
      weight: 1,
    },
  ],
  normalise: "none",
};
