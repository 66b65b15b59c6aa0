import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import type { ImportReport } from '../../src/ingest/import/report.js';
import { customerProfile } from '../../src/profiles/profile.js';
import type { Store } from '../../src/store/db.js';
import { customerStats } from '../../src/store/queries/metrics.js';
import { sharedFile, skipWithoutShared } from '../helpers/shared-data.js';
import { tempStore } from '../helpers/store.js';

const retail = sharedFile('online-retail.csv.gz');
const cdnow = sharedFile('cdnow-sample.txt');
const cdnowMaster = sharedFile('cdnow-master.txt.gz');
if (!retail) console.warn(skipWithoutShared('online-retail.csv.gz'));
if (!cdnow) console.warn(skipWithoutShared('cdnow-sample.txt'));

// Figures from ../shared/data/README.md and the brief: the identified customers of the UCI data set.
describe.skipIf(!retail)('Online Retail, imported twice (skipped without ../shared/data/online-retail.csv.gz)', () => {
  let store: Store;
  let cleanup: () => void;
  let first: ImportReport;
  let second: ImportReport;
  let stats1: Awaited<ReturnType<typeof customerStats>>;

  beforeAll(async () => {
    const t = await tempStore();
    store = t.store;
    cleanup = t.cleanup;
    first = await importFile(store, retail!);
    stats1 = await customerStats(store);
    second = await importFile(store, retail!);
  });
  afterAll(() => cleanup());

  it('reads every row and keeps guest lines apart', () => {
    expect(first).toMatchObject({ rows: 541_909, imported: 541_909, skipped: 0, lines_without_customer: 135_080, customers: 4_372 });
    expect(first.orders + first.refunds).toBe(25_900);
  });

  it('gives the published customer figures', () => {
    expect(stats1).toEqual({ customers: 4_372, customers_with_orders: 4_339, orders: 18_536, net_revenue: 8_300_065.81 });
  });

  it('computes the profiles of 12347 and 12346', async () => {
    const asOf = new Date('2011-12-10T00:00:00Z');
    const a = await customerProfile(store, '12347', asOf);
    expect(a.metrics).toMatchObject({ orders_count: 7, total_spent: 4310 });
    expect(a.traits).toEqual({ country: 'Iceland' });
    // Last order 2011-12-07 15:52.
    expect(a.metrics!.days_since_last_order).toBeCloseTo((asOf.getTime() - Date.parse('2011-12-07T15:52:00Z')) / 86_400_000, 6);
    const b = await customerProfile(store, '12346', asOf);
    expect(b.metrics).toMatchObject({ orders_count: 1, total_spent: 0 });
  });

  it('a second import finds everything already present and changes no figure', async () => {
    expect(second).toMatchObject({ rows: 541_909, orders_new: 0, orders_already_present: 25_900, events_new: 0, traits_updated: 0 });
    expect(await customerStats(store)).toEqual(stats1);
    expect(await store.one('SELECT count(*) AS n FROM events')).toEqual({ n: 25_900 });
  });
});

describe.skipIf(!cdnow)('CDNOW sample (skipped without ../shared/data/cdnow-sample.txt)', () => {
  it('imports 6,919 lines of 2,357 customers as 6,696 transactions (customer-days, as the data set counts them)', async () => {
    const t = await tempStore();
    try {
      const r = await importFile(t.store, cdnow!);
      expect(r).toMatchObject({ rows: 6_919, imported: 6_919, customers: 2_357, orders: 6_696 });
      const s = await customerStats(t.store);
      expect(s).toMatchObject({ customers: 2_357, customers_with_orders: 2_357, orders: 6_696 });
    } finally {
      t.cleanup();
    }
  });
});

describe.skipIf(!cdnow || !cdnowMaster)('CDNOW master, then the sample (skipped without ../shared/data/cdnow-master.txt.gz)', () => {
  it('imports 69,659 lines of 23,570 customers worth 2,500,315.63, and finds the sample already there', async () => {
    const t = await tempStore();
    try {
      const r = await importFile(t.store, cdnowMaster!);
      // 67,591 customer-days: count(DISTINCT (customer, date)) over the file, computed apart with DuckDB.
      expect(r).toMatchObject({ rows: 69_659, imported: 69_659, customers: 23_570, orders: 67_591 });
      expect(await customerStats(t.store)).toEqual({ customers: 23_570, customers_with_orders: 23_570, orders: 67_591, net_revenue: 2_500_315.63 });
      // The sample is a tenth of the same customers: the same purchases get the same order ids.
      const sample = await importFile(t.store, cdnow!);
      expect(sample).toMatchObject({ customers: 2_357, orders_new: 0, orders_already_present: 6_696, traits_updated: 2_357 });
      expect((await customerStats(t.store)).customers).toBe(23_570);
    } finally {
      t.cleanup();
    }
  });
});
