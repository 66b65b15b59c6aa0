import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import type { TypedField } from '../../src/ingest/import/layouts/types.js';
import { withOneThread } from '../../src/store/queries/import/threads.js';
import { evidenceSelect, readEvidence } from '../../src/store/queries/import/rows/values.js';
import { storePerTest } from '../helpers/store.js';
import { fixture } from './helpers.js';

/**
 * How an import writes its events (write.ts): on one thread, and without ON CONFLICT unless an event of
 * one of its new orders is already stored; and the layout evidence counted for every typed column in
 * one scan (values.ts, evidenceSelect).
 */
describe('import: event writes and layout evidence', () => {
  const store = storePerTest();
  const threads = async (s: Awaited<ReturnType<typeof store>>): Promise<number> =>
    Number((await s.one<{ n: number }>("SELECT current_setting('threads') AS n"))!.n);

  it('keeps an event already stored under the id of a new order, and writes the others', async () => {
    const s = await store();
    await s.run(
      `INSERT INTO events (message_id, type, event, timestamp, received_at, properties, source)
       VALUES ('import:online-retail:536365', 'track', 'Kept As It Was', TIMESTAMP '2010-12-01 08:26:00', TIMESTAMP '2010-12-02 00:00:00', '{"mine":true}', 'test')`,
    );
    const before = await threads(s);
    const report = await importFile(s, fixture('retail-small.csv'));
    const kept = await s.one<{ event: string; properties: string; source: string }>(
      "SELECT event, properties::VARCHAR AS properties, source FROM events WHERE message_id = 'import:online-retail:536365'",
    );
    expect(kept).toEqual({ event: 'Kept As It Was', properties: '{"mine":true}', source: 'test' });
    // every order of the file is new; all but the one whose id was taken got their event
    expect(report.orders_new).toBe(report.orders + report.refunds);
    expect(report.events_new).toBe(report.orders_new - 1);
    const n = await s.one<{ n: number }>("SELECT count(*) AS n FROM events WHERE source = 'import:online-retail'");
    expect(Number(n!.n)).toBe(report.events_new);
    expect(await threads(s)).toBe(before);
  });

  it('writes every event of a file into an empty store, leaving the thread setting as it was', async () => {
    const s = await store();
    const before = await threads(s);
    const report = await importFile(s, fixture('retail-small.csv'));
    expect(report.events_new).toBe(report.orders + report.refunds);
    const again = await importFile(s, fixture('retail-small.csv'));
    expect(again.events_new).toBe(0);
    expect(await threads(s)).toBe(before);
  });

  it('withOneThread runs on one thread and sets the number back, also when its work throws', async () => {
    const s = await store();
    await s.run('SET threads = 2');
    expect(await withOneThread(s, async () => [await threads(s), await threads(s)])).toEqual([1, 1]);
    expect(await threads(s)).toBe(2);
    await expect(withOneThread(s, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await threads(s)).toBe(2);
  });

  it('counts the evidence of number and date columns in one scan, as counted by hand', async () => {
    const s = await store();
    const fields: TypedField[] = [
      { key: 'amount', column: 'Amount', type: 'number', expr: "nullif(c0, '')" },
      { key: 'date', column: 'Date', type: 'time', expr: "nullif(c1, '')" },
    ];
    // amount: point 7.5 and 1,234.56; comma 12,50 and € 1.234,56; ambiguous 1.234; 42 and '' tell nothing.
    // date: year first 2024-05-01 and 2024/05/01 14:30; day first only 13/01/2024; month first only
    // 01/13/2024; ambiguous 01/02/2024; 05/05/2024 (both read it alike), garbage and '' tell nothing.
    const rows = [
      ['7.5', '2024-05-01'],
      ['1,234.56', '2024/05/01 14:30'],
      ['12,50', '13/01/2024'],
      ['€ 1.234,56', '01/13/2024'],
      ['1.234', '01/02/2024'],
      ['42', '05/05/2024'],
      ['', 'garbage'],
      ['', ''],
    ];
    const values = rows.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    const row = await s.one<Record<string, unknown>>(
      evidenceSelect(fields, `(SELECT * FROM (VALUES ${values}) t(c0, c1))`, ['count(*) AS n']),
      rows.flat(),
    );
    expect(Number(row!.n)).toBe(rows.length);
    const evidence = readEvidence(row!, fields);
    expect(evidence.get('amount')).toEqual({ point: 2, comma: 2, ambiguous: 1 });
    expect(evidence.get('date')).toEqual({ ymd: 2, dmy: 1, mdy: 1, ambiguous: 1 });
  });
});
