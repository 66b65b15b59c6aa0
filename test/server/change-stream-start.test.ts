import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { realtimeApp } from '../realtime/helpers/app.js';
import { basic } from './helpers.js';

/**
 * api.md: `GET /v1/changes?after=&latest=` answers from a cursor or with the latest N, and with
 * `Accept: text/event-stream` as a live stream; the stream starts where the page would (trial 6, D7).
 */
const T0 = Date.UTC(2024, 4, 1, 12);
const ctx = realtimeApp({ pinged: 'performed "Ping" within 1h' }, { clock: new ManualClock(T0) });
let url: string;
beforeAll(async () => {
  url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  for (const who of ['a', 'b', 'c', 'd']) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: basic(ctx.keys.write), 'content-type': 'application/json' },
      payload: { userId: who, event: 'Ping', timestamp: new Date(T0).toISOString(), messageId: `p-${who}` },
    });
    expect(res.statusCode).toBe(200);
  }
});

/** The ids of the events a stream sends until `n` have come, then closes it. */
async function streamed(path: string, n: number, headers: Record<string, string> = {}): Promise<string[]> {
  const controller = new AbortController();
  const res = await fetch(`${url}${path}`, { headers: { authorization: basic(ctx.keys.read), accept: 'text/event-stream', ...headers }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  const ids = (): string[] => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]!);
  while (ids().length < n) text += new TextDecoder().decode((await reader.read()).value);
  // nothing more is on its way: the backlog was sent in one write per change, before any wait
  await new Promise((r) => setTimeout(r, 200));
  controller.abort();
  return ids();
}

describe('the SSE form of GET /v1/changes', () => {
  it('honours latest=N as the JSON form does, and a cursor still wins over it', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/v1/changes?latest=2', headers: { authorization: basic(ctx.keys.read) } });
    const json = (page.json() as { changes: { cursor: string }[] }).changes.map((c) => c.cursor);
    expect(json).toHaveLength(2);
    expect(await streamed('/v1/changes?latest=2', 2)).toEqual(json);
    const all = await streamed('/v1/changes', 4);
    expect(all).toHaveLength(4);
    expect(all.slice(2)).toEqual(json);
    // a reconnecting client resumes from its Last-Event-ID, not from the latest N
    expect(await streamed('/v1/changes?latest=1', 3, { 'last-event-id': all[0]! })).toEqual(all.slice(1));
  });

  it('blames a bad Last-Event-ID on that header, and a bad after on after', async () => {
    for (const path of ['/v1/changes', '/v1/segments/pinged/changes']) {
      const bad = await ctx.app.inject({ method: 'GET', url: path, headers: { authorization: basic(ctx.keys.read), accept: 'text/event-stream', 'last-event-id': 'zzz' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'cursor_invalid', message: expect.stringMatching(/^Last-Event-ID: "zzz" is not a cursor/) });
      const after = await ctx.app.inject({ method: 'GET', url: `${path}?after=zzz`, headers: { authorization: basic(ctx.keys.read) } });
      expect(after.json()).toMatchObject({ error: 'cursor_invalid', message: expect.stringMatching(/^The "after" query parameter: "zzz" is not a cursor/) });
    }
  });
});
