import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServed } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { testServer, type TestServer } from './helpers.js';

/**
 * The answer of a write through the API equals what a read right after it says. While the server runs,
 * the real-time engine keeps every saved segment's members; a segment written through the API must be
 * counted after the engine took it in, not from the row as inserted (which has no members yet).
 */

let t: TestServer;
beforeAll(async () => {
  t = await testServer(['write', 'read', 'admin']);
  for (const [userId, name] of [
    ['cara', 'Cara'],
    ['dan', 'Dan'],
    ['eve', 'Eve'],
  ] as const) {
    const r = await t.post('/v1/identify', { userId, traits: { name }, timestamp: '2024-05-01T10:00:00Z', messageId: `i-${userId}` });
    expect(r.status).toBe(200);
  }
});
afterAll(() => t.cleanup());

async function send(method: 'POST' | 'PATCH', url: string, payload: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await t.app.inject({ method, url, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` }, payload: JSON.stringify(payload) });
  return { status: res.statusCode, json: res.json() };
}

async function membersNow(name: string): Promise<unknown> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/segments/${encodeURIComponent(name)}`, headers: { authorization: `Bearer ${t.key}` } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { members: unknown }).members;
}

describe('segment writes answer with the members a read right after says', () => {
  it('POST /v1/segments counts the new segment once the live engine has it', async () => {
    const r = await send('POST', '/v1/segments', { name: 'cara', query: 'traits.name = "Cara"' });
    expect(r.status).toBe(201);
    expect(r.json.members).toBe(1);
    expect(await membersNow('cara')).toBe(1);
    const two = await send('POST', '/v1/segments', { name: 'two', definition: { kind: 'in', target: { kind: 'trait', path: ['name'] }, values: ['Dan', 'Eve'], negated: false } });
    expect(two.json.members).toBe(2);
    expect(await membersNow('two')).toBe(2);
  });

  it('PATCH /v1/segments/{name} counts the changed definition, also under a new name', async () => {
    const changed = await send('PATCH', '/v1/segments/cara', { query: 'traits.name = "Bob"' });
    expect(changed.status).toBe(200);
    expect(changed.json.members).toBe(0);
    expect(await membersNow('cara')).toBe(0);
    const renamed = await send('PATCH', '/v1/segments/cara', { name: 'not-bob', query: 'not traits.name = "Bob"' });
    expect(renamed.json).toMatchObject({ name: 'not-bob', members: 3 });
    expect(await membersNow('not-bob')).toBe(3);
    // A change of the description alone leaves the count as it is, and says so.
    const noted = await send('PATCH', '/v1/segments/not-bob', { description: 'everyone but Bob' });
    expect(noted.json).toMatchObject({ description: 'everyone but Bob', members: 3 });
  });

  it('POST /v1/segments/refresh reports the live counts a read says', async () => {
    const r = await send('POST', '/v1/segments/refresh', {});
    expect(r.status).toBe(200);
    const got = (r.json.segments as { name: string; members: number; live?: boolean }[]).map((s) => [s.name, s.members, s.live]);
    expect(got.sort()).toEqual([
      ['not-bob', 3, true],
      ['two', 2, true],
    ]);
    for (const [name, members] of got) expect(await membersNow(name as string)).toBe(members);
  });
});

describe('segment writes of the CLI carried out by the server answer with the live members', () => {
  /** Runs a segmint command as the server runs one sent by the CLI; returns what it printed. */
  async function served(argv: string[]): Promise<string> {
    let out = '';
    const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const ctx = { stdout: sink, stderr: sink, store: t.store, engine: t.app.segmint.realtime!, signal: new AbortController().signal, server: { pid: process.pid, url: 'http://127.0.0.1:0', startedAt: new Date() } };
    await runServed(ctx, () => buildProgram({ json: argv.includes('--json') }).parseAsync(['node', 'segmint', ...argv]));
    return out;
  }

  it('segments create --json and segments update --json print the members segments show --json prints', async () => {
    const created = JSON.parse(await served(['segments', 'create', 'dan', '-q', 'traits.name = "Dan"', '--json'])) as { members: number };
    expect(created.members).toBe(1);
    expect(await membersNow('dan')).toBe(1);
    const updated = JSON.parse(await served(['segments', 'update', 'dan', '-q', 'traits.name in ("Dan", "Eve")', '--json'])) as { members: number };
    expect(updated.members).toBe(2);
    expect(await membersNow('dan')).toBe(2);
  });
});
