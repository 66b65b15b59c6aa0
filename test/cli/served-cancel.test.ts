import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, segmint, startServe } from '../helpers/serve.js';
import { sendServed } from '../helpers/served-socket.js';
import { fixture } from '../import/helpers.js';

/**
 * Ctrl-C on a command a running server carries out (served/protocol.ts): the CLI sends `{"cancel":true}`
 * after its request, the server's import stops and rolls back, and the exit code 130 comes back. Run
 * against a real `segmint serve` process, speaking the socket protocol as the CLI does, so the cancel is
 * sent before the import can finish (no timing).
 */

const dir = mkdtempSync(join(tmpdir(), 'segmint-served-cancel-'));
const db = join(dir, 'shop.duckdb');
let child: ChildProcess | undefined;

beforeAll(async () => {
  const first = await segmint(['--db', db, 'import', resolve(fixture('retail-small.csv'))]);
  expect(first.code).toBe(0);
  child = (await startServe(db)).child;
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Sends one command over the server's socket (and, with `cancel`, the cancel line at once); what came back. */
async function send(args: readonly string[], cancel: boolean): Promise<{ exit?: number; stdout: string; stderr: string }> {
  const { got, closed } = sendServed(db, dir, args, { cancel });
  await closed;
  return got;
}

describe('Ctrl-C on an import a running server carries out', () => {
  it('rolls the import back and answers exit 130 with a sentence saying so', async () => {
    const before = await send(['imports', '--json'], false);
    expect(before.exit).toBe(0);
    const cancelled = await send(['import', resolve(fixture('shopify-orders.csv'))], true);
    expect(cancelled.exit).toBe(130);
    expect(cancelled.stderr).toMatch(/^segmint: The import of .*shopify-orders\.csv was interrupted \(Ctrl-C\) and rolled back: nothing from it was kept\.\n$/);
    // Nothing of it was kept: the imports table is as before, and the same import without a cancel works.
    expect((await send(['imports', '--json'], false)).stdout).toBe(before.stdout);
    const done = await send(['import', resolve(fixture('shopify-orders.csv'))], false);
    expect(done.exit).toBe(0);
    expect((await send(['imports', '--json'], false)).stdout).not.toBe(before.stdout);
  }, 60_000);

  it('a command that does not watch the signal finishes, and its exit code still comes back', async () => {
    const r = await send(['segments', 'list', '--json'], true);
    expect(r.exit).toBe(0);
  }, 30_000);
});

describe('Ctrl-C on `segments watch` carried out by the server', () => {
  it('ends the watch quietly with exit 130: no import-cancel notice, no "finished before it could be cancelled"', async () => {
    expect((await send(['segments', 'create', 'someone', '--query', 'orders_count >= 1'], false)).exit).toBe(0);
    const watch = spawn(process.execPath, [...CLI, '--db', db, 'segments', 'watch', 'someone'], { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SEGMINT_DB: '' } });
    let stderr = '';
    watch.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => watch.once('exit', (code) => r(code)));
    await expect.poll(() => stderr, { timeout: 30_000 }).toContain('watching "someone"');
    watch.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).not.toMatch(/import|cancel/i);
    expect(stderr).toMatch(/Stopped watching "someone" \(Ctrl-C\)\.\n$/);
  }, 60_000);
});
