import { SegmintError } from '../../domain/errors.js';
import type { RfmSpread } from '../../store/queries/analytics/rfm.js';
import { formatMoment } from '../asOf.js';
import type { Bins } from './groups.js';

const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * What makes an RFM answer weaker than it looks, in sentences: too few customers to fill the bins, or a
 * dimension on which every customer is equal (each then gets the middle score, 1 + floor(bins / 2)).
 * No scored customer at all is refused: there is nothing to rank.
 */
export function rfmWarnings(s: RfmSpread, bins: Bins, asOf: Date): string[] {
  if (s.n === 0) {
    throw new SegmintError('nothing_to_score', `No customer had ordered before ${formatMoment(asOf)}, so there is nothing to score; choose a later --as-of.`, {
      asOf: asOf.toISOString(),
    });
  }
  const middle = 1 + Math.floor(bins / 2);
  if (s.n === 1) return [`Only one customer is scored: with no one to compare with, every score is the middle one (${middle}).`];
  const out: string[] = [];
  if (s.n < bins) {
    out.push(`Only ${s.n} customers are scored: RFM ranks customers against each other, so ${s.n} cannot fill ${bins} bins and the scores say little.`);
  }
  const same: [number, string, string][] = [
    [s.recency_values, 'R', `recency (${s.recency} day${s.recency === 1 ? '' : 's'})`],
    [s.frequency_values, 'F', `frequency (${s.frequency} order${s.frequency === 1 ? '' : 's'})`],
    [s.monetary_values, 'M', `monetary value (${money(s.monetary ?? 0)})`],
  ];
  for (const [values, letter, what] of same) {
    if (values === 1) out.push(`Every scored customer has the same ${what}, so ${letter} is the middle score (${middle}) for everyone and separates no one.`);
  }
  return out;
}
