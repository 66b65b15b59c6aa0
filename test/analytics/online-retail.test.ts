import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAsOf } from '../../src/analytics/asOf.js';
import { runClusters } from '../../src/analytics/clusters/runClusters.js';
import { runCohorts } from '../../src/analytics/cohorts/cohorts.js';
import { registerAnalyticsFields } from '../../src/analytics/fields.js';
import { DEFAULT_GROUPS_5 } from '../../src/analytics/rfm/groups.js';
import { rfmMovementReport } from '../../src/analytics/rfm/movement.js';
import { runRfm } from '../../src/analytics/rfm/rfm.js';
import { compileSegment, parseSegment } from '../../src/segments/index.js';
import type { Store } from '../../src/store/db.js';
import { sharedFile, skipWithoutShared } from '../helpers/shared-data.js';
import { onlineRetailStore } from '../helpers/fixtures.js';

const file = sharedFile('online-retail.csv.gz');
if (!file) console.warn(skipWithoutShared('online-retail.csv.gz'));

let store: Store;
let cleanup: () => void = () => undefined;

describe.skipIf(!file)('analytics on the UCI Online Retail file (skipped without ../shared/data)', () => {
  beforeAll(async () => {
    ({ store, cleanup } = await onlineRetailStore(file!));
  }, 600_000);
  afterAll(() => cleanup());

  it('RFM as of 2011-12-10 gives the documented group sizes and customers', async () => {
    const asOf = await resolveAsOf(store, undefined);
    expect(asOf.toISOString()).toBe('2011-12-10T00:00:00.000Z');
    const rep = await runRfm(store, { asOf, table: DEFAULT_GROUPS_5, customer: '12347' });
    expect(rep.scored).toBe(4339);
    expect(rep.groups).toEqual({
      Champions: 651,
      'Loyal Customers': 862,
      'Potential Loyalists': 465,
      'New Customers': 32,
      Promising: 89,
      'Need Attention': 210,
      'About to Sleep': 303,
      'At Risk': 671,
      "Can't Lose Them": 82,
      Hibernating: 974,
    });
    // Mid-rank ties: the 1,494 one-order customers fill the lowest third, the two-order ones the middle.
    expect(rep.f).toEqual({ 1: 1494, 2: 0, 3: 1343, 4: 630, 5: 872 });
    expect(rep.m).toEqual({ 1: 868, 2: 868, 3: 867, 4: 868, 5: 868 });
    expect(rep.customer).toMatchObject({ recency_days: 2, r: 5, f: 5, m: 5, group: 'Champions' });
    const other = await runRfm(store, { asOf, table: DEFAULT_GROUPS_5, customer: '12346', save: false });
    expect(other.customer).toMatchObject({ recency_days: 325, r: 1, f: 1, m: 1, group: 'Hibernating' });
  });

  it('rfm.group = "At Risk" selects the 671 customers of the snapshot', async () => {
    registerAnalyticsFields();
    const parsed = parseSegment('rfm.group = "At Risk"');
    const { sql, parameters } = compileSegment(parsed.ast!, { asOf: new Date('2011-12-10T00:00:00Z') });
    expect(await store.all(sql, parameters as never)).toHaveLength(671);
  });

  it('movement over the last quarter accounts for every customer', async () => {
    const mv = await rfmMovementReport(store, new Date('2011-09-01T00:00:00Z'), new Date('2011-12-10T00:00:00Z'), DEFAULT_GROUPS_5);
    expect(mv.customers_at_to).toBe(4339);
    const cells = Object.values(mv.matrix).flatMap((row) => Object.values(row));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(4339);
    const atFrom = await runRfm(store, { asOf: new Date('2011-09-01T00:00:00Z'), table: DEFAULT_GROUPS_5, save: false });
    for (const [group, count] of Object.entries(atFrom.groups)) {
      expect(Object.values(mv.matrix[group]!).reduce((a, b) => a + b, 0)).toBe(count);
    }
  });

  it('monthly cohorts match the widely published retention of this file', async () => {
    const rep = await runCohorts(store, 'month');
    expect(rep.cohorts.map((c) => c.customers)).toEqual([885, 417, 380, 452, 300, 284, 242, 188, 169, 299, 358, 324, 41]);
    const dec = rep.cohorts[0]!.periods.map((p) => Math.round(p.retention * 1000) / 1000);
    expect(dec).toEqual([1, 0.366, 0.323, 0.384, 0.363, 0.398, 0.363, 0.349, 0.354, 0.395, 0.374, 0.503, 0.266]);
    expect(rep.last_period_partial).toBe(true);
  });

  it('clusters with --k auto: every k reported, named clusters covering everyone', async () => {
    // fewer restarts keep this test quick; the CLI default is 10
    const rep = await runClusters(store, { asOf: new Date('2011-12-10T00:00:00Z'), seed: 42, restarts: 4 });
    console.log(
      `Online Retail clusters: k = ${rep.k}; ` +
        rep.selection!.map((c) => `k${c.k} silhouette ${c.silhouette.toFixed(3)}`).join(', ') +
        '; ' +
        rep.clusters.map((c) => `${c.size} "${c.name}"`).join(', '),
    );
    expect(rep.selection!.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(rep.clusters.reduce((a, c) => a + c.size, 0)).toBe(4339);
    expect(new Set(rep.clusters.map((c) => c.name)).size).toBe(rep.k);
    const best = rep.clusters.reduce((a, c) => ((c.z.monetary ?? 0) > (a.z.monetary ?? 0) ? c : a));
    expect(best.name).toMatch(/recent.*frequent.*spend/);
  });
});
