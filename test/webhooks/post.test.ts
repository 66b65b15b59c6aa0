import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../../src/webhooks/post.js';
import { signWebhook, verifyWebhook } from '../../src/webhooks/signature.js';

describe('the webhook signature every segmint webhook carries', () => {
  it('is HMAC-SHA256 of "timestamp.body" under the secret, as hex after v1=', () => {
    // Computed outside the project with Python 3.11's standard library:
    //   hmac.new(b'whsec_test', b'1700000000.{"id":"dlv_1","change":"entered"}', hashlib.sha256).hexdigest()
    const body = '{"id":"dlv_1","change":"entered"}';
    expect(signWebhook('whsec_test', 1_700_000_000, body)).toBe('v1=cd3d37fbfeccb3365d38a09703f7d6362bed7882efddd1ef5479c21ae0c99802');
    const headers = { timestamp: '1700000000', signature: signWebhook('whsec_test', 1_700_000_000, body) };
    expect(verifyWebhook('whsec_test', headers, body, 1_700_000_100)).toBe(true);
    expect(verifyWebhook('whsec_other', headers, body, 1_700_000_100)).toBe(false);
    expect(verifyWebhook('whsec_test', headers, body.replace('entered', 'exited'), 1_700_000_100)).toBe(false);
    expect(verifyWebhook('whsec_test', headers, body, 1_700_000_301)).toBe(false); // a replay after 5 minutes
    expect(verifyWebhook('whsec_test', { timestamp: 'soon', signature: headers.signature }, body, 1_700_000_000)).toBe(false);
    expect(verifyWebhook('whsec_test', { timestamp: '1700000000', signature: undefined }, body, 1_700_000_000)).toBe(false);
  });
});

describe('postWebhook against a real HTTP receiver', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = Number(req.url?.slice(1));
        res.writeHead(status, status === 302 ? { location: '/200' } : {}).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string) =>
    postWebhook({ url: `${base}${path}`, body: '{"a":1}', secret: 's3cret', idempotencyKey: 'run.step', nowMs: 1_700_000_000_500, userAgent: 'segmint-test', headers: { 'x-shop': 'demo', 'Segmint-Signature': 'forged', 'Idempotency-Key': 'other' } });

  it('signs each POST and sends the idempotency key; extra headers never replace the signature', async () => {
    expect(await post('/204')).toEqual({ ok: true, status: 204 });
    const r = seen.at(-1)!;
    expect(r.body).toBe('{"a":1}');
    expect(r.headers).toMatchObject({ 'idempotency-key': 'run.step', 'segmint-timestamp': '1700000000', 'x-shop': 'demo', 'content-type': 'application/json', 'user-agent': 'segmint-test' });
    expect(verifyWebhook('s3cret', { timestamp: r.headers['segmint-timestamp'] as string, signature: r.headers['segmint-signature'] as string }, r.body, 1_700_000_000)).toBe(true);
  });

  it('says which failures another attempt could fix', async () => {
    expect(await post('/503')).toEqual({ ok: false, status: 503, error: 'HTTP 503', retryable: true });
    expect(await post('/429')).toMatchObject({ ok: false, retryable: true });
    expect(await post('/408')).toMatchObject({ ok: false, retryable: true });
    expect(await post('/404')).toEqual({ ok: false, status: 404, error: 'HTTP 404', retryable: false });
    // A redirect is not followed: the signed request went to the address the user gave.
    const before = seen.length;
    expect(await post('/302')).toMatchObject({ ok: false, status: 302, retryable: false });
    expect(seen.length).toBe(before + 1);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await postWebhook({ url: `http://127.0.0.1:${port}/`, body: '{}', secret: 's', idempotencyKey: 'k', nowMs: 0, userAgent: 't' });
    expect(refused).toMatchObject({ ok: false, retryable: true, error: `connection refused by 127.0.0.1:${port}: nothing listens there` });
  });
});
