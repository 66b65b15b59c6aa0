import { describe, expect, it } from 'vitest';
import { rfmSentence } from '../../../src/predict/explain/explain-customer.js';
import { aliveWords, capitalise, duration, historyWords, joinWords, percent, strength } from '../../../src/predict/explain/words.js';
import { FEATURES } from '../../../src/predict/propensity/features.js';
import type { RawFeatureRow } from '../../../src/store/queries/propensity-features.js';

// Every generated phrase, branch by branch: the words people read must be grammatical in each case.
describe('explanation words', () => {
  it('P(alive) in each band reads as a sentence after "customers like this"', () => {
    const sentence = (p: number) => `customers like this ${aliveWords(p)}`;
    expect(sentence(0.95)).toBe('customers like this are almost surely still active');
    expect(sentence(0.9)).toBe('customers like this are almost surely still active');
    expect(sentence(0.75)).toBe('customers like this are probably still active');
    expect(sentence(0.5)).toBe('customers like this may have lapsed');
    expect(sentence(0.2)).toBe('customers like this have probably lapsed');
    expect(sentence(0.01)).toBe('customers like this have almost surely lapsed');
    for (const p of [0, 0.05, 0.1, 0.4, 0.7, 0.9, 1]) expect(sentence(p)).not.toMatch(/\bare (may|have)\b/);
  });

  it('durations in days, weeks or years, singular and plural', () => {
    expect(duration(0)).toBe('0 days');
    expect(duration(1)).toBe('1 day');
    expect(duration(1.4)).toBe('1 day');
    expect(duration(13)).toBe('13 days');
    expect(duration(14)).toBe('2 weeks');
    expect(duration(729)).toBe('104 weeks');
    expect(duration(730)).toBe('2.0 years');
  });

  it('history: once, or N times with the span and the last order', () => {
    expect(historyWords(1, 3, 3)).toBe('bought once, 3 days ago');
    expect(historyWords(1, 1, 1)).toBe('bought once, 1 day ago');
    expect(historyWords(2, 30, 1)).toBe('bought 2 times in 4 weeks, last 1 day ago');
  });

  it('strength, percentages, lists and capitals', () => {
    expect([strength(-1.2), strength(0.5), strength(-0.1)]).toEqual(['strongly', 'clearly', 'slightly']);
    expect([percent(0), percent(0.001), percent(0.37), percent(0.999), percent(1)]).toEqual(['0%', 'under 1%', '37%', 'over 99%', '100%']);
    expect([joinWords([]), joinWords(['a']), joinWords(['a', 'b']), joinWords(['a', 'b', 'c'])]).toEqual(['', 'a', 'a and b', 'a, b and c']);
    expect(capitalise('bought once')).toBe('Bought once');
  });

  it('the RFM sentence says which moment the group describes', () => {
    expect(rfmSentence({ group: 'Champions', score: '555', asOf: '2011-12-10T00:00:00.000Z', source: 'snapshot' })).toBe(
      'RFM group Champions (score 555, snapshot of 2011-12-10).',
    );
    expect(rfmSentence({ group: 'Loyal Customers', score: '345', asOf: '2011-06-01T23:59:59.999Z', source: 'computed' })).toBe(
      'RFM group Loyal Customers (score 345, as of 2011-06-01).',
    );
  });
});

describe('propensity input words, each branch', () => {
  const row = (r: Partial<RawFeatureRow>): RawFeatureRow => ({
    customer_id: 'c',
    recency_days: 10,
    tenure_days: 100,
    orders: 3,
    net_spend: 120,
    mean_gap_days: 20,
    last_gap_days: 15,
    orders_90d: 2,
    orders_prev_90d: 1,
    products: 7,
    categories: 3,
    email_opens_30d: 4,
    email_clicks_30d: 2,
    product_views_30d: 9,
    ...r,
  });
  const words = (r: Partial<RawFeatureRow>) => Object.fromEntries(FEATURES.map((f) => [f.name, f.words(row(r))]));

  it('many', () => {
    expect(words({})).toEqual({
      recency: 'last order 10 days ago',
      tenure: 'first order 100 days ago',
      frequency: 'ordered 3 times',
      monetary: 'spent 120.00 in total',
      mean_gap: 'on average 20 days between orders',
      last_gap: '15 days between the last two orders',
      overdue: '0.5× the usual gap since the last order',
      orders_90d: '2 orders in the last 90 days',
      trend_90d: '1 order in the 90 days before that',
      products: '7 different products bought',
      categories: '3 different categories bought',
      email_opens_30d: '4 emails opened in the last 30 days',
      email_clicks_30d: '2 email links clicked in the last 30 days',
      product_views_30d: '9 products viewed in the last 30 days',
    });
  });

  it('one', () => {
    expect(
      words({ recency_days: 1, tenure_days: 1, orders: 1, mean_gap_days: null, last_gap_days: null, orders_90d: 1, orders_prev_90d: 1, products: 1, categories: 1, email_opens_30d: 1, email_clicks_30d: 1, product_views_30d: 1 }),
    ).toEqual({
      recency: 'last order 1 day ago',
      tenure: 'first order 1 day ago',
      frequency: 'ordered once',
      monetary: 'spent 120.00 in total',
      mean_gap: 'only one order so far',
      last_gap: 'only one order so far',
      overdue: 'no usual gap between orders yet',
      orders_90d: '1 order in the last 90 days',
      trend_90d: '1 order in the 90 days before that',
      products: '1 product bought',
      categories: '1 category bought',
      email_opens_30d: '1 email opened in the last 30 days',
      email_clicks_30d: '1 email link clicked in the last 30 days',
      product_views_30d: '1 product viewed in the last 30 days',
    });
  });

  it('none, and less than a day', () => {
    const w = words({ recency_days: 0.2, last_gap_days: 0.1, orders_90d: 0, orders_prev_90d: 0, products: 0, categories: 0, email_opens_30d: 0, email_clicks_30d: 0, product_views_30d: 0 });
    expect(w).toMatchObject({
      recency: 'last order less than a day ago',
      last_gap: 'less than a day between the last two orders',
      orders_90d: 'no orders in the last 90 days',
      trend_90d: 'no orders in the 90 days before that',
      products: 'no products bought',
      categories: 'no categories bought',
      email_opens_30d: 'no emails opened in the last 30 days',
      email_clicks_30d: 'no email links clicked in the last 30 days',
      product_views_30d: 'no products viewed in the last 30 days',
    });
  });
});
