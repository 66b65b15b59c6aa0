import { describe, expect, it } from 'vitest';
import { customerState, evaluateSegment, parseSegment, SegmentError, type CustomerEvent } from '../../../src/segments/index.js';

const asOf = new Date('2024-03-01T00:00:00Z');
const at = (iso: string) => new Date(iso);
const ev = (event: string, iso: string, properties?: object): CustomerEvent => ({ event, timestamp: at(iso), ...(properties ? { properties } : {}) });
const run = (text: string, state = customerState({ customerId: 'x' }), when = asOf) => {
  const { ast, diagnostics } = parseSegment(text);
  expect(diagnostics, text).toEqual([]);
  return evaluateSegment(ast!, state, { asOf: when });
};

const viewer = customerState({
  customerId: 'ann',
  events: [
    ev('Product Viewed', '2024-02-24T08:00:00Z', { category: 'Dresses' }),
    ev('Product Viewed', '2024-02-26T09:00:00Z', { category: 'Dresses' }),
    ev('Product Viewed', '2024-02-27T10:00:00Z', { category: 'Shoes' }),
    ev('Product Viewed', '2024-02-29T11:00:00Z', { category: 'Dresses' }),
    ev('Product Viewed', '2024-03-05T11:00:00Z', { category: 'Dresses' }), // after as_of: ignored
  ],
});

describe('evaluateSegment', () => {
  it('explains a behaviour condition with the count seen and the count needed', () => {
    const r = run('performed "Product Viewed" where category = "Dresses" at least 3 times within 7d', viewer);
    expect(r.member).toBe(true);
    expect(r.explanation).toMatchObject({
      kind: 'performed',
      result: 'true',
      detail: '3 `Product Viewed` where category = "Dresses" in the last 7 days, needed ≥ 3',
    });
    // the oldest of the three leaves the window 7 days after it happened
    expect(r.changesAt).toEqual(at('2024-03-02T08:00:00Z'));
  });

  it('a missing value matches no comparison, and not keeps it unknown', () => {
    const noOrders = customerState({ customerId: 'new' });
    const r = run('not (last_order_at < -90d)', noOrders);
    expect(r.member).toBe(false);
    expect(r.explanation.result).toBe('unknown');
    expect(r.explanation.children![0]).toMatchObject({ result: 'unknown', detail: expect.stringContaining('last_order_at is missing') });
    expect(run('last_order_at >= -90d', noOrders).member).toBe(false);
    expect(run('last_order_at is missing', noOrders).member).toBe(true);
    expect(run('country != "DE"', noOrders).member).toBe(false);
    expect(run('country not in ("DE")', noOrders).member).toBe(false);
    // counts and sums default to 0 without a metrics row
    expect(run('orders_count = 0 and total_spent = 0', noOrders).member).toBe(true);
  });

  it('and/or follow three-valued logic and explain every part', () => {
    const r = run('country = "DE" or performed "Product Viewed"', viewer);
    expect(r.member).toBe(true);
    expect(r.explanation.children!.map((c) => c.result)).toEqual(['unknown', 'true']);
    expect(run('country = "DE" and performed "Product Viewed"', viewer).explanation.result).toBe('unknown');
    expect(run('country = "DE" and not performed "Product Viewed"', viewer).explanation.result).toBe('false');
  });

  it('aggregates over no events: count and sum are 0, avg/min/max missing', () => {
    const s = customerState({ customerId: 'x' });
    expect(run('sum of revenue in "Order Completed" = 0', s).member).toBe(true);
    expect(run('count of "Order Completed" = 0', s).member).toBe(true);
    expect(run('avg of revenue in "Order Completed" < 10', s).explanation.result).toBe('unknown');
    expect(run('not (max of revenue in "Order Completed" > 10)', s).member).toBe(false);
  });

  it('only numeric property values take part in sums and averages', () => {
    const s = customerState({
      customerId: 'x',
      events: [ev('Order Completed', '2024-02-01T00:00:00Z', { revenue: 100 }), ev('Order Completed', '2024-02-02T00:00:00Z', { revenue: '900' }), ev('Order Completed', '2024-02-03T00:00:00Z', { revenue: 50 })],
    });
    const r = run('avg of revenue in "Order Completed" within 90d = 75', s);
    expect(r.member).toBe(true);
    expect(r.explanation.detail).toBe('avg of revenue over 3 `Order Completed` in the last 90 days is 75, needed = 75');
  });

  it('cart abandonment: the hour must have elapsed, and then membership starts', () => {
    const s = customerState({ customerId: 'x', events: [ev('Checkout Started', '2024-02-29T23:30:00Z')] });
    const r = run('performed "Checkout Started" then not "Order Completed" within 1h', s);
    expect(r.member).toBe(false);
    expect(r.changesAt).toEqual(at('2024-03-01T00:30:00Z'));
    expect(run('performed "Checkout Started" then not "Order Completed" within 1h', s, at('2024-03-01T00:30:00Z')).member).toBe(true);
    const bought = customerState({ customerId: 'y', events: [ev('Checkout Started', '2024-02-29T22:00:00Z'), ev('Order Completed', '2024-02-29T23:00:00Z')] });
    expect(run('performed "Checkout Started" then not "Order Completed" within 1h', bought).member).toBe(false);
    expect(run('performed "Checkout Started" then "Order Completed" within 1h', bought).member).toBe(true);
  });

  it('changes_at for relative dates and days_since_last_order, to the millisecond', () => {
    const s = customerState({ customerId: 'x', metrics: { orders_count: 1, last_order_at: at('2024-01-15T12:00:00Z') } });
    // last_order_at < as_of − 90d first holds one millisecond after last_order_at + 90d
    expect(run('last_order_at < -90d', s).changesAt).toEqual(new Date(at('2024-04-14T12:00:00Z').getTime() + 1));
    expect(run('days_since_last_order > 60', s).changesAt).toEqual(new Date(at('2024-03-15T12:00:00Z').getTime() + 1));
    expect(run('days_since_last_order >= 60', s).changesAt).toEqual(at('2024-03-15T12:00:00Z'));
    // calendar months: as_of − 1m for any day of February is at most Jan 29, so an order on Jan 31
    // is a month old only from Mar 1 (Mar 1 − 1m = Feb 1)
    const jan31 = customerState({ customerId: 'y', metrics: { orders_count: 1, last_order_at: at('2024-01-31T00:00:00Z') } });
    expect(run('last_order_at <= -1m', jan31, at('2024-02-01T00:00:00Z')).changesAt).toEqual(at('2024-03-01T00:00:00Z'));
    expect(run('last_order_at < -90d', jan31, at('2025-01-01T00:00:00Z')).changesAt).toBeNull();
  });

  it('first performed: the first such event ever lies in the window', () => {
    const returning = customerState({ customerId: 'x', events: [ev('Order Completed', '2023-06-01T00:00:00Z'), ev('Order Completed', '2024-02-20T00:00:00Z')] });
    const fresh = customerState({ customerId: 'y', events: [ev('Order Completed', '2024-02-20T00:00:00Z')] });
    expect(run('first performed "Order Completed" within 30d', returning).member).toBe(false);
    const r = run('first performed "Order Completed" within 30d', fresh);
    expect(r.member).toBe(true);
    expect(r.changesAt).toEqual(at('2024-03-21T00:00:00Z'));
  });

  it('trait dates are ISO text; anything else is missing', () => {
    const s = (signup: unknown) => customerState({ customerId: 'x', traits: { signup } });
    expect(run('traits.signup < -30d', s('2024-01-01')).member).toBe(true);
    expect(run('traits.signup < -30d', s('2024-01-01T10:00:00.5Z')).member).toBe(true);
    expect(run('traits.signup < -30d', s('2024-02-30')).explanation.result).toBe('unknown');
    expect(run('traits.signup < -30d', s(1704067200000)).explanation.result).toBe('unknown');
  });

  it('in segment evaluates the named definition and refuses cycles', () => {
    const defs: Record<string, ReturnType<typeof parseSegment>['ast']> = {
      vip: parseSegment('performed "Product Viewed" at least 4 times').ast,
      a: parseSegment('in segment "b"').ast,
      b: parseSegment('in segment "a"').ast,
    };
    const opts = { asOf, resolveSegment: (n: string) => defs[n] };
    const r = evaluateSegment(parseSegment('in segment "vip"').ast!, viewer, opts);
    expect(r.member).toBe(true);
    expect(r.explanation.children![0]!.detail).toContain('4 `Product Viewed` ever');
    expect(() => evaluateSegment(parseSegment('in segment "a"').ast!, viewer, opts)).toThrow(SegmentError);
    expect(() => evaluateSegment(parseSegment('in segment "a"').ast!, viewer, opts)).toThrow('a → b → a');
    // without a resolver, the memberships listed in the state answer
    const listed = customerState({ customerId: 'x', segments: ['vip'] });
    expect(run('in segment "vip"', listed).member).toBe(true);
  });

  it('consent: no row is missing', () => {
    const s = customerState({ customerId: 'x', consent: { email: 'granted' } });
    expect(run('consent email = granted', s).member).toBe(true);
    expect(run('consent sms != granted', s).explanation.result).toBe('unknown');
  });
});
