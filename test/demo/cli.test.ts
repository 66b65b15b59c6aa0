import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { demoOptions } from '../../src/demo/options.js';
import { Store } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { CLI } from '../helpers/serve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'segmint-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const segmint = (args: string[]) =>
  spawnSync(process.execPath, [...CLI, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SEGMINT_DB: '' } });

/** Splits a printed command line the way a POSIX shell would for plain words and '...' quotes. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('segmint demo (CLI)', () => {
  it('--no-serve loads a small shop and prints counts, a real customer id, the keys and next steps that work', async () => {
    const db = join(dir, 'a.duckdb');
    const r = segmint(['--db', db, 'demo', '--no-serve', '--customers', '300', '--end', '2025-06-01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.counts.customers).toBe(300);
    expect(out.counts.events).toBeGreaterThan(3000);
    expect(out.alreadyLoaded).toBe(false);
    expect(out.key.key).toMatch(/^sgm_demo_[0-9a-f]{32}$/);
    expect(out.showcase.customer_id).toMatch(/^cus_[0-9a-f]{20}$/);

    // Run again on a later day, without --end: the demo already in the file is the one meant.
    const text = segmint(['--db', db, 'demo', '--no-serve', '--customers', '300']);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('already in');
    expect(text.stdout).toContain('(365 days ending 2025-06-01)');
    expect(text.stdout).toContain(`npx segmint --db ${db} customers show ${out.showcase.customer_id}`);
    expect(text.stdout).toContain(out.key.key);
    expect(text.stdout).toContain(`admin key            ${out.adminKey.key}`);

    // Every printed next step is a command that works. `npx segmint` in the project folder runs this
    // package's own bin (npm exec resolves the root package by its name), so the name and bin must agree.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(pkg.name).toBe('segmint');
    expect(pkg.bin.segmint).toBe('bin/segmint.js');
    const steps = text.stdout.split('\n').filter((l) => l.startsWith('  npx segmint ') && !l.includes(' serve '));
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const step of steps) {
      const args = shellWords(step.replace(/\s+#.*$/, '').trim()).slice(2);
      expect(args.slice(0, 2)).toEqual(['--db', db]);
      await expect(runCli(db, ...args.slice(2)), step).resolves.toBeTypeOf('string');
    }
  });

  it('refuses a database holding something else, with exit code 2, and bad options naming the flag', () => {
    const other = segmint(['--db', join(dir, 'a.duckdb'), 'demo', '--no-serve', '--customers', '300', '--seed', '7', '--end', '2025-06-01']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('already holds other data');
    expect(() => demoOptions({ customers: 'many' })).toThrow(/--customers must be a whole number/);
    expect(() => demoOptions({ end: '31/01/2025' })).toThrow(/--end must be a date/);
    expect(demoOptions({ end: '2025-01-31' }).end.toISOString()).toBe('2025-01-31T00:00:00.000Z');
  });

  it('serves on its port, takes an event with the demo write key, and stops on SIGTERM', async () => {
    // The shop of the first test, when it ran: the same options find it loaded and go straight to serving.
    const db = join(dir, 'a.duckdb');
    const child = spawn(process.execPath, [...CLI, '--db', db, 'demo', '--customers', '300', '--end', '2025-06-01', '--port', '0'], {
      cwd: root,
      env: { ...process.env, SEGMINT_DB: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => {
          stdout += b.toString();
          const m = /Server listening on (http:\/\/\S+)/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`demo exited (${code}) before serving: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const key = /write key\s+(sgm_demo_[0-9a-f]+)/.exec(stdout)![1]!;
      const res = await fetch(`${url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from(`${key}:`).toString('base64') },
        body: JSON.stringify({ userId: '1000001', event: 'Demo Test Event', messageId: 'cli-test-1', properties: { product_id: 'SKU-1001' } }),
      });
      expect(res.status).toBeLessThan(300);
      // The admin key the demo prints opens the segment endpoints, as its printed curl does.
      const admin = /admin key\s+(sgm_demo_admin_[0-9a-f]+)/.exec(stdout)![1]!;
      const preview = /curl -u '(sgm_demo_admin_[0-9a-f]+):' .* -d '(\{[^']*\})' (http\S+\/v1\/segments\/preview)/.exec(stdout)!;
      expect(preview[1]).toBe(admin);
      const seg = await fetch(preview[3]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from(`${admin}:`).toString('base64') },
        body: preview[2],
      });
      expect(seg.status).toBe(200);
      expect(((await seg.json()) as { count: number }).count).toBeGreaterThan(0);
      // The printed dashboard link carries the demo's admin key, and the page itself is served.
      const link = /Dashboard: (http:\/\/\S+)\/#key=(sgm_\S+)/.exec(stdout)!;
      expect(link[1]).toBe(url);
      expect(link[2]).toMatch(/^sgm_demo_admin_[0-9a-f]{32}$/);
      const me = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${link[2]}` } });
      expect(await me.json()).toMatchObject({ name: 'demo admin key', scopes: ['admin'] });
      expect((await fetch(`${url}/`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // It says at once that it is stopping, then that it stopped (docs/demo.md).
    expect(stderr).toMatch(/segmint: stopping the demo: .*\n(.*\n)*segmint: demo stopped\.\n/);
    const store = await Store.open(db);
    try {
      const e = await store.one<{ event: string; source: string }>("SELECT event, source FROM events WHERE event = 'Demo Test Event'");
      expect(e).toBeDefined();
      expect(e!.source).not.toBe('demo');
    } finally {
      store.close();
    }
  });
});
