import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { retentionJob, runRetention } from '../../src/privacy/retention.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

function event(id: string, at: Date, extra: Partial<IncomingEvent> = {}): IncomingEvent {
  return { messageId: id, type: 'track', event: 'Page Viewed', userId: 'u1', timestamp: at, receivedAt: at, properties: { marker: `old-page-${id}` }, ...extra } as IncomingEvent;
}

const orderEvent = (id: string, at: Date): IncomingEvent =>
  event(id, at, { event: 'Order Completed', properties: { order_id: `o-${id}`, revenue: 40, products: [{ product_id: 'p1', price: 40, quantity: 1 }] } });

describe('event retention', () => {
  it('deletes raw events older than the setting, keeps orders and metrics, and rewrites the file', async () => {
    const t = await tempStore();
    await t.store.run("SET force_compression = 'uncompressed'");
    await t.store.transaction((tx) =>
      ingestEvents(tx, [event('e400', daysAgo(400)), event('e100', daysAgo(100)), event('e10', daysAgo(10)), orderEvent('o300', daysAgo(300)), orderEvent('o5', daysAgo(5))], 'test'),
    );
    const metrics = await t.store.all('SELECT * EXCLUDE (updated_at) FROM customer_metrics');
    const orders = await t.store.all('SELECT * FROM orders ORDER BY order_id');
    await t.store.checkpoint();
    expect(readFileSync(t.path).includes('old-page-e400')).toBe(true);

    expect(await runRetention(t.store, NOW)).toEqual({ days: null, cutoff: null, eventsDeleted: 0, fileRewritten: false });
    t.store.close();
    await expect(runCli(t.path, 'config', 'set', 'retention.events_days', '-3')).rejects.toThrow(/retention.events_days: "-3" must be a whole number of days/);
    expect(await runCli(t.path, 'config', 'set', 'retention.events_days', '90')).toContain('retention.events_days = 90');
    expect(await runCli(t.path, 'config', 'list')).toMatch(/retention\.events_days\s+90\n/);
    const { Store } = await import('../../src/store/db.js');
    const store = await Store.open(t.path);
    await store.run("SET force_compression = 'uncompressed'");
    try {
      const r = await runRetention(store, NOW);
      expect(r).toEqual({ days: 90, cutoff: daysAgo(90).toISOString(), eventsDeleted: 3, fileRewritten: true });
      const left = await store.all<{ message_id: string }>('SELECT message_id FROM events ORDER BY message_id');
      expect(left.map((e) => e.message_id)).toEqual(['e10', 'o5']);
      expect(await store.all('SELECT * FROM orders ORDER BY order_id')).toEqual(orders);
      expect(await store.all('SELECT * EXCLUDE (updated_at) FROM customer_metrics')).toEqual(metrics);
      for (const f of [t.path, `${t.path}.wal`]) {
        if (!existsSync(f)) continue;
        const bytes = readFileSync(f);
        expect(bytes.includes('old-page-e400'), f).toBe(false);
        expect(bytes.includes('old-page-e100'), f).toBe(false);
      }
    } finally {
      store.close();
    }
    // From the command line, at the real time: with a retention longer than any event's age, nothing goes.
    await runCli(t.path, 'config', 'set', 'retention.events_days', '100000');
    const run = JSON.parse(await runCli(t.path, 'retention', 'run', '--json')) as { days: number; eventsDeleted: number };
    expect(run).toMatchObject({ days: 100000, eventsDeleted: 0, fileRewritten: false });
    expect(await runCli(t.path, 'audit')).toMatch(/retention run[\s\S]*config set\s+retention\.events_days/);
    t.cleanup();
  });

  it('runs every day shortly after midnight UTC in a server, on an injected clock', async () => {
    const t = await tempStore();
    await t.store.transaction((tx) => ingestEvents(tx, [event('a', daysAgo(40)), event('b', daysAgo(2))], 'test'));
    await t.store.run("INSERT INTO settings VALUES ('retention.events_days', '30', false, now())");
    const timers: { fn: () => void; ms: number }[] = [];
    const results: number[] = [];
    let clock = NOW;
    const job = retentionJob(t.store, {
      clock: () => clock,
      setTimer: (fn, ms) => (timers.push({ fn, ms }), {}),
      clearTimer: () => undefined,
      onResult: (r) => results.push(r.eventsDeleted),
    });
    job.start();
    expect(timers[0]!.ms).toBe(11 * 3_600_000 + 65 * 60_000); // 12:00 → 00:05 the next day
    clock = new Date('2025-03-02T00:05:00Z');
    timers[0]!.fn();
    await job.stop();
    expect(results).toEqual([1]);
    t.cleanup();
  });
});
