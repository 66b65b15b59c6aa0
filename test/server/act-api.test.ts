import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/realtime/index.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { workflowStepCounts } from '../../src/workflows/manage/steps.js';
import { runCli } from '../helpers/cli.js';
import { realtimeApp } from '../realtime/helpers/app.js';
import { DAY, HOUR, workflowWorld } from '../workflows/world.js';
import { basic } from './helpers.js';

/**
 * The read endpoints the dashboard's act pages add: the change stream of every segment
 * (GET /v1/changes: pages, the latest N, one segment, Server-Sent Events) and per-step workflow counts
 * (GET /v1/workflows/{name}/steps = `segmint workflows steps --json`), counted by hand.
 */

const T0 = Date.UTC(2024, 4, 1, 12);
const clock = new ManualClock(T0);
const ctx = realtimeApp({ pinged: 'performed "Ping" within 1h', shopped: 'performed "Shop" within 1h' }, { clock });
let url: string;
beforeAll(async () => {
  url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
});

interface Change {
  cursor: string;
  segment: string | null;
  customerId: string;
  change: string;
  at: string;
}

async function track(userId: string, event: string, id: string): Promise<void> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: { authorization: basic(ctx.keys.write), 'content-type': 'application/json' },
    payload: { userId, event, timestamp: new Date(clock.now()).toISOString(), messageId: id },
  });
  expect(res.statusCode).toBe(200);
}

async function get(path: string, key = ctx.keys.read): Promise<{ status: number; body: { changes: Change[]; next: string; message?: string } }> {
  const res = await ctx.app.inject({ method: 'GET', url: path, headers: { authorization: basic(key) } });
  return { status: res.statusCode, body: res.json() };
}

describe('GET /v1/changes', () => {
  it('pages every segment’s entries and exits with their names, the latest N, or one segment’s', async () => {
    await track('ann', 'Ping', 'a1');
    await track('bob', 'Shop', 'b1');
    await track('cy', 'Ping', 'c1');
    const all = await get('/v1/changes');
    expect(all.status).toBe(200);
    expect(all.body.changes.map((c) => [c.segment, c.change])).toEqual([
      ['pinged', 'entered'],
      ['shopped', 'entered'],
      ['pinged', 'entered'],
    ]);
    expect(all.body.next).toBe(all.body.changes[2]!.cursor);
    // A page from a cursor, and the latest two (oldest first) end at the same place.
    const rest = await get(`/v1/changes?after=${all.body.changes[0]!.cursor}&limit=1`);
    expect(rest.body.changes).toEqual([all.body.changes[1]]);
    const latest = await get('/v1/changes?latest=2');
    expect(latest.body.changes).toEqual(all.body.changes.slice(1));
    expect(latest.body.next).toBe(all.body.next);
    const pinged = await get('/v1/changes?segment=pinged');
    expect(pinged.body.changes).toEqual([all.body.changes[0], all.body.changes[2]]);
    const shopLatest = await get('/v1/changes?segment=shopped&latest=5');
    expect(shopLatest.body.changes).toEqual([all.body.changes[1]]);
  });

  it('refuses an unknown segment, a bad cursor and a request without a key, in words', async () => {
    const unknown = await get('/v1/changes?segment=nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/no segment named "nope"/);
    expect((await get('/v1/changes?after=x')).status).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/changes' })).statusCode).toBe(401);
  });

  it('streams one segment’s changes live as Server-Sent Events, from the cursor, leaving out the others', async () => {
    const before = await get('/v1/changes?segment=pinged&latest=1');
    const controller = new AbortController();
    const res = await fetch(`${url}/v1/changes?segment=pinged&after=${before.body.next}`, {
      headers: { authorization: basic(ctx.keys.read), accept: 'text/event-stream' },
      signal: controller.signal,
    });
    // The headers arrive before any change: the client knows the stream is open.
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const events = (): { id: string; event: string; data: Change }[] =>
      text
        .split('\n\n')
        .filter((b) => b.includes('data: '))
        .map((b) => {
          const f = Object.fromEntries(b.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          return { id: f.id!, event: f.event!, data: JSON.parse(f.data!) as Change };
        });
    await track('dee', 'Shop', 'd1');
    await track('dee', 'Ping', 'd2');
    while (events().length < 1) text += new TextDecoder().decode((await reader.read()).value);
    // An hour later everyone leaves both segments: only pinged's exits come, in order.
    clock.set(T0 + 2 * 3_600_000);
    while (events().length < 4) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const got = events();
    expect(got.map((e) => [e.event, e.data.segment])).toEqual([
      ['entered', 'pinged'],
      ['exited', 'pinged'],
      ['exited', 'pinged'],
      ['exited', 'pinged'],
    ]);
    expect(got.map((e) => e.id)).toEqual(got.map((e) => e.data.cursor));
    expect(got.every((e, i) => i === 0 || Number(e.id) > Number(got[i - 1]!.id))).toBe(true);
  });
});

describe('GET /v1/workflows/{name}/steps', () => {
  let world: Awaited<ReturnType<typeof workflowWorld>>;
  afterAll(async () => world?.close());

  it('counts runs at each step, what each step did and its sends by status and reason, as the CLI prints', async () => {
    world = await workflowWorld();
    await world.customer('ann', 'granted');
    await world.customer('bob', 'denied');
    await world.customer('cy', 'none');
    await world.workflow('nudge', ['trigger:', '  event: Checkout Started', 'steps:', '  - id: pause', '    wait: 1h', '  - id: mail', '    email:', '      subject: Still there?', '      text: "{{ unsubscribe_url }}"', '  - id: tail', '    wait: 1d'].join('\n'));
    for (const u of ['ann', 'bob', 'cy']) await world.track(u, 'Checkout Started');
    const waiting = await workflowStepCounts(world.store, 'nudge');
    expect(waiting.runs).toEqual([{ status: 'active', n: 3 }]);
    expect(waiting.steps.map((s) => [s.id, s.does, s.activeHere])).toEqual([
      ['pause', 'wait 1h', 3],
      ['mail', 'email "Still there?"', 0],
      ['tail', 'wait 1d', 0],
    ]);
    await world.after(HOUR);
    await world.after(DAY);
    // By hand: ann (granted) is sent the email, bob (denied) and cy (never asked) are skipped; all
    // three runs are past their last step.
    const done = await workflowStepCounts(world.store, 'nudge');
    expect(done.runs).toEqual([{ status: 'completed', n: 3 }]);
    const mail = done.steps.find((s) => s.id === 'mail')!;
    expect(mail.sends).toEqual([
      { channel: 'email', status: 'sent', reason: null, n: 1 },
      { channel: 'email', status: 'skipped', reason: 'consent_denied', n: 1 },
      { channel: 'email', status: 'skipped', reason: 'consent_missing', n: 1 },
    ]);
    expect(mail.outcomes).toEqual([
      { outcome: 'email skipped', n: 2 },
      { outcome: 'email sent', n: 1 },
    ]);
    expect(done.steps.every((s) => s.activeHere === 0)).toBe(true);
    expect(world.to('ann')).toHaveLength(1);

    // The same over HTTP (a report: read scope, like runs; no key is refused) and from the CLI.
    const app = await buildApp({ store: world.store });
    try {
      const admin = (await createApiKey(world.store, ['admin'], 'test')).key;
      const read = (await createApiKey(world.store, ['read'], 'test')).key;
      const res = await app.inject({ method: 'GET', url: '/v1/workflows/nudge/steps', headers: { authorization: basic(admin) } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(done)));
      expect((await app.inject({ method: 'GET', url: '/v1/workflows/nudge/steps', headers: { authorization: basic(read) } })).json()).toEqual(JSON.parse(JSON.stringify(done)));
      expect((await app.inject({ method: 'GET', url: '/v1/workflows/nudge/steps' })).statusCode).toBe(401);
      const missing = await app.inject({ method: 'GET', url: '/v1/workflows/nope/steps', headers: { authorization: basic(admin) } });
      expect(missing.statusCode).toBe(404);
    } finally {
      await app.close();
    }
    // The CLI opens the file itself: the engine and this process's store let go of it first.
    await world.engine.stop();
    await world.committer.idle();
    world.store.close();
    expect(JSON.parse(await runCli(world.store.path, 'workflows', 'steps', 'nudge', '--json'))).toEqual(JSON.parse(JSON.stringify(done)));
  });
});
