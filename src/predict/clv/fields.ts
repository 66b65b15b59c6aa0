import { registerFields, type FieldDef } from '../../segments/catalog/index.js';

const f = (name: string, type: FieldDef['type'], column: string, description: string): FieldDef => ({
  name,
  type,
  description,
  table: 'customer_predictions',
  column,
});

/**
 * The segment fields of the lifetime-value predictions, read from customer_predictions (written by
 * `segmint clv predict`; definitions in docs/predictions.md). A customer without a prediction (no order
 * on or before the prediction's as-of day, or predictions never run) has them all missing.
 */
export const clvFields: readonly FieldDef[] = [
  f('clv.expected_purchases_90d', 'number', 'expected_purchases_90d', 'Purchases (transactions) expected in the 90 days after the prediction as-of day.'),
  f('clv.p_alive', 'number', 'p_alive', 'Probability that the customer is still active (has not silently churned), 0 to 1.'),
  f('clv.predicted_365d', 'number', 'predicted_clv_365d', 'Predicted value of the next 365 days: discounted expected purchases × expected spend per purchase.'),
  f('clv.expected_spend', 'number', 'expected_spend', 'Expected value of one future purchase (Gamma-Gamma).'),
  f('churn.probability', 'number', 'churn_probability', '1 − clv.p_alive.'),
  f('churn.risk', 'string', 'churn_risk', "Churn-risk band: 'low' (< 0.33), 'medium' (< 0.66) or 'high'."),
  f('next_order_at', 'timestamp', 'next_order_at', 'Expected next order date: as-of day + median time to the next purchase; missing when a next purchase is less likely than not.'),
];

/** Adds the prediction fields to the process-wide segment catalog (idempotent). */
export function registerClvFields(): void {
  registerFields(clvFields);
}
