import { behaviour, profiles } from '../../fixtures/segments/conformance-worlds.js';
import type { FixtureWorld } from '../../fixtures/segments/world.js';

/**
 * The conformance table. Every expected member set was worked out by hand from the documented
 * semantics (docs/segment-language.md, DESIGN "Semantics"), not by running an implementation:
 * - `within D` is (as_of − D, as_of]; events after as_of do not exist; `since DATE` is [DATE, as_of];
 *   `between A and B ago` is (as_of − B, as_of − A].
 * - A missing value makes a comparison unknown; `not` keeps unknown unknown; only true matches.
 *   `exists` / `is missing`, behaviour conditions, consent rows and `in segment` are never unknown —
 *   except consent without a row for the channel, which is missing.
 * - count and sum over no events are 0; avg, min and max over no events are missing.
 * The same table runs against the SQL compiler and the in-memory evaluator (conformance.test.ts).
 */
export interface ConformanceCase {
  readonly name: string;
  readonly world: FixtureWorld;
  readonly query: string;
  readonly asOf: string;
  readonly expected: readonly string[];
  /** Saved segments the query may refer to with `in segment`. */
  readonly segments?: Readonly<Record<string, string>>;
}

const P = '2024-06-30T00:00:00Z';
const p = (name: string, query: string, expected: string[], segments?: Record<string, string>): ConformanceCase => ({
  name,
  world: profiles,
  query,
  asOf: P,
  expected,
  ...(segments ? { segments } : {}),
});
const b = (name: string, query: string, expected: string[], asOf = P): ConformanceCase => ({ name, world: behaviour, query, asOf, expected });

export const cases: readonly ConformanceCase[] = [
  // ---- metrics: every comparison operator; a customer without a metrics row has 0 counts ----
  p('>= on a count', 'orders_count >= 5', ['a', 'e']),
  p('= 0 matches the customer without orders (counts default to 0)', 'orders_count = 0', ['c']),
  p('> on money', 'total_spent > 1000', ['a', 'e']),
  p('<= includes the bound and the 0 default', 'total_spent <= 300', ['b', 'c', 'd']),
  p('< on money', 'total_spent < 300', ['b', 'c']),
  p('!= on a count with default', 'orders_count != 1', ['a', 'c', 'd', 'e']),
  p('!= never matches a missing value', 'avg_order_value != 40', ['a', 'd', 'e']),
  p('= on a missing-able metric', 'avg_order_value = 150', ['d']),
  p('between includes both ends', 'orders_count between 2 and 5', ['a', 'd']),
  // D4 (trial 5): the largest number accepted, 2^63 − 1024, and a literal that rounds to it, compare alike in both
  p('the largest number accepted bounds every count', 'orders_count < 9223372036854774784 and orders_count > -9223372036854774784', ['a', 'b', 'c', 'd', 'e']),
  p('a literal rounding down to the largest accepted', 'total_spent < 9223372036854775295', ['a', 'b', 'c', 'd', 'e']),
  p('string metric starts_with', 'top_category starts_with "Dress"', ['a', 'e']),
  p('string metric contains a symbol', 'top_category contains "&"', ['e']),
  p('string metric is missing', 'top_category is missing', ['c']),
  // ---- traits ----
  p('trait equality (bare name is a trait)', 'country = "DE"', ['a', 'e']),
  p('trait equality with the traits. prefix', 'traits.country = "DE"', ['a', 'e']),
  p('!= skips the customer without the trait', 'traits.country != "DE"', ['b', 'c']),
  p('in list', 'traits.country in ("DE", "AT")', ['a', 'b', 'e']),
  p('not in skips the customer without the trait', 'traits.country not in ("DE", "AT")', ['c']),
  p('not (...) keeps missing unknown', 'not (traits.country = "DE")', ['b', 'c']),
  p('equality is case-sensitive', 'traits.plan = "pro"', ['a']),
  p('is missing', 'traits.plan is missing', ['c', 'd']),
  p('exists', 'traits.plan exists', ['a', 'b', 'e']),
  p('is not missing is exists', 'traits.plan is not missing', ['a', 'b', 'e']),
  p('numeric trait between, inclusive', 'traits.age between 19 and 34', ['a', 'b']),
  p('numeric trait >', 'traits.age > 30', ['a', 'e']),
  p('boolean trait = true', 'traits.vip = true', ['a']),
  p('boolean trait = false', 'traits.vip = false', ['b']),
  p('boolean trait != true skips missing', 'traits.vip != true', ['b']),
  p('contains is case-sensitive', 'traits.email contains "example"', ['a', 'c']),
  p('starts_with', 'traits.email starts_with "b"', ['b']),
  p('nested trait path', 'traits.address.city = "Berlin"', ['a']),
  p('nested trait path, missing on most', 'traits.address.city != "Berlin"', ['b']),
  // ---- time on profiles: -90d is 2024-04-01T00:00Z ----
  p('relative date: last order more than 90 days ago', 'last_order_at < -90d', ['b', 'd']),
  p('relative date: last order within 90 days', 'last_order_at >= -90d', ['a', 'e']),
  p('absolute date, bound included', 'last_order_at >= 2024-06-01', ['a', 'e']),
  p('days_since_last_order is computed at as_of', 'days_since_last_order > 90', ['b', 'd']),
  p('days_since_last_order exactly 29 days', 'days_since_last_order <= 29', ['a', 'e']),
  p('first_order_at before a date', 'first_order_at < 2023-06-01', ['a', 'e']),
  // ---- three-valued logic ----
  p('or: unknown or false is not a match', 'traits.age > 30 or traits.plan = "free"', ['a', 'b', 'e']),
  p('not over a comparison with missing values', 'not (traits.age > 30)', ['b']),
  p('not over and: unknown and unknown stays unknown', 'not (traits.age > 30 and traits.plan = "pro")', ['b', 'e']),
  p('presence is never unknown, so or-ing it rescues', 'traits.age > 30 or not (traits.plan exists)', ['a', 'c', 'd', 'e']),
  p('unknown or true is true', 'not traits.country = "DE" or orders_count = 2', ['b', 'c', 'd']),
  // ---- precedence: not > and > or ----
  p('and binds tighter than or', 'traits.country = "DE" or traits.country = "AT" and orders_count < 5', ['a', 'b', 'e']),
  p('parentheses override', '(traits.country = "DE" or traits.country = "AT") and orders_count < 5', ['b']),
  p('not binds tighter than and', 'not traits.plan exists and orders_count >= 2', ['d']),
  // ---- consent: no row for the channel is missing ----
  p('consent granted', 'consent email = granted', ['a', 'e']),
  p('consent != skips customers without a row', 'consent email != granted', ['b']),
  p('not consent keeps missing unknown', 'not (consent email = granted)', ['b']),
  p('consent on another channel', 'consent sms = denied', ['e']),
  p('consent combined', 'consent email = granted and total_spent > 2000', ['e']),
  // ---- segments referring to segments ----
  p('in segment', 'in segment "big"', ['a', 'e'], { big: 'total_spent > 1000' }),
  p('not in segment: membership is true or false, never unknown', 'not in segment "german"', ['b', 'c', 'd'], {
    german: 'traits.country = "DE"',
  }),
  p('in segment, nested two deep', 'in segment "big_de" or orders_count = 2', ['a', 'd', 'e'], {
    big: 'total_spent > 1000',
    big_de: 'in segment "big" and country = "DE"',
  }),
  // ---- behaviour: windows (within 90d = (2024-04-01T00:00Z, 2024-06-30T00:00Z]) ----
  b('performed within 90d: as_of included, as_of − 90d excluded', 'performed "Order Completed" within 90d', ['p1', 'p2', 'p3', 'p6', 'p7']),
  b('at least 2 times within 90d (boundary event not counted)', 'performed "Order Completed" at least 2 times within 90d', ['p1', 'p6']),
  b('at least 3 times without a window: all time up to as_of', 'performed "Order Completed" at least 3 times', ['p1']),
  b('exactly 1 time within 90d', 'performed "Order Completed" exactly 1 time within 90d', ['p2', 'p3', 'p7']),
  b('at most 1 time includes never', 'performed "Order Completed" at most 1 times within 90d', ['p2', 'p3', 'p4', 'p5', 'p7']),
  b('exactly 0 times: events after as_of do not count', 'performed "Order Completed" exactly 0 times', ['p4', 'p5']),
  b('not performed is never unknown', 'not performed "Order Completed" within 90d', ['p4', 'p5']),
  b('within 1d includes an event exactly at as_of', 'performed "Order Completed" within 1d', ['p1', 'p2', 'p3']),
  b('since a date includes the date', 'performed "Order Completed" since 2024-06-20', ['p1', 'p2', 'p3']),
  b('between 30d and 100d ago', 'performed "Order Completed" between 30d and 100d ago', ['p1', 'p6']),
  b('event names are case-sensitive', 'performed "order completed"', []),
  b('where on a property', 'performed "Product Viewed" where category = "Dresses"', ['p1', 'p4']),
  b('where and count in a window', 'performed "Product Viewed" where category = "Dresses" at least 2 times within 7d', ['p4']),
  b('where with a numeric comparison', 'performed "Product Viewed" where price > 50', ['p4']),
  b('where on an order id', 'performed "Order Completed" where order_id = "o1"', ['p1']),
  b('two behaviours combined', 'performed "Order Completed" within 90d and not performed "Checkout Started"', ['p1', 'p6', 'p7']),
  // ---- aggregates ----
  b('sum within 90d (boundary excluded, text revenue skipped)', 'sum of revenue in "Order Completed" within 90d > 100', ['p1', 'p6']),
  b('sum within 90d > 500: the 1000 at as_of − 90d does not count', 'sum of revenue in "Order Completed" within 90d > 500', ['p6']),
  b('sum over no events is 0', 'sum of revenue in "Order Completed" within 90d = 0', ['p4', 'p5']),
  b('sum all time ignores events after as_of', 'sum of revenue in "Order Completed" > 500', ['p1', 'p6']),
  b('avg over numeric values only', 'avg of revenue in "Order Completed" > 55', ['p1', 'p3', 'p6']),
  b('avg over no events is missing, so not(...) skips them', 'not (avg of revenue in "Order Completed" > 55)', ['p2', 'p7']),
  b('max within 90d', 'max of revenue in "Order Completed" within 90d >= 100', ['p1', 'p6']),
  b('min all time', 'min of revenue in "Order Completed" < 20', ['p7']),
  b('count aggregate in a window', 'count of "Order Completed" within 90d >= 2', ['p1', 'p6']),
  b('count aggregate = 0 over no events', 'count of "Order Completed" = 0', ['p4', 'p5']),
  b('aggregate with where', 'sum of price in "Product Viewed" where category = "Dresses" >= 45', ['p4']),
  // ---- first performed ----
  b('first performed within 90d: a first event at as_of − 90d is out', 'first performed "Order Completed" within 90d', ['p2', 'p3', 'p6']),
  b('first performed within 1d includes as_of', 'first performed "Order Completed" within 1d', ['p2', 'p3']),
  // ---- sequences: cart abandonment ----
  b('cart abandonment: no order within 1h, gap fully elapsed', 'performed "Checkout Started" then not "Order Completed" within 1h', ['p2', 'p4']),
  b('checkout followed by an order within 1h', 'performed "Checkout Started" then "Order Completed" within 1h', ['p3']),
  b('abandonment with a window on the first event', 'performed "Checkout Started" within 7d then not "Order Completed" within 1h', ['p2']),
  b('abandonment with a longer gap: the 4h-later order rescues p2', 'performed "Checkout Started" then not "Order Completed" within 5h', ['p4']),
  // ---- another as_of: the same data seen a week later ----
  b('a later as_of sees the later order', 'performed "Order Completed" within 7d', ['p1', 'p2', 'p3'], '2024-07-06T00:00:00Z'),
  b('a later as_of counts the later revenue', 'sum of revenue in "Order Completed" within 7d > 500', ['p2'], '2024-07-06T00:00:00Z'),
  b('an earlier as_of sees fewer events', 'performed "Order Completed" at least 2 times', ['p1', 'p6', 'p7'], '2024-06-25T00:00:00Z'),
];
