import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { lineKindOf } from '../../src/domain/line-kinds.js';
import type { ImportOptions } from '../../src/ingest/import/run.js';
import { recommendProducts } from '../../src/predict/recommend/recommend-customer.js';
import { Store } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import { tempStore } from '../helpers/store.js';
import { testServer } from '../server/helpers.js';
import { importsOfText, metricsOf } from './helpers.js';

const importText = importsOfText();
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const load = async (text: string, options: ImportOptions = {}): Promise<Store> => (await importText(text, options)).store;

const kinds = (s: Store) =>
  s.all<{ product_id: string | null; name: string; kind: string }>('SELECT product_id, name, kind FROM order_lines ORDER BY order_id, line_no');

// Two customers; every order carries postage, and there are the other non-product codes of the data set.
const RETAIL =
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
  '1,22633,HAND WARMER,2,2011-01-01 10:00:00,2.00,1.0,UK\n' +
  '1,22632,HAND WARMER RED,1,2011-01-01 10:00:00,3.00,1.0,UK\n' +
  '1,POST,POSTAGE,1,2011-01-01 10:00:00,18.00,1.0,UK\n' +
  '2,22633,HAND WARMER,1,2011-01-02 10:00:00,2.00,2.0,UK\n' +
  '2,POST,POSTAGE,1,2011-01-02 10:00:00,18.00,2.0,UK\n' +
  '2,DOT,DOTCOM POSTAGE,1,2011-01-02 10:00:00,5.00,2.0,UK\n' +
  '3,22632,HAND WARMER RED,1,2011-01-03 10:00:00,3.00,2.0,UK\n' +
  '3,POST,POSTAGE,1,2011-01-03 10:00:00,18.00,2.0,UK\n' +
  '3,m,Manual,1,2011-01-03 10:00:00,1.00,2.0,UK\n' +
  '3,BANK CHARGES,Bank Charges,1,2011-01-03 10:00:00,15.00,2.0,UK\n' +
  '3,gift_0001_10,Dotcomgiftshop Gift Voucher £10.00,1,2011-01-03 10:00:00,8.00,2.0,UK\n' +
  '4,AMAZONFEE,AMAZON FEE,1,2011-01-04 10:00:00,100.00,,UK\n' +
  'C5,D,Discount,-1,2011-01-05 10:00:00,2.00,2.0,UK\n';

describe('line kinds: detected per format, stored, and overridable', () => {
  it('online-retail: stock codes POST, DOT, m, BANK CHARGES, AMAZONFEE, D and gift vouchers are not products', async () => {
    const s = await load(RETAIL);
    expect((await kinds(s)).map((l) => `${l.product_id}:${l.kind}`)).toEqual([
      '22633:product', '22632:product', 'POST:shipping',
      '22633:product', 'POST:shipping', 'DOT:shipping',
      '22632:product', 'POST:shipping', 'm:adjustment', 'BANK CHARGES:fee', 'gift_0001_10:gift_card',
      'AMAZONFEE:fee',
      'D:discount',
    ]);
    // Revenue keeps every line; distinct_products counts only products.
    expect(await metricsOf(s, 'user_id', '1')).toEqual({ orders_count: 1, total_spent: 25, refunded: 0 });
    expect(await metricsOf(s, 'user_id', '2')).toEqual({ orders_count: 2, total_spent: 68, refunded: 2 });
    const dp = await s.all('SELECT i.value AS id, m.distinct_products FROM identities i JOIN customer_metrics m USING (customer_id) ORDER BY 1');
    expect(dp).toEqual([{ id: '1', distinct_products: 2 }, { id: '2', distinct_products: 2 }]);
    // The order's event lists its products only, and its revenue is every line.
    const e = await s.one<{ p: string }>("SELECT properties::VARCHAR AS p FROM events WHERE message_id = 'import:online-retail:3'");
    expect(JSON.parse(e!.p)).toMatchObject({ revenue: 45, products: [{ product_id: '22632' }] });
  });

  it('only products are baskets: postage in every order is never recommended', async () => {
    const s = await load(RETAIL);
    const r = await recommendProducts(s, '1', { n: 5, asOf: new Date('2011-02-01T00:00:00Z') });
    expect(r.recommendations.map((x) => x.productId)).not.toContain('POST');
    expect(r.recommendations.map((x) => x.productId).every((p) => /^\d/.test(p))).toBe(true);
  });

  it('--line-kind overrides the rules, by product id or name, exactly or by prefix', async () => {
    const s = await load(RETAIL, { lineKind: ['POST=product', 'hand warmer*=gift card', 'Dotcom postage=fee'] });
    expect((await kinds(s)).filter((l) => l.product_id !== 'POST').slice(0, 4).map((l) => l.kind)).toEqual(['gift_card', 'gift_card', 'gift_card', 'fee']);
    expect((await kinds(s)).filter((l) => l.product_id === 'POST').every((l) => l.kind === 'product')).toBe(true);
    await expect(load(RETAIL, { lineKind: ['POST=postage'] })).rejects.toThrow(/--line-kind POST=postage: expected PRODUCT_ID_OR_NAME=kind .*kind one of product, shipping, fee, discount, adjustment, gift_card/);
  });

  it('shopify-orders: line items named for shipping, tips and gift cards; the discount and refund lines it adds', async () => {
    const s = await load(
      'Name,Email,Financial Status,Discount Amount,Refunded Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n' +
        '#1,a@example.com,partially_refunded,2.00,1.00,2024-05-01 10:00:00 +0000,1,Linen Shirt,40.00,LS-1\n' +
        '#1,,,,,,1,Shipping Protection,2.50,\n' +
        '#1,,,,,,1,Tip,3.00,\n' +
        '#1,,,,,,1,$25 Gift Card,25.00,GC-25\n' +
        '#1,,,,,,1,Shipping box,4.00,BOX-1\n',
    );
    expect((await kinds(s)).map((l) => `${l.name}:${l.kind}`)).toEqual([
      // The discount line the format adds sits after the order's first line.
      'Linen Shirt:product', 'Discount:discount', 'Shipping Protection:shipping', 'Tip:fee', '$25 Gift Card:gift_card', 'Shipping box:product', 'Refund:adjustment',
    ]);
  });

  it('generic: a mapped line_kind column, or the line names', async () => {
    const head = 'Order,Date,User,Item,Amount,What\n';
    const rows = 'O1,2024-05-01,u1,Tea,5.00,product\nO1,2024-05-01,u1,Delivery,4.00,shipping\nO1,2024-05-01,u1,Card fee,0.50,Fee\n';
    const map = ['Order=order_id', 'Date=placed_at', 'User=user_id', 'Item=product_name', 'Amount=amount'];
    const mapped = await load(head + rows, { map: [...map, 'What=line_kind'] });
    expect((await kinds(mapped)).map((l) => l.kind)).toEqual(['product', 'shipping', 'fee']);
    const named = await load(head + rows, { map });
    expect((await kinds(named)).map((l) => l.kind)).toEqual(['product', 'shipping', 'product']);
    const { report: r } = await importText(head + 'O2,2024-05-01,u1,Tea,5.00,snack\n', { map: [...map, 'What=line_kind'] });
    expect(r.errors).toEqual([{ line: 2, reason: 'not a line kind in column "What" (product, shipping, fee, discount, adjustment, gift_card): snack' }]);
  });

  it('live Order Completed: a product\'s kind property, else its name', async () => {
    const srv = await testServer();
    try {
      const r = await srv.post('/v1/track', {
        userId: 'u1',
        event: 'Order Completed',
        timestamp: '2024-05-01T10:00:00Z',
        properties: {
          order_id: 'W-1',
          products: [
            { product_id: 'p1', name: 'Tea', price: 5, quantity: 2 },
            { name: 'Shipping', price: 4.5 },
            { product_id: 'svc', name: 'Gift wrapping service', price: 2, kind: 'fee' },
          ],
        },
      });
      expect(r.status).toBe(200);
      expect((await kinds(srv.store)).map((l) => l.kind)).toEqual(['product', 'shipping', 'fee']);
      expect(await srv.store.one('SELECT orders_count, total_spent::DOUBLE AS t, distinct_products FROM customer_metrics')).toEqual({
        orders_count: 1,
        t: 16.5,
        distinct_products: 1,
      });
    } finally {
      await srv.cleanup();
    }
  });

  it('name rules match whole names only', () => {
    expect(lineKindOf({ name: '  Shipping  fee ' })).toBe('shipping');
    expect(lineKindOf({ name: 'Shipping box set' })).toBe('product');
    expect(lineKindOf({ name: '€50 Gift Card' })).toBe('gift_card');
    expect(lineKindOf({ name: 'Gift card holder' })).toBe('gift_card');
    expect(lineKindOf({ name: 'Tea', kind: 'nonsense' })).toBe('product');
  });
});

describe('upgrading a store: lines stored before line kinds get the kinds a new import gives them', () => {
  it('classifies earlier Online Retail and Shopify lines, and keeps consent as history', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    t.store.close();
    const path = join(t.dir, 'old.duckdb');
    const inst = await DuckDBInstance.create(path);
    const c = await inst.connect();
    await c.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)');
    // A file of every other migration, later ones included: version 7 landed after it was written (29,
    // an index on a table 7 makes, is left to the opening too).
    for (const m of migrations.filter((x) => x.version !== 7 && x.version !== 29)) {
      for (const sql of m.statements) await c.run(sql);
      await c.run(`INSERT INTO schema_migrations VALUES (${m.version}, '${m.name}', now())`);
    }
    await c.run(`INSERT INTO orders VALUES ('1', 'c1', 'order', '2011-01-01', 20, 'GBP', NULL, 'import:online-retail'),
      ('#1', 'c1', 'order', '2024-01-01', 8, 'USD', NULL, 'import:shopify-orders')`);
    await c.run(`INSERT INTO order_lines VALUES ('1', 1, '22633', 'HAND WARMER', NULL, 2, 1, 2), ('1', 2, 'POST', 'POSTAGE', NULL, 18, 1, 18),
      ('#1', 1, 'S1', 'Soap', NULL, 10, 1, 10), ('#1', 2, NULL, 'Discount', NULL, -2, 1, -2)`);
    await c.run(`INSERT INTO customers VALUES ('c1', now(), now(), '{}', NULL)`);
    await c.run(`INSERT INTO consent VALUES ('c1', 'email', 'denied', '2024-06-01 12:00:00', 'http:m1')`);
    c.closeSync();
    inst.closeSync();
    const s = await Store.open(path);
    try {
      expect((await kinds(s)).map((l) => l.kind)).toEqual(['product', 'discount', 'product', 'shipping']);
      expect(await s.all('SELECT channel, status, source FROM consent_history')).toEqual([{ channel: 'email', status: 'denied', source: 'http:m1' }]);
      expect(await s.all('SELECT version FROM schema_migrations ORDER BY version')).toEqual(migrations.map((m) => ({ version: m.version })).sort((a, b) => a.version - b.version));
    } finally {
      s.close();
    }
  });
});
