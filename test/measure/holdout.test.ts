import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/measure/experiments/analyze.js';
import { refreshCustomerMetrics } from '../../src/store/queries/metrics.js';
import { storePerFile } from '../helpers/store.js';
import { sourcedExperiment } from './shop.js';

/*
 * The analysis side of the workflow holdout check: a month of customers entering an abandoned-cart
 * flow day by day, 20% held out by a stable hash, the rest sent a reminder that lifts 7-day recovery
 * from 8% to 12% (the lift built in). The assignments are read through an assignment source shaped as
 * a workflow's split table (customer, variant, entered_at), as the workflow source will be once
 * workflows land; this test then runs unchanged against the demo shop's workflow.
 */
const T0 = new Date('2024-05-01T00:00:00Z');
const N = 6000;
const db = storePerFile(async (store) => {
  const u = (salt: string) => `(('0x' || substr(md5('${salt}' || i), 1, 8))::UBIGINT / 4294967296.0)`;
  await store.run(`INSERT INTO customers (customer_id, created_at, updated_at, traits) SELECT 'h' || i, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', '{}' FROM range(${N}) t(i)`);
  await store.run('CREATE TABLE flow_splits (customer_id VARCHAR, variant VARCHAR, entered_at TIMESTAMP)');
  await store.run(
    `INSERT INTO flow_splits SELECT 'h' || i, CASE WHEN ${u('x')} < 0.2 THEN 'holdout' ELSE 'reminder' END,
       $1::TIMESTAMP + to_days((i % 30)::INTEGER) + to_minutes((${u('m')} * 1440)::BIGINT) FROM range(${N}) t(i)`,
    [T0],
  );
  await store.run(
    `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, source)
     SELECT 'r' || i, s.customer_id, 'order', s.entered_at + to_hours(1 + (${u('t')} * 150)::BIGINT), 50, 'test'
     FROM flow_splits s JOIN (SELECT 'h' || i AS customer_id, i FROM range(${N}) t(i)) x USING (customer_id)
     WHERE ${u('c')} < CASE WHEN s.variant = 'holdout' THEN 0.08 ELSE 0.12 END`,
  );
  await refreshCustomerMetrics(store);
  await sourcedExperiment(store, {
    kind: 'test-flow',
    name: 'abandoned-cart holdout',
    sql: 'SELECT customer_id, variant AS group_name, entered_at AS assigned_at FROM flow_splits WHERE $1::VARCHAR IS NOT NULL',
    groups: [{ name: 'holdout', weight: 20 }, { name: 'reminder', weight: 80 }],
    assignedAt: T0,
    planned: N,
    accrues: true,
  });
});

describe('a workflow holdout over a simulated month', () => {
  it('reports the built-in lift (8% → 12% recovery within 7 days) inside its intervals', async () => {
    const a = await analyzeExperiment(db.store, 'abandoned-cart holdout', { asOf: new Date('2024-06-10T00:00:00Z'), windowDays: 7, metrics: 'conversion' });
    expect(a.srm_p_value!).toBeGreaterThan(0.001);
    expect(a.complete_windows).toBe(N);
    const r = a.metrics[0]!.groups[1]!;
    expect(r.group).toBe('reminder');
    for (const interval of [r.absolute_lift!, r.sequential!.absolute_lift]) {
      expect(interval.ci95[0]!).toBeLessThan(0.04);
      expect(interval.ci95[1]!).toBeGreaterThan(0.04);
    }
    expect(r.relative_lift!.ci95[0]!).toBeLessThan(0.5);
    expect(r.relative_lift!.ci95[1]!).toBeGreaterThan(0.5);
    expect(r.p_value!).toBeLessThan(0.05);
  });

  it('while customers still enter, says how many more days a smaller lift needs at the current pace', async () => {
    const a = await analyzeExperiment(db.store, 'abandoned-cart holdout', { asOf: new Date('2024-05-03T00:00:00Z'), windowDays: 7, metrics: 'conversion', mde: 0.1 });
    const r = a.metrics[0]!.groups[1]!;
    expect(a.customers).toBeLessThan(N);
    expect(r.power!.days_needed).toBeGreaterThan(7);
    expect(r.summary).toMatch(/about [\d,]+ more days at the current pace/);
    expect(a.summary[0]).toMatch(/^Window still open/);
  });

  it('less than a day after the first customer entered, says it is too early for a pace, not to repeat a campaign (trial 8, D5)', async () => {
    const a = await analyzeExperiment(db.store, 'abandoned-cart holdout', { asOf: new Date('2024-05-01T23:30:00Z'), windowDays: 7, metrics: 'conversion', mde: 0.1 });
    const r = a.metrics[0]!.groups[1]!;
    expect(a.customers).toBeGreaterThan(0);
    expect(r.power!.days_needed).toBeNull();
    expect(r.power!.accrues).toBe(true);
    // the words for these figures: test/measure/words.test.ts
  });
});
