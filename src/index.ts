/**
 * yardstick's public API: named exports only, grouped as the data flows — core types, the store
 * and sources, transforms, curves and term-structure models, inflation and scores, scenarios,
 * regimes. Models are pure functions over typed arrays returning results objects with
 * `summary()`; the `run*` functions read what they need from a Store.
 */

// core
export * from "./core/dates.ts";
export * from "./core/errors.ts";
export * from "./core/series.ts";
export { type BootstrappedCurve, bootstrapParYields, FRED_CMT_TENORS } from "./curves/bootstrap.ts";
export { buildDailyPanel } from "./curves/daily-panel.ts";
export { type CurveFit, type CurveFitOptions, fitSvensson } from "./curves/fit.ts";
export { cmtCurveOnDate, gswCurveOnDate } from "./curves/on-date.ts";
export { buildMonthEndPanel, type GswDaily, type MonthEndPanel } from "./curves/panel.ts";
// curves
export * from "./curves/svensson.ts";
// inflation and scores
export { breakevenDecomposition, decomposeTenor } from "./inflation/breakeven.ts";
export { breakTest, correlationSignFlips, supWaldScan } from "./regimes/breaks.ts";
export { fitDivergence, impliedRate, modelPrice } from "./regimes/divergence.ts";
export { kShapeMonitor } from "./regimes/kshape.ts";
export { fiscalPathways } from "./regimes/pathways.ts";
// regimes
export { analyseRelation, asymmetricBeta, rollingRelationValues } from "./regimes/rolling-relations.ts";
export { runAttribution, runDefaultRelations, runDivergence, runKShape } from "./regimes/service.ts";
export { expectedRateComponent, fairValues } from "./scenarios/fair-value.ts";
export { netSupply } from "./scenarios/net-supply.ts";
// scenarios
export { buildPolicyPath } from "./scenarios/policy-path.ts";
export { evaluatePolicyScenario, runPolicyScenario, runSensitivity } from "./scenarios/policy-service.ts";
export { sensitivityGrid } from "./scenarios/sensitivity.ts";
export { supplyRegression } from "./scenarios/supply-regression.ts";
export { BUILTIN_SCORES } from "./scores/builtins/index.ts";
export { computeScore, computeScores, publishedBy } from "./scores/engine.ts";
export { evaluateScore } from "./scores/evaluate.ts";
export { fitScoreToLevel, nominalForecast, predictLevel } from "./scores/forecast.ts";
export { loadRecipeFile, loadScoreInputs, resolveScore } from "./scores/load.ts";
export { parseAcmCsv, readAcmFile } from "./sources/acm-file.ts";
export { parseFredCsv, parseWideCsv, readCsvFile, type WideTable, wideTableToSeries } from "./sources/csv.ts";
export { FredClient, type FredClientOptions } from "./sources/fred.ts";
export { type GswCurves, gswToSeries, gswYieldMonths, parseGswCsv, readGswFile } from "./sources/gsw.ts";
export { chiSquareCdf, chiSquareSf } from "./stats/chisquare.ts";
export { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from "./stats/distributions.ts";
// statistics
export { neweyWestLag, ols } from "./stats/ols.ts";
export { levenbergMarquardt, nelderMead } from "./stats/optimize.ts";
export { pca } from "./stats/pca.ts";
export { createRng } from "./stats/random.ts";
export { fitVar1 } from "./stats/var.ts";
export { BUNDLED_DATA_DIR, ensureBundled, readCatalog } from "./store/bundled.ts";
export { fredApiKey, storePath, yardstickHome } from "./store/home.ts";
// data: store, bundled data, sources
export { type ImportItem, type ImportReport, SCHEMA_SQL, type SeriesInfo, Store } from "./store/store.ts";
// term structure
export {
  type AcmOptions,
  type AcmResult,
  acmColumn,
  decomposeDaily,
  estimateAcm,
  fitAcm,
  type YieldPanel,
} from "./termstructure/acm.ts";
export {
  acmBands,
  type BandsOptions,
  hamiltonWuBands,
  type TermPremiumBands,
} from "./termstructure/bands.ts";
export { compareTermPremia, type TermPremiumComparison } from "./termstructure/compare.ts";
export {
  fitHamiltonWu,
  type HamiltonWuOptions,
  type HamiltonWuResult,
  hamiltonWuColumn,
} from "./termstructure/hamilton-wu.ts";
export {
  runTermPremium,
  type TermPremiumRequest,
  type TermPremiumRun,
  termPremiumRows,
} from "./termstructure/service.ts";
// transforms
export * from "./transforms/index.ts";
