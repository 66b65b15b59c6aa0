import type { Queryable } from '../store/db.js';
import { storedCluster, storedPrediction, storedPropensity, storedRfm } from '../store/queries/profiles/scores.js';
import type { StoredClusterRow, StoredPredictionRow, StoredPropensityRow, StoredRfmRow } from '../store/queries/profiles/scores.js';
import { resolveCustomer } from './resolve-customer.js';

export interface CustomerScores {
  customer_id: string;
  /** the customer's cell of the saved RFM snapshot (`segmint rfm`), null when not scored */
  rfm: StoredRfmRow | null;
  /** the stored lifetime-value prediction (`segmint clv predict`): P(alive), churn band, CLV, next order date */
  clv: StoredPredictionRow | null;
  /** stored propensity scores (`segmint propensity score`), one per target such as purchase_30d */
  propensity: StoredPropensityRow[];
  /** the cluster of the last saved `segmint clusters` run */
  cluster: StoredClusterRow | null;
}

/**
 * Every stored score of one customer (any identifier), as the segment fields rfm.*, clv.*, churn.*,
 * propensity.* and cluster read them. Nothing is computed here: a part is null (or empty) until the
 * analysis that writes it has run. `segmint customers explain` says in words where the scores come from.
 */
export async function customerScores(db: Queryable, ref: string): Promise<CustomerScores> {
  const id = await resolveCustomer(db, ref);
  return {
    customer_id: id,
    rfm: (await storedRfm(db, id)) ?? null,
    clv: (await storedPrediction(db, id)) ?? null,
    propensity: await storedPropensity(db, id),
    cluster: (await storedCluster(db, id)) ?? null,
  };
}
