import fc from 'fast-check';
import type { Condition } from '../../../src/segments/index.js';
import { definitionArb } from '../../segments/property/arbitraries.js';

/**
 * Random histories for the real-time contract: live events (late, out of order, dated in the future,
 * repeated), identities that merge, traits and consent, orders, imports behind the engine's back,
 * recomputed scores, segment definitions created, changed and deleted, the clock moving on, and
 * restarts with time passing while no engine runs.
 */

export const HOUR = 3_600_000;
export const GRID = 12 * HOUR;
/** The clock starts ten days into the world of the segment arbitraries (which start 2024-01-01). */
export const START = Date.UTC(2024, 0, 11);

export const users = ['u0', 'u1', 'u2', 'u3', 'u4'] as const;
export const anons = ['a0', 'a1', 'a2'] as const;
const eventNames = ['Product Viewed', 'Order Completed', 'Checkout Started'] as const;

export interface GenEvent {
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly type: 'track' | 'identify';
  readonly event?: string;
  /** event time relative to the clock, ms (negative: late; positive: dated in the future) */
  readonly offset: number;
  readonly properties?: Record<string, unknown>;
  readonly traits?: Record<string, unknown>;
  readonly consent?: Record<string, boolean>;
  /** send again the message of an earlier event (same messageId): must change nothing */
  readonly repeat: boolean;
}

/**
 * How the engine goes down: `engine`, stopped and started again on the same open database; `reopen`,
 * stopped and the database closed and opened again (a server stopped and started); `crash`, the process
 * dies after its last commit (no stop, no checkpoint: the next open replays the write-ahead log, as after
 * kill -9); `crash-read`, the same, then a read-only command opens and closes the file before the restart.
 */
export type RestartHow = 'engine' | 'reopen' | 'crash' | 'crash-read';

export type Step =
  | { readonly kind: 'events'; readonly events: readonly GenEvent[] }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'define'; readonly slot: number; readonly ast: Condition | null }
  | { readonly kind: 'restart'; readonly ms: number; readonly how: RestartHow }
  | { readonly kind: 'scores'; readonly rows: readonly { user: number; r: number; group: string; pAlive: number; nextOrderDays: number }[] }
  | { readonly kind: 'import'; readonly orders: readonly { user: number; offset: number; amount: number }[] };

const who = fc.oneof(
  { arbitrary: fc.constantFrom(...users).map((userId) => ({ userId })), weight: 4 },
  { arbitrary: fc.constantFrom(...anons).map((anonymousId) => ({ anonymousId })), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(...users), fc.constantFrom(...anons)).map(([userId, anonymousId]) => ({ userId, anonymousId })), weight: 1 },
);

/** Mostly late (up to 15 days), sometimes just now, sometimes a few hours ahead; off the hour now and then. */
const offset = fc
  .tuple(
    fc.oneof({ arbitrary: fc.integer({ min: -30, max: 0 }).map((k) => k * GRID), weight: 5 }, { arbitrary: fc.integer({ min: 1, max: 30 }).map((h) => h * HOUR), weight: 1 }),
    fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 1 }),
  )
  .map(([a, b]) => a + b);

const properties = fc.record({
  category: fc.constantFrom('Dresses', 'Shoes', 'Bags', 3),
  price: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant('12' as unknown as number)),
  meta: fc.record({ tag: fc.constantFrom('D', 'x', 'Dresses') }),
});

const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 });
const track = fc.record({ who, event: fc.constantFrom(...eventNames), offset, properties, repeat: rarely }).map(
  ({ who, event, offset, properties, repeat }): GenEvent => ({ ...who, type: 'track', event, offset, properties, repeat }),
);

const traitValues = fc.record(
  {
    country: fc.constantFrom('DE', 'FR', 'D', null),
    plan: fc.constantFrom('pro', 'free', ''),
    signup: fc.integer({ min: 0, max: 80 }).map((k) => new Date(Date.UTC(2024, 0, 1) + k * GRID).toISOString()),
    vip: fc.boolean(),
    address: fc.record({ city: fc.constantFrom('Berlin', 'Paris') }),
    score: fc.integer({ min: -5, max: 120 }),
  },
  { requiredKeys: [] },
);

const identify = fc
  .record({ who, offset, traits: traitValues, consent: fc.option(fc.record({ email: fc.boolean(), sms: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }) })
  .map(({ who, offset, traits, consent }): GenEvent => ({ ...who, type: 'identify', offset, traits, ...(consent ? { consent } : {}), repeat: false }));

const scoreRow = fc.record({
  user: fc.integer({ min: 0, max: users.length - 1 }),
  r: fc.integer({ min: 1, max: 5 }),
  group: fc.constantFrom('Champions', 'At Risk', 'Hibernating'),
  pAlive: fc.constantFrom(0.1, 0.5, 0.9),
  nextOrderDays: fc.integer({ min: -3, max: 5 }),
});

/** Definitions that read recomputed scores, beside every kind the segment arbitraries produce. */
const scoreDefinition: fc.Arbitrary<Condition> = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map((n): Condition => ({ kind: 'compare', target: { kind: 'field', name: 'rfm.r' }, op: '>=', value: n })),
  fc.constantFrom('Champions', 'At Risk').map((g): Condition => ({ kind: 'compare', target: { kind: 'field', name: 'rfm.group' }, op: '=', value: g })),
  fc.constant<Condition>({ kind: 'compare', target: { kind: 'field', name: 'clv.p_alive' }, op: '>', value: 0.4 }),
  fc.integer({ min: -2, max: 3 }).map((d): Condition => ({ kind: 'compare', target: { kind: 'field', name: 'next_order_at' }, op: '<', value: { relative: { amount: d, unit: 'd' } } })),
);

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.array(fc.oneof({ arbitrary: track, weight: 3 }, { arbitrary: identify, weight: 1 }), { minLength: 1, maxLength: 4 }).map((events) => ({ kind: 'events' as const, events })), weight: 6 },
  {
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: -2, max: 2 })).map(([g, h, ms]) => ({ kind: 'advance' as const, ms: Math.max(1, g * GRID + h * HOUR + ms) })),
    weight: 4,
  },
  {
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.option(fc.oneof({ arbitrary: definitionArb, weight: 4 }, { arbitrary: scoreDefinition, weight: 1 }), { nil: null, freq: 6 })).map(([slot, ast]) => ({ kind: 'define' as const, slot, ast })),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 8 }), fc.constantFrom<RestartHow>('engine', 'reopen', 'crash', 'crash-read'))
      .map(([g, how]) => ({ kind: 'restart' as const, ms: g * GRID + 7, how })),
    weight: 2,
  },
  { arbitrary: fc.array(scoreRow, { minLength: 1, maxLength: 4 }).map((rows) => ({ kind: 'scores' as const, rows })), weight: 1 },
  {
    arbitrary: fc
      .array(fc.record({ user: fc.integer({ min: 0, max: users.length - 1 }), offset: fc.integer({ min: -20, max: 0 }).map((k) => k * GRID), amount: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 3 })
      .map((orders) => ({ kind: 'import' as const, orders })),
    weight: 1,
  },
);
