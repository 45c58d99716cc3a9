/**
 * Transforms: small pure functions over Series (labels in, labels out), each with a documented
 * NaN policy, plus Float64Array kernels for models that do not need the Series wrapper.
 */
export { type AlignOptions, align, alignPair, type FillMethod, type JoinHow, type Panel } from "./align.ts";
export { difference, logTransform, pctChange, type YoyOptions, yoy } from "./change.ts";
export {
  HP_LAMBDA,
  type HpOneSidedOptions,
  type HpOptions,
  type HpResult,
  hpFilter,
  hpFilterOneSided,
  hpFilterOneSidedValues,
  hpFilterValues,
} from "./hp-filter.ts";
export {
  type ExpandingPercentileOptions,
  PERCENTILE_KINDS,
  type PercentileKind,
  type PercentileOptions,
  percentileFromCounts,
  percentileRankExpanding,
  percentileRankExpandingValues,
  percentileRankFullSample,
  percentileRankFullSampleValues,
} from "./percentile.ts";
export {
  AGGREGATIONS,
  type Aggregation,
  type ResampleOptions,
  toAnnual,
  toMonthly,
  toQuarterly,
} from "./resample.ts";
export {
  type RollingOptions,
  type RollingStdOptions,
  requireSameDates,
  rollingBeta,
  rollingBetaValues,
  rollingCorrelation,
  rollingCorrelationValues,
  rollingMean,
  rollingMeanValues,
  rollingStd,
  rollingStdValues,
  type WindowComoments,
  type WindowMoments,
  windowComoments,
  windowMoments,
} from "./rolling.ts";
export { lag, lead, shiftValues } from "./shift.ts";
export {
  type ZscoreOptions,
  zscoreExpanding,
  zscoreExpandingValues,
  zscoreRolling,
  zscoreRollingValues,
} from "./zscore.ts";
