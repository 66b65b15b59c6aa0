import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWebhook } from '../../src/realtime/webhooks/manage.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { createApiKey } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';
import { basic } from '../server/helpers.js';
import { eventually, startServe } from '../helpers/serve.js';

/**
 * kill -9 of `segmint serve`: events acknowledged just before, and time-based changes that come due
 * while no server runs. After a restart, segment_history holds each change exactly once, at its own
 * instant, and webhook deliveries go out (in order per customer) once the receiver answers.
 */

const SECRET = 'whsec_crash_test_secret_0123456789';
let dir: string;
let db: string;
let key: string;
let receiver: Server;
let receiverUrl: string;
let accepting = false;
const received: { delivery: string; body: { customerId: string; change: string; at: string }; valid: boolean }[] = [];
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-crash-'));
  db = join(dir, 'crash.duckdb');
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (!accepting) {
        res.writeHead(503).end();
        return;
      }
      // Verified as docs/realtime.md tells a receiver to: HMAC-SHA256 over "<timestamp>.<body>".
      const t = String(req.headers['segmint-timestamp']);
      const expected = `v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
      received.push({ delivery: String(req.headers['segmint-delivery']), body: JSON.parse(body), valid: expected === req.headers['segmint-signature'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const store = await Store.open(db);
  key = (await createApiKey(store, ['write'], 'crash test')).key;
  await createSegment(store, { name: 'pinged', definition: { query: 'performed "Ping" within 3s' } });
  await addWebhook(store, { segment: 'pinged', url: receiverUrl, secret: SECRET });
  store.close();
});
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('after kill -9', () => {
  it('records every change once, at its own instant, and delivers the webhooks', async () => {
    const first = await startServe(db, ['--webhook-first-retry', '0.2']);
    child = first.child;
    const sent = new Map<string, { t: number; acked: number | undefined }>();
    let answered = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const user = `u${i}`;
        const t = Date.now();
        sent.set(user, { t, acked: undefined });
        try {
          const res = await fetch(`${first.url}/v1/track`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: basic(key) },
            body: JSON.stringify({ userId: user, event: 'Ping', timestamp: new Date(t).toISOString(), messageId: `ping-${i}` }),
          });
          if (res.status === 200) sent.get(user)!.acked = Date.now();
        } catch {
          // the server died first: not acknowledged
        }
        // The kill lands right after the fifth answer, with other requests still in flight.
        if (++answered === 5) first.child.kill('SIGKILL');
      }),
    );
    await new Promise<void>((r) => (first.child.signalCode ? r() : first.child.once('exit', () => r())));
    expect(first.child.signalCode).toBe('SIGKILL');
    const acked = [...sent].filter(([, s]) => s.acked !== undefined);
    expect(acked.length).toBeGreaterThanOrEqual(4);

    // Every exit comes due while no server runs.
    const lastDue = Math.max(...[...sent.values()].map((s) => s.t + 3000));
    await new Promise((r) => setTimeout(r, Math.max(0, lastDue - Date.now()) + 500));
    accepting = true;
    const second = await startServe(db, ['--webhook-first-retry', '0.2']);
    child = second.child;

    // Webhooks: the receiver now answers; every entry and exit reaches it.
    await eventually(async () => (received.filter((r) => r.body.change === 'exited').length >= acked.length ? true : undefined), 'exit deliveries', 30_000);
    second.child.kill('SIGTERM');
    await new Promise<void>((r) => (second.child.exitCode !== null ? r() : second.child.once('exit', () => r())));

    const db2 = await Store.open(db);
    try {
      const rows = await db2.all<{ user: string; customer_id: string; change: string; at: number }>(
        `SELECT i.value AS user, h.customer_id, h.change, epoch_ms(h.changed_at) AS at
         FROM segment_history h JOIN identities i ON i.customer_id = h.customer_id AND i.kind = 'user_id' ORDER BY h.seq`,
      );
      for (const [user, s] of sent) {
        const mine = rows.filter((r) => r.user === user);
        if (s.acked === undefined && mine.length === 0) continue; // never committed: nothing promised
        // Each change once: the entry when the event was committed, the exit at exactly t + 3 s.
        expect(mine.map((r) => r.change), user).toEqual(['entered', 'exited']);
        expect(mine[0]!.at).toBeGreaterThanOrEqual(s.t);
        if (s.acked !== undefined) expect(mine[0]!.at).toBeLessThanOrEqual(s.acked);
        expect(new Date(mine[1]!.at).toISOString(), user).toBe(new Date(s.t + 3000).toISOString());
        // At least once, in order per customer: repeats of a delivery aside, entered then exited.
        const seen = received.filter((r) => r.body.customerId === mine[0]!.customer_id);
        const firstOfEach = seen.filter((r, i) => seen.findIndex((x) => x.delivery === r.delivery) === i).map((r) => r.body.change);
        expect(firstOfEach, user).toEqual(['entered', 'exited']);
        expect(seen.map((r) => r.body.at)).toContain(new Date(s.t + 3000).toISOString());
      }
      const deliveries = await db2.all<{ status: string }>('SELECT status FROM webhook_deliveries');
      expect(deliveries.length).toBe(rows.length);
      expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    } finally {
      db2.close();
    }
    expect(received.every((r) => r.valid)).toBe(true);
  });
});
