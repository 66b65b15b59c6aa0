import type { Param } from '../../db.js';
import { customerMetricsSelect } from '../metrics.js';
import type { CompiledSegment } from '../segments/compiled.js';

/**
 * The members of a compiled segment as they were at `asOf`: the compiled query (already evaluated as
 * of that time for behaviour and time windows) with customer_metrics replaced, for this query only, by
 * the metrics computed from orders placed at or before asOf (a CTE of the same name shadows the table),
 * and without customers first seen after asOf. Fields read from other stored snapshots (RFM, CLV,
 * clusters, propensity) keep their latest values: their history is not stored. Returns a query of
 * customer_id with the compiled placeholders first and asOf as the next one.
 */
export function membersAsOf(compiled: CompiledSegment, asOf: Date): { sql: string; params: Param[] } {
  const at = `$${compiled.parameters.length + 1}::TIMESTAMP`;
  return {
    sql: `WITH customer_metrics AS (${customerMetricsSelect(`AND placed_at <= ${at}`)})
      SELECT s.customer_id FROM (${compiled.sql}) AS s
      JOIN customers born ON born.customer_id = s.customer_id AND born.created_at <= ${at}`,
    params: [...(compiled.parameters as Param[]), asOf],
  };
}
