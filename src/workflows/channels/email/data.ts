import { recommendProducts } from '../../../predict/recommend/recommend-customer.js';
import { isSegmintError } from '../../../domain/errors.js';
import { rowDefaults } from '../../../segments/catalog/index.js';
import type { Queryable } from '../../../store/db.js';
import { loadCustomerState, type TablesOf } from '../../../store/queries/segment-state.js';
import type { Run } from '../../engine/run.js';

/**
 * What a template can name (docs/workflows.md, "Template variables"): the customer's traits, metrics,
 * RFM group, predictions, the event that started the run (an abandoned cart's products), product
 * recommendations, and the unsubscribe link. Times are ISO-8601 text in UTC.
 */
export interface TemplateData {
  readonly customer: { readonly id: string; readonly email: string | null };
  readonly traits: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, unknown>> | null;
  readonly rfm: Readonly<Record<string, unknown>> | null;
  readonly predictions: Readonly<Record<string, unknown>> | null;
  readonly propensity: Readonly<Record<string, unknown>> | null;
  readonly event: { readonly name: string; readonly timestamp: string; readonly properties: Readonly<Record<string, unknown>> } | null;
  readonly segment: { readonly name: string; readonly change: string } | null;
  readonly recommendations: readonly { readonly product_id: string; readonly name: string | null; readonly reason: string }[];
  readonly workflow: { readonly name: string; readonly version: number };
  readonly run: { readonly id: string; readonly key: string; readonly entered_at: string };
  readonly unsubscribe_url: string;
  readonly now: string;
}

/** Whether any of these templates names `recommendations` (they cost a query, so only then). */
export function wantsRecommendations(...templates: (string | undefined)[]): boolean {
  return templates.some((t) => t !== undefined && /\brecommendations\b/.test(t));
}

/**
 * The variables of a run's email (TemplateData), read for its customer at `now`. `tables`: which tables
 * exist, shared by the emails of a batch (existingTablesOnce); read afresh without it.
 */
export async function templateData(
  db: Queryable,
  run: Run,
  opts: { email: string | null; unsubscribeUrl: string; now: Date; recommendations: boolean; tables?: TablesOf },
): Promise<TemplateData> {
  const state = await loadCustomerState(db, run.customerId, opts.tables ? { tables: opts.tables } : {});
  const t = run.context.trigger;
  return {
    customer: { id: run.customerId, email: opts.email },
    traits: plain(state.traits),
    metrics: rowOf('customer_metrics', state.rows.customer_metrics),
    rfm: rowOf('customer_rfm', state.rows.customer_rfm),
    predictions: rowOf('customer_predictions', state.rows.customer_predictions),
    propensity: rowOf('customer_propensity', state.rows.customer_propensity),
    event: t.kind === 'event' ? { name: t.event, timestamp: t.at, properties: t.properties } : null,
    segment: t.kind === 'segment' ? { name: t.segment, change: t.change } : t.kind === 'schedule' ? { name: t.segment, change: 'scheduled' } : null,
    recommendations: opts.recommendations ? await recommendations(db, run.customerId, opts.now) : [],
    workflow: { name: run.workflowName, version: run.version },
    run: { id: run.runId, key: run.runKey, entered_at: run.enteredAt.toISOString() },
    unsubscribe_url: opts.unsubscribeUrl,
    now: opts.now.toISOString(),
  };
}

async function recommendations(db: Queryable, customerId: string, now: Date): Promise<TemplateData['recommendations']> {
  try {
    const r = await recommendProducts(db, customerId, { n: 4, asOf: now });
    return r.recommendations.map((x) => ({ product_id: x.productId, name: x.name, reason: x.reason }));
  } catch (e) {
    // A shop without orders yet has nothing to recommend: the list is empty, the email still goes.
    if (isSegmintError(e)) return [];
    throw e;
  }
}

/**
 * A table's row as templates see it. A customer without a row (no orders: no customer_metrics row) sees
 * what the segment language reads for them (segments/evaluator/values.ts, fieldValue): each catalog
 * field of the table with a default (counts and sums: 0) under its column name, every other column
 * missing; null when the table has no field with a default. So `{{ metrics.total_spent }}` prints 0
 * and `{% if metrics.orders_count == 0 %}` works, as `orders_count = 0` does in a segment (trial 8, D3).
 */
function rowOf(table: string, row: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | null {
  return row ? plain(row) : rowDefaults(table);
}

/** Dates become ISO text so templates print the same thing on every machine. */
function plain(v: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = x instanceof Date ? x.toISOString() : x;
  return out;
}
