import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainCustomer } from '../../../src/predict/explain/explain-customer.js';
import { trainPropensity } from '../../../src/predict/propensity/train.js';
import { purchaseTarget } from '../../../src/predict/propensity/targets.js';
import { shiftDays } from '../../../src/domain/days.js';
import { validateTarget } from '../../../src/predict/propensity/validate.js';
import { evaluateAndChoose } from '../../../src/predict/recommend/method.js';
import type { Store } from '../../../src/store/db.js';
import { orderTimeRange } from '../../../src/store/queries/propensity-features.js';
import { sharedFile, skipWithoutShared } from '../../helpers/shared-data.js';
import { onlineRetailStore } from '../../helpers/fixtures.js';

// Propensity and recommendations on the real UCI Online Retail file, imported once for both.
const file = sharedFile('online-retail.csv.gz');
if (!file) console.log(skipWithoutShared('online-retail.csv.gz'));

let store: Store;
let cleanup: () => void = () => undefined;

describe.skipIf(!file)('Online Retail (real data): propensity and recommendations on a time split', () => {
  beforeAll(async () => {
    ({ store, cleanup } = await onlineRetailStore(file!));
  });
  afterAll(() => cleanup());

  it('purchase_30d: the model ranks the next 30 days better than chance and at least as well as recency', async () => {
    const { last } = (await orderTimeRange(store))!;
    const v = await validateTarget(store, purchaseTarget(30), shiftDays(last, -60), last);
    const recency = v.baselines.find((b) => b.name === 'recency')!;
    const bg = v.baselines.find((b) => b.name === 'bg-nbd')!;
    console.log(
      `purchase_30d AUC: model ${v.model.auc.toFixed(3)}, recency ${recency.auc?.toFixed(3)}, BG/NBD ${bg.auc?.toFixed(3) ?? bg.unavailable}; ` +
        `precision@10%: ${v.model.precisionTop10.toFixed(3)} / ${recency.precisionTop10?.toFixed(3)} / ${bg.precisionTop10?.toFixed(3)}`,
    );
    expect(v.test.customers).toBeGreaterThan(3500);
    expect(v.model.auc).toBeGreaterThan(0.5);
    expect(v.model.auc).toBeGreaterThan(recency.auc! - 0.01);
    expect(bg.unavailable).toBeUndefined();
    expect(bg.auc).toBeGreaterThan(0.5);
  });

  it('recommendations: hit rate at 10 of the next order beats recommending best-sellers, so co-occurrence is the method', async () => {
    const { evaluation: e, choice } = await evaluateAndChoose(store);
    expect(choice.method).toBe('cooccurrence');
    console.log(
      `hit rate at 10 after ${e.split.slice(0, 10)} (${e.customers} customers): co-occurrence ${e.cooccurrence.hitRate.toFixed(3)}, popularity ${e.popularity.hitRate.toFixed(3)}`,
    );
    expect(e.customers).toBeGreaterThan(1000);
    expect(e.cooccurrence.hitRate).toBeGreaterThan(e.popularity.hitRate);
  });

  it('explains a real customer by their Online Retail CustomerID', async () => {
    await trainPropensity(store);
    const e = await explainCustomer(store, '17850');
    expect(e.history?.orders).toBeGreaterThan(1);
    expect(e.activity?.pAlive).toBeGreaterThanOrEqual(0);
    expect(e.scores).toHaveLength(2);
    console.log(e.sentences.join('\n'));
  });
});
