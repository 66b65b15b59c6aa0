import { describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../src/ingest/import/run.js';
import { importsOfText } from './helpers.js';

// Line kinds are decided as the rows are written (store/queries/import/kinds.ts): the same precedence as
// rules applied one after the other, the later winning: product codes, then prefixes, then overrides in
// the order given.
const importText = importsOfText();

const RETAIL =
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
  '1,22633,HAND WARMER,2,2011-01-01 10:00:00,2.00,1.0,UK\n' +
  '1,22632,HAND WARMER RED,1,2011-01-01 10:00:00,3.00,1.0,UK\n' +
  '1,POST,POSTAGE,1,2011-01-01 10:00:00,18.00,1.0,UK\n' +
  '1,gift_0001_10,Dotcomgiftshop Gift Voucher £10.00,1,2011-01-01 10:00:00,8.00,1.0,UK\n';

async function kinds(options: ImportOptions): Promise<string[]> {
  const { store } = await importText(RETAIL, options);
  return (await store.all<{ kind: string }>('SELECT kind FROM order_lines ORDER BY line_no')).map((r) => r.kind);
}

describe('line kinds: precedence of codes, prefixes and overrides', () => {
  it('without overrides: a code and a prefix decide, the rest are products', async () => {
    expect(await kinds({})).toEqual(['product', 'product', 'shipping', 'gift_card']);
  });

  it('of two overrides matching a line, the later given wins', async () => {
    expect(await kinds({ lineKind: ['hand warmer*=fee', 'hand warmer red=discount'] })).toEqual(['fee', 'discount', 'shipping', 'gift_card']);
    expect(await kinds({ lineKind: ['hand warmer red=discount', 'hand warmer*=fee'] })).toEqual(['fee', 'fee', 'shipping', 'gift_card']);
  });

  it('an override beats a code and a prefix, by product id or by name', async () => {
    expect(await kinds({ lineKind: ['POST=product', 'Dotcomgiftshop*=adjustment'] })).toEqual(['product', 'product', 'product', 'adjustment']);
  });
});
