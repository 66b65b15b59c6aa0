import { auc } from '../stats/auc.js';
import { precisionAtFraction } from '../stats/precision-at-fraction.js';

export interface RankingMetrics {
  /** Probability that a random customer with the outcome is ranked above a random one without. */
  readonly auc: number;
  /** Share with the outcome among the top 10% by score. */
  readonly precisionTop10: number;
}

/** The two ranking figures every model and baseline is compared on. */
export function rankingMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>): RankingMetrics {
  return { auc: auc(scores, labels), precisionTop10: precisionAtFraction(scores, labels, 0.1) };
}
