import { SegmintError } from '../../domain/errors.js';
import type { CooccurrenceOptions } from '../../store/queries/recommend.js';
import { rangeWords } from '../../domain/whole-number.js';

/** Pairs bought together in fewer than 2 baskets say nothing reliable about each other. */
export const DEFAULT_MIN_PAIR = 2;
/**
 * Neighbours kept per product, and the half-life of a bought product's weight. Both were chosen on an
 * earlier split of the Online Retail data (learn to 2011-06-12, test on the next order) among 10/20/50
 * neighbours and no decay / 30 / 90 days, and only then measured on the reported split (docs/recommendations.md):
 * summing many weak neighbours of everything a customer ever bought drowns what they buy now.
 */
export const DEFAULT_NEIGHBOURS = 10;
export const DEFAULT_HALF_LIFE_DAYS = 30;

export function cooccurrenceOptions(
  asOf: Date,
  o: { minPair?: number; neighbours?: number; halfLifeDays?: number } = {},
): CooccurrenceOptions {
  return {
    asOf,
    minPair: o.minPair ?? DEFAULT_MIN_PAIR,
    neighbours: o.neighbours ?? DEFAULT_NEIGHBOURS,
    halfLifeDays: o.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
  };
}

/** The most products one recommendation lists. */
export const RECOMMEND_COUNT_MAX = 1000;

/** Validates --n: how many products to return. */
export function checkCount(n: number, option = 'n'): number {
  if (!Number.isInteger(n) || n < 1 || n > RECOMMEND_COUNT_MAX) {
    throw new SegmintError('invalid_count', `--${option}: "${n}" is not a whole number ${rangeWords(1, RECOMMEND_COUNT_MAX)}`, { option, value: n });
  }
  return n;
}
