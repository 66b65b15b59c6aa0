/**
 * Per-customer calibration summaries in columns (the "RFM" triple of the BTYD literature), in one time
 * unit: x = repeat transactions (all but the first), tx = time of the last transaction after the first
 * (0 when x = 0), T = time from the first transaction to the end of calibration. Columns of doubles
 * keep the likelihood loops over tens of thousands of customers tight.
 */
export interface Summaries {
  readonly ids: readonly string[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  /** Mean value of the repeat transactions (NaN for a customer without any). */
  readonly mx: Float64Array;
  /** Repeat transactions in a holdout period, when known (validation); NaN otherwise. */
  readonly xStar: Float64Array;
  /** How many customers each row stands for (see groupSummaries, which groups customers the same way); 1 each when absent. */
  readonly weight?: Float64Array;
}

/** One customer's summary, as predictions take it. */
export interface CustomerSummary {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
}
