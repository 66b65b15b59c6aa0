import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';
import { segmint as runCli, startServe } from '../helpers/serve.js';
import { basic } from './helpers.js';

describe('the server process', () => {
  let dir: string;
  let db: string;
  let key: string;
  let server: { child: ChildProcess; url: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segmint-serve-'));
    db = join(dir, 'live.duckdb');
    const store = await Store.open(db);
    key = (await createApiKey(store, ['write'], 'durability test')).key;
    store.close();
    server = await startServe(db);
  });
  afterAll(() => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the server carry out a second process\'s command, and tells a second server which one holds the file', async () => {
    const r = await runCli(['--db', db, 'keys', 'list']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/key_[0-9a-f]+\s+(browser\s+)?write/);
    const second = await runCli(['--db', db, 'serve', '--port', '0']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already served by segmint serve \(PID \d+\)/);
    expect(second.stderr).not.toMatch(/internal error|at .*\.ts:/);
  });

  it('keeps every acknowledged event when killed with SIGKILL right after answering', async () => {
    const acknowledged: string[] = [];
    const send = async (r: number): Promise<void> => {
      const batch = Array.from({ length: 40 }, (_, i) => ({ type: 'track', event: 'Durable', userId: `u${i % 7}`, messageId: `r${r}-${i}` }));
      try {
        const res = await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic(key) },
          body: JSON.stringify({ batch }),
        });
        if (res.status === 200) acknowledged.push(...batch.map((b) => b.messageId));
      } catch {
        // the connection died with the server: not acknowledged, so not promised
      }
    };
    // Requests keep flowing; the kill lands right after the 30th answer, with others still in flight.
    let answered = 0;
    const flows = Array.from({ length: 4 }, async (_, f) => {
      for (let r = f; server.child.exitCode === null && server.child.signalCode === null && r < 400; r += 4) {
        await send(r);
        if (++answered === 30) server.child.kill('SIGKILL');
      }
    });
    await Promise.all(flows);
    await new Promise<void>((resolve) => (server.child.signalCode ? resolve() : server.child.once('exit', () => resolve())));
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(29 * 40);

    const store = await Store.open(db);
    try {
      const found = await store.one<{ n: number }>('SELECT count(*) n FROM events WHERE message_id IN (SELECT unnest($1::VARCHAR[]))', [acknowledged]);
      expect(found?.n).toBe(acknowledged.length);
    } finally {
      store.close();
    }
  });
});
