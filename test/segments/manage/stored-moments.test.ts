import { describe, expect, it } from 'vitest';
import { registerAllFields } from '../../../src/fields.js';
import { previewSegment } from '../../../src/segments/manage/preview.js';
import { warningFor } from '../../../src/segments/manage/stored-moments.js';
import { runRfm } from '../../../src/analytics/rfm/rfm.js';
import { DEFAULT_GROUPS_5 } from '../../../src/analytics/rfm/groups.js';
import { refreshCustomerMetrics } from '../../../src/store/queries/metrics.js';
import { insertOrders } from '../../fixtures/predict/shop.js';
import { storePerTest } from '../../helpers/store.js';

const day = (s: string) => new Date(`${s}T00:00:00Z`);

describe('a segment evaluated as of one moment never silently reads stored values of another', () => {
  const store = storePerTest();
  registerAllFields();

  it('preview --as-of June with a December RFM snapshot and December metrics says so', async () => {
    const s = await store();
    await insertOrders(
      s,
      Array.from({ length: 8 }, (_, i) => ({ orderId: `o${i}`, customerId: `c${i % 4}`, placedAt: new Date(Date.UTC(2011, i, 3, 12)), products: ['p'] })),
    );
    await refreshCustomerMetrics(s);
    await runRfm(s, { asOf: day('2011-12-10'), table: DEFAULT_GROUPS_5 });
    const june = await previewSegment(s, { query: 'rfm.group = "At Risk" or orders_count > 1 or clv.p_alive < 0.5' }, { asOf: day('2011-06-01') });
    const stored = june.warnings.filter((w) => w.code === 'stored_moment');
    expect(stored.map((w) => w.message)).toEqual([
      'rfm.group comes from the saved RFM snapshot as of 2011-12-10, not from this as-of (2011-06-01); run `segmint rfm --as-of 2011-06-01` first for values of that moment.',
      'orders_count is a customer metric over every order up to 2011-08-03, later than this as-of (2011-06-01): it counts orders placed after it.',
      'clv.p_alive has no values yet: run `segmint clv predict` first.',
    ]);
    const december = await previewSegment(s, { query: 'rfm.group = "At Risk" or orders_count > 1' }, { asOf: day('2011-12-10') });
    expect(december.warnings.filter((w) => w.code === 'stored_moment')).toEqual([]);
  });

  it('words every branch', () => {
    const at = day('2011-06-01');
    const m = (table: string, moment: Date | null) => ({ table, moment });
    expect(warningFor(m('customer_metrics', day('2011-05-01')), ['orders_count'], at)).toEqual([]);
    expect(warningFor(m('customer_metrics', null), ['orders_count'], at)).toEqual([]);
    expect(warningFor(m('customer_metrics', day('2011-12-09')), ['orders_count', 'total_spent', 'days_since_last_order'], at)[0]!.message).toBe(
      'orders_count, total_spent and days_since_last_order are customer metrics over every order up to 2011-12-09, later than this as-of (2011-06-01): they count orders placed after it.',
    );
    // D8 (trial 5): metrics later on the as-of's own day are told apart by their times, not by two equal dates
    expect(warningFor(m('customer_metrics', new Date('2011-06-01T14:03:00Z')), ['total_spent'], at)[0]!.message).toBe(
      'total_spent is a customer metric over every order up to 2011-06-01T14:03:00Z, later than this as-of (2011-06-01T00:00:00Z): it counts orders placed after it.',
    );
    expect(warningFor(m('customer_metrics', new Date('2011-06-01T14:03:00.250Z')), ['total_spent'], new Date('2011-06-01T14:03:00.125Z'))[0]!.message).toMatch(
      /up to 2011-06-01T14:03:00\.250Z, later than this as-of \(2011-06-01T14:03:00\.125Z\)/,
    );
    expect(warningFor(m('customer_rfm', new Date('2011-06-01T20:00:00Z')), ['rfm.group'], at)).toEqual([]);
    expect(warningFor(m('customer_clusters', day('2011-12-10')), ['cluster', 'cluster.name'], at)[0]!.message).toBe(
      'cluster and cluster.name come from the saved clusters as of 2011-12-10, not from this as-of (2011-06-01); run `segmint clusters --as-of 2011-06-01` first for values of that moment.',
    );
    expect(warningFor(m('customer_predictions', null), ['clv.p_alive', 'churn.risk'], at)[0]!.message).toBe(
      'clv.p_alive and churn.risk have no values yet: run `segmint clv predict` first.',
    );
    expect(warningFor(m('customer_propensity', day('2011-12-09')), ['propensity.churn_90d'], at)[0]).toMatchObject({
      message: 'propensity.churn_90d comes from the stored propensity scores as of 2011-12-09, not from this as-of (2011-06-01); run `segmint propensity score --cutoff 2011-06-01` first for values of that moment.',
      storedAsOf: '2011-12-09T00:00:00.000Z',
      table: 'customer_propensity',
    });
    expect(warningFor(m('workflow_state', day('2011-12-09')), ['x'], at)).toEqual([]);
  });
});
