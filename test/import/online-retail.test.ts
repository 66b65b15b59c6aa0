import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { tempStore } from '../helpers/store.js';
import { fixture, metricsOf, traitsOf } from './helpers.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

async function store() {
  return (await temp()).store;
}

async function temp() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

describe('online-retail import (fixture)', () => {
  it('detects the format, skips malformed rows by line and keeps the good ones', async () => {
    const s = await store();
    const r = await importFile(s, fixture('retail-small.csv'));
    expect(r).toMatchObject({
      format: 'online-retail',
      rows: 11,
      imported: 9,
      skipped: 2,
      lines_without_customer: 1,
      customers: 3,
      orders: 6,
      refunds: 1,
      orders_new: 7,
      errors_total: 2,
    });
    expect(r.errors).toEqual([
      { line: 8, reason: 'not a number in column "Quantity": three' },
      { line: 11, reason: 'does not have the 8 cells of the header' },
    ]);
  });

  it('turns invoices into orders, C-invoices into refunds, and fills metrics and traits', async () => {
    const s = await store();
    await importFile(s, fixture('retail-small.csv'));
    expect(await metricsOf(s, 'user_id', '17850')).toEqual({ orders_count: 3, total_spent: 57.84, refunded: 0 });
    expect(await metricsOf(s, 'user_id', '13047')).toEqual({ orders_count: 1, total_spent: 39.18, refunded: 27.5 });
    // 536367 spans 08:34 and 08:35: placed at the earliest.
    const o = await s.one<{ placed_at: Date; revenue: number }>("SELECT placed_at, revenue FROM orders WHERE order_id = '536367'");
    expect(o?.placed_at.toISOString()).toBe('2010-12-01T08:34:00.000Z');
    expect(o?.revenue).toBe(66.68);
    // The customer's country is that of its latest line (the cancellation, from France).
    expect(await traitsOf(s, 'user_id', '13047')).toEqual({ country: 'France' });
    const guest = await s.one<{ customer_id: string | null }>("SELECT customer_id FROM orders WHERE order_id = '536368'");
    expect(guest?.customer_id).toBeNull();
  });

  it('writes Segment e-commerce events with deterministic ids', async () => {
    const s = await store();
    await importFile(s, fixture('retail-small.csv'));
    const e = await s.one<{ type: string; event: string; source: string; timestamp: Date; properties: string; user_id: string }>(
      "SELECT type, event, source, timestamp, user_id, properties::VARCHAR AS properties FROM events WHERE message_id = 'import:online-retail:536365'",
    );
    expect(e).toMatchObject({ type: 'track', event: 'Order Completed', source: 'import:online-retail', user_id: '17850' });
    expect(JSON.parse(e!.properties)).toEqual({
      order_id: '536365',
      revenue: 35.64,
      currency: 'GBP',
      products: [
        { product_id: '85123A', name: 'WHITE HANGING HEART T-LIGHT HOLDER', price: 2.55, quantity: 6 },
        { product_id: '71053', name: 'WHITE METAL LANTERN', price: 3.39, quantity: 6 },
      ],
    });
    const refund = await s.one<{ event: string; properties: string }>(
      "SELECT event, properties::VARCHAR AS properties FROM events WHERE message_id = 'import:online-retail:C536379'",
    );
    expect(refund?.event).toBe('Order Refunded');
    expect(JSON.parse(refund!.properties).revenue).toBe(-27.5);
  });

  it('reads .csv.gz like .csv, and a second import of either changes nothing', async () => {
    const s = await store();
    await importFile(s, fixture('retail-small.csv.gz'));
    const snapshot = async () => ({
      orders: await s.all('SELECT * FROM orders ORDER BY order_id'),
      lines: await s.all('SELECT * FROM order_lines ORDER BY order_id, line_no'),
      events: await s.all('SELECT * EXCLUDE (received_at) FROM events ORDER BY message_id'),
      customers: await s.all('SELECT customer_id, traits::VARCHAR, updated_at FROM customers ORDER BY customer_id'),
      metrics: await s.all('SELECT * EXCLUDE (updated_at) FROM customer_metrics ORDER BY customer_id'),
    });
    const first = await snapshot();
    const again = await importFile(s, fixture('retail-small.csv'));
    expect(again).toMatchObject({ orders_new: 0, orders_already_present: 7, events_new: 0, traits_updated: 0 });
    expect(await snapshot()).toEqual(first);
    const imports = await s.all<{ format: string; file_sha256: string }>('SELECT format, file_sha256 FROM imports');
    expect(imports).toHaveLength(2);
    expect(imports[0]!.file_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads Windows line endings and semicolons the same way, and a header alone as no rows', async () => {
    const t = await temp();
    const crlf = join(t.dir, 'retail-crlf.csv');
    const text = readFileSync(fixture('retail-small.csv'), 'utf8');
    // Semicolons: the one comma inside a quoted description stays a comma.
    writeFileSync(crlf, text.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, ';').replace(/\n/g, '\r\n'));
    const r = await importFile(t.store, crlf);
    expect(r).toMatchObject({ format: 'online-retail', rows: 11, imported: 9, customers: 3, orders: 6 });
    expect(r.errors.map((e) => e.line)).toEqual([8, 11]);
    expect(await traitsOf(t.store, 'user_id', '17850')).toEqual({ country: 'United Kingdom' });
    expect(await s_name(t.store)).toBe('ALARM CLOCK BAKELIKE PINK, LARGE');
    const empty = join(t.dir, 'header-only.csv');
    writeFileSync(empty, text.split('\n')[0] + '\n');
    expect(await importFile(t.store, empty)).toMatchObject({ rows: 0, imported: 0, orders: 0, orders_new: 0 });
  });
});

async function s_name(s: Awaited<ReturnType<typeof store>>): Promise<string | undefined> {
  return (await s.one<{ name: string }>("SELECT name FROM order_lines WHERE order_id = '536370'"))?.name;
}
