import { registerAssignmentSource } from '../../src/measure/experiments/sources.js';
import type { Store } from '../../src/store/db.js';
import { insertExperiment } from '../../src/store/queries/measure/experiments.js';
import { refreshCustomerMetrics } from '../../src/store/queries/metrics.js';

export interface ShopCustomer {
  readonly id: string;
  readonly createdAt: Date;
  readonly userId?: string;
  readonly email?: string;
}
export interface ShopOrder {
  readonly customer: string;
  readonly at: Date;
  readonly revenue: number;
  readonly kind?: 'order' | 'refund';
}
export interface ShopEvent {
  readonly customer: string;
  readonly event: string;
  readonly at: Date;
}

const iso = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** Bulk-loads customers (with user id and email identities), orders and track events, then computes metrics. */
export async function loadShop(store: Store, customers: readonly ShopCustomer[], orders: readonly ShopOrder[], events: readonly ShopEvent[] = []): Promise<void> {
  if (customers.length > 0) {
    await store.run(
      `INSERT INTO customers (customer_id, created_at, updated_at, traits)
       SELECT id, t::TIMESTAMP, t::TIMESTAMP, '{}' FROM (SELECT unnest($1::VARCHAR[]) AS id, unnest($2::VARCHAR[]) AS t)`,
      [customers.map((c) => c.id), customers.map((c) => iso(c.createdAt))],
    );
    for (const kind of ['user_id', 'email'] as const) {
      const rows = customers.filter((c) => (kind === 'user_id' ? c.userId : c.email) !== undefined);
      if (rows.length === 0) continue;
      await store.run(
        `INSERT INTO identities (kind, value, customer_id, first_seen_at)
         SELECT $1, v, id, t::TIMESTAMP FROM (SELECT unnest($2::VARCHAR[]) AS v, unnest($3::VARCHAR[]) AS id, unnest($4::VARCHAR[]) AS t)`,
        [kind, rows.map((c) => (kind === 'user_id' ? c.userId! : c.email!)), rows.map((c) => c.id), rows.map((c) => iso(c.createdAt))],
      );
    }
  }
  await appendOrders(store, orders);
  if (events.length > 0) {
    await store.run(
      `INSERT INTO events (message_id, type, event, customer_id, user_id, timestamp, received_at, source)
       SELECT 'm' || i, 'track', ev, c, c, t::TIMESTAMP, t::TIMESTAMP, 'test'
       FROM (SELECT unnest($1::VARCHAR[]) AS c, unnest($2::VARCHAR[]) AS ev, unnest($3::VARCHAR[]) AS t, unnest(range(len($1::VARCHAR[]))) AS i)`,
      [events.map((e) => e.customer), events.map((e) => e.event), events.map((e) => iso(e.at))],
    );
  }
}

let orderSeq = 0;

/** Adds orders (ids unique across calls) and recomputes customer metrics. */
export async function appendOrders(store: Store, orders: readonly ShopOrder[]): Promise<void> {
  if (orders.length > 0) {
    const first = orderSeq;
    orderSeq += orders.length;
    await store.run(
      `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, source)
       SELECT 'o' || ($5 + i), c, k, t::TIMESTAMP, r, 'test'
       FROM (SELECT unnest($1::VARCHAR[]) AS c, unnest($2::VARCHAR[]) AS k, unnest($3::VARCHAR[]) AS t, unnest($4::DOUBLE[]) AS r,
                    unnest(range(len($1::VARCHAR[]))) AS i)`,
      [orders.map((o) => o.customer), orders.map((o) => o.kind ?? 'order'), orders.map((o) => iso(o.at)), orders.map((o) => o.revenue), first],
    );
  }
  await refreshCustomerMetrics(store);
}

/**
 * Registers an assignment source reading `sql` (customer_id, group_name, assigned_at; it may use $1,
 * bound to the experiment's name) and records an experiment of that source, as the workflow engine
 * will for its splits and holdouts.
 */
export async function sourcedExperiment(
  store: Store,
  o: { kind: string; name: string; sql: string; groups: { name: string; weight: number }[]; assignedAt: Date; planned?: number; accrues: boolean },
): Promise<void> {
  registerAssignmentSource({ kind: o.kind, accrues: o.accrues, relation: (e) => ({ sql: o.sql, params: [e.name] }) });
  await insertExperiment(store, {
    experiment_id: `exp_${o.kind}`,
    name: o.name,
    source: o.kind,
    source_ref: { workflow: o.name, step: 'split' },
    segment_id: null,
    groups: o.groups,
    salt: '',
    assigned_at: o.assignedAt,
    planned_customers: o.planned ?? null,
    description: null,
    created_at: o.assignedAt,
  });
}
