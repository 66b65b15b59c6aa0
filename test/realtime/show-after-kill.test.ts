import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { getSegment, listSegments } from '../../src/segments/manage/crud.js';
import { formatList, formatSegment } from '../../src/segments/manage/format.js';
import { segmentMembers } from '../../src/segments/manage/history.js';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * audit10 D2: after a kill -9 of the server, `segments show` and `segments list` (run on their own) said
 * "not refreshed yet" of a segment created while the server ran, and dated the count of one that existed
 * at its start to that start, while `segments members` dated the same rows to the watermark. A server
 * killed never marks its segments current on stopping, so the store is then exactly as it is while the
 * server runs: the readers are asked here with no server named (what a command run on its own does).
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ pinged: 'performed "Ping" within 1h' }, { clock });

async function send(url: string, key: string, payload: Record<string, unknown>): Promise<number> {
  return (await ctx.app.inject({ method: 'POST', url, headers: { authorization: basic(key), 'content-type': 'application/json' }, payload })).statusCode;
}

const ping = (userId: string): Promise<number> =>
  send('/v1/track', ctx.keys.write, { userId, event: 'Ping', timestamp: new Date(clock.now()).toISOString(), messageId: `${userId}-${clock.now()}` });

describe('segments show and list agree with segments members on what stored rows describe', () => {
  it('dates the rows a server kept live to its watermark, for a segment saved before it started and one created while it ran', async () => {
    clock.set(T0 + 5_000);
    expect(await ping('u1')).toBe(200);
    expect(await send('/v1/segments', ctx.keys.admin, { name: 'pingers', query: 'performed "Ping"' })).toBe(201);
    clock.set(T0 + 9_000);
    expect(await ping('u2')).toBe(200);
    await ctx.app.segmint.realtime!.idle();

    const watermark = new Date(T0 + 9_000);
    for (const name of ['pinged', 'pingers']) {
      const members = await segmentMembers(ctx.store, name);
      expect(members).toMatchObject({ total: 2, source: 'server', asOf: watermark });
      const s = await getSegment(ctx.store, name);
      expect(formatSegment(s)).toContain('members:     2 as of 2024-05-01T12:00:09Z, when a server last kept it live');
      expect(s).toMatchObject({ members: 2, membersSource: 'server', membersAsOf: watermark, membersStale: false });
    }
    const list = await listSegments(ctx.store);
    expect(list.map((s) => [s.name, s.membersSource, s.membersAsOf])).toEqual([
      ['pinged', 'server', watermark],
      ['pingers', 'server', watermark],
    ]);
    expect(formatList(list)).toMatch(/^pingers\s+2\s/m);

    // Asked through the running server: the members of now, kept live.
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/segments/pingers', headers: { authorization: basic(ctx.keys.read) } });
    expect(res.json()).toMatchObject({ members: 2, membersSource: 'live', membersAsOf: watermark.toISOString() });
  });
});
