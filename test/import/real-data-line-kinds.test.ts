import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendProducts } from '../../src/predict/recommend/recommend-customer.js';
import type { Store } from '../../src/store/db.js';
import { customerStats } from '../../src/store/queries/metrics.js';
import { onlineRetailStore } from '../helpers/fixtures.js';
import { sharedFile, skipWithoutShared } from '../helpers/shared-data.js';

// Line kinds on the whole Online Retail file (the small cases are in line-kinds.test.ts). A real-data
// file: it runs once, not again under each time zone, on the store the other real-data files share.
const retail = sharedFile('online-retail.csv.gz');
if (!retail) console.warn(skipWithoutShared('online-retail.csv.gz'));

describe.skipIf(!retail)('Online Retail line kinds (skipped without ../shared/data/online-retail.csv.gz)', () => {
  let s: Store;
  let cleanup = (): void => undefined;
  // The store every real-data file shares: Online Retail imported once per test run (test/helpers/fixtures.ts).
  beforeAll(async () => {
    ({ store: s, cleanup } = await onlineRetailStore(retail!));
  }, 300_000);
  afterAll(() => cleanup());

  it('sorts the 541,909 lines into kinds; all of them still add up to the published 9,747,747.93', async () => {
    // Counts of the stock codes in the file (each code's lines, checked by a query over the raw CSV).
    expect(await s.all('SELECT kind, count(*) AS lines, count(DISTINCT product_id) AS codes FROM order_lines GROUP BY kind ORDER BY kind')).toEqual([
      { kind: 'adjustment', lines: 642, codes: 5 }, // M 571 + m 1 + S 63 + B 3 + PADS 4
      { kind: 'discount', lines: 77, codes: 1 }, // D
      { kind: 'fee', lines: 87, codes: 3 }, // BANK CHARGES 37 + AMAZONFEE 34 + CRUK 16
      { kind: 'gift_card', lines: 34, codes: 5 }, // gift_0001_10 … _50
      { kind: 'product', lines: 538_959, codes: 4_053 },
      { kind: 'shipping', lines: 2_110, codes: 3 }, // POST 1,256 + DOT 710 + C2 144
    ]);
    expect(await s.one('SELECT round(sum(amount), 2)::DOUBLE AS total FROM order_lines')).toEqual({ total: 9_747_747.93 });
    expect(await customerStats(s)).toEqual({ customers: 4_372, customers_with_orders: 4_339, orders: 18_536, net_revenue: 8_300_065.81 });
  });

  it('customer 12347 is no longer recommended postage; distinct_products counts products only', async () => {
    const r = await recommendProducts(s, '12347', { n: 10, asOf: new Date('2011-12-10T00:00:00Z') });
    const nonProducts = await s.all<{ product_id: string }>("SELECT DISTINCT product_id FROM order_lines WHERE kind <> 'product'");
    const excluded = new Set(nonProducts.map((p) => p.product_id));
    expect(r.recommendations.filter((x) => excluded.has(x.productId))).toEqual([]);
    // Before line kinds the sum over customers was 266,802 (postage and fees counted as products).
    expect(await s.one('SELECT sum(distinct_products)::BIGINT AS dp FROM customer_metrics')).toEqual({ dp: 266_226 });
  });
});
