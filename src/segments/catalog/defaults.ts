import { defaultCatalog } from './catalog.js';

/**
 * What the segment language reads for a customer without a row in `table` (no orders: no
 * customer_metrics row; segments/evaluator/values.ts, fieldValue): each stored catalog field of the
 * table that has a default (counts and sums: 0), under its column name; every other column is missing.
 * Null when the table has no field with a default. Workflow templates (trial 8, D3) and the customer
 * profile (`customers show`, `GET /v1/customers/{id}`) show these, so a customer with no orders has
 * 0 orders and 0 spent everywhere.
 */
export function rowDefaults(table: string, catalog = defaultCatalog): Record<string, unknown> | null {
  const defaults = catalog.fields().filter((f) => f.table === table && f.default !== undefined && f.derive === undefined);
  return defaults.length > 0 ? Object.fromEntries(defaults.map((f) => [f.column, f.default])) : null;
}
