import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsFields, registerAnalyticsFields } from '../../src/analytics/fields.js';
import { runClusters } from '../../src/analytics/clusters/runClusters.js';
import { DEFAULT_GROUPS_5 } from '../../src/analytics/rfm/groups.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import { compileSegment, defaultCatalog, evaluateSegment, loadCustomerState, parseSegment } from '../../src/segments/index.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { day, insertOrders } from './helpers/orders.js';

let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
});
afterAll(() => cleanup());

async function members(text: string, asOf: Date): Promise<string[]> {
  const parsed = parseSegment(text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { sql, parameters } = compileSegment(parsed.ast!, { asOf });
  const rows = await store.all<{ customer_id: string }>(sql, parameters as never);
  return rows.map((r) => r.customer_id).sort();
}

describe('analytics segment fields', () => {
  it('registers rfm.* and cluster fields in the catalog, idempotently', () => {
    registerAnalyticsFields();
    registerAnalyticsFields();
    for (const f of analyticsFields) expect(defaultCatalog.get(f.name)).toEqual(f);
  });

  it('a segment on rfm.group and cluster.name selects exactly the snapshot rows', async () => {
    registerAnalyticsFields();
    const asOf = day('2024-06-01');
    const orders = [];
    for (let c = 0; c < 40; c++) {
      for (let i = 0; i <= c % 5; i++) {
        orders.push({ customerId: `c${c}`, kind: 'order' as const, placedAt: day(`2024-0${1 + ((c + i) % 5)}-1${c % 10}`), revenue: 10 + c * 3 + i });
      }
    }
    await insertOrders(store, orders);
    await store.run("INSERT INTO customers VALUES ('never', now(), now(), '{}', NULL)");
    await runRfm(store, { asOf, table: DEFAULT_GROUPS_5 });
    const atRisk = (await store.all<{ customer_id: string }>("SELECT customer_id FROM customer_rfm WHERE rfm_group = 'At Risk'")).map((r) => r.customer_id).sort();
    expect(atRisk.length).toBeGreaterThan(0);
    expect(await members('rfm.group = "At Risk"', asOf)).toEqual(atRisk);
    // missing never matches, even with != : the customer without orders is in neither
    const notAtRisk = await members('rfm.group != "At Risk"', asOf);
    expect(notAtRisk).not.toContain('never');
    expect(notAtRisk.length + atRisk.length).toBe(40);
    // the in-memory evaluator reads the same snapshot row and agrees, customer by customer
    const ast = parseSegment('rfm.group = "At Risk"').ast!;
    for (const id of [...Array.from({ length: 40 }, (_, c) => `c${c}`), 'never']) {
      const state = await loadCustomerState(store, id);
      expect(evaluateSegment(ast, state, { asOf }).member).toBe(atRisk.includes(id));
    }
    const champions = await members('rfm.r >= 4 and rfm.score = "555"', asOf);
    const expected = (await store.all<{ customer_id: string }>("SELECT customer_id FROM customer_rfm WHERE score = '555'")).map((r) => r.customer_id).sort();
    expect(champions).toEqual(expected);

    const rep = await runClusters(store, { asOf, k: 2, seed: 3 });
    const name = rep.clusters[1]!.name;
    expect(await members(`cluster.name = "${name}"`, asOf)).toHaveLength(rep.clusters[1]!.size);
    expect(await members('cluster = 0', asOf)).toHaveLength(rep.clusters[0]!.size);
  });
});
