import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { predictionDistribution } from '../../src/predict/clv/distribution.js';
import { predictFromStore } from '../../src/predict/clv/run/predict-from-store.js';
import { explainCustomer } from '../../src/predict/explain/explain-customer.js';
import { subjectExport } from '../../src/privacy/export.js';
import { customerScores } from '../../src/profiles/scores.js';
import { segmentKpis } from '../../src/measure/kpis/read.js';
import { loadCustomerState } from '../../src/segments/index.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { explainMembership } from '../../src/segments/manage/explain.js';
import { previewSegment } from '../../src/segments/manage/preview.js';
import { storedMoments } from '../../src/store/queries/segments/stored-moments.js';
import { Store } from '../../src/store/db.js';
import { predictions } from '../../src/store/migrations/003_predictions.js';
import { predictionsUnkeyed } from '../../src/store/migrations/010_predictions_unkeyed.js';
import { predictionRuns } from '../../src/store/migrations/017_prediction_runs.js';
import { customerPredictions } from '../../src/store/queries/clv-predictions.js';
import { storedPrediction } from '../../src/store/queries/profiles/scores.js';
import { storedPAlive } from '../../src/store/queries/propensity-explain.js';
import { templateData } from '../../src/workflows/channels/email/data.js';
import type { Run } from '../../src/workflows/engine/run.js';
import { seedShop } from '../fixtures/predict/shop.js';
import { tempStore } from '../helpers/store.js';

/**
 * Migration 17 stores a prediction run's constants once (prediction_runs) and the per-customer values
 * apart (customer_prediction_values), with customer_predictions a view joining them. A database written
 * by the old schema (one customer_predictions table, as migrations 3 and 10 made it) must come through
 * with every prediction, and every reader must answer exactly as it did before the migration.
 */

const asOf = new Date('2024-12-30T00:00:00Z');
const now = new Date('2025-01-02T09:00:00Z');
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

/** Turns a migrated store back into the schema before migration 17, with `rows` as its predictions. */
async function toOldSchema(store: Store, rows: string): Promise<void> {
  await store.run(`CREATE TEMP TABLE old_rows AS ${rows}`);
  for (const sql of ['DROP VIEW customer_predictions', 'DROP TABLE customer_prediction_values', 'DROP TABLE prediction_runs']) await store.run(sql);
  await store.run(predictions.statements.find((s) => s.includes('CREATE TABLE customer_predictions')) as string);
  for (const sql of predictionsUnkeyed.statements) await store.run(sql);
  await store.run('INSERT INTO customer_predictions SELECT * FROM old_rows');
  await store.run('DROP TABLE old_rows');
  await store.run('DELETE FROM schema_migrations WHERE version = 17');
  await store.checkpoint();
}

/** What every reader of the predictions answers, for the base and for a few customers (its type is what they return). */
async function answers(store: Store, ids: readonly string[]) {
  const run: Omit<Run, 'customerId'> = {
    runId: 'r1',
    workflowId: 'w1',
    workflowName: 'win back',
    version: 1,
    runKey: 'k',
    triggerId: 't',
    context: { trigger: { kind: 'segment', segment: 'loyal', change: 'entered', at: now.toISOString() }, holdout: false },
    status: 'active',
    phase: null,
    position: null,
    wakeAt: null,
    waitEvent: null,
    stepStartedAt: null,
    enteredAt: now,
    updatedAt: now,
    endedAt: null,
    endReason: null,
    convertedAt: null,
  };
  const query = 'churn.risk = "low" and clv.p_alive > 0.5 and clv.predicted_365d > 1 and next_order_at < 2025-03-01';
  const perCustomer = [];
  for (const id of ids) {
    perCustomer.push({
      predictions: await customerPredictions(store, id),
      stored: await storedPrediction(store, id),
      pAlive: await storedPAlive(store, id),
      scores: await customerScores(store, id),
      explain: await explainCustomer(store, id, asOf),
      state: (await loadCustomerState(store, id)).rows.customer_predictions ?? null,
      membership: await explainMembership(store, 'loyal', id, asOf),
      email: (await templateData(store, { ...run, customerId: id }, { email: null, unsubscribeUrl: 'u', now, recommendations: false })).predictions,
      export: await subjectExport(store, id, now),
    });
  }
  const preview = await previewSegment(store, { query }, { asOf, sampleSize: 5 });
  return {
    all: await customerPredictions(store),
    view: await store.all('SELECT * FROM customer_predictions ORDER BY customer_id'),
    distribution: await predictionDistribution(store),
    moments: await storedMoments(store, ['customer_predictions']),
    preview: { count: preview.count, base: preview.base, sample: preview.sample.map((m) => m.customerId), warnings: preview.warnings },
    kpis: await segmentKpis(store, ['loyal'], '2024-12-29', '2025-01-01'),
    perCustomer,
  };
}

describe('migration 17: a prediction run stored once, its values per customer', () => {
  let before: unknown;
  let after: unknown;
  let migrated: Store;
  let ids: string[];

  beforeAll(async () => {
    registerAllFields();
    const t = await tempStore();
    cleanups.push(t.cleanup);
    const store = t.store;
    await seedShop(store, { customers: 300, seed: 17 });
    await predictFromStore(store, { asOf, horizonDays: 365, discount: 0.1 });
    await createSegment(store, { name: 'loyal', definition: { query: 'churn.risk = "low" and clv.p_alive > 0.5' } }, new Date('2024-12-01T00:00:00Z'));
    // The old table as `clv predict` wrote it: one run on every row, in customer-id order. Read from the
    // stored tables, not through the view, so a fault of the view cannot hide in both sides.
    await toOldSchema(
      store,
      `SELECT v.customer_id, r.as_of, r.model, r.model_id, v.expected_purchases_90d, v.p_alive, v.churn_probability, v.churn_risk,
         v.expected_spend, v.predicted_clv_365d, v.next_order_at, r.computed_at
       FROM customer_prediction_values v, prediction_runs r ORDER BY v.customer_id`,
    );
    // A customer without a spend prediction, as a run without a Gamma-Gamma fit writes every customer.
    await store.run("UPDATE customer_predictions SET expected_spend = NULL, predicted_clv_365d = NULL WHERE customer_id = 'c00001'");
    await store.checkpoint();
    const copy = join(t.dir, 'old.duckdb');
    copyFileSync(t.path, copy);
    const some = await store.all<{ customer_id: string }>(
      `SELECT customer_id FROM customer_predictions
       WHERE customer_id IN (SELECT min(customer_id) FROM customer_predictions GROUP BY churn_risk, expected_spend IS NULL, next_order_at IS NULL)
       ORDER BY customer_id`,
    );
    ids = some.map((r) => r.customer_id);
    before = await answers(store, ids);
    migrated = await Store.open(copy);
    cleanups.unshift(() => migrated.close());
    after = await answers(migrated, ids);
  }, 300_000);

  it('was given a database of the old schema with predictions of every kind', async () => {
    const kinds = await migrated.one<{ risks: number; no_spend: number; no_date: number; n: number }>(
      `SELECT count(DISTINCT churn_risk) AS risks, count(*) FILTER (WHERE expected_spend IS NULL) AS no_spend,
         count(*) FILTER (WHERE next_order_at IS NULL) AS no_date, count(*) AS n FROM customer_predictions`,
    );
    expect(kinds).toMatchObject({ risks: 3, n: 300 });
    expect(kinds!.no_spend).toBeGreaterThan(0);
    expect(kinds!.no_date).toBeGreaterThan(0);
    expect(ids.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps every prediction, storing the run once and each customer once', async () => {
    expect(await migrated.all('SELECT version FROM schema_migrations WHERE version = 17')).toHaveLength(1);
    expect(await migrated.one("SELECT table_type FROM information_schema.tables WHERE table_name = 'customer_predictions'")).toEqual({ table_type: 'VIEW' });
    expect(await migrated.all('SELECT as_of, model FROM prediction_runs')).toEqual([{ as_of: asOf, model: 'bg-nbd' }]);
    expect((await migrated.one<{ n: number }>('SELECT count(*) AS n FROM customer_prediction_values'))!.n).toBe(300);
  });

  it('answers every reader exactly as before: segments, KPIs, explanations, profiles, templates, subject export', () => {
    expect(after).toEqual(before);
  });

  it('had readers that saw the predictions (so the comparison above compares something)', () => {
    const b = before as Awaited<ReturnType<typeof answers>>;
    expect(b.all).toHaveLength(300);
    expect(b.preview.count).toBeGreaterThan(0);
    expect(b.preview.count).toBeLessThan(300);
    expect(b.moments).toEqual([{ table: 'customer_predictions', moment: asOf }]);
    expect(b.kpis[0]!.days.at(-1)!.churn_risk).not.toBeNull();
    for (const c of b.perCustomer) {
      expect(c.predictions).toHaveLength(1);
      expect(c.stored).toMatchObject({ as_of: asOf, model: 'bg-nbd' });
      expect(c.explain.activity?.source).toBe('segmint clv predict (bg-nbd, as of 2024-12-30)');
      expect(c.state).toMatchObject({ p_alive: c.predictions[0]!.p_alive });
      expect(c.email).toMatchObject({ p_alive: c.predictions[0]!.p_alive, as_of: asOf.toISOString() });
      expect(c.export.tables.customer_predictions).toHaveLength(1);
    }
    expect(b.perCustomer.map((c) => c.membership.member)).toContain(true);
  });

  it('is written by clv predict through the new tables, and a second run replaces the first whole', async () => {
    const first = await migrated.all('SELECT * FROM customer_predictions ORDER BY customer_id');
    await predictFromStore(migrated, { asOf, horizonDays: 365, discount: 0.1 });
    const second = await migrated.all('SELECT * FROM customer_predictions ORDER BY customer_id');
    // The same predictions (the same fit, the same day), the hand-made NULL spend of c00001 predicted again.
    const same = (rows: Record<string, unknown>[]) => rows.filter((r) => r.customer_id !== 'c00001').map((r) => ({ ...r, computed_at: null }));
    expect(same(second)).toEqual(same(first));
    expect(second.find((r) => r.customer_id === 'c00001')).toMatchObject({ expected_spend: expect.any(Number) });
    expect(await migrated.one<{ n: number }>('SELECT count(*) AS n FROM prediction_runs')).toEqual({ n: 1 });
  });
});

describe('migration 17 on odd old tables', () => {
  const cases: { name: string; rows: string; runs: unknown[]; values: string[] }[] = [
    { name: 'an empty table leaves no run and no values', rows: 'SELECT * FROM customer_predictions', runs: [], values: [] },
    {
      name: 'rows of two runs (only a hand edit makes them): the latest run is kept with its rows',
      rows: `SELECT * FROM (VALUES
        ('a', TIMESTAMP '2024-01-10', 'bg-nbd', 'm1', 0.5, 0.4, 0.6, 'medium', 12.5, 3.125, TIMESTAMP '2024-02-01 12:00:00', TIMESTAMP '2024-01-11'),
        ('b', TIMESTAMP '2024-03-01', 'pareto-nbd', 'm2', 0.0, 1.0, 0.0, 'low', NULL, NULL, NULL, TIMESTAMP '2024-03-02'),
        ('c', TIMESTAMP '2024-03-01', 'pareto-nbd', 'm2', 1.0, 0.9, 0.1, 'low', 2.0, 4.0, NULL, TIMESTAMP '2024-03-02'))`,
      runs: [{ as_of: new Date('2024-03-01T00:00:00Z'), model: 'pareto-nbd', model_id: 'm2', computed_at: new Date('2024-03-02T00:00:00Z') }],
      values: ['b', 'c'],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = await tempStore();
      cleanups.push(t.cleanup);
      await toOldSchema(t.store, c.rows);
      const old = await t.store.all('SELECT * FROM customer_predictions ORDER BY customer_id');
      await t.store.transaction(async (tx) => {
        for (const sql of predictionRuns.statements) await tx.run(sql);
      });
      expect(await t.store.all('SELECT as_of, model, model_id, computed_at FROM prediction_runs')).toEqual(c.runs);
      const kept = await t.store.all('SELECT * FROM customer_predictions ORDER BY customer_id');
      expect(kept.map((r) => r.customer_id)).toEqual(c.values);
      // The kept rows read back exactly as the old table held them.
      expect(kept).toEqual(old.filter((r) => c.values.includes(r.customer_id as string)));
    });
  }
});
