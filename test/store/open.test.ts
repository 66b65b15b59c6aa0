import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../import/helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'segmint-open-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Files beside `path` that DuckDB would leave (a write-ahead log), to prove nothing was written. */
const leftovers = (path: string) => [`${path}.wal`, `${path}.tmp`].filter((p) => existsSync(p));

describe('opening anything that is not a segmint database fails clearly, and no write is reported', () => {
  it('a CSV given as --db: segments create refuses, names what the file is, and leaves it byte for byte', async () => {
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, readFileSync(fixture('shopify-orders.csv')));
    const before = readFileSync(csv);
    await expect(runCli(csv, 'segments', 'create', 'big', '--query', 'orders_count > 1')).rejects.toMatchObject({
      code: 'store_not_database',
      message: expect.stringMatching(/orders\.csv is not a segmint database: it is a text file that looks like a CSV .*segmint import/),
    });
    await expect(runCli(csv, 'customers', 'stats')).rejects.toMatchObject({ code: 'store_not_database' });
    expect(readFileSync(csv).equals(before)).toBe(true);
    expect(leftovers(csv)).toEqual([]);
  });

  it('refuses a gzip file, random bytes, an empty file and a folder, each by what it is', async () => {
    const cases: [string, Buffer | null, RegExp][] = [
      ['data.csv.gz', gzipSync('a,b\n1,2\n'), /gzip-compressed/],
      ['random.bin', Buffer.from([0x00, 0x13, 0xff, 0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0xfe]), /a file of another kind/],
      ['empty.duckdb', Buffer.alloc(0), /an empty file/],
      ['folder', null, /is a folder/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      if (bytes) writeFileSync(path, bytes);
      else mkdirSync(path);
      await expect(Store.open(path)).rejects.toMatchObject({ name: 'SegmintError', message: expect.stringMatching(message) });
      if (bytes) expect(readFileSync(path).equals(bytes)).toBe(true);
    }
  });

  it('an empty --db path is called empty, not the current folder (trial 5, D9)', async () => {
    await expect(Store.open('')).rejects.toMatchObject({ code: 'store_path_empty', message: expect.stringMatching(/^The database path is empty\. Give --db/) });
    await expect(Store.open('  ')).rejects.toMatchObject({ code: 'store_path_empty', message: expect.stringMatching(/empty \(only spaces\)/) });
    // The CLI refuses any option given "" before opening anything (trial 8, D4), --db included.
    await expect(runCli('', 'customers', 'stats')).rejects.toMatchObject({ code: 'option_empty', message: expect.stringMatching(/^--db: "" is empty/) });
  });

  it.runIf(existsSync('/proc/self/status'))('a file that reports size 0 but holds bytes (procfs) is described by its bytes, not as empty', async () => {
    const err = (await Store.open('/proc/self/status').catch((e: unknown) => e)) as { code?: string; message: string };
    expect(err.message).not.toMatch(/empty file/);
    // as root it is read and described; as another user the write check refuses it first
    expect(['store_not_database', 'permission_denied']).toContain(err.code);
    if (err.code === 'store_not_database') expect(err.message).toMatch(/is not a segmint database: it is a text file.*choose another --db path\.$/);
  });

  it('refuses the DuckDB database of another program without adding a table to it', async () => {
    const path = join(dir, 'other.duckdb');
    const inst = await DuckDBInstance.create(path);
    const conn = await inst.connect();
    await conn.run('CREATE TABLE invoices (id INTEGER, total DOUBLE)');
    await conn.run('INSERT INTO invoices VALUES (1, 9.5)');
    conn.closeSync();
    inst.closeSync();
    await expect(Store.open(path)).rejects.toMatchObject({
      code: 'store_foreign_database',
      message: expect.stringContaining('another program (its tables: invoices)'),
    });
    const again = await DuckDBInstance.create(path);
    const c = await again.connect();
    const tables = (await c.runAndReadAll('SELECT table_name FROM information_schema.tables')).getRowObjectsJS();
    c.closeSync();
    again.closeSync();
    expect(tables).toEqual([{ table_name: 'invoices' }]);
  });
});

describe('a new path: only commands that write create it', () => {
  it('a read command on a missing path says there is no database and creates nothing', async () => {
    const path = join(dir, 'missing.duckdb');
    await expect(runCli(path, 'customers', 'stats')).rejects.toMatchObject({ code: 'store_missing', message: expect.stringContaining('There is no segmint database at') });
    await expect(runCli(path, 'segments', 'list')).rejects.toMatchObject({ code: 'store_missing' });
    expect(existsSync(path)).toBe(false);
  });

  it('import creates it, then read commands open it', async () => {
    const path = join(dir, 'new.duckdb');
    const report = JSON.parse(await runCli(path, 'import', fixture('retail-small.csv'), '--json')) as { orders: number };
    expect(report.orders).toBeGreaterThan(0);
    expect(JSON.parse(await runCli(path, 'customers', 'stats', '--json'))).toMatchObject({ customers: 3 });
  });

  it('segments create and keys create create it; a path in a missing folder is refused', async () => {
    const seg = join(dir, 'segments.duckdb');
    expect(await runCli(seg, 'segments', 'create', 'big', '--query', 'orders_count > 1')).toMatch(/^created/);
    expect(await runCli(seg, 'segments', 'list')).toContain('big');
    const keys = join(dir, 'keys.duckdb');
    expect(await runCli(keys, 'keys', 'create', '--write')).toMatch(/^Created key_/);
    await expect(runCli(join(dir, 'no', 'such', 'folder', 'x.duckdb'), 'import', fixture('retail-small.csv'))).rejects.toMatchObject({
      code: 'folder_missing',
    });
  });

  it('an in-memory store opens for tests and benchmarks', async () => {
    const s = await Store.open(':memory:');
    expect(await s.one('SELECT count(*) > 0 AS ok FROM schema_migrations')).toEqual({ ok: true });
    s.close();
  });
});
