import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { isSegmintError } from '../../src/domain/errors.js';
import { Store } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../import/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'segmint-created-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files a database path has on disk: the file itself and what DuckDB keeps beside it. */
const onDisk = (path: string): string[] => readdirSync(dir).filter((f) => f === path.slice(dir.length + 1) || f.startsWith(`${path.slice(dir.length + 1)}.`));

/** A CSV with the German layout of ../shared/cases/decimal-comma.csv: no known format, it needs --map. */
function germanCsv(): string {
  const file = join(dir, 'bestellungen.csv');
  writeFileSync(file, 'Bestellnr;Kunde;Datum;Betrag\nB-1;kundin-1;2024-05-01;12,50\nB-2;kundin-2;2024-05-02;1.234,56\n');
  return file;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; details?: Readonly<Record<string, unknown>> }> {
  try {
    await p;
  } catch (e) {
    if (isSegmintError(e)) return e;
    throw e;
  }
  throw new Error('the command succeeded');
}

describe('a command that created the database and then failed removes it (docs/importing.md: a failed import leaves the store unchanged)', () => {
  it('import with a --map column the file does not have: no database file and no .wal left', async () => {
    const db = join(dir, 'bad-map.duckdb');
    const e = await failure(runCli(db, 'import', germanCsv(), '--map', 'Foo=order_id'));
    expect(e.code).toBe('import_bad_mapping');
    expect(onDisk(db)).toEqual([]);
  });

  it('import of a file whose format cannot be told: nothing left', async () => {
    const db = join(dir, 'odd.duckdb');
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, 'colour,size\nred,XL\n');
    expect((await failure(runCli(db, 'import', odd))).code).toBe('import_unknown_header');
    expect(onDisk(db)).toEqual([]);
  });

  it('a database that existed before is never removed, and keeps what it had', async () => {
    const db = join(dir, 'kept.duckdb');
    await runCli(db, 'import', fixture('retail-small.csv'));
    const e = await failure(runCli(db, 'import', germanCsv(), '--map', 'Foo=order_id'));
    expect(e.code).toBe('import_bad_mapping');
    expect(existsSync(db)).toBe(true);
    const store = await Store.open(db, { create: false });
    try {
      expect(await store.one('SELECT count(*)::INTEGER AS n FROM imports')).toEqual({ n: 1 });
    } finally {
      store.close();
    }
  });

  it('demo on a port in use: refused before generating, and the database it opened is removed', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const db = join(dir, 'demo.duckdb');
      const e = await failure(runCli(db, 'demo', '--customers', '50', '--end', '2025-01-01', '--port', String(port)));
      expect(e.code).toBe('port_in_use');
      expect(e.message).toMatch(/^The demo server cannot start: Port \d+ on 127\.0\.0\.1 is already in use .* Or pass --no-serve\.$/);
      expect(onDisk(db)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('a command that succeeds keeps the database it created', async () => {
    const db = join(dir, 'made.duckdb');
    await runCli(db, 'segments', 'create', 'big', '--query', 'orders_count > 1');
    expect(existsSync(db)).toBe(true);
  });
});

describe('a data file given as --db: the hint is an import command that works for that file', () => {
  it('a file of a known layout: the plain import command, without --map, and it imports the file', async () => {
    const csv = join(dir, 'retail.csv');
    copyFileSync(fixture('retail-small.csv'), csv);
    const e = await failure(runCli(csv, 'customers', 'stats'));
    expect(e.code).toBe('store_not_database');
    expect(e.message).toMatch(/retail\.csv is not a segmint database: .*format online-retail, detected from its header.*: segmint import \S*retail\.csv --db segmint\.duckdb\.$/);
    expect(e.message).not.toContain('--map');
    // The suggested command, run as given (its --db moved into this test's folder).
    const suggested = /segmint import (\S+) --db (\S+)$/.exec(String(e.details?.suggestion));
    expect(suggested).not.toBeNull();
    const target = join(dir, suggested![2]!);
    expect(await runCli(target, 'import', suggested![1]!)).toMatch(/^Imported retail\.csv as online-retail/);
  });

  it('a file no format recognises: --map pairs to fill in, naming its columns', async () => {
    const csv = germanCsv();
    const e = await failure(runCli(csv, 'customers', 'stats'));
    expect(e.code).toBe('store_not_database');
    expect(e.message).toContain('mapping its columns (Bestellnr, Kunde, Datum, Betrag) to fields');
    expect(e.message).toContain(`segmint import ${csv} --db segmint.duckdb --map "COLUMN=order_id" --map "COLUMN=placed_at" --map "COLUMN=amount" --map "COLUMN=user_id"`);
  });
});

describe('an import that stores none of its rows fails (docs/importing.md)', () => {
  const map = ['--map', 'Order=order_id', '--map', 'Customer=user_id', '--map', 'Date=placed_at', '--map', 'Total=amount'];
  /** Two rows whose dates cannot be read: both are skipped, so nothing would be stored. */
  function badDates(): string {
    const file = join(dir, 'bad-dates.csv');
    writeFileSync(file, 'Order,Customer,Date,Total\nA-1,c1,not a date,10\nA-2,c2,31/02/2024x,5\n');
    return file;
  }

  it('names why the rows were skipped, and the database it created is removed', async () => {
    const db = join(dir, 'nothing.duckdb');
    const e = await failure(runCli(db, 'import', badDates(), ...map));
    expect(e.code).toBe('import_nothing_stored');
    expect(e.message).toBe(
      `Nothing was imported from ${join(dir, 'bad-dates.csv')}: all 2 of its rows were skipped (line 2: not a date in column "Date": not a date; ` +
        'line 3: not a date in column "Date": 31/02/2024x). Fix the file or the options (--map, --decimal, --date-format) and import it again.',
    );
    expect(onDisk(db)).toEqual([]);
  });

  it('an ambiguous number as the one row: refused with the way to say which', async () => {
    const db = join(dir, 'ambiguous.duckdb');
    const file = join(dir, 'amb.csv');
    writeFileSync(file, 'Order,Customer,Date,Total\nA-1,c1,2024-01-01,1.234\n');
    const e = await failure(runCli(db, 'import', file, ...map));
    expect(e.code).toBe('import_nothing_stored');
    expect(e.message).toMatch(/: its one row was skipped \(line 2: ambiguous number in column "Total": .*--decimal comma or --decimal point\)\./);
    expect(onDisk(db)).toEqual([]);
  });

  it('on a database that existed, nothing is recorded: the imports table is as before', async () => {
    const db = join(dir, 'had-data.duckdb');
    await runCli(db, 'import', fixture('retail-small.csv'));
    expect((await failure(runCli(db, 'import', badDates(), ...map))).code).toBe('import_nothing_stored');
    const store = await Store.open(db, { create: false });
    try {
      expect(await store.one('SELECT count(*)::INTEGER AS n FROM imports')).toEqual({ n: 1 });
    } finally {
      store.close();
    }
  });
});
