import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeKey } from '../../src/server/keys.js';
import { basic, count, testServer, type TestServer } from './helpers.js';

describe('Segment HTTP ingestion', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer();
  });
  afterEach(async () => {
    await s.cleanup();
  });

  it('stores a batch of 1,000 events once however often it is sent', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      type: 'track',
      event: 'Product Viewed',
      userId: `user-${i % 97}`,
      messageId: `msg-${i}`,
      properties: { i },
      timestamp: new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString(),
    }));
    const results = [];
    for (let k = 0; k < 3; k++) results.push(await s.post('/v1/batch', { batch }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.json.stored)).toEqual([1000, 0, 0]);
    expect(results[2]!.json.duplicates).toBe(1000);
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(1000);
    expect(await count(s.store, 'SELECT count(DISTINCT customer_id) n FROM events')).toBe(97);
    expect(await count(s.store, "SELECT count(*) n FROM customers WHERE merged_into IS NULL")).toBe(97);
  });

  it('stores each message of concurrent requests once, when they overlap, in one group commit or several', async () => {
    const msg = (i: number) => ({ type: 'track', event: 'E', anonymousId: `a${i % 10}`, messageId: `m${i}` });
    const requests = Array.from({ length: 8 }, (_, r) => s.post('/v1/batch', { batch: Array.from({ length: 50 }, (_, i) => msg(r * 25 + i)) }));
    const answers = await Promise.all(requests);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const stored = answers.reduce((n, a) => n + (a.json.stored as number), 0);
    expect(stored).toBe(225);
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(225);
  });

  it('accepts every endpoint and short path, and JSON sent as text/plain', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/identify', { userId: 'u1', traits: { name: 'Ann' } }],
      ['/v1/i', { userId: 'u1' }],
      ['/v1/track', { userId: 'u1', event: 'Signed Up' }],
      ['/v1/t', { userId: 'u1', event: 'Signed Up' }],
      ['/v1/page', { anonymousId: 'a1', name: 'Home' }],
      ['/v1/p', { anonymousId: 'a1' }],
      ['/v1/screen', { userId: 'u1', name: 'Cart' }],
      ['/v1/s', { userId: 'u1', name: 'Cart' }],
      ['/v1/group', { userId: 'u1', groupId: 'acme' }],
      ['/v1/g', { userId: 'u1', groupId: 'acme' }],
      ['/v1/alias', { userId: 'u1', previousId: 'a1' }],
      ['/v1/a', { userId: 'u1', previousId: 'a2' }],
      ['/v1/b', { batch: [{ type: 'track', userId: 'u1', event: 'B' }] }],
      ['/v1/import', { batch: [{ type: 'page', userId: 'u1', name: 'Imported' }] }],
    ];
    for (const [path, body] of calls) {
      const r = await s.post(path, body, { 'content-type': 'text/plain' });
      expect({ path, status: r.status, body: r.json }).toEqual({ path, status: 200, body: { success: true, stored: 1, duplicates: 0, suppressed: 0 } });
    }
    const types = await s.store.all<{ type: string; n: number }>('SELECT type, count(*) n FROM events GROUP BY type ORDER BY type');
    expect(types).toEqual([
      { type: 'alias', n: 2 },
      { type: 'group', n: 2 },
      { type: 'identify', n: 2 },
      { type: 'page', n: 3 },
      { type: 'screen', n: 2 },
      { type: 'track', n: 3 },
    ]);
    const page = await s.store.one<{ event: string }>("SELECT event FROM events WHERE type = 'page' AND event = 'Home'");
    expect(page?.event).toBe('Home');
  });

  it('takes the write key as Basic auth username, X-Write-Key header, body writeKey or Bearer token', async () => {
    const event = { userId: 'u1', event: 'E' };
    const noAuth = { authorization: '' };
    expect((await s.post('/v1/track', event)).status).toBe(200);
    expect((await s.post('/v1/track', event, { ...noAuth, 'x-write-key': s.key })).status).toBe(200);
    expect((await s.post('/v1/track', { ...event, writeKey: s.key }, noAuth)).status).toBe(200);
    expect((await s.post('/v1/track', event, { authorization: `Bearer ${s.key}` })).status).toBe(200);
  });

  it('answers 401 without a key, with a wrong or revoked key, and 403 for a key without the write scope', async () => {
    const event = { userId: 'u1', event: 'E' };
    const missing = await s.post('/v1/track', event, { authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.json.message).toMatch(/Missing API key/);
    const wrong = await s.post('/v1/track', event, { authorization: basic('sgm_not-a-key') });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'unauthorized', details: { where: 'the Basic auth username (Authorization header)' } });
    expect(wrong.json.message).toMatch(/^The API key sent as the Basic auth username \(Authorization header\) is unknown or revoked/);
    const other = await createApiKey(s.store, ['write']);
    await revokeKey(s.store, other.keyId);
    expect((await s.post('/v1/track', event, { authorization: basic(other.key) })).status).toBe(401);
    const reader = await createApiKey(s.store, ['read']);
    const forbidden = await s.post('/v1/track', event, { authorization: basic(reader.key) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error).toBe('forbidden');
    expect(forbidden.json.message).toMatch(/lacks the "write" scope that POST \/v1\/track needs; it has: read/);
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(0);
  });

  it('recognises a resent message without messageId by its content when it carries its own time', async () => {
    const msg = { userId: 'u1', event: 'Clicked', timestamp: '2024-01-01T00:00:00Z' };
    const first = await s.post('/v1/track', { ...msg, sentAt: '2024-01-01T00:00:01Z' });
    const resent = await s.post('/v1/track', { ...msg, sentAt: '2024-01-01T00:09:00Z' });
    expect([first.json.stored, resent.json.stored, resent.json.duplicates]).toEqual([1, 0, 1]);
    await s.post('/v1/track', { userId: 'u1', event: 'Clicked' });
    await s.post('/v1/track', { userId: 'u1', event: 'Clicked' });
    expect(await count(s.store, 'SELECT count(*) n FROM events')).toBe(3);
  });

  it('tells commit listeners which events were stored and which customers changed', async () => {
    const notices: { events: string[]; customers: number; merged: number }[] = [];
    s.app.segmint.committer.onCommit((n) => {
      notices.push({ events: n.events.map((e) => e.messageId), customers: n.customers.size, merged: n.merged.size });
    });
    await s.post('/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'a', messageId: 'x1' }, { type: 'identify', anonymousId: 'b', messageId: 'x2' }] });
    await s.post('/v1/track', { event: 'E', userId: 'a', messageId: 'x1' });
    await s.post('/v1/alias', { userId: 'a', previousId: 'b', messageId: 'x3' });
    expect(notices).toEqual([
      { events: ['x1', 'x2'], customers: 2, merged: 0 },
      { events: ['x3'], customers: 1, merged: 1 },
    ]);
  });

  it('lets web pages of any origin send events and read the answers, including refusals', async () => {
    const pre = await s.app.inject({ method: 'OPTIONS', url: '/v1/t', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toContain('x-write-key');
    const refused = await s.app.inject({ method: 'POST', url: '/v1/t', headers: { origin: 'https://shop.example' }, payload: { event: 'E' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it('stores events with only junk ids without making customers of them', async () => {
    const r = await s.post('/v1/batch', {
      batch: [
        { type: 'track', event: 'E', userId: 'undefined', anonymousId: '00000000-0000-0000-0000-000000000000' },
        { type: 'identify', userId: '0', traits: { email: 'null' } },
        { type: 'track', event: 'E', anonymousId: 'anonymous' },
      ],
    });
    expect(r.status).toBe(200);
    expect(await count(s.store, 'SELECT count(*) n FROM events WHERE customer_id IS NULL')).toBe(3);
    expect(await count(s.store, 'SELECT count(*) n FROM customers')).toBe(0);
    expect(await count(s.store, 'SELECT count(*) n FROM identities')).toBe(0);
  });
});
