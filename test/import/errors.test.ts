import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { tempStore } from '../helpers/store.js';
import { fixture } from './helpers.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

describe('import errors', () => {
  it('names the file when it is missing, not gzip, cut short, or of an unknown layout', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const missing = join(t.dir, 'nope.csv');
    await expect(importFile(t.store, missing)).rejects.toMatchObject({ code: 'import_file_missing', message: expect.stringContaining(missing) });

    const unknown = join(t.dir, 'mystery.csv');
    writeFileSync(unknown, 'foo,bar\n1,2\n');
    await expect(importFile(t.store, unknown)).rejects.toMatchObject({ code: 'import_unknown_header', message: expect.stringContaining(unknown) });

    const truncated = join(t.dir, 'cut.csv.gz');
    writeFileSync(truncated, readFileSync(fixture('retail-small.csv.gz')).subarray(0, 60));
    await expect(importFile(t.store, truncated)).rejects.toMatchObject({ name: 'SegmintError', message: expect.stringContaining(truncated) });

    const empty = join(t.dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(importFile(t.store, empty)).rejects.toMatchObject({ code: 'import_empty_file' });

    await expect(importFile(t.store, fixture('retail-small.csv'), { format: 'excel' })).rejects.toMatchObject({ code: 'import_unknown_format' });
    await expect(importFile(t.store, fixture('generic.csv'), { format: 'online-retail' })).rejects.toMatchObject({
      code: 'import_missing_columns',
      message: expect.stringContaining('"InvoiceNo" or "Invoice"'),
    });
    // Nothing was half-written by the failed attempts.
    expect(await t.store.one('SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM imports) AS i')).toEqual({ o: 0, i: 0 });
  });

  it('a failure inside the transaction leaves the store as it was', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    await importFile(t.store, fixture('cdnow-sample-small.txt'));
    const before = await t.store.all('SELECT * FROM orders ORDER BY order_id');
    const bad = join(t.dir, 'bad.txt.gz');
    // A valid gzip header and first line, then garbage: DuckDB fails mid-read.
    const good = readFileSync(fixture('cdnow-master-small.txt.gz'));
    writeFileSync(bad, Buffer.concat([good.subarray(0, good.length - 12), Buffer.from('garbage!!!!!')]));
    await expect(importFile(t.store, bad)).rejects.toMatchObject({ name: 'SegmintError' });
    expect(await t.store.all('SELECT * FROM orders ORDER BY order_id')).toEqual(before);
  });
});
