import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, testServer, type TestServer } from './helpers.js';

describe('ingestion refuses bad input with a message naming the item and field, storing nothing', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.cleanup();
  });

  const cases: [string, string, unknown, number, string, RegExp][] = [
    ['no userId nor anonymousId', '/v1/track', { event: 'E' }, 400, 'invalid_events', /body\.userId: every message needs "userId" or "anonymousId"/],
    ['a track without event', '/v1/batch', { batch: [{ type: 'track', userId: 'u' }, { type: 'track', userId: 'u', event: '  ' }] }, 400, 'invalid_events', /2 problem\(s\).*batch\[0\]\.event: a track call needs "event".*batch\[1\]\.event/],
    ['an unknown type in a batch', '/v1/batch', { batch: [{ type: 'identify', userId: 'u' }, { type: 'purchase', userId: 'u' }] }, 400, 'invalid_events', /batch\[1\]\.type: must be one of identify, track/],
    ['a bad timestamp', '/v1/identify', { userId: 'u', timestamp: 'yesterday' }, 400, 'invalid_events', /body\.timestamp: "yesterday" is not an ISO-8601 date-time/],
    ['traits that are not an object', '/v1/identify', { userId: 'u', traits: [1] }, 400, 'invalid_events', /body\.traits: must be a JSON object/],
    ['an alias without previousId', '/v1/alias', { userId: 'u' }, 400, 'invalid_events', /body\.previousId: an alias call needs/],
    ['a group without groupId', '/v1/group', { userId: 'u' }, 400, 'invalid_events', /body\.groupId/],
    ['an order without order id', '/v1/track', { userId: 'u', event: 'Order Completed', properties: { total: 5 } }, 400, 'invalid_events', /body\.properties\.order_id/],
    ['an order line without price', '/v1/track', { userId: 'u', event: 'Order Completed', properties: { order_id: 'o', products: [{ quantity: 1 }] } }, 400, 'invalid_events', /properties\.products\[0\]\.price: must be a number/],
    ['a batch that is not an array', '/v1/batch', { batch: {} }, 400, 'invalid_body', /"batch": an array/],
    ['a body that is not an object', '/v1/track', '[1,2]', 400, 'invalid_body', /must be a JSON object/],
    ['text that is not JSON', '/v1/track', 'hello', 400, 'invalid_body', /must be a JSON object/],
    ['an event over 32 KB', '/v1/track', { userId: 'u', event: 'E', properties: { blob: 'x'.repeat(33 * 1024) } }, 400, 'invalid_events', /body\.\(message\): is [\d,]+ bytes; at most 32,768/],
    ['a batch over 2,500 events', '/v1/batch', { batch: Array.from({ length: 2501 }, () => ({ type: 'track', userId: 'u', event: 'E' })) }, 400, 'batch_too_large', /2,501 messages; at most 2,500/],
    ['a request over 500 KB', '/v1/batch', { batch: Array.from({ length: 20 }, () => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(30 * 1024) } })) }, 413, 'request_too_large', /larger than the 500 KB/],
  ];

  it.each(cases)('%s', async (_name, path, body, status, code, message) => {
    const contentType = typeof body === 'string' && !body.startsWith('[') ? 'text/plain' : 'application/json';
    const r = await s.post(path, body, { 'content-type': contentType });
    expect(r.status).toBe(status);
    expect(r.json.error).toBe(code);
    expect(r.json.message).toMatch(message);
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(0);
  });

  it('lists every bad item of a batch in details, with index and field', async () => {
    const r = await s.post('/v1/batch', {
      batch: [{ type: 'track', userId: 'u', event: 'ok' }, { type: 'track', event: 'E' }, { type: 'track', userId: 'u' }],
    });
    expect(r.status).toBe(400);
    expect((r.json.details as { items: unknown[] }).items).toEqual([
      { index: 1, field: 'userId', message: 'every message needs "userId" or "anonymousId"' },
      { index: 2, field: 'event', message: 'a track call needs "event", the name of the action' },
    ]);
  });

  it('refuses a blank userId or anonymousId as it refuses an empty one (trial 6, D14)', async () => {
    for (const ids of [{ userId: '   ' }, { anonymousId: '\t' }, { userId: ' ', anonymousId: '  ' }]) {
      const r = await s.post('/v1/track', { ...ids, event: 'Viewed' });
      expect(r.status).toBe(400);
      expect(r.json.message).toMatch(/every message needs "userId" or "anonymousId"/);
    }
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(0);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const r = await s.post('/v1/track', '{"userId":', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_json');
  });
});
