import fc from 'fast-check';
import { expect } from 'vitest';
import type { Store } from '../../../src/store/db.js';
import { customerState, type CustomerState } from '../../../src/segments/index.js';
import { BASE, DAY, GRID, categories, eventNames, instantArb } from './arbitraries.js';

/** A generated customer: what goes into the store, and (customerState) what the evaluator sees. */
export interface WorldCustomer {
  id: string;
  merged: boolean;
  traits: Record<string, unknown>;
  metrics?: {
    orders_count: number;
    total_spent: number;
    avg_order_value: number | null;
    first_order_at: number;
    last_order_at: number;
    distinct_products: number;
    top_category: string | null;
  };
  consent: Record<string, string>;
  events: { event: string; t: number; properties: Record<string, unknown> | null }[];
}

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });
const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Instants on the hour, sometimes a few ms off, so both exact edges and near misses occur. */
export const timeArb = fc.tuple(instantArb, fc.oneof({ arbitrary: fc.constant(0), weight: 5 }, { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 1 })).map(([t, d]) => t + d);

const properties = fc
  .record({
    category: opt(fc.oneof(fc.constantFrom<unknown>(...categories), fc.constantFrom<unknown>(3, null, true))),
    price: opt(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant<unknown>('12'), fc.constant<unknown>(null))),
    meta: opt(fc.record({ tag: fc.constantFrom('D', 'x', 'Dresses') })),
  })
  .map(defined);

const isoVariants = (t: number): string[] => {
  const iso = new Date(t).toISOString();
  return [iso, iso.slice(0, 10), `${iso.slice(0, 10)} ${iso.slice(11, 16)}`, iso.slice(0, 19)];
};
const traitDate = fc.oneof(
  { arbitrary: fc.tuple(timeArb, fc.nat(3)).map(([t, k]) => isoVariants(t)[k]!), weight: 4 },
  { arbitrary: fc.constantFrom('2024-02-30', 'not a date', '2024-01-01T25:00:00Z', '20240101'), weight: 1 },
);
const traits = fc
  .record({
    country: opt(fc.constantFrom<unknown>('DE', 'FR', 3, null, 'D')),
    plan: opt(fc.constantFrom<unknown>('pro', 'free', '', true)),
    signup: opt(traitDate),
    vip: opt(fc.constantFrom<unknown>(true, false, 'true')),
    address: opt(fc.record({ city: fc.constantFrom('Berlin', 'Paris') })),
    score: opt(fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constant(12.34))),
  })
  .map(defined);

const metrics = fc
  .record({
    orders_count: fc.integer({ min: 1, max: 5 }),
    cents: fc.integer({ min: 0, max: 15000 }),
    avg: fc.boolean(),
    first_order_at: timeArb,
    span: fc.integer({ min: 0, max: 60 }),
    distinct_products: fc.integer({ min: 0, max: 10 }),
    top_category: fc.constantFrom<string | null>('Dresses', 'Shoes', null),
  })
  .map((m) => ({
    orders_count: m.orders_count,
    total_spent: m.cents / 100,
    avg_order_value: m.avg ? Math.round(m.cents / m.orders_count) / 100 : null,
    first_order_at: m.first_order_at,
    last_order_at: m.first_order_at + m.span * GRID,
    distinct_products: m.distinct_products,
    top_category: m.top_category,
  }));

const event = fc.record({ event: fc.constantFrom(...eventNames), t: timeArb, properties: fc.oneof({ arbitrary: properties, weight: 5 }, { arbitrary: fc.constant(null), weight: 1 }) });

export function customerArb(id: string): fc.Arbitrary<WorldCustomer> {
  return fc.record({
    id: fc.constant(id),
    merged: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
    traits,
    metrics: opt(metrics),
    consent: fc.record({ email: opt(fc.constantFrom('granted', 'denied')), sms: opt(fc.constantFrom('granted', 'denied')) }).map((c) => defined(c) as Record<string, string>),
    events: fc.array(event, { maxLength: 15 }),
  });
}

export const worldArb = fc.array(fc.nat(), { minLength: 6, maxLength: 6 }).chain((ids) => fc.tuple(...ids.map((_, i) => customerArb(`c${i}`))));
export const asOfArb = fc.tuple(fc.integer({ min: 0, max: 90 }), fc.constantFrom(0, 0, 0, 1, -1)).map(([k, d]) => BASE + k * GRID + d);
export { DAY };

/** The evaluator's view of a generated customer (built independently of loadCustomerState). */
export function stateOf(c: WorldCustomer): CustomerState {
  const m = c.metrics;
  return customerState({
    customerId: c.id,
    traits: c.traits,
    ...(m
      ? {
          metrics: {
            orders_count: m.orders_count,
            gross_revenue: m.total_spent,
            refunded: 0,
            total_spent: m.total_spent,
            avg_order_value: m.avg_order_value,
            first_order_at: new Date(m.first_order_at),
            last_order_at: new Date(m.last_order_at),
            avg_days_between_orders: null,
            distinct_products: m.distinct_products,
            top_category: m.top_category,
          },
        }
      : {}),
    consent: c.consent,
    events: c.events.map((e) => ({ event: e.event, timestamp: new Date(e.t), ...(e.properties ? { properties: e.properties } : {}) })),
  });
}

/** Replaces the store's customers, metrics, consent and events with the world's. */
export async function loadWorld(store: Store, world: readonly WorldCustomer[]): Promise<void> {
  for (const t of ['customers', 'customer_metrics', 'consent', 'events']) await store.run(`DELETE FROM ${t}`);
  const insert = async (table: string, rows: unknown[][]): Promise<void> => {
    if (rows.length === 0) return;
    const width = rows[0]!.length;
    const values = rows.map((_, r) => `(${Array.from({ length: width }, (_, k) => `$${r * width + k + 1}`).join(', ')})`).join(', ');
    await store.run(`INSERT INTO ${table} VALUES ${values}`, rows.flat() as never);
  };
  const now = new Date(BASE);
  await insert('customers', world.map((c) => [c.id, now, now, JSON.stringify(c.traits), c.merged ? 'c0' : null]));
  await insert(
    'customer_metrics',
    world.filter((c) => c.metrics).map((c) => {
      const m = c.metrics!;
      return [c.id, m.orders_count, m.total_spent, 0, m.total_spent, m.avg_order_value, new Date(m.first_order_at), new Date(m.last_order_at), null, m.distinct_products, m.top_category, now];
    }),
  );
  await insert('consent', world.flatMap((c) => Object.entries(c.consent).map(([ch, st]) => [c.id, ch, st, now, 'test'])));
  await insert(
    'events',
    world.flatMap((c) =>
      c.events.map((e, i) => [`${c.id}-${i}`, 'track', e.event, c.id, null, null, new Date(e.t), new Date(e.t), e.properties === null ? null : JSON.stringify(e.properties), null, null, 'test']),
    ),
  );
}

/**
 * Asserts a state the store loaded for `c` holds what the world put in (stateOf): traits, consent, the
 * metrics row, and the events (compared as a multiset: events at one instant have no order).
 */
export function expectLoadedState(loaded: CustomerState, c: WorldCustomer): void {
  const expected = stateOf(c);
  expect(loaded.traits).toEqual(expected.traits);
  expect(loaded.consent).toEqual(expected.consent);
  if (c.metrics) expect(loaded.rows.customer_metrics).toMatchObject(expected.rows.customer_metrics as object);
  else expect(loaded.rows.customer_metrics).toBeUndefined();
  const byTime = (s: CustomerState) =>
    s.events
      .map((e) => ({ event: e.event, t: e.timestamp.getTime(), p: JSON.stringify(e.properties ?? null) }))
      .sort((a, b) => a.t - b.t || (a.event + a.p).localeCompare(b.event + b.p));
  expect(byTime(loaded)).toEqual(byTime(expected));
}
