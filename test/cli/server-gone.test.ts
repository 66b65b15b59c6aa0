import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { socketPathFor, writeLock } from '../../src/cli/served/lock.js';
import { fixture } from '../import/helpers.js';
import { CLI, segmint, startServe } from '../helpers/serve.js';

/**
 * Trial 8, D10: a command whose server was killed (kill -9) mid-command exited 1, the code docs/cli.md
 * keeps for a bug in segmint. A server that goes away is the system, not a bug: exit 2, with a sentence
 * saying what happened and what to do.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'segmint-server-gone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SENTENCE = /^segmint: the server \(PID \d+\) went away before the command finished: it was stopped, killed or crashed\. What the command was writing in one transaction was rolled back .* Run the command again/m;
// audit10 D3: a command that only reads, and a watch, are not told about a rolled-back import.
const READ_SENTENCE = /^segmint: the server \(PID \d+\) went away before the command finished: it was stopped, killed or crashed\. The command only reads, so nothing changed\. Run it again/m;
const WATCH_SENTENCE = /^segmint: the server \(PID \d+\) stopped while the watch was running: .* A watch writes nothing.* Start `segmint serve` again, then run `segmint segments watch vip --after CURSOR` with the last cursor printed above/m;

describe('the server goes away while it carries out a command', () => {
  it('a server that takes the command and hangs up without an answer: exit 2 and the sentence', async () => {
    const db = join(dir, 'fake.duckdb');
    const socket = join(dir, 'fake.sock');
    // A "server" that reads the request, then drops the connection as a killed process's kernel does.
    const server = createServer((c) => c.once('data', () => c.destroy()));
    await new Promise<void>((r) => server.listen(socket, r));
    try {
      writeLock({ pid: 424242, socket, url: 'http://127.0.0.1:1', startedAt: new Date().toISOString(), db: resolve(db) });
      const r = await segmint(['--db', db, 'customers', 'stats']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(SENTENCE);
      expect(r.stderr).toContain('PID 424242');
      // With --json the error is one JSON object, as every error is (recheck 8, N1).
      const j = await segmint(['--db', db, 'customers', 'stats', '--json']);
      expect(j.code).toBe(2);
      expect(JSON.parse(j.stderr)).toMatchObject({ error: 'server_gone', message: expect.stringMatching(/^the server \(PID 424242\) went away/), details: { pid: 424242 } });
      // A command that only reads: nothing to roll back, and the sentence says so.
      const read = await segmint(['--db', db, 'segments', 'list']);
      expect(read.code).toBe(2);
      expect(read.stderr).toMatch(READ_SENTENCE);
      expect(read.stderr).not.toMatch(/rolled back|import/);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a real segmint serve killed with SIGKILL while a watch it carries out is running: exit 2 and the sentence written for a watch', async () => {
    const db = join(dir, 'shop.duckdb');
    for (const args of [['import', fixture('retail-small.csv')], ['segments', 'create', 'vip', '--query', 'orders_count >= 1'], ['segments', 'refresh']]) {
      expect((await segmint(['--db', db, ...args])).code).toBe(0);
    }
    const { child: server } = await startServe(db);
    let watch: ChildProcess | undefined;
    try {
      // --after 0 prints the recorded entries at once: once they are out, the server is carrying the watch.
      watch = spawn(process.execPath, [...CLI, '--db', db, 'segments', 'watch', 'vip', '--after', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      watch.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => watch!.once('exit', r));
      await new Promise<void>((r) => watch!.stdout!.once('data', () => r()));
      server.kill('SIGKILL');
      expect(await exited).toBe(2);
      expect(err).toMatch(WATCH_SENTENCE);
      expect(err).not.toMatch(/rolled back|import/);
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      if (watch && watch.exitCode === null) watch.kill('SIGKILL');
      // a killed server leaves its socket file behind (the lock beside the database goes with dir)
      rmSync(socketPathFor(db), { force: true });
    }
  }, 120_000);
});
