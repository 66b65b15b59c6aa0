import { describe, expect, it } from 'vitest';
import { putPrediction } from '../helpers/predictions.js';
import { at, anon, email, set, resolvingStore } from './sets.js';


/**
 * A merge drops the absorbed customer's stored prediction (it describes a customer that no longer
 * exists; the survivor is predicted again by the next `clv predict`), while customer_predictions is a view
 * over the run and the per-customer values (migration 17): the row goes from the values, the run stays.
 */
describe('a merge and the stored predictions', () => {
  const world = resolvingStore();
  const { resolve } = world;

  it("removes the absorbed customer's prediction and keeps the survivor's and the run", async () => {
    const [c1, c2, c3] = await resolve(set(1, anon('a1')), set(2, email('b@x.io')), set(3, email('c@x.io')));
    const run = { as_of: at(0), model: 'bg-nbd', model_id: 'm1', computed_at: at(0), expected_purchases_90d: 1, churn_risk: 'low' };
    for (const [id, p] of [[c1!, 0.9], [c2!, 0.8], [c3!, 0.7]] as const) {
      await putPrediction(world.store, { ...run, customer_id: id, p_alive: p, churn_probability: 1 - p });
    }
    await resolve({ identifiers: [email('b@x.io'), anon('a1')], at: at(10), messageId: 'join', reason: 'identify' });
    const rows = await world.store.all<{ customer_id: string; p_alive: number; as_of: Date }>(
      'SELECT customer_id, p_alive, as_of FROM customer_predictions ORDER BY customer_id',
    );
    expect(rows).toEqual(
      [
        { customer_id: c1, p_alive: 0.9, as_of: at(0) },
        { customer_id: c3, p_alive: 0.7, as_of: at(0) },
      ].sort((a, b) => a.customer_id!.localeCompare(b.customer_id!)),
    );
    expect(await world.store.all('SELECT model, model_id FROM prediction_runs')).toEqual([{ model: 'bg-nbd', model_id: 'm1' }]);
  });
});
