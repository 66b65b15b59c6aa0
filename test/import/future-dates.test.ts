import { describe, expect, it } from 'vitest';
import { importsOfText } from './helpers.js';

// Nothing in a file can have happened after the file was read (trial 6, D3): a row dated after the
// import's run time is a bad value, skipped and named like an unreadable date (docs/importing.md). The
// import's clock is injected (ImportOptions.now), so the test does not depend on today's date.
const importText = importsOfText();
const now = () => new Date('2024-06-01T12:00:00Z');

describe('rows dated after the import ran', () => {
  it('generic orders: an order dated 9999 is skipped with its line, column and reason; the other is stored', async () => {
    const { report, store } = await importText('order,user,date,amount\nf1,zed,9999-12-31,5\nf2,amy,2024-01-01,5\nf3,bob,2024-06-01 12:00:01,5\n', {
      format: 'generic',
      map: ['order=order_id', 'user=user_id', 'date=placed_at', 'amount=amount'],
      now,
    });
    expect(report).toMatchObject({ skipped: 2, orders: 1 });
    expect(report.errors).toEqual([
      { line: 2, reason: `a date after the import's run time (2024-06-01T12:00:00Z) in column "date": 9999-12-31` },
      { line: 4, reason: `a date after the import's run time (2024-06-01T12:00:00Z) in column "date": 2024-06-01 12:00:01` },
    ]);
    expect(await store.all('SELECT order_id FROM orders ORDER BY 1')).toEqual([{ order_id: 'f2' }]);
  });

  it('online-retail: an invoice dated after the run is skipped; one at the run time is kept', async () => {
    const head = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n';
    const { report, store } = await importText(head + '1,Z,Item,1,2024-06-01 12:00:00,2,30001.0,France\n2,Z,Item,1,2099-01-01 00:00:00,2,30002.0,France\n', { now });
    expect(report.errors).toEqual([{ line: 3, reason: `a date after the import's run time (2024-06-01T12:00:00Z) in column "InvoiceDate": 2099-01-01 00:00:00` }]);
    expect(await store.all('SELECT order_id FROM orders ORDER BY 1')).toEqual([{ order_id: '1' }]);
  });

  it('generic customers: traits dated after the run are not taken, so they cannot outrank later data', async () => {
    const { report, store } = await importText('user,first,updated\nu1,Pwned,9999-12-31\nu2,Ann,2024-05-01\n', {
      format: 'generic',
      map: ['user=user_id', 'first=trait.first_name', 'updated=updated_at'],
      now,
    });
    expect(report.errors).toEqual([{ line: 2, reason: `a date after the import's run time (2024-06-01T12:00:00Z) in column "updated": 9999-12-31` }]);
    expect(await store.all(`SELECT json_extract_string(traits, '$.first_name') AS f FROM customers ORDER BY 1`)).toEqual([{ f: 'Ann' }]);
    expect(await store.all('SELECT count(*)::INTEGER AS n FROM trait_times WHERE decided_at > $1::TIMESTAMP', [now()])).toEqual([{ n: 0 }]);
  });
});
