import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers/store.js';

/**
 * The memory bound of docs/api.md: the server's resident memory stays under 1.5 GB while it receives
 * the largest inputs each limit allows, all at once: full batches (2,500 messages, just under 500 KB),
 * JSON nested to the depth limit, gzip bodies that inflate to the limit, segment previews at the
 * condition and join limits, and 60 stalled uploads holding 400 KB each (past the 64 MB body budget a
 * request would be asked to retry, 503). The server runs in a process of its own, whose VmRSS is sampled.
 */
const BOUND_BYTES = 1.5 * 1024 ** 3;

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // the process has ended
  }
}

describe('server memory under the largest inputs', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let child: ChildProcess;
  let info: { url: string; server: string; admin: string };

  beforeAll(async () => {
    t = await tempStore();
    t.store.close();
    child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'serve-child.ts'), t.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    info = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    });
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    t.cleanup();
  });

  it(`stays under ${BOUND_BYTES / 1024 ** 3} GB`, async () => {
    let peak = rssOf(child.pid!);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 50);
    try {
    const auth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    // A request refused while its body is still being sent (a 503 of the body budget) can see its
    // connection closed before it reads the answer: counted as 'closed', and it must be rare.
    // Each request on a connection of its own (no keep-alive), so one refused upload cannot take others down with it.
    const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}, key = info.server): Promise<number | 'closed'> =>
      new Promise((resolve) => {
        const r = request(info.url + path, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: auth(key), ...headers } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        r.on('error', () => resolve('closed'));
        r.end(body);
      });
    const pad = 'x'.repeat(110);
    const fullBatch = (k: number) =>
      JSON.stringify({ batch: Array.from({ length: 2500 }, (_, i) => ({ type: 'track', userId: `u${i % 300}`, event: 'E', messageId: `m${k}-${i}`, properties: { pad } })) });
    expect(Buffer.byteLength(fullBatch(0))).toBeGreaterThan(450 * 1024);
    const deep = `{"userId":"d","event":"E","properties":{"a":${'['.repeat(125)}${']'.repeat(125)}}}`;
    const bomb = gzipSync(JSON.stringify({ userId: 'b', event: 'E', properties: { pad: ' '.repeat(20 * 1024 * 1024) } }));
    const widest = Array.from({ length: 200 }, (_, i) => `performed "E${i}" within ${i + 1}d`).join(' or ');
    const joins = Array.from({ length: 20 }, (_, i) => `performed "A${i}" then "B" within 1h`).join(' or ');

    // 60 uploads that send 400 KB of a 490 KB body and stall: 24 MB of the 64 MB body budget
    const stalled: Socket[] = [];
    const port = Number(new URL(info.url).port);
    await Promise.all(
      Array.from(
        { length: 60 },
        () =>
          new Promise<void>((resolve) => {
            // from other loopback addresses: the per-address connection limit is not what this measures
            const s = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${2 + (stalled.length % 4)}` }, () => {
              s.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: ${auth(info.server)}\r\nContent-Length: ${490 * 1024}\r\n\r\n`);
              s.write(`{"batch":[${' '.repeat(400 * 1024)}`, () => resolve());
            });
            s.on('error', () => resolve());
            stalled.push(s);
          }),
      ),
    );

    const statuses = await Promise.all([
      ...Array.from({ length: 24 }, (_, k) => post('/v1/batch', fullBatch(k))),
      ...Array.from({ length: 24 }, () => post('/v1/track', deep)),
      ...Array.from({ length: 24 }, () => post('/v1/track', bomb, { 'content-encoding': 'gzip' })),
      ...Array.from({ length: 6 }, () => post('/v1/segments/preview', JSON.stringify({ query: widest }), {}, info.admin)),
      ...Array.from({ length: 6 }, () => post('/v1/segments/preview', JSON.stringify({ query: joins }), {}, info.admin)),
    ]);
    for (const s of stalled) s.destroy();
    peak = Math.max(peak, rssOf(child.pid!));
    console.log(`peak resident memory of the server: ${(peak / 1024 ** 2).toFixed(0)} MB; answers: ${JSON.stringify(countBy(statuses))}`);
    // every request was answered: stored, refused by a limit, or asked to retry (503, the body budget)
    expect(statuses.every((s) => s === 'closed' || [200, 400, 413, 503].includes(s))).toBe(true);
    // Only a refused upload may be seen as 'closed': a gzip bomb is answered 413 as soon as its inflated
    // size passes the limit, which on a busy machine can come before the client has sent all of it.
    expect(statuses.filter((s) => s === 'closed').length).toBeLessThanOrEqual(24);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(48);
    expect(peak).toBeLessThan(BOUND_BYTES);
    expect((await fetch(info.url + '/health')).status).toBe(200);
    } finally {
      clearInterval(sampler);
    }
  });
});

function countBy(xs: readonly (number | string)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
