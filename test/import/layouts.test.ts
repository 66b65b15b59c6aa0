import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReport, layoutWords } from '../../src/ingest/import/report.js';
import type { ImportOptions } from '../../src/ingest/import/run.js';
import type { Store } from '../../src/store/db.js';
import { importsOfText } from './helpers.js';

const caseFile = (name: string): string => fileURLToPath(new URL(`../../../shared/cases/${name}`, import.meta.url));
const GENERIC = ['Bestellnr=order_id', 'Kunde=user_id', 'Datum=placed_at', 'Betrag=amount'];

const importText = importsOfText();

/** Imports `text` as a new file into a new store; returns the report and the orders it stored. */
async function load(text: string, options: ImportOptions = {}, name = 'file.csv') {
  if (text.startsWith('Bestellnr') && !options.map) options = { ...options, map: GENERIC };
  const { report, store } = await importText(text, options, name);
  return { report, store, orders: await orders(store) };
}

async function orders(s: Store): Promise<Record<string, [number, string]>> {
  const rows = await s.all<{ order_id: string; revenue: number; placed_at: Date }>('SELECT order_id, revenue::DOUBLE AS revenue, placed_at FROM orders ORDER BY order_id');
  return Object.fromEntries(rows.map((r) => [r.order_id, [r.revenue, r.placed_at.toISOString()]]));
}

const germanRows = (amounts: string[], dates?: string[]) =>
  'Bestellnr;Kunde;Datum;Betrag\n' + amounts.map((a, i) => `B-${i + 1};k-${i + 1};${dates?.[i] ?? `2024-05-0${i + 1}`};${a}`).join('\n') + '\n';

describe('decimal separators, detected per column from the whole file', () => {
  it('the handed case decimal-comma.csv: 12.50, 1234.56 and 7.50, never 1250.00', async () => {
    const { report: r, orders: o } = await load(readFileSync(caseFile('decimal-comma.csv'), 'utf8'), { format: 'generic', map: GENERIC, currency: 'EUR' }, 'decimal-comma.csv');
    expect(r).toMatchObject({ imported: 3, skipped: 0 });
    expect(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v[0]]))).toEqual({ 'B-1': 12.5, 'B-2': 1234.56, 'B-3': 7.5 });
    // Both kinds in one column: said in the report, each value read the one way it can be.
    expect(r.columns).toContainEqual({ column: 'Betrag', type: 'number', layout: 'mixed', source: 'detected' });
    expect(r.warnings.join()).toMatch(/column "Betrag" has numbers written with a decimal comma \(2\) and with a decimal point \(1\)/);
  });

  it('a comma-decimal column reads 1.234 as 1234; a point-decimal column reads 1,234 as 1234', async () => {
    const comma = await load(germanRows(['12,50', '1.234', '3', '0,99', '1.000.000,5']));
    expect(comma.report.columns).toContainEqual({ column: 'Betrag', type: 'number', layout: 'comma', source: 'detected' });
    expect(Object.values(comma.orders).map((v) => v[0])).toEqual([12.5, 1234, 3, 0.99, 1_000_000.5]);
    const point = await load(germanRows(['7.50', '1,234', '€1,234.56', '-0.5', '2 000.25']).replace(/;/g, '\t'));
    expect(point.report.columns).toContainEqual({ column: 'Betrag', type: 'number', layout: 'point', source: 'detected' });
    expect(Object.values(point.orders).map((v) => v[0])).toEqual([7.5, 1234, 1234.56, -0.5, 2000.25]);
  });

  it('nothing in the file tells: each ambiguous cell is an error naming its line and column, until --decimal says', async () => {
    const text = germanRows(['1.234', '5', '2.500']);
    const { report } = await load(text);
    expect(report).toMatchObject({ imported: 1, skipped: 2 });
    expect(report.errors).toEqual([
      { line: 2, reason: 'ambiguous number in column "Betrag": 1.234 is 1234 with a decimal comma or 1.234 with a decimal point, and no value of the file tells; say which with --decimal comma or --decimal point' },
      { line: 4, reason: expect.stringMatching(/^ambiguous number in column "Betrag": 2\.500 is 2500 with a decimal comma or 2\.5 with a decimal point/) },
    ]);
    expect(Object.values((await load(text, { decimal: ['comma'] })).orders).map((v) => v[0])).toEqual([1234, 5, 2500]);
    expect(Object.values((await load(text, { decimal: ['Betrag=point'] })).orders).map((v) => v[0])).toEqual([1.234, 5, 2.5]);
  });

  it('a mixed column still refuses its ambiguous cells; an option forcing a layout refuses what it cannot read', async () => {
    const mixed = await load(germanRows(['12,50', '7.5', '1.234']));
    expect(mixed.report.errors).toEqual([{ line: 4, reason: expect.stringMatching(/^ambiguous number in column "Betrag": 1\.234/) }]);
    const forced = await load(germanRows(['12,50', '7.5']), { decimal: ['comma'] });
    expect(forced.report.errors).toEqual([{ line: 3, reason: 'not an amount in column "Betrag" (read with a decimal comma): 7.5' }]);
  });

  it('more decimals than the store keeps is an error, not a rounding', async () => {
    const { report } = await load(germanRows(['1,23456', '2,5']));
    expect(report.errors).toEqual([{ line: 2, reason: 'more than 4 decimal places in column "Betrag" (segmint keeps 4): 1,23456' }]);
  });

  it('a column with no clue of its own takes the layout of the file: quantity 1.000 beside prices 7,50 is 1000', async () => {
    const text = 'Order;User;Date;Qty;Price\nO1;u1;2024-05-01;1.000;7,50\nO2;u2;2024-05-02;2;1,25\n';
    const { report, orders: o } = await load(text, { map: ['Order=order_id', 'User=user_id', 'Date=placed_at', 'Qty=quantity', 'Price=price'] });
    expect(report.columns).toContainEqual({ column: 'Qty', type: 'number', layout: 'comma', source: 'file' });
    expect(o).toMatchObject({ O1: [7500, expect.any(String)], O2: [2.5, expect.any(String)] });
  });

  it('options name real columns and layouts, or say what is accepted', async () => {
    await expect(load(germanRows(['1']), { decimal: ['Preis=comma'] })).rejects.toThrow(/--decimal Preis=comma: there is no number column "Preis" \(they are: Betrag\)/);
    await expect(load(germanRows(['1']), { decimal: ['semicolon'] })).rejects.toThrow(/--decimal semicolon: expected point or comma/);
    await expect(load(germanRows(['1']), { dateFormat: ['ddmmyyyy'] })).rejects.toThrow(/--date-format ddmmyyyy: expected dmy, mdy, ymd or a strptime format/);
  });
});

describe('date layouts, detected per column from the whole file', () => {
  const at = (o: Record<string, [number, string]>) => Object.values(o).map((v) => v[1]);

  it('day first is detected from a day past 12 and then decides 01.05.2024; month first likewise', async () => {
    const dmy = await load(germanRows(['1', '2', '3'], ['13.05.2024', '01.05.2024 14:30', '02.03.2024']));
    expect(dmy.report.columns).toContainEqual({ column: 'Datum', type: 'date', layout: 'dmy', source: 'detected' });
    expect(at(dmy.orders)).toEqual(['2024-05-13T00:00:00.000Z', '2024-05-01T14:30:00.000Z', '2024-03-02T00:00:00.000Z']);
    const mdy = await load(germanRows(['1', '2', '3'], ['5/13/2024 3:04 PM', '5/1/2024 12:00 AM', '12/25/2024 9:00:01']));
    expect(mdy.report.columns).toContainEqual({ column: 'Datum', type: 'date', layout: 'mdy', source: 'detected' });
    expect(at(mdy.orders)).toEqual(['2024-05-13T15:04:00.000Z', '2024-05-01T00:00:00.000Z', '2024-12-25T09:00:01.000Z']);
  });

  it('nothing tells: 01/02/2024 is an error naming line and column, until --date-format says', async () => {
    const text = germanRows(['1', '2', '3'], ['01/02/2024', '03/03/2024', '2024-05-01']);
    const { report } = await load(text);
    expect(report.errors).toEqual([
      {
        line: 2,
        reason: 'ambiguous date in column "Datum": 01/02/2024 is day-first 2024-02-01 or month-first 2024-01-02, and no date of the file tells; say which with --date-format dmy or --date-format mdy',
      },
    ]);
    expect(at((await load(text, { dateFormat: ['dmy'] })).orders)).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-03T00:00:00.000Z', '2024-05-01T00:00:00.000Z']);
    expect(at((await load(text, { dateFormat: ['Datum=mdy'] })).orders)[0]).toBe('2024-01-02T00:00:00.000Z');
  });

  it('the report says a date column mixing day-first and month-first dates is that, never "decimal comma and point mixed" (trial 7, D4)', async () => {
    const { report } = await load(germanRows(['1', '2', '3'], ['2024-05-01', '13.05.2024', '05/14/2024 3:04 PM']));
    expect(report.columns).toContainEqual({ column: 'Datum', type: 'date', layout: 'mixed', source: 'detected' });
    const read = formatReport(report).split('\n').find((l) => l.trimStart().startsWith('read'));
    expect(read).toContain('Datum: day first and month first mixed');
    expect(read).not.toContain('decimal');
    // A number column mixing the two separators keeps its own words; a strptime format is named as given.
    expect(layoutWords({ type: 'number', layout: 'mixed' })).toBe('decimal comma and point mixed');
    expect(layoutWords({ type: 'date', layout: '%d.%m.%y' })).toBe('format %d.%m.%y');
  });

  it('offsets are applied, no offset is UTC, impossible dates are errors, a strptime format is used as given', async () => {
    const { report, orders: o } = await load(germanRows(['1', '2', '3', '4'], ['2024-05-01T10:00:00+02:00', '2024-05-01 10:00:00 -0500', '2024-02-30', '2024-05-01T10:00:00Z']));
    expect(at(o)).toEqual(['2024-05-01T08:00:00.000Z', '2024-05-01T15:00:00.000Z', '2024-05-01T10:00:00.000Z']);
    expect(report.errors).toEqual([{ line: 4, reason: 'not a date in column "Datum": 2024-02-30' }]);
    const f = await load(germanRows(['1'], ['1.5.24 10h00']), { dateFormat: ['%d.%m.%y %Hh%M'] });
    expect(at(f.orders)).toEqual(['2024-05-01T10:00:00.000Z']);
  });
});

describe('every format reads numbers and dates the same way', () => {
  it('online-retail saved by a European spreadsheet: ; separated, decimal commas, day-first dates', async () => {
    const text =
      'InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country\n' +
      '536365;85123A;HEART HOLDER;6;01.12.2010 08:26;2,55;17850;United Kingdom\n' +
      '536366;22633;HAND WARMER;1.000;13.12.2010 08:28;1,85;17850;United Kingdom\n';
    const { report, orders: o } = await load(text);
    expect(report).toMatchObject({ format: 'online-retail', imported: 2 });
    expect(o).toEqual({ '536365': [15.3, '2010-12-01T08:26:00.000Z'], '536366': [1850, '2010-12-13T08:28:00.000Z'] });
  });

  it('online-retail as the original UCI spreadsheet wrote it: month-first dates without seconds', async () => {
    const text =
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
      '536365,85123A,HEART HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n' +
      '581587,22613,PACK OF 20 SPACEBOY NAPKINS,12,12/9/2011 12:50,0.85,12680,France\n' +
      '540001,22633,HAND WARMER,1,1/4/2011 10:00,1.85,17850,United Kingdom\n' +
      '560001,22633,HAND WARMER,1,7/25/2011 10:00,1.85,17850,United Kingdom\n';
    const { report, orders: o } = await load(text);
    expect(report.columns).toContainEqual({ column: 'InvoiceDate', type: 'date', layout: 'mdy', source: 'detected' });
    expect(o['536365']![1]).toBe('2010-12-01T08:26:00.000Z');
    expect(o['540001']![1]).toBe('2011-01-04T10:00:00.000Z');
  });

  it('shopify-orders with decimal commas: lines, discount and refund all read alike', async () => {
    const text =
      'Name;Email;Financial Status;Currency;Discount Amount;Refunded Amount;Created at;Lineitem quantity;Lineitem name;Lineitem price;Lineitem sku\n' +
      '#1;a@example.com;partially_refunded;EUR;1,50;2,25;2024-05-01 10:00:00 +0200;2;Tee;12,50;T-1\n' +
      '#1;;;;;;;1;Cap;1.234,00;C-1\n';
    const { report, store } = await load(text);
    expect(report).toMatchObject({ format: 'shopify-orders', skipped: 0 });
    expect(await store.all('SELECT order_id, revenue::DOUBLE AS revenue FROM orders ORDER BY 1')).toEqual([
      { order_id: '#1', revenue: 1257.5 }, // 2 × 12.50 + 1234.00 − 1.50
      { order_id: '#1/refund', revenue: -2.25 },
    ]);
  });

  it('cdnow with decimal commas in the dollars', async () => {
    const { orders: o } = await load('00001 19970101 1 29,33\n00002 19970102 2 1.063,50\n', { format: 'cdnow' }, 'cdnow.txt');
    expect(Object.values(o).map((v) => v[0])).toEqual([29.33, 1063.5]);
  });
});
