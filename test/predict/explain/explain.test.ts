import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainCustomer } from '../../../src/predict/explain/explain-customer.js';
import { historyWords } from '../../../src/predict/explain/words.js';
import { contributions } from '../../../src/predict/propensity/model.js';
import { loadModel } from '../../../src/predict/propensity/stored-model.js';
import { trainPropensity } from '../../../src/predict/propensity/train.js';
import type { Store } from '../../../src/store/db.js';
import { propensityFeatures } from '../../../src/store/queries/propensity-features.js';
import { seedShop } from '../../fixtures/predict/shop.js';
import { putPrediction, removePrediction } from '../../helpers/predictions.js';
import { tempStore } from '../../helpers/store.js';

let store: Store;
let cleanup: () => void;
const asOf = new Date('2024-12-31T00:00:00Z');

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  await seedShop(store, { customers: 600, seed: 5 });
  await trainPropensity(store);
  await store.run("INSERT INTO identities VALUES ('user_id', '17850', 'c00004', now())");
  await store.run(
    `INSERT INTO customer_rfm VALUES ('c00004', '2024-12-31', 5, 3, 7, 70, 5, 4, 3, '543', 'Loyal', now())`,
  );
});
afterAll(() => cleanup());

describe('explainCustomer', () => {
  it('puts history, P(alive), the top three contributions and the RFM group into words', async () => {
    const e = await explainCustomer(store, 'c00004', asOf);
    const [row] = await propensityFeatures(store, asOf, ['c00004']);
    expect(e.history?.orders).toBe(row!.orders);
    expect(e.sentences[0]).toBe(
      `${historyWords(row!.orders, row!.tenure_days, row!.recency_days).replace(/^b/, 'B')}; ${e.activity!.words} (P(alive) ${e.activity!.pAlive.toFixed(2)}).`,
    );
    expect(e.scores.map((s) => s.target)).toEqual(['purchase_30d', 'churn_90d']);
    const model = (await loadModel(store, 'purchase_30d'))!.model;
    const all = contributions(model, row!);
    const purchase = e.scores[0]!;
    expect(purchase.topContributions).toEqual(all.slice(0, 3));
    // The three shown are the largest in size, and the words say which way each one pushes.
    for (const c of purchase.topContributions) expect(Math.abs(c.contribution)).toBeGreaterThanOrEqual(Math.abs(all[3]?.contribution ?? 0));
    // The sentence names the three largest themes, each with the direction it pushes and its inputs in words.
    expect(purchase.topFactors).toHaveLength(3);
    for (const f of purchase.topFactors) {
      const members = all.filter((c) => f.words.includes(c.words));
      expect(f.contribution).toBeCloseTo(members.reduce((s, c) => s + c.contribution, 0), 12);
      expect(purchase.sentence).toContain(`${f.theme} ${f.contribution > 0 ? 'raises' : 'lowers'} it`);
      for (const w of f.words) expect(purchase.sentence).toContain(w);
    }
    // Contributions add up to the model's log-odds: intercept + Σ weight × standardised value.
    const logOdds = model.intercept + all.reduce((s, c) => s + c.contribution, 0);
    expect(purchase.probability).toBeCloseTo(1 / (1 + Math.exp(-logOdds)), 12);
    expect(e.rfm).toEqual({ group: 'Loyal', score: '543', asOf: '2024-12-31T00:00:00.000Z', source: 'snapshot' });
    expect(e.sentences.at(-1)).toBe('RFM group Loyal (score 543, snapshot of 2024-12-31).');
  });

  it('uses the P(alive) stored by clv predict for the same day, and fits BG/NBD itself otherwise', async () => {
    const fitted = await explainCustomer(store, 'c00004', asOf);
    expect(fitted.activity?.source).toMatch(/^BG\/NBD fitted on 600 customers/);
    await putPrediction(store, {
      customer_id: 'c00004',
      as_of: '2024-12-31',
      model: 'pareto-nbd',
      model_id: 'm1',
      expected_purchases_90d: 1.5,
      p_alive: 0.42,
      churn_probability: 0.3,
      churn_risk: 'medium',
      computed_at: new Date(),
    });
    const stored = await explainCustomer(store, 'c00004', asOf);
    expect(stored.activity).toMatchObject({ pAlive: 0.42, source: 'segmint clv predict (pareto-nbd, as of 2024-12-31)' });
    expect(stored.sentences[0]).toContain('(P(alive) 0.42)');
    const later = await explainCustomer(store, 'c00004', new Date('2025-02-01T00:00:00Z'));
    expect(later.activity?.source).toMatch(/^BG\/NBD fitted/);
    // The December snapshot does not describe February: the group is computed for the moment asked about.
    expect(later.rfm).toMatchObject({ source: 'computed', asOf: '2025-02-01T00:00:00.000Z' });
    expect(later.rfm!.group).not.toBe('Loyal');
    expect(later.sentences.at(-1)).toMatch(/^RFM group .* \(score \d{3}, as of 2025-02-01\)\.$/);
    await removePrediction(store, 'c00004');
  });

  it('finds the customer by an identifier they are known by', async () => {
    const e = await explainCustomer(store, '17850', asOf);
    expect(e.customerId).toBe('c00004');
  });

  it('says a one-order customer cannot yet be judged rather than "almost surely active"', async () => {
    const one = await store.one<{ customer_id: string }>(
      "SELECT customer_id FROM orders WHERE kind = 'order' GROUP BY customer_id HAVING count(*) = 1 ORDER BY customer_id LIMIT 1",
    );
    const e = await explainCustomer(store, one!.customer_id, asOf);
    expect(e.sentences[0]).toMatch(/^Bought once, .* ago; with a single order the model cannot yet tell/);
  });

  it('explains a customer without orders and refuses an unknown one', async () => {
    await store.run("INSERT INTO customers VALUES ('newbie', now(), now(), '{}', NULL)");
    const e = await explainCustomer(store, 'newbie', asOf);
    expect(e.history).toBeNull();
    expect(e.scores).toEqual([]);
    expect(e.sentences[0]).toMatch(/^No orders by 2024-12-31/);
    await expect(explainCustomer(store, 'ghost', asOf)).rejects.toMatchObject({ code: 'customer_not_found' });
  });
});

describe('historyWords', () => {
  it('reads like the CDNOW example', () => {
    expect(historyWords(26, 31 * 7, 1)).toBe('bought 26 times in 31 weeks, last 1 day ago');
    expect(historyWords(1, 3, 3)).toBe('bought once, 3 days ago');
    expect(historyWords(4, 1000, 20)).toBe('bought 4 times in 2.7 years, last 3 weeks ago');
  });
});
