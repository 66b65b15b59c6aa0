import { describe, expect, it } from 'vitest';
import { recommendationsText } from '../../../src/predict/recommend/text.js';

// Recheck 7, N1: Online Retail's descriptions end in blanks ("NATURAL SLATE HEART CHALKBOARD "), which
// printed a double space before the dash; names are printed trimmed.
describe('recommendation text', () => {
  it('prints a product name without the blanks the shop data ends it with', () => {
    const text = recommendationsText({
      customerId: 'c1',
      asOf: '2011-12-10T00:00:00.000Z',
      ordersSoFar: 2,
      method: { method: 'popularity', how: 'given', evaluation: null, reason: 'best-sellers, as asked.' },
      recommendations: [{ productId: '22457', name: 'NATURAL SLATE HEART CHALKBOARD ', score: 1, reason: 'popular (in 394 orders)', becauseOf: null }],
    } as unknown as Parameters<typeof recommendationsText>[0]);
    expect(text.split('\n')[1]).toBe('  1. 22457  NATURAL SLATE HEART CHALKBOARD  — popular (in 394 orders)');
  });
});
