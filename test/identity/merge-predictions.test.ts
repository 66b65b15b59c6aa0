import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Identifier } from '../../src/domain/identifiers.js';
import { resolveIdentifierSets, type IdentifierSet } from '../../src/ingest/identity/resolve.js';
import type { Store } from '../../src/store/db.js';
import { putPrediction } from '../helpers/predictions.js';
import { tempStore } from '../helpers/store.js';

const at = (min: number) => new Date(Date.UTC(2024, 0, 1, 0, min));
const anon = (value: string): Identifier => ({ kind: 'anonymous_id', value });
const email = (value: string): Identifier => ({ kind: 'email', value });
const set = (minute: number, ...identifiers: Identifier[]): IdentifierSet => ({ identifiers, at: at(minute), messageId: `m${minute}` });

/**
 * A merge drops the absorbed customer's stored prediction (it describes a customer that no longer
 * exists; the survivor is predicted again by the next `clv predict`), while customer_predictions is a view
 * over the run and the per-customer values (migration 17): the row goes from the values, the run stays.
 */
describe('a merge and the stored predictions', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  beforeEach(async () => {
    t = await tempStore();
    store = t.store;
  });
  afterEach(() => t.cleanup());

  const resolve = (...sets: IdentifierSet[]) => store.transaction((tx) => resolveIdentifierSets(tx, sets));

  it("removes the absorbed customer's prediction and keeps the survivor's and the run", async () => {
    const [c1, c2, c3] = await resolve(set(1, anon('a1')), set(2, email('b@x.io')), set(3, email('c@x.io')));
    const run = { as_of: at(0), model: 'bg-nbd', model_id: 'm1', computed_at: at(0), expected_purchases_90d: 1, churn_risk: 'low' };
    for (const [id, p] of [[c1!, 0.9], [c2!, 0.8], [c3!, 0.7]] as const) {
      await putPrediction(store, { ...run, customer_id: id, p_alive: p, churn_probability: 1 - p });
    }
    await resolve({ identifiers: [email('b@x.io'), anon('a1')], at: at(10), messageId: 'join', reason: 'identify' });
    const rows = await store.all<{ customer_id: string; p_alive: number; as_of: Date }>(
      'SELECT customer_id, p_alive, as_of FROM customer_predictions ORDER BY customer_id',
    );
    expect(rows).toEqual(
      [
        { customer_id: c1, p_alive: 0.9, as_of: at(0) },
        { customer_id: c3, p_alive: 0.7, as_of: at(0) },
      ].sort((a, b) => a.customer_id!.localeCompare(b.customer_id!)),
    );
    expect(await store.all('SELECT model, model_id FROM prediction_runs')).toEqual([{ model: 'bg-nbd', model_id: 'm1' }]);
  });
});
