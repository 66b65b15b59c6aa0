import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { sendWorkflowWebhook } from '../../src/workflows/channels/webhook.js';
import { postWebhook } from '../../src/webhooks/post.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from '../realtime/helpers/app.js';

/**
 * Trial 11, C5: a failed delivery read `no answer: UND_ERR_SOCKET` (a receiver that closed the connection)
 * or `no answer: The operation was aborted due to timeout` (one answering after 12 s), the HTTP library's
 * words, for segment webhooks and workflow webhook steps alike. Each failure here is made by a real peer:
 * a receiver that closes the connection, one that answers too late, a port where nothing listens, a DNS
 * name that cannot exist (.invalid, RFC 2606), a receiver with a certificate nobody signed (a test-only
 * self-signed pair in fixtures/, made with `openssl req -x509 -newkey rsa:2048 -nodes -days 36500
 * -subj /CN=localhost`), and a plain-HTTP receiver asked in TLS.
 */

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

let http: Server;
let tls: Server;
let base: string;
let tlsBase: string;
let refusedPort: number;

/** Starts `server` on a free local port and returns the port. */
const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/close')) req.socket.destroy();
      else if (req.url?.startsWith('/slow')) setTimeout(() => res.writeHead(204).end(), 3_000).unref();
      else res.writeHead(204).end();
    });
  });
  base = `http://127.0.0.1:${await listen(http)}`;
  tls = createHttpsServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') }, (_req, res) => res.writeHead(204).end());
  tlsBase = `https://localhost:${await listen(tls)}`;
  const closed = createHttpServer();
  refusedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(() => {
  for (const s of [http, tls]) {
    s.closeAllConnections();
    s.close();
  }
});

const post = async (url: string, timeoutMs = 2_000): Promise<string | undefined> => {
  const out = await postWebhook({ url, body: '{}', secret: 's3cret', idempotencyKey: 'k', nowMs: 0, userAgent: 'segmint-test', timeoutMs });
  return out.ok ? undefined : out.error;
};

describe('a failed HTTP attempt in words', () => {
  it('says the receiver closed the connection, or did not answer in time', async () => {
    expect(await post(`${base}/close`)).toBe('the receiver closed the connection before answering');
    expect(await post(`${base}/slow`, 300)).toBe('no answer within 0.3 s');
    expect(await post(`${base}/slow`, 1_000)).toBe('no answer within 1 s');
  });

  it('names where a connection was refused and which DNS name was not found', async () => {
    expect(await post(`http://127.0.0.1:${refusedPort}/hook`)).toBe(`connection refused by 127.0.0.1:${refusedPort}: nothing listens there`);
    // A resolver that cannot be reached (a machine offline) says so instead: both name the host.
    expect(await post('http://segmint-test.invalid/hook', 5_000)).toMatch(/^(DNS name not found: segmint-test\.invalid|the DNS lookup of segmint-test\.invalid failed for now .*)$/);
  });

  it('says a TLS error and why, without OpenSSL’s internals', async () => {
    expect(await post(`${tlsBase}/hook`)).toBe('TLS error: the certificate of localhost is not trusted (self-signed certificate)');
    const wrong = await post(`${base.replace('http:', 'https:')}/hook`);
    expect(wrong).toBe(`TLS error: ${base.slice('http://'.length)} does not answer in TLS (an http:// receiver given as https://?)`);
  });

  it('is the same through a workflow webhook step', async () => {
    const send = (path: string, timeoutMs?: number) =>
      sendWorkflowWebhook({ url: `${base}${path}`, body: '{}', secret: 's3cret', idempotencyKey: 'run.step', headers: {}, now: new Date(0), ...(timeoutMs ? { timeoutMs } : {}) });
    await expect(send('/close')).rejects.toThrow(`${base}/close: the receiver closed the connection before answering`);
    await expect(send('/slow', 300)).rejects.toThrow(`${base}/slow: no answer within 0.3 s`);
  });
});

describe('a segment webhook’s failed delivery', () => {
  const clock = new ManualClock(Date.UTC(2024, 4, 1, 12));
  const ctx = realtimeApp({ pinged: 'performed "Ping" within 1h' }, { clock, webhooks: { timeoutMs: 300 } });

  it('is recorded in the same words', async () => {
    const admin = { authorization: basic(ctx.keys.admin) };
    for (const path of ['/close', '/slow']) {
      const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { segment: 'pinged', url: `${base}${path}` } });
      expect(res.statusCode).toBe(201);
    }
    const track = await ctx.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: basic(ctx.keys.write) },
      payload: { userId: 'u1', event: 'Ping', timestamp: new Date(clock.now()).toISOString(), messageId: 'p1' },
    });
    expect(track.statusCode).toBe(200);
    // The sender works on its own: wait for both first attempts by looking.
    type Delivery = { url?: string; webhookId: string; lastError: string | null; attempts: number };
    let rows: Delivery[] = [];
    while (rows.filter((d) => d.attempts > 0).length < 2) {
      await ctx.app.segmint.realtime!.idle();
      await ctx.app.segmint.webhooks!.idle();
      const res = await ctx.app.inject({ method: 'GET', url: '/v1/webhooks/deliveries?limit=100', headers: admin });
      rows = (res.json() as { deliveries: Delivery[] }).deliveries;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows.map((d) => d.lastError).sort()).toEqual(['no answer within 0.3 s', 'the receiver closed the connection before answering']);
  });
});
