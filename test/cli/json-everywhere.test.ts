import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, loadAllCommands } from '../../src/cli/program.js';
import { runCli, withStderr } from '../helpers/cli.js';
import { CLI, eventually, segmint } from '../helpers/serve.js';
import { shopifyShop } from '../helpers/shopify-shop.js';

/*
 * Trial 8, D9: the README says every command takes --json, and four refused it (customers export,
 * segments export, experiments assignments, serve). The kind: a command without --json. The first test
 * walks the whole command tree, so a command added later without it fails here; the others check that
 * on the commands whose output is data, --json gives a JSON summary and leaves the data as it was.
 */

let t: Awaited<ReturnType<typeof shopifyShop>>;

beforeAll(async () => {
  t = await shopifyShop();
  await runCli(t.path, 'experiments', 'create', 'split', '--segment', 'buyers', '--seed', 's');
}, 120_000);

afterAll(() => t.cleanup());

describe('every command takes --json', () => {
  it('each command of the tree accepts --json (itself, or a parent that reads it for it)', async () => {
    const program = await loadAllCommands(buildProgram());
    const missing: string[] = [];
    const walk = (c: Command, path: string[], inherited: boolean) => {
      const has = inherited || c.options.some((o) => o.long === '--json');
      if (c.commands.length === 0 && c.name() !== 'help' && !has) missing.push(path.join(' '));
      for (const s of c.commands) walk(s, [...path, s.name()], has);
    };
    for (const c of program.commands) walk(c, [c.name()], false);
    expect(missing).toEqual([]);
  });

  it('segments export and experiments assignments: a JSON summary on stdout with --out, on stderr when stdout holds the CSV', async () => {
    const file = join(t.dir, 'buyers.csv');
    const s = JSON.parse(await runCli(t.path, 'segments', 'export', 'buyers', '--out', file, '--json')) as { segment: string; file: string; rows: number; members: number };
    expect(s).toMatchObject({ segment: 'buyers', file });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(s.rows + 1);

    const { out, err } = await withStderr(() => runCli(t.path, 'experiments', 'assignments', 'split', '--json'));
    const summary = JSON.parse(err) as { experiment: string; rows: number };
    expect(summary.experiment).toBe('split');
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('customer_id,user_id,email,group,assigned_at');
    expect(lines).toHaveLength(summary.rows + 1);
    expect(summary.rows).toBe(s.members);
  });

  it('customers export: the export is JSON already; with --out the summary is JSON too', async () => {
    const file = join(t.dir, 'jane.json');
    const s = JSON.parse(await runCli(t.path, 'customers', 'export', 'jane@example.com', '--out', file, '--json')) as { customerId: string; file: string; tables: number };
    expect(s.file).toBe(file);
    const e = JSON.parse(readFileSync(file, 'utf8')) as { customerId: string; tables: object };
    expect([s.customerId, s.tables]).toEqual([e.customerId, Object.keys(e.tables).length]);
  });

  it('serve --json prints its address as a JSON line, and its own messages on stderr as JSON lines', async () => {
    const db = join(t.dir, 'served.duckdb');
    const child = spawn(process.execPath, [...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'warn', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise((r) => child.once('close', r)); // 'close': after stderr is read to its end
    try {
      const first = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const address = JSON.parse(first) as { listening: string; dashboard: string };
      expect(address.listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(address.dashboard).toBe(`${address.listening}/`);
      // the dashboard line comes after the address, and the stop handler is set up in the same tick
      await eventually(async () => (err.includes('dashboard: ') ? true : undefined), 'the dashboard line on stderr');
      child.kill('SIGTERM');
      await exited;
      const lines = err.trim().split('\n');
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^dashboard: /), expect.stringMatching(/^stopping: /)]));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

// Recheck 8, N4: `help --json` printed the help, then a usage error "(outputHelp)", and exited 2;
// `--version --json` called --version an unknown option.
describe('help and version with --json', () => {
  it('help is printed and exits 0; the version is a JSON object', async () => {
    const help = await segmint(['help', '--json']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: segmint/);
    expect(help.stderr).toBe('');
    const sub = await segmint(['help', 'segments', '--json']);
    expect([sub.code, sub.stdout.split('\n')[0]]).toEqual([0, 'Usage: segmint segments [options] [command]']);
    const version = await segmint(['--version', '--json']);
    expect(version.code).toBe(0);
    expect(JSON.parse(version.stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  }, 60_000);
});
