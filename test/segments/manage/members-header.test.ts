import { expect, it } from 'vitest';
import { registerAllFields } from '../../../src/fields.js';
import { startServer } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { formatMembers } from '../../../src/segments/manage/format.js';
import { auditSegment, type SegmentAudit } from '../../../src/analytics/fairness/audit-segment.js';
import { segmentMembers, type SegmentMembers } from '../../../src/segments/manage/history.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import { tempStore } from '../../helpers/store.js';
import { basic } from '../../server/helpers.js';

/**
 * Trial 11, C4: after a server that kept segments live was killed, `segments members` printed
 * `"nest1" has not been refreshed yet` above its 5 members (a segment created while the server ran), and
 * `5 members of "vipish" as of 20:10:50` (the server's start) above a member since 20:17:24. The header
 * must say what the list is: the members now, through a server that keeps the segment live; else what
 * was written last, by a refresh or by a server's real-time engine, as of the moment it describes.
 *
 * While the server runs, the stored rows are exactly what a kill -9 would leave (the engine writes them
 * at every change, and marks the segments' rows only on start and stop): reading them with no server
 * asked (`live: 'unknown'`, the CLI without a server) is reading them after the kill.
 */
it('says what the member list is, through the server and without it', async () => {
  registerAllFields();
  const t = await tempStore();
  try {
    const read = (await createApiKey(t.store, ['read'], 'test')).key;
    const write = (await createApiKey(t.store, ['write'], 'test')).key;
    const admin = (await createApiKey(t.store, ['admin'], 'test')).key;
    await createSegment(t.store, { name: 'early', definition: { query: 'performed "Ping"' } });
    const refreshedAsOf = new Date(Date.now() - 60_000);
    await refreshSegments(t.store, { asOf: refreshedAsOf });
    expect(formatMembers(await segmentMembers(t.store, 'early'))).toBe(`0 members of "early" as of ${refreshedAsOf.toISOString()} (last refresh)`);

    const server = await startServer({ store: t.store, port: 0, host: '127.0.0.1' });
    let killed: { early: SegmentMembers; late: SegmentMembers };
    let killedAudit: { audit: SegmentAudit; before: SegmentMembers; after: SegmentMembers };
    try {
      const post = (path: string, key: string, body: unknown) =>
        fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: basic(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      // A segment created while the server runs: never refreshed, kept live at once.
      expect((await post('/v1/segments', admin, { name: 'late', query: 'performed "Ping"' })).status).toBe(201);
      await new Promise((r) => setTimeout(r, 20));
      expect((await post('/v1/track', write, { userId: 'u1', event: 'Ping' })).status).toBe(200);
      await server.app.segmint.realtime!.idle();

      // Through the server: the members now.
      for (const name of ['early', 'late']) {
        const res = await fetch(`${server.url}/v1/segments/${name}/members`, { headers: { authorization: basic(read) } });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { source: string; total: number; members: unknown[] };
        expect(body).toMatchObject({ source: 'live', total: 1 });
        const m = await segmentMembers(t.store, name, { live: 'kept' });
        expect(formatMembers(m).split('\n')[0]).toBe(`1 member of "${name}" now, kept live by the running server`);
      }
      killed = { early: await segmentMembers(t.store, 'early', { live: 'unknown' }), late: await segmentMembers(t.store, 'late', { live: 'unknown' }) };

      // Recheck 11, N1: the fairness audit of a segment created while the server runs (never refreshed)
      // reads the same stored members, through the server, instead of asking for a refresh that cannot
      // happen while it runs; N2: and names the moment `segments members` names.
      const audit = await fetch(`${server.url}/v1/segments/late/audit?by=plan&minGroup=1`, { headers: { authorization: basic(read) } });
      expect(audit.status, await audit.clone().text()).toBe(200);
      expect(((await audit.json()) as SegmentAudit).members).toBe(1);
      const before = await segmentMembers(t.store, 'late', { live: 'unknown' });
      const audited = await auditSegment(t.store, 'late', 'plan', { minGroup: 1, live: 'unknown' });
      killedAudit = { audit: audited, before, after: await segmentMembers(t.store, 'late', { live: 'unknown' }) };
    } finally {
      await server.close();
    }

    // Without a server, after the kill: the engine's rows, current up to what it applied; no member
    // entered after the moment the header names.
    for (const m of [killed.early, killed.late]) {
      expect(m.source).toBe('server');
      expect(m.members).toHaveLength(1);
      expect(m.members[0]!.since.getTime()).toBeLessThanOrEqual(m.asOf!.getTime());
      expect(formatMembers(m).split('\n')[0]).toBe(`1 member of "${m.name}" as of ${m.asOf!.toISOString()}, when a server last kept it live`);
    }
    // The audit of the rows left by the kill is as of the moment the member list names.
    const at = Date.parse(killedAudit.audit.refreshedAsOf);
    expect(at).toBeGreaterThanOrEqual(killedAudit.before.asOf!.getTime());
    expect(at).toBeLessThanOrEqual(killedAudit.after.asOf!.getTime());
    expect(killedAudit.audit.members).toBe(1);
    // After a clean stop, the same: the server marked the rows current as it stopped.
    const stopped = await segmentMembers(t.store, 'late');
    expect(stopped.source).toBe('server');
    expect(stopped.asOf!.getTime()).toBeGreaterThanOrEqual(killed.late.asOf!.getTime());

    // A refresh without the server writes the rows last: the list is that refresh's.
    const later = new Date(Date.now() + 1_000);
    await refreshSegments(t.store, { asOf: later, now: () => later });
    expect(formatMembers(await segmentMembers(t.store, 'late')).split('\n')[0]).toBe(`1 member of "late" as of ${later.toISOString()} (last refresh)`);

    // Never refreshed, never kept live: nothing to list, and how to get it.
    await createSegment(t.store, { name: 'fresh', definition: { query: 'performed "Ping"' } });
    expect(formatMembers(await segmentMembers(t.store, 'fresh'))).toBe('"fresh" has not been refreshed yet: run `segmint segments refresh`');
  } finally {
    t.cleanup();
  }
});
