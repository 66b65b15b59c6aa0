import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { storePerTest } from '../helpers/store.js';
import { customerOf, fixture, metricsOf, traitsOf } from './helpers.js';

const store = storePerTest();

const GENERIC_MAP = [
  'Order Ref=order_id',
  'Date=placed_at',
  'Customer Email=email',
  'Client No=user_id',
  'SKU=product_id',
  'Item=product_name',
  'Category=category',
  'Qty=quantity',
  'Unit Price=price',
  'Type=kind',
  'Segment=trait.segment',
];

describe('cdnow import', () => {
  it('reads the whitespace-separated sample (CRLF, no header): one order per customer and day', async () => {
    const s = await store();
    const r = await importFile(s, fixture('cdnow-sample-small.txt'));
    expect(r).toMatchObject({ format: 'cdnow', rows: 6, imported: 5, skipped: 1, customers: 3, orders: 4 });
    expect(r.errors).toEqual([{ line: 5, reason: 'not a date in column "date": 1997010x' }]);
    // master_id 00004 is user_id 4; its two lines of 1997-01-18 are one transaction (the data set's definition).
    expect(await metricsOf(s, 'user_id', '4')).toEqual({ orders_count: 2, total_spent: 74.02, refunded: 0 });
    expect(await traitsOf(s, 'user_id', '4')).toEqual({ cdnow_sample_id: 1 });
    const ids = await s.all<{ order_id: string }>("SELECT order_id FROM orders WHERE order_id LIKE '4-%' ORDER BY 1");
    expect(ids.map((o) => o.order_id)).toEqual(['4-19970101-1', '4-19970118-1']);
    const lines = await s.all<{ line_no: number }>("SELECT line_no FROM order_lines WHERE order_id = '4-19970118-1' ORDER BY 1");
    expect(lines.map((l) => l.line_no)).toEqual([1, 2]);
  });

  it('reads the gzipped master file with its header', async () => {
    const s = await store();
    const r = await importFile(s, fixture('cdnow-master-small.txt.gz'));
    expect(r).toMatchObject({ format: 'cdnow', rows: 4, imported: 4, customers: 3, orders: 3 });
    expect(await metricsOf(s, 'user_id', '2')).toEqual({ orders_count: 1, total_spent: 89, refunded: 0 });
  });
});

describe('generic import', () => {
  it('maps columns by name: lines, orders, refunds, identities and traits', async () => {
    const s = await store();
    const r = await importFile(s, fixture('generic.csv'), { format: 'generic', map: GENERIC_MAP });
    expect(r).toMatchObject({ format: 'generic', rows: 6, imported: 5, skipped: 1, customers: 2, orders: 3, refunds: 1, lines_without_customer: 1 });
    expect(r.errors).toEqual([{ line: 6, reason: 'not a date in column "Date": not a date' }]);
    // A "return" row is a refund and counts negative even though the file writes a positive price.
    expect(await metricsOf(s, 'user_id', 'C-1')).toEqual({ orders_count: 1, total_spent: 25, refunded: 30 });
    expect(await customerOf(s, 'email', 'amy@example.com')).toBe(await customerOf(s, 'user_id', 'C-1'));
    expect(await traitsOf(s, 'user_id', 'C-2')).toEqual({ segment: 'wholesale' });
    const a2 = await s.one<{ placed_at: Date }>("SELECT placed_at FROM orders WHERE order_id = 'A-2'");
    expect(a2?.placed_at.toISOString()).toBe('2024-05-03T07:30:00.000Z');
  });

  it('with --map and no --format, the format is generic', async () => {
    const s = await store();
    const r = await importFile(s, fixture('generic.csv'), { map: ['Customer Email=email', 'Segment=trait.segment'] });
    expect(r).toMatchObject({ format: 'generic', rows: 6, imported: 5, skipped: 1, orders: 0, customers: 2 });
    expect(r.errors).toEqual([{ line: 7, reason: 'no identifier (user_id, email or anonymous_id) on this row' }]);
  });

  it.each([
    [[], /needs --map column=field/],
    [['Nope=email'], /there is no column "Nope"; the header has: Order Ref, Date/],
    [['Date=when'], /unknown field "when"/],
    [['Order Ref=order_id', 'Unit Price=price'], /order lines need a mapping for placed_at/],
    [['Order Ref=order_id', 'Date=placed_at'], /need a mapping for amount \(or price\)/],
    [['Segment=trait.segment'], /map at least one identifier/],
    [['Customer Email=email', 'Client No=email'], /email is already mapped to "Customer Email"/],
    [['Segment=trait.bad name'], /a trait name is letters, digits and _/],
  ])('rejects the mapping %j with a clear error naming the file', async (map, message) => {
    const s = await store();
    await expect(importFile(s, fixture('generic.csv'), { format: 'generic', map })).rejects.toThrow(message);
    await expect(importFile(s, fixture('generic.csv'), { format: 'generic', map })).rejects.toMatchObject({
      name: 'SegmintError',
      message: expect.stringContaining('generic.csv'),
    });
  });
});
