import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { segmint, startServe } from '../helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'segmint-serve-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/**
 * cli.md (Stopping `serve`): Ctrl-C or SIGTERM stops the server within a second or two. A Server-Sent
 * Events answer never ends by itself, so a connected stream (an open dashboard tab) kept the server
 * running until the client went away (trial 6, D2).
 */
describe('segmint serve stops with a change stream connected', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: ends the open streams and exits 0 while the clients are still connected`, async () => {
      const db = join(dir, `${signal}.duckdb`);
      const created = await segmint(['--db', db, 'keys', 'create', '--read', '--json']);
      expect(created.code).toBe(0);
      const key = (JSON.parse(created.stdout) as { key: string }).key;
      await segmint(['--db', db, 'segments', 'create', 'buyers', '--query', 'orders_count >= 1']);
      const { child, url } = await startServe(db);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const headers = { authorization: basic(key), accept: 'text/event-stream' };
      // both kinds of stream, each answered with its headers before the signal
      const streams = await Promise.all([fetch(`${url}/v1/changes`, { headers }), fetch(`${url}/v1/segments/buyers/changes`, { headers })]);
      for (const s of streams) expect(s.headers.get('content-type')).toMatch(/text\/event-stream/);
      const ends = streams.map(async (s) => {
        const reader = s.body!.getReader();
        for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return 'ended';
      });
      child.kill(signal);
      const stopped = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
      if (stopped === 'still running') child.kill('SIGKILL');
      expect(stopped).toBe(0);
      // the clients saw their streams end (and may reconnect with Last-Event-ID)
      expect(await Promise.all(ends)).toEqual(['ended', 'ended']);
    });
  }
});
