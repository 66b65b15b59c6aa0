import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../../src/ingest/live/ingest.js';
import type { IncomingEvent } from '../../../src/ingest/events/message.js';
import { runRetention } from '../../../src/privacy/retention.js';
import { setSetting } from '../../../src/config/settings.js';
import { previewSegment } from '../../../src/segments/manage/preview.js';
import { conditionsBefore, retentionWarningFor } from '../../../src/segments/manage/retention-cutoff.js';
import { parseSegment } from '../../../src/segments/index.js';
import { buildApp } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import { runCli, withStderr } from '../../helpers/cli.js';
import { tempStore, withReopened } from '../../helpers/store.js';

// Trial 13, L5: after `retention run`, a behaviour condition evaluated at an as-of whose window lies
// before the retention cutoff answered 0 with only "No customer matches". Orders placed 400, 100 and 10
// days before NOW; retention of 90 days run at NOW deletes the first two.
const NOW = new Date('2025-03-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const order = (id: string, at: Date): IncomingEvent =>
  ({ messageId: id, type: 'track', event: 'Order Completed', userId: `u-${id}`, timestamp: at, receivedAt: at, properties: { order_id: `o-${id}`, revenue: 40 } }) as IncomingEvent;

const QUERY = 'performed "Order Completed" within 30d';
const PAST = '2024-02-20'; // 30 days before it: every order of then lies before the cutoff (2024-12-01 12:00 UTC)
const WARNING =
  /performed "Order Completed" within 30d reads events from before 2024-12-01 12:00:00 UTC at this as-of \(2024-02-20\), but retention deleted every event before then \(retention\.events_days 90\): this condition cannot see them\./;

let t: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  t = await tempStore();
  await t.store.transaction((tx) => ingestEvents(tx, [order('a', daysAgo(400)), order('b', daysAgo(375)), order('c', daysAgo(10))], 'test'));
  t.store.close();
});
afterAll(() => t.cleanup());

/** The preview's warnings other than its size ones (three customers are always too few). */
const about = (w: readonly { code: string }[]) => w.map((x) => x.code).filter((c) => c !== 'too_small' && c !== 'empty');
const preview = (asOf: string, query = QUERY) => withReopened(t.path, (s) => previewSegment(s, { query }, { asOf: new Date(`${asOf}T00:00:00Z`) }));

describe('a behaviour condition that reaches before the events retention deleted', () => {
  it('says nothing before retention ran, nor when a run deleted nothing', async () => {
    expect(about((await preview(PAST)).warnings)).toEqual([]);
    await withReopened(t.path, async (s) => {
      await setSetting(s, 'retention.events_days', '100000');
      expect((await runRetention(s, NOW)).eventsDeleted).toBe(0);
    });
    expect(about((await preview(PAST)).warnings)).toEqual([]);
  });

  it('after retention, preview says so with the setting and the cutoff in UTC, from the function that gives stored_moment', async () => {
    await withReopened(t.path, async (s) => {
      await setSetting(s, 'retention.events_days', '90');
      expect((await runRetention(s, NOW)).eventsDeleted).toBe(2);
    });
    const p = await preview(PAST);
    expect(p.count).toBe(0);
    expect(p.warnings).toEqual([
      expect.objectContaining({ code: 'empty' }),
      expect.objectContaining({ code: 'retention_cutoff', setting: 'retention.events_days', days: 90, deletedBefore: '2024-12-01T12:00:00.000Z', conditions: [QUERY] }),
    ]);
    expect(p.warnings[1]!.message).toMatch(WARNING);
    // as of NOW the 30 days lie after the cutoff: nothing to say; with no window every event is read
    expect((await preview('2025-03-01')).warnings.filter((w) => w.code === 'retention_cutoff')).toEqual([]);
    expect(about((await preview('2025-03-01', 'performed "Order Completed"')).warnings)).toEqual(['retention_cutoff']);
    // a later run with a longer setting does not bring the deleted events back: the cutoff stays
    await withReopened(t.path, async (s) => {
      await setSetting(s, 'retention.events_days', '1000');
      await runRetention(s, NOW);
    });
    expect((await preview(PAST)).warnings[1]!.message).toMatch(WARNING);
  });

  it('segments preview, explain and refresh on the command line give it', async () => {
    await withStderr(() => runCli(t.path, 'segments', 'create', 'recent', '--query', QUERY));
    const p = await withStderr(() => runCli(t.path, 'segments', 'preview', '--query', QUERY, '--as-of', PAST));
    expect(p.out).toMatch(WARNING);
    const refresh = await withStderr(() => runCli(t.path, 'segments', 'refresh', 'recent', '--as-of', PAST));
    expect(refresh.out + refresh.err).toMatch(WARNING);
    const explain = await withStderr(() => runCli(t.path, 'segments', 'explain', 'recent', 'u-c', '--as-of', PAST));
    expect(explain.out).toMatch(WARNING);
    expect((await withStderr(() => runCli(t.path, 'segments', 'preview', '--query', QUERY, '--as-of', '2025-03-01'))).out).not.toMatch(/retention/);
  });

  it('the API preview and refresh give it', async () => {
    await withReopened(t.path, async (store) => {
      const app = await buildApp({ store, realtime: false });
      try {
        const headers = { authorization: `Bearer ${(await createApiKey(store, ['admin'])).key}` };
        const p = await app.inject({ method: 'POST', url: '/v1/segments/preview', headers, payload: { query: QUERY, asOf: PAST } });
        expect(p.json().warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'retention_cutoff', message: expect.stringMatching(WARNING) })]));
        const r = await app.inject({ method: 'POST', url: '/v1/segments/refresh', headers, payload: { name: 'recent', asOf: PAST } });
        expect(r.json().warnings).toEqual([expect.objectContaining({ segment: 'recent', code: 'retention_cutoff', days: 90 })]);
      } finally {
        await app.close();
      }
    });
  });
});

describe('which conditions reach before a cutoff', () => {
  const ast = (q: string) => parseSegment(q).ast!;
  const asOf = Date.parse('2024-03-01T00:00:00Z');
  const cutoff = Date.parse('2024-02-01T00:00:00Z');
  const reaching = (q: string) => conditionsBefore(ast(q), asOf, cutoff).map((c) => c.kind);

  it('by the lower edge of the window at the as-of; without a window, and for first performed, always', () => {
    expect(reaching('performed "A" within 29d')).toEqual([]); // (Feb 1, Mar 1]: nothing before Feb 1
    expect(reaching('performed "A" within 30d')).toEqual(['performed']);
    expect(reaching('performed "A" between 1d and 40d ago')).toEqual(['performed']);
    expect(reaching('performed "A" since 2024-02-01')).toEqual([]);
    expect(reaching('performed "A" since 2024-01-31')).toEqual(['performed']);
    expect(reaching('first performed "A" within 1d')).toEqual(['first_performed']);
    expect(reaching('count of "A" >= 2 or orders_count > 1')).toEqual(['aggregate']);
    expect(reaching('performed "A" within 2d then not "B" within 1h')).toEqual([]);
    expect(reaching('performed "A" then not "B" within 1h')).toEqual(['sequence']);
    expect(reaching('total_spent > 10')).toEqual([]);
  });

  it('quotes each reaching condition once, and long ones cut', () => {
    const deletion = { cutoff: new Date(cutoff), days: 30 };
    const w = retentionWarningFor(ast('performed "A" within 60d or performed "A" within 60d or performed "B"'), new Date(asOf), deletion);
    expect(w[0]!.message).toBe(
      'performed "A" within 60d and performed "B" read events from before 2024-02-01 00:00:00 UTC at this as-of (2024-03-01), but retention deleted every event before then (retention.events_days 30): these conditions cannot see them.',
    );
    const long = retentionWarningFor(ast(`performed "${'x'.repeat(300)}"`), new Date(asOf), deletion)[0]!;
    expect(long.conditions[0]!.length).toBe(120);
  });
});
