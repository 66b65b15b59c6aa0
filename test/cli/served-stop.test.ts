import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLock } from '../../src/cli/served/lock.js';
import { CLI, eventually, segmint } from '../helpers/serve.js';
import { sendServed } from '../helpers/served-socket.js';
import { fixture } from '../import/helpers.js';

/*
 * Stopping `segmint serve` (Ctrl-C, SIGTERM) while it carries out CLI commands (trial 13, L8: it said
 * "closing the database…", then waited silently for a served import to run to its end). A served import
 * is cancelled: it rolls back and its CLI says the server stopped; a command that cannot stop part-way
 * is named while it is waited for, and a second Ctrl-C quits at once; commands queued behind are answered
 * without being started. Real `segmint serve` processes; the import is sent by a real CLI process, the
 * other commands over the socket as the CLI sends them, so the server can be stopped while one waits
 * for its CLI (no timing).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'segmint-served-stop-'));
const db = join(dir, 'shop.duckdb');
/** a file in the Online Retail layout, large enough that a stop sent when its import starts lands before its commit */
const big = join(dir, 'big.csv');
const started: ChildProcess[] = [];

beforeAll(async () => {
  expect((await segmint(['--db', db, 'import', resolve(fixture('retail-small.csv'))])).code).toBe(0);
  expect((await segmint(['--db', db, 'segments', 'create', 'everyone', '--query', 'orders_count >= 0'])).code).toBe(0);
  writeFileSync(big, retailRows(150_000));
}, 120_000);

// Each test's processes end with it, so a failing test leaves no server holding the database.
afterEach(async () => {
  for (const c of started.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` order lines in the Online Retail layout: 10 lines an invoice, 5,000 customers, one a minute. */
function retailRows(n: number): string {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  const start = Date.UTC(2011, 0, 1);
  for (let i = 0; i < n; i++) {
    const invoice = 600000 + Math.floor(i / 10);
    const at = new Date(start + Math.floor(i / 10) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    lines.push(`${invoice},P${i % 700},PRODUCT ${i % 700},${1 + (i % 5)},${at},${(1 + (i % 13) / 4).toFixed(2)},${20000 + (invoice % 5000)}.0,United Kingdom`);
  }
  return lines.join('\n') + '\n';
}

interface Server {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts `segmint serve` with its log at info (each command received is logged); resolves once it serves. */
async function serve(): Promise<Server> {
  const child = spawn(process.execPath, [...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'info'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  started.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await eventually(async () => readLock(db) ?? undefined, 'the server to start', 60_000);
  return { child, stderr: () => err, exited };
}

/** Waits until the server's log shows a command received whose words include `word`. */
async function received(server: Server, word: string): Promise<void> {
  await expect
    .poll(() => server.stderr().split('\n').some((l) => l.includes('"a command sent by the CLI"') && l.includes(word)), { timeout: 60_000 })
    .toBe(true);
}

/** The messages the server printed itself (`segmint: …`), without its JSON log lines. */
function said(server: Server): string {
  return server.stderr().split('\n').filter((l) => l.startsWith('segmint: ')).join('\n');
}

/** One command sent over the server's socket as the CLI sends it (sendServed). */
const send = (args: readonly string[]) => sendServed(db, dir, args);

describe('stopping a server while it carries out an import', () => {
  it('cancels the import: it is rolled back, the CLI says the server stopped (exit 2), and the server exits', async () => {
    const before = await segmint(['--db', db, 'imports', '--json']);
    expect(before.code).toBe(0);
    const server = await serve();
    const cli = spawn(process.execPath, [...CLI, '--db', db, 'import', big], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SEGMINT_DB: '' } });
    started.push(cli);
    let cliErr = '';
    cli.stderr!.on('data', (d: Buffer) => (cliErr += d.toString()));
    const cliExit = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    await received(server, 'big.csv');
    server.child.kill('SIGINT');

    expect(await cliExit).toBe(2);
    expect(cliErr).toBe(
      `segmint: The import of ${big} was rolled back because the server (PID ${server.child.pid}) carrying it out stopped: nothing from it ` +
        'was imported. Run it again: with no server on the database it runs here, or start `segmint serve` first.\n',
    );
    expect(await server.exited).toBe(0);
    expect(said(server)).toBe(
      'segmint: stopping: answering the requests under way and closing the database…\n' +
        `segmint: cancelling \`segmint import ${big}\` (sent by PID ${cli.pid}): the import is rolled back and keeps nothing of its file.`,
    );
    // Nothing of it was kept (the server is gone: these run on the database here).
    expect((await segmint(['--db', db, 'imports', '--json'])).stdout).toBe(before.stdout);
  }, 180_000);
});

describe('stopping a server while it carries out a command that cannot stop part-way', () => {
  it('names the command and its CLI while waiting for it, answers those queued behind without running them, and exits once it is done', async () => {
    const server = await serve();
    const out = join(dir, 'everyone.csv');
    const exporting = send(['segments', 'export', 'everyone', '--out', out]);
    // The export now waits for its CLI to open the file: it is under way until this test answers.
    await expect.poll(() => exporting.got.files, { timeout: 60_000 }).toEqual(['open']);
    const queued = send(['segments', 'list']);
    await received(server, 'segments list');
    server.child.kill('SIGINT');
    const waiting = `segmint: waiting for \`segmint segments export everyone --out ${out}\` (sent by PID ${process.pid}) to finish: it cannot stop part-way. Ctrl-C again to quit now; nothing it committed is lost.`;
    await expect.poll(() => said(server), { timeout: 60_000 }).toContain(waiting);

    // The CLI's side of the file: opened, written, closed.
    exporting.answer({ file: { ok: true } });
    await expect.poll(() => exporting.got.files.at(-1), { timeout: 60_000 }).toBe('close');
    exporting.answer({ file: { ok: true } });
    await exporting.closed;
    expect(exporting.got.exit).toBe(0);

    await queued.closed;
    expect(queued.got.exit).toBe(2);
    expect(queued.got.stdout).toBe('');
    expect(queued.got.stderr).toBe(
      `segmint: The server (PID ${server.child.pid}) stopped before it started the command: nothing was done. Run it again: with no server on the database it runs here, or start \`segmint serve\` first.\n`,
    );
    expect(await server.exited).toBe(0);
  }, 180_000);

  it('quits at a second Ctrl-C without waiting for it', async () => {
    const server = await serve();
    const exporting = send(['segments', 'export', 'everyone', '--out', join(dir, 'never.csv')]);
    await expect.poll(() => exporting.got.files, { timeout: 60_000 }).toEqual(['open']);
    server.child.kill('SIGINT');
    await expect.poll(() => said(server), { timeout: 60_000 }).toContain('Ctrl-C again to quit now');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(130);
    expect(said(server)).toMatch(/\nsegmint: quit without waiting; nothing committed is lost\.$/);
    await exporting.closed;
    expect(exporting.got.exit).toBeUndefined();
  }, 180_000);
});
