import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_LIMITS } from '../../src/ingest/csv/limits.js';
import { importFile } from '../../src/ingest/import/run.js';
import type { Store } from '../../src/store/db.js';
import { sharedFile, skipWithoutShared } from '../helpers/shared-data.js';
import { tempStore } from '../helpers/store.js';
import { fixture } from './helpers.js';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n';
/** 300 lines of 100 invoices (3 lines each), as Online Retail writes them. */
const retailLines = Array.from({ length: 300 }, (_, i) => {
  const inv = 600000 + Math.floor(i / 3);
  return `${inv},${20000 + (i % 7)},"ITEM ${i % 7}, LARGE",${1 + (i % 4)},2011-01-0${1 + (i % 9)} 10:00:00,1.25,${12000 + (inv % 40)}.0,United Kingdom\n`;
}).join('');
const retailCsv = HEADER + retailLines;

let store: Store;
let dir: string;
let cleanup: () => void;
let baseline: unknown;

/** The store's contents that an import may change; compared before and after a refused file. */
const snapshot = () =>
  store.one(
    `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines, (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM imports) AS imports`,
  );

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  dir = t.dir;
  cleanup = t.cleanup;
  // Something already accepted, which no refused file may touch.
  await importFile(store, fixture('retail-small.csv'));
  baseline = await snapshot();
});
afterAll(() => cleanup());

function file(name: string, bytes: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function refused(path: string, code: string, message: RegExp): Promise<void> {
  await expect(importFile(store, path)).rejects.toMatchObject({ name: 'SegmintError', code, message: expect.stringMatching(message) });
  expect(await snapshot()).toEqual(baseline);
}

describe('a broken file is refused whole, with one message, and the store stays as it was', () => {
  it('a gzip cut short anywhere: never part of it imported', async () => {
    const gz = gzipSync(retailCsv);
    for (const cut of [20, 200, Math.floor(gz.length / 2), gz.length - 9, gz.length - 1]) {
      const path = file(`cut-${cut}.csv.gz`, gz.subarray(0, cut));
      await refused(path, 'import_bad_gzip', /^Nothing was imported from .*cut-\d+\.csv\.gz: it is not a complete (or valid )?gzip file/);
    }
  });

  it('a gzip damaged in the middle, and a file named .csv.gz that is random bytes', async () => {
    const gz = Buffer.from(gzipSync(retailCsv));
    const mid = Math.floor(gz.length / 2);
    gz[mid] = gz[mid]! ^ 0xff;
    await refused(file('damaged.csv.gz', gz), 'import_bad_gzip', /gzip (data is damaged|file)/);
    const random = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256));
    await refused(file('random.csv.gz', random), 'import_broken_file', /not a text file|not UTF-8/);
  });

  it('bytes that are not UTF-8 text: binary, Latin-1, UTF-16', async () => {
    await refused(file('binary.csv', Buffer.concat([Buffer.from(HEADER + retailLines.split('\n').slice(0, 2).join('\n') + '\n'), Buffer.from([0, 1, 2, 0xff, 10])])), 'import_broken_file', /not a text file \(a zero byte on line 4\)/);
    const latin1 = Buffer.from(HEADER + '600000,20000,CAF\u00c9 MUG,1,2011-01-01 10:00:00,1.25,12000.0,France\n', 'latin1');
    await refused(file('latin1.csv', latin1), 'import_broken_file', /not UTF-8 text \(byte 0xc9 on line 2\).*iconv/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')]);
    await refused(file('utf16.csv', utf16), 'import_broken_file', /UTF-16/);
  });

  it('a text cut short inside its last line or inside a quoted value', async () => {
    const cutLine = retailCsv.slice(0, retailCsv.length - 40); // the last line loses its last cells and its line end
    await refused(file('cut-line.csv', cutLine), 'import_broken_file', /the last line \(301\) has \d of 8 cells and no line end: the file looks cut short/);
    const cutQuote = retailCsv.slice(0, retailCsv.lastIndexOf('"ITEM') + 8);
    await refused(file('cut-quote.csv', cutQuote), 'import_broken_file', /ends inside a quoted value that opens on line 301/);
    const cdnow = readFileSync(fixture('cdnow-sample-small.txt'), 'latin1');
    await refused(file('cdnow-cut.txt', cdnow.slice(0, cdnow.length - 12)), 'import_broken_file', /has 3 of 5 values and no line end/);
  });

  it('limits: a line of 1,000,000 fields or 2 MiB is refused before any work; so is a header of 1,000,000 fields', async () => {
    const lines = retailLines.split('\n');
    const wide = HEADER + lines.slice(0, 10).join('\n') + '\n600001' + ','.repeat(1_000_000) + '\n' + lines.slice(10).join('\n');
    await refused(file('wide.csv', wide), 'import_broken_file', new RegExp(`line \\d+ has more than the limit of ${CSV_LIMITS.fieldsPerLine.toLocaleString('en-US')} fields`));
    await refused(file('wide-header.csv', ','.repeat(1_000_000) + '\n1\n'), 'import_broken_file', /line 1 has 1,000,001 fields, more than the limit/);
    const long = HEADER + `600001,1,"${'x'.repeat(2 * 1024 * 1024)}",1,2011-01-01 10:00:00,1,1.0,UK\n`;
    await refused(file('long.csv', long), 'import_broken_file', /line 2 is longer than the limit of 1,048,576 bytes per record/);
    await refused(file('long-header.csv', 'a'.repeat(2 * 1024 * 1024) + '\n'), 'import_broken_file', /line 1 is longer than the limit/);
  });

  it('well-formed files import: a last line without its line end, a gzip named .csv, a plain file named .gz', async () => {
    const t = await tempStore();
    try {
      const noEnd = join(t.dir, 'no-end.csv');
      writeFileSync(noEnd, retailCsv.trimEnd());
      expect(await importFile(t.store, noEnd)).toMatchObject({ rows: 300, imported: 300, orders: 100 });
      const gzAsCsv = join(t.dir, 'really-gzip.csv');
      writeFileSync(gzAsCsv, gzipSync(retailCsv));
      expect(await importFile(t.store, gzAsCsv)).toMatchObject({ rows: 300, orders_already_present: 100 });
      const plainAsGz = join(t.dir, 'really-plain.csv.gz');
      writeFileSync(plainAsGz, retailCsv);
      expect(await importFile(t.store, plainAsGz)).toMatchObject({ rows: 300, orders_already_present: 100 });
    } finally {
      t.cleanup();
    }
  });
});

const retail = sharedFile('online-retail.csv.gz');
if (!retail) console.warn(skipWithoutShared('online-retail.csv.gz'));

describe.skipIf(!retail)('the real Online Retail file cut short (skipped without ../shared/data/online-retail.csv.gz)', () => {
  it('stores nothing, where it used to store the first 14,258 rows and exit 0', async () => {
    const gz = readFileSync(retail!);
    await refused(file('online-retail-cut.csv.gz', gz.subarray(0, 200_000)), 'import_bad_gzip', /not a complete gzip file/);
  });
});

describe('no order is ever stored in part', () => {
  const orderTotals = (s: Store) => s.all('SELECT order_id, revenue::DOUBLE AS revenue, (SELECT count(*) FROM order_lines l WHERE l.order_id = o.order_id) AS lines FROM orders o ORDER BY order_id');

  it('a bad value or an unreadable line leaves out its whole order, reported line by line', async () => {
    const t = await tempStore();
    try {
      const lines = retailLines.split('\n');
      lines[4] = lines[4]!.replace(',1.25,', ',abc,'); // order 600001, its second line
      lines[9] = lines[9]!.split(',').slice(0, 6).join(','); // order 600003, cut to 6 of 8 cells
      const path = join(t.dir, 'bad-lines.csv');
      writeFileSync(path, HEADER + lines.join('\n'));
      const r = await importFile(t.store, path);
      expect(r).toMatchObject({ rows: 300, skipped: 6, imported: 294, orders: 98 });
      expect(r.errors.map((e) => e.line)).toEqual([5, 6, 7, 11, 12, 13]);
      expect(r.errors[0]!.reason).toBe('left out with the rest of order 600001, whose line 6 has an error');
      expect(r.errors[1]!.reason).toBe('not a price in column "UnitPrice": abc');
      expect(r.errors[3]!.reason).toBe('does not have the 8 cells of the header');
      expect(r.errors[4]!.reason).toBe('left out with the rest of order 600003, whose line 11 has an error');
      expect(await t.store.one("SELECT count(*) AS n FROM orders WHERE order_id IN ('600001', '600003')")).toEqual({ n: 0 });
      // The fixed file brings them in whole.
      writeFileSync(path, retailCsv);
      expect(await importFile(t.store, path)).toMatchObject({ orders_new: 2, orders_already_present: 98 });
      expect((await orderTotals(t.store)).filter((o) => ['600001', '600003'].includes((o as { order_id: string }).order_id))).toEqual([
        { order_id: '600001', revenue: expect.any(Number), lines: 3 },
        { order_id: '600003', revenue: expect.any(Number), lines: 3 },
      ]);
    } finally {
      t.cleanup();
    }
  });

  it('a file cut exactly at a line end: the re-import of the whole file repairs the order it stored in part', async () => {
    const t = await tempStore();
    const fresh = await tempStore();
    try {
      const lines = retailLines.split('\n');
      const cut = join(t.dir, 'cut-at-line-end.csv');
      writeFileSync(cut, HEADER + lines.slice(0, 100).join('\n') + '\n'); // order 600033 keeps 1 of its 3 lines
      expect(await importFile(t.store, cut)).toMatchObject({ orders: 34, skipped: 0 });
      const whole = join(t.dir, 'whole.csv');
      writeFileSync(whole, retailCsv);
      const r = await importFile(t.store, whole);
      expect(r).toMatchObject({ orders_new: 66, orders_repaired: 1, orders_already_present: 33 });
      // The cut file again (older, shorter) changes nothing.
      expect(await importFile(t.store, cut)).toMatchObject({ orders_new: 0, orders_repaired: 0 });
      // Everything equals a single import of the whole file.
      await importFile(fresh.store, whole);
      expect(await orderTotals(t.store)).toEqual(await orderTotals(fresh.store));
      const ev = (s: Store) => s.one("SELECT properties::VARCHAR AS p FROM events WHERE message_id = 'import:online-retail:600033'");
      expect(await ev(t.store)).toEqual(await ev(fresh.store));
      expect(await t.store.one('SELECT sum(total_spent)::DOUBLE AS t FROM customer_metrics')).toEqual(await fresh.store.one('SELECT sum(total_spent)::DOUBLE AS t FROM customer_metrics'));
    } finally {
      t.cleanup();
      fresh.cleanup();
    }
  });
});
