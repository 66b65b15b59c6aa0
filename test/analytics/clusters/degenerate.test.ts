import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClusters } from '../../../src/analytics/clusters/format.js';
import { distinctWarning, runClusters } from '../../../src/analytics/clusters/runClusters.js';
import { nameFromZ } from '../../../src/analytics/clusters/profile.js';
import type { OrderRecord } from '../../../src/analytics/rfm/rfmInMemory.js';
import { runCli } from '../../helpers/cli.js';
import { sharedCase } from '../../helpers/shared-data.js';
import { storePerTest, tempStore } from '../../helpers/store.js';
import { day, insertOrders } from '../helpers/orders.js';

const asOf = day('2024-04-01');
const order = (customerId: string, at: string, revenue: number): OrderRecord => ({ customerId, kind: 'order', placedAt: day(at), revenue });

/** The handed case: twelve identical customers and two others, three kinds in all. */
const identical = (): OrderRecord[] => [
  ...Array.from({ length: 12 }, (_, i) => order(`same-${i}`, '2024-03-01T10:00:00', 10)),
  order('other-1', '2024-01-01T10:00:00', 500),
  order('other-1', '2024-02-01T10:00:00', 500),
  order('other-2', '2023-06-01T10:00:00', 5),
];

describe('identical-customers.csv (shared case): clusters --k 5 on three kinds of customer', () => {
  const file = sharedCase('identical-customers.csv');
  let db: string;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await tempStore();
    t.store.close();
    ({ path: db, cleanup } = t);
  });
  afterAll(() => cleanup());

  it.skipIf(!file)('gives 3 clusters with a warning that 5 were asked for; no empty or invented cluster', async () => {
    await runCli(db, 'import', file!, '--map', 'order_ref=order_id', '--map', 'client=user_id', '--map', 'placed=placed_at', '--map', 'amount=amount');
    const rep = JSON.parse(await runCli(db, 'clusters', '--k', '5', '--as-of', '2024-04-01', '--json'));
    expect(rep.k).toBe(3);
    expect(rep.clusters.map((c: { size: number }) => c.size)).toEqual([12, 1, 1]);
    expect(rep.warnings).toEqual([
      '5 clusters were asked for, but the customers have only 3 different combinations of recency, frequency and monetary value: 3 clusters, one per combination.',
    ]);
    const text = await runCli(db, 'clusters', '--k', '5', '--as-of', '2024-04-01');
    expect(text).toContain('k = 3');
    expect(text).toContain('warning: 5 clusters were asked for');
    expect(text).not.toMatch(/\(3\)|\(4\)/); // no "mid recency, ... (3)" for an empty cluster
  });
});

describe('clustering degenerate bases', () => {
  const store = storePerTest();

  it('--k auto tries only the k the data can hold, and says so', async () => {
    const s = await store();
    await insertOrders(s, identical());
    const rep = await runClusters(s, { asOf, save: false });
    expect(rep.selection!.map((c) => c.k)).toEqual([2, 3]);
    expect(rep.k).toBe(3);
    expect(rep.warnings).toEqual(['Only 3 different kinds of customer, so k was chosen among 2, 3.']);
  });

  it('saves exactly the clusters it reports', async () => {
    const s = await store();
    await insertOrders(s, identical());
    const rep = await runClusters(s, { asOf, k: 8, seed: 3 });
    const saved = await s.all<{ cluster: number; n: number }>('SELECT cluster, count(*)::INTEGER AS n FROM customer_clusters GROUP BY 1 ORDER BY 1');
    expect(saved.map((r) => r.n)).toEqual(rep.clusters.map((c) => c.size));
    expect(rep.clusters.every((c) => c.size > 0)).toBe(true);
  });

  it('every customer alike: one cluster holding everyone, named so, for --k 4, --k auto and DBSCAN', async () => {
    const s = await store();
    await insertOrders(s, Array.from({ length: 9 }, (_, i) => order(`twin-${i}`, '2024-03-01T10:00:00', 20)));
    for (const opts of [{ k: 4 }, {}] as const) {
      const rep = await runClusters(s, { asOf, save: false, ...opts });
      expect(rep.k).toBe(1);
      expect(rep.silhouette).toBeNull();
      expect(rep.clusters).toHaveLength(1);
      expect(rep.clusters[0]).toMatchObject({ size: 9, name: 'all customers alike' });
      expect(rep.warnings[0]).toBe('Days since last order, orders and net spend are the same for every customer, so they separate no one and are left out of the cluster names.');
      expect(rep.warnings[1]).toMatch(/but every customer has the same recency, frequency and monetary value: one cluster holds everyone\.$/);
    }
    const db = await runClusters(s, { asOf, save: false, method: 'dbscan', minPoints: 3 });
    expect(db.clusters.filter((c) => c.cluster >= 0).map((c) => c.size)).toEqual([9]);
    expect(formatClusters(db)).toContain('all customers alike');
  });

  it('a constant feature is named in a warning and left out of the names', async () => {
    const s = await store();
    await insertOrders(s, [
      ...Array.from({ length: 6 }, (_, i) => order(`a${i}`, '2024-03-30T10:00:00', 100 + i)),
      ...Array.from({ length: 6 }, (_, i) => order(`b${i}`, '2023-05-01T10:00:00', 5 + i)),
    ]);
    const rep = await runClusters(s, { asOf, k: 2, save: false });
    expect(rep.warnings).toEqual(['Orders is the same for every customer, so it separates no one and is left out of the cluster names.']);
    expect(rep.clusters.map((c) => c.name).sort()).toEqual(['long lapsed, low spend', 'very recent, high spend'].sort());
  });

  it('refuses one customer, and no customer, with a sentence', async () => {
    const s = await store();
    await expect(runClusters(s, { asOf, save: false })).rejects.toThrow('Clustering needs at least 2 customers with orders before 2024-04-01; there are 0.');
    await insertOrders(s, [order('solo', '2024-03-01T10:00:00', 10)]);
    await expect(runClusters(s, { asOf, save: false })).rejects.toMatchObject({ code: 'too_few_customers', details: { customers: 1 } });
  });

  it('words every branch of the warning and of the name', () => {
    expect(distinctWarning(5, 3, 3)).toBe('5 clusters were asked for, but the customers have only 3 different combinations of recency, frequency and monetary value: 3 clusters, one per combination.');
    expect(distinctWarning(2, 1, 4)).toBe('2 clusters were asked for, but every customer has the same value in each of the 4 features: one cluster holds everyone.');
    expect(distinctWarning(6, 4, 5)).toBe('6 clusters were asked for, but the customers have only 4 different combinations of their 5 features: 4 clusters, one per combination.');
    expect(distinctWarning(undefined, 1, 3)).toBe(
      'Choosing k needs at least 2 different kinds of customer, but every customer has the same recency, frequency and monetary value: one cluster holds everyone.',
    );
    expect(nameFromZ([], {})).toBe('all customers alike');
    expect(nameFromZ(['recency_days', 'frequency', 'monetary'], { recency_days: -1.2, frequency: 0.5, monetary: 2 })).toBe('very recent, frequent, top spend');
  });
});
