import { registerAnalyticsFields } from './analytics/fields.js';
import { registerClvFields } from './predict/clv/fields.js';
import { registerPropensityFields } from './predict/propensity/fields.js';
import { registerWorkflowAssignmentSource } from './workflows/assignment-source.js';

/**
 * Puts the fields of analytics and predictions (rfm.*, cluster, clv.*, churn.*, propensity.*) into the
 * segment catalog. The segment engine knows nothing of them; the shells (CLI, server) call this once
 * at start so every definition can name them.
 */
export function registerAllFields(): void {
  registerAnalyticsFields();
  registerClvFields();
  registerPropensityFields();
  registerWorkflowAssignmentSource();
}
