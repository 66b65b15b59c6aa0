import { describe, expect, it } from 'vitest';
import { checkK, MAX_K, runClusters } from '../../../src/analytics/clusters/runClusters.js';
import type { OrderRecord } from '../../../src/analytics/rfm/rfmInMemory.js';
import { runCli } from '../../helpers/cli.js';
import { storePerTest, tempStore } from '../../helpers/store.js';
import { day, insertOrders } from '../helpers/orders.js';

const asOf = day('2024-04-01');
const order = (customerId: string, at: string, revenue: number): OrderRecord => ({ customerId, kind: 'order', placedAt: day(at), revenue });

/** Six customers, all different. */
const six = (): OrderRecord[] => Array.from({ length: 6 }, (_, i) => order(`c${i}`, `2024-0${1 + (i % 3)}-0${1 + i}T10:00:00`, 10 * (i + 1)));

describe('a k no clustering can have is refused, naming the option (CLI and API alike: both run runClusters)', () => {
  const store = storePerTest();

  it('more clusters than customers: invalid_option naming k, the customers and the largest k allowed', async () => {
    const s = await store();
    await insertOrders(s, six());
    await expect(runClusters(s, { asOf, k: 7, save: false })).rejects.toMatchObject({
      code: 'invalid_option',
      message: '--k: 7 is more clusters than customers: 6 customers have an order before 2024-04-01. Ask for at most 6, or for auto.',
      details: { option: 'k', value: 7, max: 6, customers: 6 },
    });
    await expect(runClusters(s, { asOf, k: 100_000, save: false })).rejects.toMatchObject({ code: 'invalid_option', details: { max: 6 } });
    // As many clusters as customers is answered (each alone), and nothing about k is refused by DBSCAN.
    expect((await runClusters(s, { asOf, k: 6, save: false })).k).toBe(6);
    expect((await runClusters(s, { asOf, method: 'dbscan', k: 100_000, save: false })).method).toBe('dbscan');
  });

  it('past MAX_K, or not a whole number from 1', () => {
    expect(() => checkK(MAX_K, 1_000_000, asOf)).not.toThrow();
    expect(() => checkK(MAX_K + 1, 1_000_000, asOf)).toThrow(`--k: 1,001 is more than 1,000 clusters, too many to read or to use as segments. Ask for at most 1,000, or for auto.`);
    // D5 (trial 5): 0 is a whole number, so the message says how many are needed
    expect(() => checkK(0, 10, asOf)).toThrow(/^--k: 0 is too few clusters: ask for at least 1, or for auto\.$/);
    expect(() => checkK(-1, 10, asOf)).toThrow(/^--k: -1 is too few clusters: ask for at least 1/);
    expect(() => checkK(2.5, 10, asOf)).toThrow(/^--k: 2.5 is not a whole number of clusters$/);
    expect(() => checkK('auto', 2, asOf)).not.toThrow();
  });

  it('the CLI: clusters --k 100000 fails with that sentence; a k within bounds is answered', async () => {
    const t = await tempStore();
    try {
      await insertOrders(t.store, six());
      t.store.close();
      await expect(runCli(t.path, 'clusters', '--k', '100000', '--as-of', '2024-04-01')).rejects.toMatchObject({
        code: 'invalid_option',
        message: expect.stringMatching(/^--k: 100,000 is more clusters than customers: 6 customers/),
      });
      await expect(runCli(t.path, 'clusters', '--k=0', '--as-of', '2024-04-01')).rejects.toMatchObject({
        code: 'invalid_option',
        message: '--k: "0" is not auto or a whole number ≥ 1',
      });
      await expect(runCli(t.path, 'clusters', '--k', 'abc', '--as-of', '2024-04-01')).rejects.toMatchObject({
        message: '--k: "abc" is not auto or a whole number ≥ 1',
      });
      expect(JSON.parse(await runCli(t.path, 'clusters', '--k', '2', '--as-of', '2024-04-01', '--json')).k).toBe(2);
    } finally {
      t.cleanup();
    }
  });
});
