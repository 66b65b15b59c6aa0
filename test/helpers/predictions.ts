import type { Queryable } from '../../src/store/db.js';

/** One customer's stored prediction, every column of the customer_predictions view (times in UTC). */
export interface PredictionFixture {
  readonly customer_id: string;
  readonly as_of: Date | string;
  readonly model: string;
  readonly model_id: string;
  readonly expected_purchases_90d: number;
  readonly p_alive: number;
  readonly churn_probability: number;
  readonly churn_risk: string;
  readonly expected_spend?: number | null;
  readonly predicted_clv_365d?: number | null;
  readonly next_order_at?: Date | string | null;
  readonly computed_at: Date | string;
}

/**
 * Stores one customer's prediction by hand, as tests used to INSERT a row into customer_predictions
 * before it became a view (migration 17): the customer's values replace theirs in
 * customer_prediction_values, and the run (as_of, model, model_id, computed_at) replaces the one stored
 * run, which every stored customer then shares, as after a `clv predict`.
 */
export async function putPrediction(db: Queryable, p: PredictionFixture): Promise<void> {
  await db.run('DELETE FROM prediction_runs');
  await db.run('INSERT INTO prediction_runs (as_of, model, model_id, computed_at) VALUES ($1::TIMESTAMP, $2, $3, $4::TIMESTAMP)', [
    p.as_of,
    p.model,
    p.model_id,
    p.computed_at,
  ]);
  await removePrediction(db, p.customer_id);
  await db.run('INSERT INTO customer_prediction_values VALUES ($1, $2, $3, $4, $5, $6, $7, $8::TIMESTAMP)', [
    p.customer_id,
    p.expected_purchases_90d,
    p.p_alive,
    p.churn_probability,
    p.churn_risk,
    p.expected_spend ?? null,
    p.predicted_clv_365d ?? null,
    p.next_order_at ?? null,
  ]);
}

/** Removes one customer's stored prediction (the run stays, as a merge leaves it). */
export async function removePrediction(db: Queryable, customerId: string): Promise<void> {
  await db.run('DELETE FROM customer_prediction_values WHERE customer_id = $1', [customerId]);
}
