import type { Param, Queryable } from '../../db.js';
import { EMAIL_CLICKS, EMAIL_OPENS, UNSUBSCRIBES } from './engagement.js';
import type { AssignmentRelation } from './sources/relation.js';

/**
 * Per-customer outcome columns the analysis can read, each over the window after assignment (`_post`,
 * (assigned_at, min(assigned_at + window, as_of)]) and the window of the same length before it (`_pre`,
 * (assigned_at − window, assigned_at]):
 * conv (placed an order, 0/1), orders (count), revenue (net: orders minus refunds), gross (order
 * revenue), opens / clicks (email events), unsub (an unsubscribe event or email consent turned to
 * denied, 0/1), and ev0, ev1, … (performed the i-th named event, 0/1).
 */
export const OUTCOME_COLUMNS = ['conv', 'orders', 'revenue', 'gross', 'opens', 'clicks', 'unsub'] as const;


export interface MomentRequest {
  /** Output name of the metric. */
  readonly key: string;
  /** Outcome column names (with _post / _pre), in the metric's variable order. */
  readonly variables: readonly string[];
}

export interface OutcomeOptions {
  readonly windowDays: number;
  readonly asOf: Date;
  /** Names of events whose performance is a conversion (columns ev0, ev1, … in this order). */
  readonly events: readonly string[];
  readonly metrics: readonly MomentRequest[];
}

export interface GroupMomentRow {
  readonly group_name: string;
  readonly n: number;
  /** Customers whose whole window has passed by as_of. */
  readonly complete: number;
  readonly first_assigned_at: Date;
  readonly last_assigned_at: Date;
  /** metric key → means of its variables, and covariances as a flat row-major matrix. */
  readonly metrics: Record<string, { mean: number[]; cov: number[][] }>;
}

const IDENT = /^(conv|orders|revenue|gross|opens|clicks|unsub|ev\d+)_(post|pre)$/;

/**
 * One aggregation pass over the assigned customers (those assigned at or before as_of): their orders,
 * email and named events and consent in the two windows, summed per customer, then per group the count,
 * the mean of each requested variable and their sample covariances (DuckDB's avg / covar_samp). Everything
 * the analysis computes comes from these moments. Customers merged into another since assignment are
 * followed to the surviving profile.
 */
export async function outcomeMoments(db: Queryable, relation: AssignmentRelation, opts: OutcomeOptions): Promise<GroupMomentRow[]> {
  const k = relation.params.length;
  const p = (i: number) => `$${k + i}`;
  const used = new Set(opts.metrics.flatMap((m) => m.variables.map((v) => v.slice(0, v.lastIndexOf('_')))));
  const needOrders = ['conv', 'orders', 'revenue', 'gross'].some((c) => used.has(c));
  const needEvents = [...used].some((c) => /^(opens|clicks|unsub|ev\d+)$/.test(c));
  const needConsent = used.has('unsub');
  const params: Param[] = [...relation.params, opts.windowDays, opts.asOf];
  // Event lists are bound only when events are read: DuckDB refuses values for placeholders it does not see.
  if (needEvents) params.push(EMAIL_OPENS, EMAIL_CLICKS, UNSUBSCRIBES, opts.events.map((e) => e.toLowerCase()));
  const W = `to_days(${p(1)}::INTEGER)`;
  const AS_OF = `${p(2)}::TIMESTAMP`;
  const eventCols = opts.events
    .map((_, i) => {
      const name = `list_extract(${p(6)}::VARCHAR[], ${i + 1})`;
      return `max(CASE WHEN post AND ev = ${name} THEN 1 ELSE 0 END) AS ev${i}_post, max(CASE WHEN NOT post AND ev = ${name} THEN 1 ELSE 0 END) AS ev${i}_pre`;
    })
    .join(',\n         ');
  const eventOuter = opts.events.map((_, i) => `coalesce(e.ev${i}_post, 0)::DOUBLE AS ev${i}_post, coalesce(e.ev${i}_pre, 0)::DOUBLE AS ev${i}_pre`).join(', ');
  const aggregates: string[] = [];
  opts.metrics.forEach((m, mi) => {
    m.variables.forEach((v, i) => {
      if (!IDENT.test(v)) throw new Error(`unknown outcome column ${v}`);
      aggregates.push(`avg(${v}) AS m${mi}_mean_${i}`);
      for (let j = i; j < m.variables.length; j++) aggregates.push(`coalesce(covar_samp(${v}, ${m.variables[j]}), 0) AS m${mi}_cov_${i}_${j}`);
    });
  });
  // Only the sources a requested metric reads are joined: a conversion-only analysis never scans events.
  const zero = (c: string) => `0::DOUBLE AS ${c}_post, 0::DOUBLE AS ${c}_pre`;
  const ctes = [
    `assigned AS (
       SELECT coalesce(c.merged_into, r.customer_id) AS cid, r.group_name, r.assigned_at AS t0,
         least(r.assigned_at + ${W}, ${AS_OF}) AS t1, r.assigned_at - ${W} AS tp,
         r.assigned_at + ${W} <= ${AS_OF} AS complete
       FROM (${relation.sql}) AS r
       LEFT JOIN (SELECT customer_id, merged_into FROM customers WHERE merged_into IS NOT NULL) c ON c.customer_id = r.customer_id
       WHERE r.assigned_at <= ${AS_OF}
     )`,
    needOrders ? `o AS (
       SELECT a.cid, a.t0,
         count(*) FILTER (WHERE o.kind = 'order' AND o.placed_at > a.t0) AS orders_post,
         count(*) FILTER (WHERE o.kind = 'order' AND o.placed_at <= a.t0) AS orders_pre,
         coalesce(sum(o.revenue) FILTER (WHERE o.placed_at > a.t0), 0)::DOUBLE AS revenue_post,
         coalesce(sum(o.revenue) FILTER (WHERE o.placed_at <= a.t0), 0)::DOUBLE AS revenue_pre,
         coalesce(sum(o.revenue) FILTER (WHERE o.kind = 'order' AND o.placed_at > a.t0), 0)::DOUBLE AS gross_post,
         coalesce(sum(o.revenue) FILTER (WHERE o.kind = 'order' AND o.placed_at <= a.t0), 0)::DOUBLE AS gross_pre
       FROM assigned a JOIN orders o ON o.customer_id = a.cid AND o.placed_at > a.tp AND o.placed_at <= a.t1
       GROUP BY a.cid, a.t0
     )` : null,
    needEvents ? `ev AS (
       SELECT a.cid, a.t0, e.timestamp > a.t0 AS post, lower(e.event) AS ev
       FROM assigned a JOIN events e ON e.customer_id = a.cid AND e.timestamp > a.tp AND e.timestamp <= a.t1
       WHERE e.event IS NOT NULL
         AND list_contains(list_concat(${p(3)}::VARCHAR[], ${p(4)}::VARCHAR[], ${p(5)}::VARCHAR[], ${p(6)}::VARCHAR[]), lower(e.event))
     )` : null,
    needEvents ? `e AS (
       SELECT cid, t0,
         count(*) FILTER (WHERE post AND list_contains(${p(3)}::VARCHAR[], ev)) AS opens_post,
         count(*) FILTER (WHERE NOT post AND list_contains(${p(3)}::VARCHAR[], ev)) AS opens_pre,
         count(*) FILTER (WHERE post AND list_contains(${p(4)}::VARCHAR[], ev)) AS clicks_post,
         count(*) FILTER (WHERE NOT post AND list_contains(${p(4)}::VARCHAR[], ev)) AS clicks_pre,
         max(CASE WHEN post AND list_contains(${p(5)}::VARCHAR[], ev) THEN 1 ELSE 0 END) AS unsub_post,
         max(CASE WHEN NOT post AND list_contains(${p(5)}::VARCHAR[], ev) THEN 1 ELSE 0 END) AS unsub_pre${eventCols ? ',\n         ' + eventCols : ''}
       FROM ev GROUP BY cid, t0
     )` : null,
    needConsent ? `denied AS (
       SELECT a.cid, a.t0, max(CASE WHEN k.updated_at > a.t0 THEN 1 ELSE 0 END) AS post, max(CASE WHEN k.updated_at <= a.t0 THEN 1 ELSE 0 END) AS pre
       FROM assigned a JOIN consent k ON k.customer_id = a.cid AND k.channel = 'email' AND k.status = 'denied'
         AND k.updated_at > a.tp AND k.updated_at <= a.t1
       GROUP BY a.cid, a.t0
     )` : null,
  ].filter((c): c is string => c !== null);
  const orderCols = needOrders
    ? `(coalesce(o.orders_post, 0) > 0)::INTEGER::DOUBLE AS conv_post, (coalesce(o.orders_pre, 0) > 0)::INTEGER::DOUBLE AS conv_pre,
         coalesce(o.orders_post, 0)::DOUBLE AS orders_post, coalesce(o.orders_pre, 0)::DOUBLE AS orders_pre,
         coalesce(o.revenue_post, 0) AS revenue_post, coalesce(o.revenue_pre, 0) AS revenue_pre,
         coalesce(o.gross_post, 0) AS gross_post, coalesce(o.gross_pre, 0) AS gross_pre`
    : ['conv', 'orders', 'revenue', 'gross'].map(zero).join(', ');
  const eventCols2 = needEvents
    ? `coalesce(e.opens_post, 0)::DOUBLE AS opens_post, coalesce(e.opens_pre, 0)::DOUBLE AS opens_pre,
         coalesce(e.clicks_post, 0)::DOUBLE AS clicks_post, coalesce(e.clicks_pre, 0)::DOUBLE AS clicks_pre,
         greatest(coalesce(e.unsub_post, 0), ${needConsent ? 'coalesce(d.post, 0)' : '0'})::DOUBLE AS unsub_post,
         greatest(coalesce(e.unsub_pre, 0), ${needConsent ? 'coalesce(d.pre, 0)' : '0'})::DOUBLE AS unsub_pre${eventOuter ? ', ' + eventOuter : ''}`
    : ['opens', 'clicks', 'unsub'].map(zero).join(', ');
  const joins = [
    needOrders ? 'LEFT JOIN o ON o.cid = a.cid AND o.t0 = a.t0' : '',
    needEvents ? 'LEFT JOIN e ON e.cid = a.cid AND e.t0 = a.t0' : '',
    needConsent ? 'LEFT JOIN denied d ON d.cid = a.cid AND d.t0 = a.t0' : '',
  ].join('\n       ');
  const sql = `WITH ${ctes.join(',\n     ')},
     per AS (
       SELECT a.group_name, a.t0, a.complete,
         ${orderCols},
         ${eventCols2}
       FROM assigned a
       ${joins}
     )
     SELECT group_name, count(*) AS n, count(*) FILTER (WHERE complete) AS complete,
       min(t0) AS first_assigned_at, max(t0) AS last_assigned_at${aggregates.length ? ',\n       ' + aggregates.join(',\n       ') : ''}
     FROM per GROUP BY group_name ORDER BY group_name`;
  const rows = await db.all<Record<string, unknown>>(sql, params);
  return rows.map((r) => {
    const metrics: GroupMomentRow['metrics'] = {};
    opts.metrics.forEach((m, mi) => {
      const d = m.variables.length;
      const mean = Array.from({ length: d }, (_, i) => Number(r[`m${mi}_mean_${i}`] ?? 0));
      const cov = Array.from({ length: d }, (_, i) =>
        Array.from({ length: d }, (__, j) => Number(r[`m${mi}_cov_${Math.min(i, j)}_${Math.max(i, j)}`] ?? 0)),
      );
      metrics[m.key] = { mean, cov };
    });
    return {
      group_name: String(r.group_name),
      n: Number(r.n),
      complete: Number(r.complete),
      first_assigned_at: r.first_assigned_at as Date,
      last_assigned_at: r.last_assigned_at as Date,
      metrics,
    };
  });
}
