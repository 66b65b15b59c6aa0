import type { Param, Queryable } from '../../db.js';

/** Numeric customer metrics an audit can group by, in bins of equal share of the base. */
export const AUDIT_METRICS = ['orders_count', 'total_spent', 'gross_revenue', 'avg_order_value', 'distinct_products', 'avg_days_between_orders'] as const;
export type AuditMetric = (typeof AUDIT_METRICS)[number];

/**
 * What customers are grouped by: a trait (a JSON pointer into the traits, bound as a parameter), or a
 * metric cut at the given boundaries (bin i holds values in (b[i-1], b[i]]; the last, values above
 * every boundary). A customer without the value is in group NULL.
 */
export type GroupingSql = { readonly kind: 'trait'; readonly pointer: string } | { readonly kind: 'metric'; readonly metric: AuditMetric; readonly boundaries: readonly number[] };

/** The grouping expression over customers `c` LEFT JOIN customer_metrics `mt`, with its parameter at $<at>. */
function groupExpr(g: GroupingSql, at: number): { sql: string; params: Param[] } {
  if (g.kind === 'trait') {
    const p = `$${at}::VARCHAR`;
    // Text as it is; numbers and booleans as JSON writes them; an empty text, null or absence is missing.
    return {
      sql: `nullif(CASE json_type(c.traits, ${p}) WHEN 'VARCHAR' THEN json_extract_string(c.traits, ${p}) WHEN 'NULL' THEN NULL
              ELSE CAST(json_extract(c.traits, ${p}) AS VARCHAR) END, '')`,
      params: [g.pointer],
    };
  }
  // The metric name is one of AUDIT_METRICS (checked by the caller's type and at run time below).
  if (!(AUDIT_METRICS as readonly string[]).includes(g.metric)) throw new Error(`not an audit metric: ${g.metric}`);
  return { sql: `CASE WHEN mt.${g.metric} IS NOT NULL THEN len(list_filter($${at}::DOUBLE[], b -> b < mt.${g.metric}::DOUBLE))::VARCHAR END`, params: [[...g.boundaries]] };
}

const BASE = `FROM customers c LEFT JOIN customer_metrics mt ON mt.customer_id = c.customer_id WHERE c.merged_into IS NULL`;

/**
 * Boundaries cutting a metric's values over the base (live customers with a value) at the given
 * quantiles (linear interpolation, DuckDB's quantile_cont), ascending and without repeats; [] when no
 * customer has the metric.
 */
export async function metricBoundaries(db: Queryable, metric: AuditMetric, quantiles: readonly number[]): Promise<number[]> {
  if (!(AUDIT_METRICS as readonly string[]).includes(metric)) throw new Error(`not an audit metric: ${metric}`);
  const row = await db.one<{ q: number[] | null }>(`SELECT quantile_cont(mt.${metric}::DOUBLE, $1::DOUBLE[]) AS q ${BASE} AND mt.${metric} IS NOT NULL`, [
    [...quantiles],
  ]);
  return [...new Set((row?.q ?? []).map(Number))].sort((a, b) => a - b);
}

export interface GroupCountRow {
  /** the group's value (a trait's text, or a metric bin's index as text); null when missing */
  group: string | null;
  base: number;
  members: number;
}

/** Per group, the live customers and how many of them are stored members of the segment. */
export async function segmentGroupCounts(db: Queryable, segmentId: string, g: GroupingSql): Promise<GroupCountRow[]> {
  const e = groupExpr(g, 2);
  return db.all<GroupCountRow>(
    `SELECT grp AS "group", count(*) AS base, count(m.customer_id) AS members FROM (
       SELECT c.customer_id, ${e.sql} AS grp ${BASE}
     ) x LEFT JOIN segment_members m ON m.customer_id = x.customer_id AND m.segment_id = $1
     GROUP BY grp ORDER BY base DESC, grp`,
    [segmentId, ...e.params],
  );
}

/** Each live customer's group (null when missing), for audits computed customer by customer (scores). */
export async function customerGroups(db: Queryable, g: GroupingSql): Promise<Map<string, string | null>> {
  const e = groupExpr(g, 1);
  const rows = await db.all<{ customer_id: string; grp: string | null }>(`SELECT c.customer_id, ${e.sql} AS grp ${BASE}`, e.params);
  return new Map(rows.map((r) => [r.customer_id, r.grp]));
}
