/** A panel of zero yields, the input of every term-structure model. */
export interface YieldPanel {
  /** ISO dates, strictly increasing (month-ends for the monthly models). */
  dates: readonly string[];
  /** Maturity of each column in months (positive integers). */
  maturitiesMonths: Int32Array | readonly number[];
  /** Row-major dates.length × maturitiesMonths.length, annualised percent, continuously compounded. */
  yieldsPct: Float64Array;
}
