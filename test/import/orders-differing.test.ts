import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/ingest/import/report.js';
import { importFile } from '../../src/ingest/import/run.js';
import { tempStore } from '../helpers/store.js';
import { metricsOf } from './helpers.js';

// Trial 13, M4: a re-import whose rows differ from a stored order (a corrected export: a changed quantity,
// price or time) reported the order "already present" and dropped the difference without a word.
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const ROWS = [
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850,United Kingdom',
  '536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047,United Kingdom',
];
const csv = (rows: readonly string[]): string => `${HEADER}\n${rows.join('\n')}\n`;

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function storeWith(rows: readonly string[]) {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  let n = 0;
  const write = (r: readonly string[]): string => {
    const path = join(t.dir, `export-${++n}.csv`);
    writeFileSync(path, csv(r));
    return path;
  };
  await importFile(t.store, write(rows));
  return { store: t.store, write };
}

// Line 3 of the file (the second row): quantity 6 → 600; line 4: 08:28 → 08:29.
const corrected = [ROWS[0]!, ROWS[1]!.replace(',6,', ',600,'), ROWS[2]!.replace('08:28', '08:29'), ROWS[3]!];

describe('re-importing orders whose content differs from the stored ones', () => {
  it('counts them, names them with their lines, and leaves them as stored', async () => {
    const { store, write } = await storeWith(ROWS);
    const r = await importFile(store, write(corrected));
    expect(r).toMatchObject({ orders_new: 0, orders_already_present: 3, orders_differing: 2, orders_replaced: 0 });
    expect(r.orders_differing_examples).toEqual([
      { order_id: '536365', first_line: 2, last_line: 3, differs: ['amount', 'lines'], stored_source: 'import:online-retail' },
      { order_id: '536366', first_line: 4, last_line: 4, differs: ['placed_at'], stored_source: 'import:online-retail' },
    ]);
    expect(formatReport(r)).toContain('warning: 2 orders already present differ from the file and were left as stored');
    expect(formatReport(r)).toContain('order 536365 (lines 2-3): amount, lines differ');
    expect(await metricsOf(store, 'user_id', '17850')).toMatchObject({ total_spent: 46.74 });
  });

  it('the same file again reports none', async () => {
    const { store, write } = await storeWith(ROWS);
    expect(await importFile(store, write(ROWS))).toMatchObject({ orders_already_present: 3, orders_differing: 0, orders_differing_examples: [] });
  });

  it('--replace-differing replaces them exactly, and a second import of the same file changes nothing', async () => {
    const { store, write } = await storeWith(ROWS);
    const file = write(corrected);
    const r = await importFile(store, file, { replaceDiffering: true });
    expect(r).toMatchObject({ orders_new: 0, orders_replaced: 2, orders_differing: 0, orders_already_present: 1, events_new: 0 });
    // 6 × 2.55 + 600 × 3.39 + 6 × 1.85
    expect(await metricsOf(store, 'user_id', '17850')).toMatchObject({ total_spent: 2060.4, orders_count: 2 });
    const placed = await store.one<{ t: string }>("SELECT strftime(placed_at, '%H:%M') AS t FROM orders WHERE order_id = '536366'");
    expect(placed!.t).toBe('08:29');
    const again = await importFile(store, file, { replaceDiffering: true });
    expect(again).toMatchObject({ orders_new: 0, orders_replaced: 0, orders_differing: 0, orders_already_present: 3, events_new: 0 });
    const events = await store.one<{ n: number }>('SELECT count(*) AS n FROM events');
    expect(events!.n).toBe(3);
  });
});
