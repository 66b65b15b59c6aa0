import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propensityFields, registerPropensityFields } from '../../../src/predict/propensity/fields.js';
import { scorePropensity } from '../../../src/predict/propensity/score.js';
import { loadModel } from '../../../src/predict/propensity/stored-model.js';
import { trainPropensity } from '../../../src/predict/propensity/train.js';
import { validatePropensity } from '../../../src/predict/propensity/validate.js';
import { Catalog, defaultCatalog } from '../../../src/segments/catalog/index.js';
import type { Store } from '../../../src/store/db.js';
import { seedShop } from '../../fixtures/predict/shop.js';
import { tempStore } from '../../helpers/store.js';

let store: Store;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  await seedShop(store, { customers: 1000, seed: 42 });
});
afterAll(() => cleanup());

describe('propensity on a simulated shop', () => {
  it('refuses to score before a model is trained', async () => {
    await expect(scorePropensity(store)).rejects.toMatchObject({ code: 'propensity_not_trained' });
  });

  it('refuses a cutoff whose label window runs past the data', async () => {
    await expect(trainPropensity(store, { cutoff: new Date('2024-12-20T00:00:00Z') })).rejects.toMatchObject({ code: 'cutoff_too_late' });
    await expect(trainPropensity(store, { horizonDays: 0 })).rejects.toMatchObject({ code: 'invalid_horizon' });
  });

  it('trains, stores and reloads both models', async () => {
    const trained = await trainPropensity(store);
    expect(trained.map((t) => t.model.target)).toEqual(['purchase_30d', 'churn_90d']);
    for (const t of trained) {
      expect(t.model.converged).toBe(true);
      expect(t.model.positives).toBeGreaterThan(0);
      expect(t.model.positives).toBeLessThan(t.model.trainedOn);
      expect((await loadModel(store, t.model.target))?.model).toEqual(t.model);
    }
    // Training twice at the same cutoff replaces the model rather than piling up copies.
    await trainPropensity(store);
    expect(await store.one('SELECT count(*) AS n FROM propensity_models')).toEqual({ n: 2 });
  });

  it('scores every customer with orders into the per-customer view segments read', async () => {
    const results = await scorePropensity(store);
    expect(results.map((r) => r.target).sort()).toEqual(['churn_90d', 'purchase_30d']);
    const buyers = await store.one<{ n: number }>("SELECT count(DISTINCT customer_id) AS n FROM orders WHERE kind = 'order'");
    const view = await store.all<{ purchase_30d: number; churn_90d: number }>('SELECT * FROM customer_propensity');
    expect(view).toHaveLength(buyers!.n);
    for (const r of view) {
      expect(r.purchase_30d).toBeGreaterThan(0);
      expect(r.purchase_30d).toBeLessThan(1);
      expect(r.churn_90d).toBeGreaterThan(0);
      expect(r.churn_90d).toBeLessThan(1);
    }
    // The two models are trained separately, but they must agree on direction: who is likely to buy
    // within 30 days is unlikely to go 90 days without buying.
    const corr = await store.one<{ c: number }>('SELECT corr(purchase_30d, churn_90d) AS c FROM customer_propensity');
    expect(corr!.c).toBeLessThan(-0.5);
  });

  it('validates on a later window and beats chance', async () => {
    const [purchase, churn] = await validatePropensity(store);
    for (const v of [purchase!, churn!]) {
      expect(Date.parse(v.testCutoff) - Date.parse(v.trainCutoff)).toBe(v.horizonDays * 86_400_000);
      expect(v.model.auc).toBeGreaterThan(0.65);
      expect(v.calibration).toHaveLength(10);
      expect(v.baselines.map((b) => b.name)).toEqual(['recency', 'bg-nbd']);
      for (const b of v.baselines) expect(b.auc).toBeGreaterThan(0.5);
    }
  });

  it('registers its segment fields on the customer_propensity view', () => {
    const c = new Catalog().with(propensityFields);
    expect(c.get('propensity.purchase_30d')).toMatchObject({ table: 'customer_propensity', column: 'purchase_30d', type: 'number' });
    registerPropensityFields();
    registerPropensityFields();
    expect(defaultCatalog.get('propensity.churn_90d')?.column).toBe('churn_90d');
  });

  it('has the view columns the fields name', async () => {
    const cols = await store.all<{ column_name: string }>(
      "SELECT column_name FROM duckdb_columns() WHERE table_name = 'customer_propensity' ORDER BY column_index",
    );
    for (const f of propensityFields) expect(cols.map((c) => c.column_name)).toContain(f.column);
  });
});
