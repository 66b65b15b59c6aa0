import { describe, expect, it } from 'vitest';
import { correctedTimestamp, messageIdFor } from '../../src/ingest/events/normalise.js';
import { parseOrder } from '../../src/ingest/events/orders.js';
import { consentOf } from '../../src/ingest/events/consent.js';
import { identifiersOf } from '../../src/ingest/events/identifiers.js';
import type { IncomingEvent, ValidMessage } from '../../src/ingest/events/message.js';

const d = (s: string) => new Date(s);
const received = d('2024-05-01T13:00:02Z');

describe('event normalisation', () => {
  it('corrects the event time by the client clock offset only when sentAt is known', () => {
    const m: ValidMessage = { type: 'track', timestamp: d('2024-05-01T13:59:00Z'), sentAt: d('2024-05-01T14:00:00Z') };
    expect(correctedTimestamp(m, received).toISOString()).toBe('2024-05-01T12:59:02.000Z');
    expect(correctedTimestamp({ type: 'track', originalTimestamp: d('2024-05-01T13:58:00Z'), sentAt: d('2024-05-01T14:00:00Z') }, received).toISOString()).toBe(
      '2024-05-01T12:58:02.000Z',
    );
    expect(correctedTimestamp({ type: 'track', sentAt: d('2024-05-01T14:00:00Z') }, received)).toEqual(received);
    expect(correctedTimestamp({ type: 'track', timestamp: d('2020-01-01T00:00:00Z') }, received).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(correctedTimestamp({ type: 'track' }, received)).toEqual(received);
  });

  it('stores a time after the receive time as the receive time (nothing happens after it is received)', () => {
    // The D1 attack of trial 6: a claim dated 2099 would outrank every later decision.
    expect(correctedTimestamp({ type: 'identify', timestamp: d('2099-01-01T00:00:00Z') }, received)).toEqual(received);
    expect(correctedTimestamp({ type: 'identify', originalTimestamp: d('9999-12-31T23:59:59Z') }, received)).toEqual(received);
    // With sentAt: a message claiming to have happened after it was sent is capped as well.
    expect(correctedTimestamp({ type: 'track', timestamp: d('2024-05-01T14:00:05Z'), sentAt: d('2024-05-01T14:00:00Z') }, received)).toEqual(received);
    // One millisecond before the receive time is kept as it is.
    expect(correctedTimestamp({ type: 'track', timestamp: d('2024-05-01T13:00:01.999Z') }, received).toISOString()).toBe('2024-05-01T13:00:01.999Z');
  });

  it('generates the same messageId for a resent timed message, whatever its sentAt or key order', () => {
    const a = { type: 'track', event: 'E', userId: 'u', timestamp: '2024-01-01T00:00:00Z', sentAt: '2024-01-01T00:00:01Z' };
    const b = { sentAt: '2024-01-01T00:05:00Z', timestamp: '2024-01-01T00:00:00Z', userId: 'u', event: 'E', type: 'track' };
    const m: ValidMessage = { type: 'track', timestamp: d('2024-01-01T00:00:00Z') };
    expect(messageIdFor(m, a)).toBe(messageIdFor(m, b));
    expect(messageIdFor(m, { ...a, event: 'F' })).not.toBe(messageIdFor(m, a));
    // Without a time of its own, two sends may be two real events: never merged.
    const untimed: ValidMessage = { type: 'track' };
    expect(messageIdFor(untimed, { type: 'track' })).not.toBe(messageIdFor(untimed, { type: 'track' }));
    expect(messageIdFor({ type: 'track', messageId: 'given' }, a)).toBe('given');
  });

  it('reads order amounts from products (signed lines), else revenue, else total', () => {
    const products = [
      { product_id: 'a', price: 10, quantity: 3 },
      { sku: 'coupon', price: -5 },
    ];
    const o = parseOrder('order', { order_id: 7, products, revenue: 999 }, 'm1');
    expect(o).toMatchObject({ order: { orderId: '7', kind: 'order', revenue: 25 } });
    expect(parseOrder('order', { order_id: 'x', revenue: '12.5', total: 20 }, 'm')).toMatchObject({ order: { revenue: 12.5, lines: [] } });
    expect(parseOrder('order', { order_id: 'x', total: 20 }, 'm')).toMatchObject({ order: { revenue: 20 } });
    expect(parseOrder('refund', { order_id: 'x', total: 20 }, 'm9')).toMatchObject({ order: { orderId: 'x:refund:m9', kind: 'refund', revenue: -20 } });
    expect(parseOrder('order', { order_id: 'x' }, 'm')).toEqual({ issues: [{ field: 'properties.revenue', message: 'give products (price, quantity), or revenue, or total' }] });
    expect(parseOrder('order', { order_id: 'x', total: 1e15 }, 'm')).toMatchObject({ issues: [{ field: 'properties.total' }] });
  });

  it('reads consent from both conventions and ignores values that are not a decision', () => {
    const e: IncomingEvent = {
      messageId: 'm',
      type: 'identify',
      timestamp: received,
      receivedAt: received,
      traits: { email_consent: 'Granted', sms_consent: 'maybe', push_consent: false, consent: 'yes' },
      context: { consent: { categoryPreferences: { Advertising: true, Analytics: 'x' } } },
    };
    // Segment's category Advertising is the ads channel.
    expect(consentOf(e)).toEqual([
      { channel: 'ads', status: 'granted' },
      { channel: 'email', status: 'granted' },
      { channel: 'push', status: 'denied' },
    ]);
  });

  it('collects identifiers, dropping junk, with alias previousId as anonymous or user id', () => {
    const e: IncomingEvent = {
      messageId: 'm',
      type: 'alias',
      userId: 'u1',
      previousId: 'p1',
      anonymousId: 'undefined',
      timestamp: received,
      receivedAt: received,
      context: { traits: { email: 'A@B.io' }, externalIds: [{ id: '9', type: 'Shopify' }, { id: '0', type: 'x' }, { id: '5' }] },
    };
    expect(identifiersOf(e)).toEqual([
      { kind: 'user_id', value: 'u1' },
      { kind: 'anonymous_id', value: 'p1' },
      { kind: 'email', value: 'a@b.io' },
      { kind: 'external:shopify', value: '9' },
    ]);
    expect(identifiersOf(e, true)[1]).toEqual({ kind: 'user_id', value: 'p1' });
  });
});
