import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCustomerMetrics } from '../../src/store/queries/metrics.js';
import { basic, count, testServer, type TestServer } from './helpers.js';

// The rules of docs/api.md ("Timestamps", "Identifiers and numbers", "Text", "Bodies") beyond the handed
// cases: other forms, other fields, other routes.
describe('what the ingestion endpoints accept, and how they store it', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.cleanup();
  });

  const stored = async (messageId: string): Promise<string | undefined> =>
    (await s.store.one<{ t: string }>("SELECT strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%g') AS t FROM events WHERE message_id = $1", [messageId]))?.t;

  it('stores every ISO-8601 form at its instant, to the millisecond, whatever the field', async () => {
    const forms: [string, string, string][] = [
      ['ts-offset', '2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000'],
      ['ts-basic', '20240501T100000-0130', '2024-05-01T11:30:00.000'],
      ['ts-micros', '2024-05-01T10:00:00.123987Z', '2024-05-01T10:00:00.123'],
      ['ts-space', '2024-05-01 10:00:00.5', '2024-05-01T10:00:00.500'],
      ['ts-comma', '2024-05-01T10:00:00,25Z', '2024-05-01T10:00:00.250'],
      ['ts-minute', '2024-05-01T10:00Z', '2024-05-01T10:00:00.000'],
      ['ts-date', '2024-05-01', '2024-05-01T00:00:00.000'],
    ];
    const batch = forms.map(([id, t]) => ({ type: 'track', userId: 'forms', event: 'E', messageId: id, timestamp: t }));
    // originalTimestamp is the same rule
    batch.push({ type: 'track', userId: 'forms', event: 'E', messageId: 'ts-original', originalTimestamp: '2024-05-01T05:00:00-05:00' } as never);
    expect((await s.post('/v1/batch', { batch })).status).toBe(200);
    for (const [id, , expected] of forms) expect([id, await stored(id)]).toEqual([id, expected]);
    expect(await stored('ts-original')).toBe('2024-05-01T10:00:00.000');
  });

  it('refuses numbers and impossible times in timestamp, originalTimestamp and sentAt, naming each', async () => {
    const r = await s.post('/v1/batch', {
      sentAt: 'yesterday',
      batch: [
        { type: 'track', userId: 'u', event: 'E', originalTimestamp: 1714557600000 },
        { type: 'track', userId: 'u', event: 'E', timestamp: '2024-04-31T00:00:00Z', sentAt: '2024-05-01T10:00:00Z' },
        { type: 'identify', userId: 'u', timestamp: '2024-05-01T10:00:00+25:00', sentAt: '2024-05-01T10:00:00Z' },
      ],
    });
    expect(r.status).toBe(400);
    const items = (r.json.details as { items: { index: number; field: string; message: string }[] }).items;
    expect(items).toEqual([
      { index: 0, field: 'originalTimestamp', message: expect.stringMatching(/is the number 1714557600000/) },
      { index: 0, field: 'sentAt', message: expect.stringMatching(/"yesterday" is not an ISO-8601/) },
      { index: 1, field: 'timestamp', message: expect.stringMatching(/2024-04 has no day 31/) },
      { index: 2, field: 'timestamp', message: expect.stringMatching(/not an ISO-8601|beyond ±23:59/) },
    ]);
  });

  it('refuses a sentAt that moves the time before the range; a time in the future is stored as the receive time', async () => {
    const far = await s.post('/v1/track', { userId: 'u', event: 'E', timestamp: '0001-01-01T00:00:00Z', sentAt: '9999-01-01T00:00:00Z' });
    expect(far.status).toBe(400);
    expect(far.json.message).toMatch(/body\.sentAt: corrects the event time .* outside the range segmint stores/);
    // Nothing can have happened after it was received (docs/api.md, Event time): with or without sentAt.
    const before = Date.now();
    const edge = await s.post('/v1/track', { userId: 'u', event: 'E', messageId: 'edge', timestamp: '9999-12-31T23:59:59.999Z' });
    expect(edge.status).toBe(200);
    const skewed = await s.post('/v1/track', { userId: 'u', event: 'E', messageId: 'skew', timestamp: '9999-12-31T00:00:00Z', sentAt: '2000-01-01T00:00:00Z' });
    expect(skewed.status).toBe(200);
    for (const id of ['edge', 'skew']) {
      const at = Date.parse((await stored(id)) + 'Z');
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
  });

  it('keeps identifiers that arrive as numbers exactly as written, wherever they are', async () => {
    const big = '9007199254740993'; // 2^53 + 1: a double reads 9007199254740992
    const body = `{"batch":[
      {"type":"identify","userId":${big},"anonymousId":18446744073709551617,"messageId":"n-1","traits":{"email":"n1@example.test"},
       "context":{"externalIds":[{"id":123456789012345678901,"type":"shopify_customer"}]}},
      {"type":"group","userId":${big},"groupId":98765432109876543210,"messageId":"n-2"},
      {"type":"alias","userId":${big},"previousId":1.0,"messageId":"n-3"},
      {"type":"track","userId":${big},"event":"Order Completed","messageId":"n-4",
       "properties":{"order_id":4000000000000000001,"cart_id":12345678901234567890,"products":[{"product_id":7000000000000000003,"sku":1.50,"price":10,"quantity":2}]}}
    ]}`;
    const r = await s.post('/v1/batch', body);
    expect(r.json).toEqual({ success: true, stored: 4, duplicates: 0, suppressed: 0 });
    const ids = await s.store.all<{ kind: string; value: string }>("SELECT kind, value FROM identities WHERE kind <> 'email' ORDER BY kind, value");
    expect(ids).toEqual(
      expect.arrayContaining([
        { kind: 'anonymous_id', value: '18446744073709551617' },
        { kind: 'external:shopify_customer', value: '123456789012345678901' },
        { kind: 'user_id', value: big },
        // previousId 1.0 is the text "1.0", not the number 1
        { kind: 'anonymous_id', value: '1.0' },
      ]),
    );
    const order = await s.store.one<{ order_id: string; product_id: string }>("SELECT o.order_id, l.product_id FROM orders o JOIN order_lines l USING (order_id) WHERE o.message_id = 'n-4'");
    expect(order).toEqual({ order_id: '4000000000000000001', product_id: '7000000000000000003' });
    const props = await s.store.one<{ p: string; g: string }>(
      "SELECT (SELECT properties::VARCHAR FROM events WHERE message_id = 'n-4') AS p, (SELECT properties::VARCHAR FROM events WHERE message_id = 'n-2') AS g",
    );
    // an integer a double cannot hold is kept as the string of its digits; an id written 1.50 stays "1.50"
    expect(JSON.parse(props!.p)).toMatchObject({ order_id: '4000000000000000001', cart_id: '12345678901234567890', products: [{ sku: '1.50', price: 10 }] });
    expect(JSON.parse(props!.g)).toMatchObject({ groupId: '98765432109876543210' });
  });

  it('refuses numbers past the range of doubles, naming where', async () => {
    const r = await s.post('/v1/track', '{"userId":"u","event":"E","properties":{"weight":1e400}}');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/body\.properties\.weight: the number 1e400 is beyond the range of numbers/);
  });

  it('refuses control characters in identifiers and event names, and lone surrogates anywhere, naming the item and field', async () => {
    const r = await s.post(
      '/v1/batch',
      '{"batch":[{"type":"track","userId":"a\\u0000b","event":"E"},{"type":"track","userId":"u","event":"E\\u0085"},' +
        '{"type":"track","anonymousId":"x","event":"E","context":{"externalIds":[{"id":"\\u001f","type":"crm"}]}},' +
        '{"type":"track","userId":"u","event":"Order Completed","properties":{"order_id":"o\\u0007","total":1}}]}',
    );
    expect(r.status).toBe(400);
    expect((r.json.details as { items: unknown[] }).items).toEqual([
      { index: 0, field: 'userId', message: expect.stringMatching(/control character U\+0000 at character 2/) },
      { index: 1, field: 'event', message: expect.stringMatching(/control character U\+0085 at character 2/) },
      { index: 2, field: 'context.externalIds[0].id', message: expect.stringMatching(/U\+001F/) },
      { index: 3, field: 'properties.order_id', message: expect.stringMatching(/U\+0007/) },
    ]);
    const keys = await s.post('/v1/track', '{"userId":"u","event":"E","properties":{"\\udc00x":1,"ok":["fine","bad\\ud83d"]}}');
    expect(keys.status).toBe(400);
    expect(keys.json.message).toMatch(/body\.properties: the key "\\udc00x" is not valid Unicode/);
    expect(keys.json.message).toMatch(/body\.properties\.ok\[1\]: is not valid Unicode text/);
    // a surrogate pair (an emoji) is valid text and kept as sent
    const emoji = await s.post('/v1/track', { userId: 'u-😀', event: 'E 😀', messageId: 'emoji' });
    expect(emoji.status).toBe(200);
    expect(await count(s.store, "SELECT count(*) n FROM events WHERE message_id = 'emoji' AND user_id = 'u-😀' AND event = 'E 😀'")).toBe(1);
  });

  it('refuses __proto__ keys, repeated keys and bytes that are not UTF-8, saying so', async () => {
    const proto = await s.post('/v1/track', '{"userId":"u","event":"E","properties":{"__proto__":{"admin":true}}}');
    expect(proto.status).toBe(400);
    expect(proto.json.message).toMatch(/body\.properties\.__proto__: a key named "__proto__" is not accepted/);
    const twice = await s.post('/v1/track', '{"userId":"u","event":"E","userId":"v"}');
    expect(twice.status).toBe(400);
    expect(twice.json.message).toMatch(/not valid JSON: Duplicate key 'userId'.*line 1, column/);
    const latin1 = await s.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', authorization: basic(s.key) },
      payload: Buffer.concat([Buffer.from('{"userId":"caf'), Buffer.from([0xe9]), Buffer.from('","event":"E"}')]),
    });
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json()).toMatchObject({ error: 'invalid_utf8' });
    // Trial 13, C1: a UTF-16 body is named as UTF-16 (as the CSV importer names a UTF-16 file), not as Latin-1 or surrogates.
    const body = '{"userId":"u","event":"E"}';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    for (const [payload, name, mark] of [[le, 'UTF-16LE', 'FF FE'], [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'UTF-16BE', 'FE FF']] as const) {
      const r = await s.app.inject({ method: 'POST', url: '/v1/track', headers: { 'content-type': 'application/json', authorization: basic(s.key) }, payload });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: 'invalid_utf8', details: { received: name, accepted: 'UTF-8' } });
      expect(r.json().message).toBe(`The body is ${name} text (it starts with the byte-order mark ${mark}), not UTF-8. Send it as UTF-8 text.`);
    }
  });

  it('refuses a message of more than 32 KB as JSON, with its size, and keeps one at the limit', async () => {
    // A message's size is its JSON (as JSON.stringify writes it) in UTF-8 bytes. Each "é" is 2 bytes;
    // each control character is written \u00XX, 6 bytes: a message short in characters can still be large.
    const item = (messageId: string, pad: string) => ({ type: 'track', userId: 'size', event: 'E', messageId, properties: { pad } });
    const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
    const base = size(item('size-at', ''));
    const atLimit = item('size-at', 'é'.repeat((32 * 1024 - base) / 2));
    expect(size(atLimit)).toBe(32 * 1024);
    const over = item('size-over', '\u0001'.repeat(Math.ceil((32 * 1024 - base + 1) / 6)));
    const r = await s.post('/v1/batch', { batch: [atLimit, over] });
    expect(r.status).toBe(400);
    expect(r.json.details).toEqual({ items: [{ index: 1, field: '(message)', message: `is ${size(over).toLocaleString('en-US')} bytes; at most 32,768 bytes per message` }] });
    expect((await s.post('/v1/batch', { batch: [atLimit] })).json).toEqual({ success: true, stored: 1, duplicates: 0, suppressed: 0 });
  });

  it('accepts gzip and deflate bodies, as SDKs send them, and names what it cannot decode', async () => {
    const send = (payload: Buffer, encoding: string) =>
      s.app.inject({ method: 'POST', url: '/v1/batch', headers: { 'content-type': 'application/json', 'content-encoding': encoding, authorization: basic(s.key) }, payload });
    const body = JSON.stringify({ batch: [{ type: 'track', userId: 'gz', event: 'Zipped', messageId: 'gz-1' }] });
    expect((await send(gzipSync(body), 'gzip')).json()).toEqual({ success: true, stored: 1, duplicates: 0, suppressed: 0 });
    expect((await send(deflateSync(body.replace('gz-1', 'gz-2')), 'deflate')).json()).toEqual({ success: true, stored: 1, duplicates: 0, suppressed: 0 });
    const broken = await send(Buffer.from('not gzip at all'), 'gzip');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: 'invalid_encoding', message: expect.stringMatching(/not valid gzip data/) });
    const brotli = await send(Buffer.from(body), 'br');
    expect(brotli.statusCode).toBe(415);
    expect(brotli.json().message).toMatch(/Content-Encoding is "br"; accepted: gzip, deflate, identity/);
    // a small gzip body that inflates past the limit is stopped at the limit
    const bomb = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'E', properties: { pad: ' '.repeat(3 * 1024 * 1024) } }] }));
    expect(bomb.length).toBeLessThan(10_000);
    const big = await send(bomb, 'gzip');
    expect(big.statusCode).toBe(413);
    // D3 (trial 5): the size named is the compressed one, and the message says the body inflates past the limit
    expect(big.json()).toMatchObject({
      error: 'request_too_large',
      message: `The request body (${bomb.length} bytes as sent, Content-Encoding gzip) decompresses to more than the 500 KB this endpoint accepts; send fewer events per request.`,
      details: { compressedBytes: bomb.length, decompressedBytesOver: 500 * 1024, limitBytes: 500 * 1024 },
    });
    expect(big.json().details).not.toHaveProperty('receivedBytes');
  });

  it('names the content type received and those accepted (415)', async () => {
    const r = await s.post('/v1/track', 'userId=u&event=E', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(r.json.message).toBe(
      'The body\'s Content-Type is "application/x-www-form-urlencoded"; accepted: application/json, text/plain (holding JSON, as Segment\'s browser SDK sends) (Content-Type header).',
    );
  });

  it('keeps a customer writable whatever its totals: 12,000 orders of 999,999,999,999 and one more', async () => {
    const customer = (await s.store.one<{ c: string }>("SELECT customer_id AS c FROM identities WHERE kind = 'user_id' AND value = 'forms'"))!.c;
    await s.store.run(
      `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, currency, message_id, source)
       SELECT 'max-' || i, $1, 'order', TIMESTAMP '2024-01-01', 999999999999, 'EUR', NULL, 'test' FROM range(12000) t(i)`,
      [customer],
    );
    await refreshCustomerMetrics(s.store, [customer]);
    const r = await s.post('/v1/track', { userId: 'forms', event: 'Order Completed', messageId: 'one-more', properties: { order_id: 'one-more', total: 999999999999 } });
    expect(r.status).toBe(200);
    const m = await s.store.one<{ n: number; total: string }>('SELECT orders_count AS n, total_spent::VARCHAR AS total FROM customer_metrics WHERE customer_id = $1', [customer]);
    expect(m).toEqual({ n: 12001, total: '12000999999987999.00' });
  });
});
