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

/**
 * Why a ranking's figures mean less than they seem, in sentences: a test window in which nobody (or
 * everybody) had the outcome leaves the AUC undefined; a ranking that gives everyone the same score
 * ranks no one, whatever its AUC of ½ and base-rate precision suggest. `what` names the ranking.
 */
export function rankingWarnings(what: string, scores: ArrayLike<number>): string[] {
  const n = scores.length;
  if (n === 0) return [];
  const first = scores[0] as number;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = scores[i] === first;
  return constant
    ? [`${what} gives all ${n} test customers the same score, so it ranks no one: its AUC of 0.5 and its precision (the base rate) say nothing.`]
    : [];
}

/** The test window's own limit: with one class only, no ranking has an AUC. */
export function outcomeWarnings(outcome: string, labels: ArrayLike<number>): string[] {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] as number;
  if (labels.length === 0 || (positives > 0 && positives < labels.length)) return [];
  const who = positives === 0 ? 'none' : 'every one';
  return [`In the test window ${who} of the ${labels.length} customers ${outcome}, so no ranking has an AUC (shown as n/a).`];
}
