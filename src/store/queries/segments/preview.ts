import type { Param, Queryable } from '../../db.js';
import type { CompiledSegment } from './compiled.js';

export interface SampleRow {
  customer_id: string;
  traits: string | null;
  orders_count: number | null;
  total_spent: number | null;
  last_order_at: Date | null;
}

export interface OverlapRow {
  name: string;
  /** Members of the saved segment as of its last refresh. */
  size: number;
  /** How many of those are also in the previewed definition. */
  shared: number;
}

export interface PreviewFigures {
  count: number;
  base: number;
  sample: SampleRow[];
  overlaps: OverlapRow[];
}

/**
 * Everything a preview shows, in one statement and one round trip: the members are computed once
 * (a materialised CTE; the compiler returns one row per member) and counted, sampled and compared with
 * every saved segment's members from there. Customer ids are hashes, so the first ids in order are a
 * spread-out sample that is still the same on every run. The compiler's placeholders are `$1..$n`;
 * the sample size binds as `$n+1`.
 */
export async function previewFigures(db: Queryable, compiled: CompiledSegment, sampleSize: number): Promise<PreviewFigures> {
  const limit = `$${compiled.parameters.length + 1}::INTEGER`;
  const row = await db.one<{ count: number; base: number; sample: SampleRow[] | null; overlaps: OverlapRow[] | null }>(
    `WITH m AS MATERIALIZED (SELECT customer_id FROM (${compiled.sql}) AS compiled_segment),
     picked AS (SELECT customer_id FROM m ORDER BY customer_id LIMIT ${limit}),
     overlap AS (
       SELECT sm.segment_id, count(*) AS size, count(m.customer_id) AS shared
       FROM segment_members sm LEFT JOIN m ON m.customer_id = sm.customer_id
       GROUP BY sm.segment_id
     )
     SELECT
       (SELECT count(*) FROM m) AS count,
       (SELECT count(*) FROM customers WHERE merged_into IS NULL) AS base,
       (SELECT list({'customer_id': p.customer_id, 'traits': c.traits::VARCHAR, 'orders_count': cm.orders_count,
                     'total_spent': cm.total_spent::DOUBLE, 'last_order_at': cm.last_order_at} ORDER BY p.customer_id)
        FROM picked p LEFT JOIN customers c ON c.customer_id = p.customer_id
        LEFT JOIN customer_metrics cm ON cm.customer_id = p.customer_id) AS sample,
       (SELECT list({'name': s.name, 'size': o.size, 'shared': o.shared} ORDER BY s.name)
        FROM overlap o JOIN segments s ON s.segment_id = o.segment_id) AS overlaps`,
    [...(compiled.parameters as Param[]), sampleSize],
  );
  return {
    count: Number(row?.count ?? 0),
    base: Number(row?.base ?? 0),
    sample: (row?.sample ?? []).map((r) => ({
      ...r,
      orders_count: r.orders_count === null ? null : Number(r.orders_count),
      last_order_at: r.last_order_at === null ? null : new Date(r.last_order_at),
    })),
    overlaps: (row?.overlaps ?? []).map((o) => ({ name: o.name, size: Number(o.size), shared: Number(o.shared) })),
  };
}
