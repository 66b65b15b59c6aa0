import { SegmintError } from '../../domain/errors.js';
import type { CooccurrenceOptions } from '../../store/queries/recommend.js';

/** Pairs bought together in fewer than 2 baskets say nothing reliable about each other. */
export const DEFAULT_MIN_PAIR = 2;
/** Neighbours kept per product: bounds the bulk evaluation's work without changing a top 10 in practice. */
export const DEFAULT_NEIGHBOURS = 100;

export function cooccurrenceOptions(asOf: Date, o: { minPair?: number; neighbours?: number } = {}): CooccurrenceOptions {
  return { asOf, minPair: o.minPair ?? DEFAULT_MIN_PAIR, neighbours: o.neighbours ?? DEFAULT_NEIGHBOURS };
}

/** Validates --n: how many products to return. */
export function checkCount(n: number, option = 'n'): number {
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new SegmintError('invalid_count', `--${option} must be a whole number from 1 to 1000, got ${n}`, { option, value: n });
  }
  return n;
}
