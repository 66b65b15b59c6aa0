import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import type { TypedField } from '../../src/ingest/import/layouts/types.js';
import { giveBackMemory, withOneThread } from '../../src/store/queries/import/threads.js';
import { LINES_PER_SLICE } from '../../src/store/queries/import/write.js';
import { evidenceSelect, readEvidence } from '../../src/store/queries/import/rows/values.js';
import { storePerTest } from '../helpers/store.js';
import { fixture, importsOfText } from './helpers.js';

/**
 * How an import writes its events (write.ts): on one thread, and without ON CONFLICT unless an event of
 * one of its new orders is already stored; and the layout evidence counted for every typed column in
 * one statement (values.ts, evidenceSelect).
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

  it('giveBackMemory leaves the thread setting as it was, on one thread or several', async () => {
    const s = await store();
    for (const n of [2, 1, 3]) {
      await s.run(`SET threads = ${n}`);
      await giveBackMemory(s);
      expect(await threads(s)).toBe(n);
    }
  });

  it('writes the events of a file of several slices, each order once with its products, as the file has them', async () => {
    // Orders of 1 to 4 lines over more than two slices' worth of lines; every 7th order a cancellation.
    // What each event must hold is computed here from the generated lines, not by the import.
    const orders = LINES_PER_SLICE; // of 2.5 lines on average
    const want = new Map<string, { cents: number; products: string[] }>();
    const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
    for (let i = 0; i < orders; i++) {
      const id = `${i % 7 === 0 ? 'C' : ''}${600000 + i}`;
      const o = { cents: 0, products: [] as string[] };
      for (let j = 0; j < 1 + (i % 4); j++) {
        const qty = (1 + ((i + j) % 5)) * (id.startsWith('C') ? -1 : 1);
        const cents = 50 + ((i * 7 + j * 3) % 1000);
        o.cents += qty * cents;
        o.products.push(`S${i}-${j}`);
        const minute = String(i % 60).padStart(2, '0');
        lines.push(`${id},S${i}-${j},ITEM ${j},${qty},2011-01-0${1 + (i % 9)} 10:${minute}:00,${(cents / 100).toFixed(2)},${12000 + (i % 500)}.0,United Kingdom`);
      }
      want.set(id, o);
    }
    expect(lines.length - 1).toBeGreaterThan(2 * LINES_PER_SLICE);
    const { report, store: s } = await importsOfText()(lines.join('\n') + '\n');
    expect(report.events_new).toBe(orders);
    const events = await s.all<{ id: string; revenue: number; products: string }>(
      `SELECT properties->>'order_id' AS id, (properties->>'revenue')::DOUBLE AS revenue,
         json_extract_string(properties, '$.products[*].product_id')::VARCHAR AS products
       FROM events WHERE source = 'import:online-retail'`,
    );
    expect(events).toHaveLength(orders);
    for (const e of events) {
      const w = want.get(e.id)!;
      expect(e.revenue).toBeCloseTo(w.cents / 100, 6);
      expect(e.products).toBe(`[${w.products.join(', ')}]`);
    }
  });

  it('counts the evidence of number and date columns in one statement, as counted by hand', async () => {
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
