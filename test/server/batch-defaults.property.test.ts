import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toIncomingEvent } from '../../src/ingest/events/normalise.js';
import { messagesOfRequest } from '../../src/ingest/events/validate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rule of docs/api.md written out independently: batch-level context is merged under each
 * message's own context keys, and batch-level sentAt applies to a message without its own. Every
 * message is copied, whether or not there is anything to add.
 */
function withDefaultsReference(item: unknown, body: Obj): unknown {
  if (!isObj(item)) return item;
  const out: Obj = { ...item };
  if (isObj(body.context)) out.context = { ...body.context, ...(isObj(item.context) ? item.context : {}) };
  if (out.sentAt === undefined && body.sentAt !== undefined) out.sentAt = body.sentAt;
  return out;
}

const received = new Date('2024-05-01T12:00:00Z');
/** What a request stores, or the exact refusal. */
function outcome(body: Obj): unknown {
  try {
    return messagesOfRequest('batch', body, received).map(({ message, raw }) => {
      const e = toIncomingEvent(message, raw, received, 'server');
      // A message without a time of its own gets a random id (normalise.ts): compare that it is one.
      return /^gen-[0-9a-f]{8}-[0-9a-f]{4}-/.test(e.messageId) ? { ...e, messageId: 'gen-<random>' } : e;
    });
  } catch (e) {
    return { error: (e as Error).message, details: (e as { details?: unknown }).details };
  }
}

const time = fc.constantFrom('2024-05-01T10:00:00Z', '2024-05-01T11:59:00.250Z', 'yesterday', undefined);
const message = fc.record(
  {
    type: fc.constantFrom('track', 'identify', 'page'),
    event: fc.constantFrom('Viewed', 'Order Completed', ''),
    userId: fc.constantFrom('u1', 'u2', 7, ''),
    anonymousId: fc.constantFrom('a1', 'a2'),
    messageId: fc.constantFrom('m1', 'm2', 'm3', undefined),
    timestamp: time,
    sentAt: time,
    traits: fc.constantFrom({ email: 'x@y.io' }, { plan: 'pro' }, undefined),
    properties: fc.constantFrom({ order_id: 'o1', revenue: 5 }, { product_id: 'p' }, undefined),
    context: fc.constantFrom({ ip: '1.2.3.4' }, { traits: { email: 'C@D.io' } }, { ip: '9.9.9.9', locale: 'fr' }, undefined),
  },
  { requiredKeys: ['type'] },
);

describe('batch-level context and sentAt', () => {
  it('give every request the messages, ids and refusals of the rule applied to copies of its messages', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 8 }),
        fc.constantFrom({ ip: '5.5.5.5' }, { locale: 'de', ip: '6.6.6.6' }, undefined),
        fc.constantFrom('2024-05-01T11:59:30Z', 'later', undefined),
        (batch, context, sentAt) => {
          const body: Obj = { batch, ...(context ? { context } : {}), ...(sentAt ? { sentAt } : {}) };
          // The same messages with the defaults already applied by the reference, sent with none.
          const applied: Obj = { batch: batch.map((m) => withDefaultsReference(m, body)) };
          expect(outcome(body)).toEqual(outcome(applied));
        },
      ),
      { numRuns: 400, seed: 15 },
    );
  });

  it('leave the messages of a batch without them as sent', () => {
    const batch = [{ type: 'track', event: 'E', userId: 'u', context: { ip: '1.1.1.1' }, timestamp: '2024-05-01T10:00:00Z' }];
    const [m] = messagesOfRequest('batch', { batch }, received);
    expect(m!.raw).toBe(batch[0]);
    const [merged] = messagesOfRequest('batch', { batch, context: { locale: 'fr', ip: '2.2.2.2' } }, received);
    expect(merged!.message.context).toEqual({ locale: 'fr', ip: '1.1.1.1' });
    expect(batch[0]!.context).toEqual({ ip: '1.1.1.1' });
  });
});
