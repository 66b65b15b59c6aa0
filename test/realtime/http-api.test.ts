import { beforeAll, describe, expect, it } from 'vitest';
import { runServed } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { ManualClock } from '../../src/realtime/index.js';
import { Writable } from 'node:stream';
import { basic } from '../server/helpers.js';
import { realtimeApp } from './helpers/app.js';

/**
 * Who listens: a customer's segments now (any identifier, read scope), a segment's change stream as
 * pages from a cursor and as Server-Sent Events, `segments watch`, and in-process listeners.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ active: 'performed "Ping" within 1h', gmail: 'traits.email contains "@gmail."' }, { clock });
let url: string;
beforeAll(async () => {
  url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});

async function post(path: string, payload: Record<string, unknown>): Promise<void> {
  const res = await ctx.app.inject({ method: 'POST', url: path, headers: { authorization: basic(ctx.keys.write), 'content-type': 'application/json' }, payload });
  expect(res.statusCode).toBe(200);
}

describe('GET /v1/customers/{id}/segments', () => {
  it('answers with the segments now and since when, for any identifier, with a read key', async () => {
    const changes: unknown[] = [];
    const stop = ctx.app.segmint.realtime!.onMembershipChange((c) => changes.push(c));
    await post('/v1/identify', { userId: 'ann', traits: { email: 'ann@gmail.com' }, timestamp: new Date(T0).toISOString(), messageId: 'i1' });
    await post('/v1/track', { userId: 'ann', event: 'Ping', timestamp: new Date(T0).toISOString(), messageId: 'p1' });
    for (const id of ['ann', 'ann@gmail.com', 'ANN@gmail.com ']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/customers/${encodeURIComponent(id)}/segments`, headers: { authorization: basic(ctx.keys.read) } });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { customerId: string; segments: { name: string; since: string }[] };
      expect(body.customerId).toMatch(/^cus_/);
      expect(body.segments).toEqual([
        { id: expect.stringMatching(/^seg_/), name: 'active', since: new Date(T0).toISOString() },
        { id: expect.stringMatching(/^seg_/), name: 'gmail', since: new Date(T0).toISOString() },
      ]);
    }
    const none = await ctx.app.inject({ method: 'GET', url: '/v1/customers/nobody/segments', headers: { authorization: basic(ctx.keys.read) } });
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toMatch(/No customer has the identifier "nobody"/);
    const keyless = await ctx.app.inject({ method: 'GET', url: '/v1/customers/ann/segments' });
    expect(keyless.statusCode).toBe(401);
    await new Promise((r) => setImmediate(r));
    stop();
    // In-process listeners (workflows) get exactly this shape.
    expect(changes).toEqual([
      { segmentId: expect.stringMatching(/^seg_/), segment: 'gmail', customerId: expect.stringMatching(/^cus_/), change: 'entered', at: new Date(T0) },
      { segmentId: expect.stringMatching(/^seg_/), segment: 'active', customerId: expect.stringMatching(/^cus_/), change: 'entered', at: new Date(T0) },
    ]);
  });
});

describe('GET /v1/segments/{name}/changes', () => {
  it('pages entries and exits in order from a cursor, and streams them live as Server-Sent Events', async () => {
    await post('/v1/track', { userId: 'bob', event: 'Ping', timestamp: new Date(T0).toISOString(), messageId: 'p2' });
    const page = async (after?: string): Promise<{ changes: { cursor: string; change: string; at: string }[]; next: string }> => {
      const res = await ctx.app.inject({ method: 'GET', url: `/v1/segments/active/changes?limit=1${after ? `&after=${after}` : ''}`, headers: { authorization: basic(ctx.keys.read) } });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const p1 = await page();
    const p2 = await page(p1.next);
    const p3 = await page(p2.next);
    expect([...p1.changes, ...p2.changes].map((c) => c.change)).toEqual(['entered', 'entered']);
    expect(p3.changes).toEqual([]);
    expect(p3.next).toBe(p2.next);
    const bad = await ctx.app.inject({ method: 'GET', url: '/v1/segments/active/changes?after=x1', headers: { authorization: basic(ctx.keys.read) } });
    expect(bad.statusCode).toBe(400);

    // SSE from the first cursor: the second entry from the backlog, then the exits as time makes them.
    const controller = new AbortController();
    const res = await fetch(`${url}/v1/segments/active/changes?after=${p1.next}`, { headers: { authorization: basic(ctx.keys.read), accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const events = (): { id: string; event: string; data: { change: string; at: string } }[] =>
      text
        .split('\n\n')
        .filter((b) => b.includes('data: '))
        .map((b) => {
          const f = Object.fromEntries(b.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          return { id: f.id!, event: f.event!, data: JSON.parse(f.data!) };
        });
    const readUntil = async (n: number): Promise<void> => {
      while (events().length < n) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil(1);
    clock.set(T0 + 3_600_000);
    await readUntil(3);
    controller.abort();
    expect(events().map((e) => [e.event, e.data.at])).toEqual([
      ['entered', new Date(T0).toISOString()],
      ['exited', new Date(T0 + 3_600_000).toISOString()],
      ['exited', new Date(T0 + 3_600_000).toISOString()],
    ]);
    expect(Number(events()[0]!.id)).toBeGreaterThan(Number(p1.next));
  });
});

describe('segmint segments watch', () => {
  it('prints entries and exits as they happen, until the CLI goes away', async () => {
    let out = '';
    let err = '';
    const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const abort = new AbortController();
    const served = { stdout: sink, stderr: new Writable({ write: (c: Buffer, _e, cb) => ((err += c.toString()), cb()) }), store: ctx.store, engine: ctx.app.segmint.realtime!, signal: abort.signal, server: { pid: process.pid, url, startedAt: new Date() } };
    const watching = runServed(served, () => buildProgram().parseAsync(['node', 'segmint', 'segments', 'watch', 'active', '--json']));
    while (!err.includes('watching "active"')) await new Promise((r) => setTimeout(r, 10));
    await post('/v1/track', { userId: 'cy', event: 'Ping', timestamp: new Date(clock.now()).toISOString(), messageId: 'p3' });
    clock.set(clock.now() + 3_600_000);
    await ctx.app.segmint.realtime!.idle();
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    // Ctrl-C is how a watch ends: `interrupted`, exit 130 (cli.md)
    await expect(watching).rejects.toMatchObject({ code: 'interrupted', message: 'Stopped watching "active" (Ctrl-C).' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { change: string; segment: string });
    expect(lines.map((l) => [l.segment, l.change])).toEqual([
      ['active', 'entered'],
      ['active', 'exited'],
    ]);
  });
});
