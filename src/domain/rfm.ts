/** One customer's RFM values and scores as of a moment (definitions: docs/metrics.md, "RFM"). */
export interface RfmScores {
  readonly recency_days: number;
  readonly frequency: number;
  readonly monetary: number;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  /** "545": R, F and M side by side */
  readonly score: string;
}
