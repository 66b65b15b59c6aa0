import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, testServer, type TestServer } from './helpers.js';

// The handed cases of issues 8 and 9 (shared/cases/README.md), each with its right answer. The inputs
// are copied here as written there, so the suite runs without the shared folder.
const CASES = {
  zoneLess: '{"userId":"tz-user-1","event":"Product Viewed","messageId":"tz-1","timestamp":"2024-05-01T10:00:00"}',
  nonIso: `{"batch":[
 {"type":"track","userId":"epoch-user","event":"Product Viewed","messageId":"f2-1","timestamp":1714557600},
 {"type":"track","userId":"epoch-user","event":"Product Viewed","messageId":"f2-2","timestamp":"1"},
 {"type":"track","userId":"epoch-user","event":"Product Viewed","messageId":"f2-3","timestamp":"2024-02-30T10:00:00Z"},
 {"type":"track","userId":"epoch-user","event":"Product Viewed","messageId":"f2-4","timestamp":"May 1, 2024 10:00"}
]}`,
  largeIds: `{"batch":[
{"type":"identify","userId":157963456373623802,"traits":{"email":"big.one@example.test"},"messageId":"f4-1","timestamp":"2024-05-01T10:00:00Z"},
{"type":"identify","userId":157963456373623803,"traits":{"email":"big.two@example.test"},"messageId":"f4-2","timestamp":"2024-05-01T10:01:00Z"}
]}`,
  loneSurrogates: '{"batch":[{"type":"track","userId":"s1","event":"E","messageId":"x\\ud800"},{"type":"track","userId":"s1","event":"E","messageId":"x\\ud801"}]}',
  // deep-array.track.json: an array nested about 4,100 levels in 20 KB
  deepArray: `{"userId":"d1","event":"Deep","messageId":"deep-1","properties":{"a":${'['.repeat(4100)}${']'.repeat(4100)}}}`,
  year10000: '{"userId":"t1","event":"T","messageId":"ts-1","timestamp":"+010000-01-01T00:00:00Z"}',
  lineOverflow:
    '{"userId":"o1","event":"Order Completed","messageId":"ord-1","properties":{"order_id":"big1","products":[{"price":999999999999,"quantity":1000},{"price":-999999999999,"quantity":1000}]}}',
};

describe('the handed cases of hostile and careless input', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.cleanup();
  });

  it('zone-less-timestamp: a time without a zone is UTC, on a server whose TZ is New York', async () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date('2024-05-01T10:00:00').getUTCHours()).toBe(14); // the zone is in force for Date
      const r = await s.post('/v1/track', CASES.zoneLess);
      expect(r.status).toBe(200);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
    const row = await s.store.one<{ t: string }>("SELECT strftime(timestamp, '%Y-%m-%dT%H:%M:%S') AS t FROM events WHERE message_id = 'tz-1'");
    expect(row?.t).toBe('2024-05-01T10:00:00');
  });

  it('non-iso-timestamps: 400 naming each item: a number, "1", 30 February and prose are not ISO-8601', async () => {
    const r = await s.post('/v1/batch', CASES.nonIso);
    expect(r.status).toBe(400);
    const items = (r.json.details as { items: { index: number; field: string; message: string }[] }).items;
    expect(items.map((i) => [i.index, i.field])).toEqual([
      [0, 'timestamp'],
      [1, 'timestamp'],
      [2, 'timestamp'],
      [3, 'timestamp'],
    ]);
    expect(items[0]!.message).toMatch(/is the number 1714557600/);
    expect(items[1]!.message).toMatch(/"1" is not an ISO-8601 date-time/);
    expect(items[2]!.message).toMatch(/2024-02 has no day 30/);
    expect(items[3]!.message).toMatch(/"May 1, 2024 10:00" is not an ISO-8601 date-time/);
    expect(await count(s.store, "SELECT count(*) n FROM events WHERE user_id = 'epoch-user'")).toBe(0);
  });

  it('large-numeric-user-ids: two customers, user ids exactly as written, each with its own email', async () => {
    const r = await s.post('/v1/batch', CASES.largeIds);
    expect(r.json).toEqual({ success: true, stored: 2, duplicates: 0, suppressed: 0 });
    const ids = await s.store.all<{ value: string; email: string }>(
      `SELECT u.value, e.value AS email FROM identities u JOIN identities e ON e.customer_id = u.customer_id AND e.kind = 'email'
       WHERE u.kind = 'user_id' AND u.value LIKE '1579634563736238%' ORDER BY u.value`,
    );
    expect(ids).toEqual([
      { value: '157963456373623802', email: 'big.one@example.test' },
      { value: '157963456373623803', email: 'big.two@example.test' },
    ]);
    expect(await count(s.store, "SELECT count(DISTINCT customer_id) n FROM events WHERE message_id IN ('f4-1', 'f4-2')")).toBe(2);
  });

  it('lone-surrogate-message-ids: 400 naming both invalid strings; nothing stored', async () => {
    const r = await s.post('/v1/batch', CASES.loneSurrogates);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_body');
    expect((r.json.details as { items: unknown[] }).items).toEqual([
      { index: 0, field: 'messageId', message: expect.stringMatching(/unpaired surrogate \\uD800 at character 2/) },
      { index: 1, field: 'messageId', message: expect.stringMatching(/unpaired surrogate \\uD801 at character 2/) },
    ]);
    expect(await count(s.store, "SELECT count(*) n FROM events WHERE user_id = 's1'")).toBe(0);
  });

  it('deep-array: 400 saying the JSON nests too deeply, and at what limit', async () => {
    const r = await s.post('/v1/track', CASES.deepArray);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('json_too_deep');
    expect(r.json.message).toMatch(/nests deeper than 128 levels .*at most 128 are accepted/);
  });

  it('year-10000: 400 naming the timestamp as out of range', async () => {
    const r = await s.post('/v1/track', CASES.year10000);
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/body\.timestamp: "\+010000-01-01T00:00:00Z" is outside the years segmint stores \(0001 to 9999, UTC\)/);
  });

  it('order-line-overflow: 400 naming the line amounts; the customer stays writable', async () => {
    const r = await s.post('/v1/track', CASES.lineOverflow);
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/properties\.products\[0\]: the line amount price × quantity = 999999999999000 is beyond/);
    expect(r.json.message).toMatch(/properties\.products\[1\]/);
    const ok = await s.post('/v1/track', { userId: 'o1', event: 'Order Completed', messageId: 'ord-2', properties: { order_id: 'small1', total: 12.5 } });
    expect(ok.status).toBe(200);
    expect(await count(s.store, "SELECT count(*) n FROM orders WHERE order_id = 'small1'")).toBe(1);
  });
});
