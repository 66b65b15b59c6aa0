import { registerFields, type FieldDef } from '../../segments/catalog/index.js';

/**
 * The segment fields of the propensity scores. They read the customer_propensity view (one row per
 * customer), filled by `segmint propensity score`; a customer without a score has the field missing,
 * so `propensity.churn_90d > 0.8` never matches someone who was never scored.
 */
export const propensityFields: readonly FieldDef[] = [
  {
    name: 'propensity.purchase_30d',
    type: 'number',
    description: 'Probability (0 to 1) of an order in the 30 days after the last scoring run (segmint propensity score).',
    table: 'customer_propensity',
    column: 'purchase_30d',
  },
  {
    name: 'propensity.churn_90d',
    type: 'number',
    description: 'Probability (0 to 1) of no order in the 90 days after the last scoring run (segmint propensity score).',
    table: 'customer_propensity',
    column: 'churn_90d',
  },
];

/** Adds the propensity fields to the process-wide segment catalog; safe to call more than once. */
export function registerPropensityFields(): void {
  registerFields(propensityFields);
}
