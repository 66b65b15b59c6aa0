import { describe, expect, it } from 'vitest';
import { importsOfText } from './helpers.js';

// A line's amount is quantity × price. Live order events accept amounts below 10^12 (docs/api.md,
// "Limits"); an import accepts the same, and refuses a line beyond it as a skipped row naming its line.
// Before, any line of 10^10 or more stopped the whole import with an internal error (the two DECIMAL(18,4)
// factors were multiplied at 18 digits).
const importText = importsOfText();

const revenues = async (store: { all: <T>(sql: string) => Promise<T[]> }) =>
  Object.fromEntries((await store.all<{ order_id: string; revenue: number }>('SELECT order_id, revenue::DOUBLE AS revenue FROM orders ORDER BY 1')).map((r) => [r.order_id, r.revenue]));

/** An Online Retail file of the given lines: [invoice, quantity, unit price, customer]. */
const retail = (lines: readonly (readonly [string, number, number, number])[]): string =>
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
  lines.map(([invoice, quantity, price, customer]) => `${invoice},Z,Item,${quantity},2011-01-05 10:00:00,${price},${customer}.0,France\n`).join('');

describe('line amounts from 10^10 to the limit of 10^12', () => {
  it('online-retail: 10^10 is stored exactly, 10^12 is refused by line, the rest imports', async () => {
    const { report, store } = await importText(
      retail([
        ['910001', 100000, 100000, 30001],
        ['910002', 10000000, 100000, 30002],
        ['910003', 2, 3.5, 30003],
        ['910004', 9999999, 99999.9999, 30004],
      ]),
    );
    expect(report).toMatchObject({ format: 'online-retail', skipped: 1 });
    expect(report.errors).toEqual([
      { line: 3, reason: 'line amount "Quantity" × "UnitPrice" = 1000000000000.0000 is beyond the amounts accepted (less than 1,000,000,000,000 in size)' },
    ]);
    expect(await revenues(store)).toEqual({ '910001': 1e10, '910003': 7, '910004': 999999899000.0001 });
  });

  it('an order whose lines add up to 10^12 or more is refused whole, each line named', async () => {
    const { report, store } = await importText(
      retail([
        ['920001', 6, 100000000000, 30001],
        ['920001', 6, 100000000000, 30001],
        ['920002', 1, 2, 30002],
      ]),
    );
    const reason = 'order 920001 totals 1200000000000.0000, beyond the amounts accepted (less than 1,000,000,000,000 in size)';
    expect(report.errors).toEqual([
      { line: 2, reason },
      { line: 3, reason },
    ]);
    expect(await revenues(store)).toEqual({ '920002': 2 });
  });

  it('shopify-orders: the order total sums its lines at full width', async () => {
    const { report, store } = await importText(
      'Name,Email,Financial Status,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n' +
        '#1,a@example.com,paid,USD,2024-05-01 10:00:00 +0000,100000,Bulk,100000.00,B-1\n' +
        '#1,,,,,1,Cap,5.00,C-1\n' +
        '#2,b@example.com,paid,USD,2024-05-01 11:00:00 +0000,1000000,Bulk,1000000.00,B-2\n',
    );
    expect(report).toMatchObject({ format: 'shopify-orders', skipped: 1 });
    expect(report.errors).toEqual([
      { line: 4, reason: 'line amount "Lineitem quantity" × "Lineitem price" = 1000000000000.0000 is beyond the amounts accepted (less than 1,000,000,000,000 in size)' },
    ]);
    expect(await revenues(store)).toEqual({ '#1': 10000000005 });
  });

  it('generic, with a decimal comma: quantity × price and a mapped amount alike', async () => {
    const map = ['Bestellung=order_id', 'Kunde=user_id', 'Datum=placed_at', 'Menge=quantity', 'Preis=price'];
    const { report, store } = await importText('Bestellung;Kunde;Datum;Menge;Preis\nA1;u1;2024-05-01;100000;100000,00\nA2;u2;2024-05-01;1000000;1000000,00\n', {
      format: 'generic',
      map,
    });
    expect(report.errors).toEqual([
      { line: 3, reason: 'line amount "Menge" × "Preis" = 1000000000000.0000 is beyond the amounts accepted (less than 1,000,000,000,000 in size)' },
    ]);
    expect(await revenues(store)).toEqual({ A1: 1e10 });
    const amounts = await importText('Bestellung;Kunde;Datum;Betrag\nB1;u1;2024-05-01;10000000000,00\nB2;u2;2024-05-01;1000000000000,00\n', {
      format: 'generic',
      map: ['Bestellung=order_id', 'Kunde=user_id', 'Datum=placed_at', 'Betrag=amount'],
    });
    expect(amounts.report.errors).toEqual([
      { line: 3, reason: 'amount "Betrag" = 1000000000000.0000 is beyond the amounts accepted (less than 1,000,000,000,000 in size)' },
    ]);
    expect(await revenues(amounts.store)).toEqual({ B1: 1e10 });
  });
});
