import { expect, it } from 'vitest';
import { auditSegment } from '../../../src/analytics/fairness/audit-segment.js';
import { formatSegmentAudit } from '../../../src/analytics/fairness/format.js';
import { registerAllFields } from '../../../src/fields.js';
import { ManualClock } from '../../../src/realtime/index.js';
import { buildApp } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import { createSegment, getSegment, listSegments, updateSegment } from '../../../src/segments/manage/crud.js';
import { formatList, formatMembers, formatSegment } from '../../../src/segments/manage/format.js';
import { segmentMembers } from '../../../src/segments/manage/history.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';
import { basic } from '../../server/helpers.js';

/*
 * Task fixA12, item 2. (a) A segment a running server refused to keep live (too costly) was read by
 * `segments members` without a server as kept live: its rows "as of" the engine's watermark, "when a
 * server last kept it live", though the engine never wrote them; nothing in the database recorded the
 * refusal. (b) After `segments update` without a server, the header named the last refresh as if its
 * members were those of the new definition.
 */

const COSTLY = 'performed "Page Viewed" then not "Order Completed" within 1h';
const header = async (store: Store, name: string): Promise<string> => formatMembers(await segmentMembers(store, name, { live: 'unknown' })).split('\n')[0]!;

it('the header of a refused segment says it was not kept live, why, and that its members are the last refresh\'s', async () => {
  registerAllFields();
  const t = await tempStore();
  try {
    const write = (await createApiKey(t.store, ['write'], 'test')).key;
    const admin = (await createApiKey(t.store, ['admin'], 'test')).key;
    // Every moment on one clock: the engine's, the refreshes' and the updates'.
    const clock = new ManualClock(Date.now() - 3_600_000);
    const at = (advance: number): Date => (clock.advance(advance), new Date(clock.now()));
    let app = await buildApp({ store: t.store, realtime: { clock, maxHeldEvents: 5 } });
    let refreshedAt: Date;
    try {
      const batch = Array.from({ length: 8 }, (_, i) => ({ type: 'track', userId: `v${i % 2}`, event: 'Page Viewed', messageId: `pv${i}`, timestamp: new Date(clock.now() - 7_200_000 - i * 1000).toISOString() }));
      expect((await app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(write) }, payload: { batch } })).statusCode).toBe(200);
      const created = await app.inject({ method: 'POST', url: '/v1/segments', headers: { authorization: basic(admin) }, payload: { name: 'browsers', query: COSTLY } });
      expect(created.statusCode).toBe(201);
      expect(app.segmint.realtime!.isLive('browsers')).toBe(false);
      // the API shows the refusal with the segment
      const shown = (await app.inject({ method: 'GET', url: '/v1/segments/browsers', headers: { authorization: basic(admin) } })).json() as { notKeptLive: { reason: string } | null };
      expect(shown.notKeptLive?.reason).toMatch(/^not kept live: it would hold about 8 events in memory/);
      // the bulk refresh computes it, as docs/realtime.md says
      refreshedAt = at(1_000);
      // as of a moment of its own (the engine's watermark is the clock's now)
      await refreshSegments(t.store, { asOf: new Date(refreshedAt.getTime() - 500), now: () => refreshedAt, keptLive: (n) => app.segmint.realtime!.isLive(n) });
      // The engine goes on after the refresh (it writes its watermark at every step): on main the rows
      // of the refused segment were then read as the engine's, "when a server last kept it live".
      at(1_000);
      await app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(write) }, payload: { batch: [{ type: 'track', userId: 'v9', event: 'Ping', messageId: 'late' }] } });
      await app.segmint.realtime!.idle();
    } finally {
      await app.close();
    }

    // Without a server: the last refresh's members, and why they are not live.
    const m = await segmentMembers(t.store, 'browsers', { live: 'unknown' });
    expect(m).toMatchObject({ source: 'refresh', total: 2 });
    expect(m.asOf!.getTime()).toBe(refreshedAt.getTime() - 500);
    expect(await header(t.store, 'browsers')).toBe(
      `2 members of "browsers" as of ${m.asOf!.toISOString()} (last refresh); not kept live by the server: it would hold about 8 events in memory (the limit is 5 per segment), ` +
        'most of them 8 "Page Viewed" events that a sequence without a time window must keep forever; give the sequence a window (e.g. within 30d). It stays available for bulk refresh (`segmint segments refresh`).',
    );
    const audit = await auditSegment(t.store, 'browsers', 'plan', { minGroup: 1, live: 'unknown' });
    expect(audit.refreshedAsOf).toBe(m.asOf!.toISOString());
    expect(formatSegmentAudit(audit).split('\n')[0]).toContain('not kept live by the server: it would hold about 8 events');
    const segment = await getSegment(t.store, 'browsers');
    expect(formatSegment(segment)).toMatch(/members: {5}2 as of \S+ \(refreshed \S+\); not kept live by the server: it would hold about 8 events/);
    expect(formatList(await listSegments(t.store))).toMatch(/^browsers +2! +performed/m);

    // (b) The definition changes with no server: the stored members are the old definition's.
    const changedAt = at(5_000);
    await updateSegment(t.store, 'browsers', { definition: { query: 'performed "Page Viewed" within 30d' } }, changedAt);
    const stale = await segmentMembers(t.store, 'browsers', { live: 'unknown' });
    // the refusal was of the old definition: cleared; the change is said
    expect(stale.notKeptLive).toBeUndefined();
    expect(stale.definitionChangedAt).toEqual(changedAt);
    expect(await header(t.store, 'browsers')).toBe(
      `2 members of "browsers" as of ${m.asOf!.toISOString()} (last refresh, before the definition changed at ${changedAt.toISOString()}: run \`segmint segments refresh browsers\`)`,
    );
    expect((await auditSegment(t.store, 'browsers', 'plan', { minGroup: 1, live: 'unknown' })).definitionChangedAt).toEqual(changedAt);
    expect(formatList(await listSegments(t.store))).toMatch(/^browsers +2\* +performed/m);
    // a new description is no new definition
    await updateSegment(t.store, 'browsers', { description: 'people who browse' }, at(5_000));
    expect((await getSegment(t.store, 'browsers')).definitionChangedAt).toEqual(changedAt);
    // a refresh after the change ends it
    const later = at(5_000);
    await refreshSegments(t.store, { asOf: later, now: () => later, name: 'browsers' });
    expect(await header(t.store, 'browsers')).toBe(`2 members of "browsers" as of ${later.toISOString()} (last refresh)`);

    // (a') Costly again, then a server that accepts it (a higher limit) clears the refusal.
    await updateSegment(t.store, 'browsers', { definition: { query: COSTLY } }, at(1_000));
    at(1_000);
    app = await buildApp({ store: t.store, realtime: { clock, maxHeldEvents: 5 } });
    expect(app.segmint.realtime!.isLive('browsers')).toBe(false);
    await app.close();
    expect((await getSegment(t.store, 'browsers')).notKeptLive?.reason).toMatch(/^not kept live: /);
    at(1_000);
    app = await buildApp({ store: t.store, realtime: { clock } });
    expect(app.segmint.realtime!.isLive('browsers')).toBe(true);
    await app.close();
    expect((await getSegment(t.store, 'browsers')).notKeptLive).toBeNull();
    expect(await header(t.store, 'browsers')).toMatch(/^2 members of "browsers" as of \S+, when a server last kept it live$/);
  } finally {
    t.cleanup();
  }
});

it('with a server, an update is re-evaluated at once: nothing to say, then or after it stops', async () => {
  registerAllFields();
  const t = await tempStore();
  try {
    await createSegment(t.store, { name: 'pro', definition: { query: 'traits.plan = "pro"' } });
    const clock = new ManualClock(Date.now() - 3_600_000);
    const app = await buildApp({ store: t.store, realtime: { clock } });
    try {
      clock.advance(1_000);
      await updateSegment(t.store, 'pro', { definition: { query: 'traits.plan = "gold"' } }, new Date(clock.now()));
      // what served/host.ts does after a command: the engine takes the new definition in
      clock.advance(1_000);
      await app.segmint.realtime!.resync();
      const live = await segmentMembers(t.store, 'pro', { live: 'kept' });
      expect(live.definitionChangedAt).toBeUndefined();
    } finally {
      await app.close();
    }
    const after = await segmentMembers(t.store, 'pro', { live: 'unknown' });
    expect(after.definitionChangedAt).toBeUndefined();
    expect(await header(t.store, 'pro')).toMatch(/^0 members of "pro" as of \S+, when a server last kept it live$/);
  } finally {
    t.cleanup();
  }
});
