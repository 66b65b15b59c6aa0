import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSegment, evaluateSegment, loadCustomerState, parseSegment, SegmentError, type SegmentAst } from '../../../src/segments/index.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';

const asOf = new Date('2024-03-01T00:00:00Z');
const segments: Record<string, SegmentAst> = {
  vip: parseSegment('total_spent >= 500').ast!,
  loop_a: { kind: 'in_segment', segment: 'loop_b' },
  loop_b: { kind: 'in_segment', segment: 'loop_a' },
};
const resolveSegment = (name: string) => segments[name];

function compile(text: string) {
  const { ast, diagnostics } = parseSegment(text);
  expect(diagnostics, text).toEqual([]);
  return compileSegment(ast!, { asOf, resolveSegment });
}

/** Customers of a small shop; each case below names who must be a member. */
async function seed(store: Store): Promise<void> {
  const c = (id: string, traits: object) => store.run('INSERT INTO customers VALUES ($1, $2, $2, $3, NULL)', [id, asOf, JSON.stringify(traits)]);
  await c('ann', { country: 'DE', plan: 'pro', address: { city: 'Berlin' }, 'odd/key~': 1 });
  await c('bob', { country: 'FR', plan: 3 });
  await c('cyd', {});
  await store.run("INSERT INTO customers VALUES ('old', $1, $1, '{\"country\":\"DE\"}', 'ann')", [asOf]);
  const m = (id: string, orders: number, spent: number, last: string) =>
    store.run('INSERT INTO customer_metrics VALUES ($1, $2, $3, 0, $3, $4, $5, $5, NULL, 1, NULL, $6)', [id, orders, spent, spent / orders, new Date(last), asOf]);
  await m('ann', 3, 620.5, '2024-02-20T00:00:00Z');
  await m('bob', 1, 40, '2023-10-01T00:00:00Z');
  let n = 0;
  const e = (id: string, event: string, at: string, props: object) =>
    store.run("INSERT INTO events VALUES ($1, 'track', $2, $3, NULL, NULL, $4, $4, $5, NULL, NULL, 'test')", [`m${++n}`, event, id, new Date(at), JSON.stringify(props)]);
  await e('ann', 'Product Viewed', '2024-02-27T10:00:00Z', { category: 'Dresses' });
  await e('ann', 'Product Viewed', '2024-02-28T10:00:00Z', { category: 'Dresses' });
  await e('ann', 'Product Viewed', '2024-02-29T10:00:00Z', { category: 'Dresses' });
  await e('ann', 'Order Completed', '2024-02-20T00:00:00Z', { revenue: 600 });
  await e('bob', 'Product Viewed', '2024-02-29T10:00:00Z', { category: 'Shoes' });
  await e('bob', 'Checkout Started', '2024-02-29T10:00:00Z', {});
  await e('cyd', 'Checkout Started', '2024-02-29T10:00:00Z', {});
  await e('cyd', 'Order Completed', '2024-02-29T10:30:00Z', { revenue: 20 });
  await e('cyd', 'Order Completed', '2024-03-02T10:30:00Z', { revenue: 1000 }); // after as_of: ignored
  await store.run("INSERT INTO consent VALUES ('ann', 'email', 'granted', $1, 'test'), ('bob', 'email', 'denied', $1, 'test')", [asOf]);
}

describe('compileSegment (DuckDB)', () => {
  let store: Store;
  let held: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    // a copy of the once-migrated empty store (tempStore), not a ':memory:' database migrated anew
    held = await tempStore();
    store = held.store;
    await seed(store);
  });
  afterAll(() => held.cleanup());

  const members = async (text: string): Promise<string[]> => {
    const q = compile(text);
    const rows = await store.all<{ customer_id: string }>(q.sql, q.parameters as never);
    return rows.map((r) => r.customer_id).sort();
  };

  // One case per node kind: the members SQL finds, and the same answer from the evaluator.
  const cases: [string, string[]][] = [
    ['total_spent > 100', ['ann']],
    ['orders_count = 0', ['cyd']],
    ['traits.address.city = "Berlin"', ['ann']],
    ['plan != "pro"', []],
    ['country != "DE"', ['bob']],
    ['not (last_order_at < -90d)', ['ann']],
    ['last_order_at >= -90d', ['ann']],
    ['days_since_last_order between 100 and 200', ['bob']],
    ['country in ("DE", "FR")', ['ann', 'bob']],
    ['country not in ("DE")', ['bob']],
    ['plan starts_with "p"', ['ann']],
    ['traits.`odd/key~` exists', ['ann']],
    ['country is missing', ['cyd']],
    ['performed "Product Viewed" where category = "Dresses" at least 3 times within 7d', ['ann']],
    ['performed "Product Viewed" at most 1 time within 7d', ['bob', 'cyd']],
    ['not performed "Order Completed"', ['bob']],
    ['sum of revenue in "Order Completed" within 90d > 500', ['ann']],
    ['avg of revenue in "Order Completed" < 100', ['cyd']],
    ['count of "Checkout Started" since 2024-02-01 = 1', ['bob', 'cyd']],
    ['first performed "Order Completed" within 30d', ['ann', 'cyd']],
    ['performed "Checkout Started" then not "Order Completed" within 1h', ['bob']],
    ['performed "Checkout Started" then "Order Completed" within 1h', ['cyd']],
    ['consent email = granted', ['ann']],
    ['consent email != granted', ['bob']],
    ['in segment "vip"', ['ann']],
    ['not in segment "vip"', ['bob', 'cyd']],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected.join(', ') || 'nobody'}`, async () => {
      expect(await members(text)).toEqual(expected);
      const ast = parseSegment(text).ast!;
      const inMemory: string[] = [];
      for (const id of ['ann', 'bob', 'cyd']) {
        if (evaluateSegment(ast, await loadCustomerState(store, id), { asOf, resolveSegment }).member) inMemory.push(id);
      }
      expect(inMemory).toEqual(expected);
    });
  }

  it('user values are parameters, never SQL text', () => {
    const q = compile('traits.`x\'); DROP TABLE customers; --` = "\'; DROP TABLE events; --" and performed "Robert\'); DROP" where `a"b` = "c"');
    expect(q.sql).not.toContain('DROP');
    expect(q.parameters).toEqual(
      expect.arrayContaining(["/x'); DROP TABLE customers; --", "'; DROP TABLE events; --", "Robert'); DROP", '/a"b', 'c']),
    );
  });

  it('a comparison: the field from the catalog, the value bound', () => {
    const q = compile('total_spent > 100');
    expect(q.sql).toBe(
      'SELECT c.customer_id\nFROM customers c\nLEFT JOIN "customer_metrics" t1 ON t1.customer_id = c.customer_id\n' +
        'WHERE c.merged_into IS NULL\n  AND (((CASE WHEN t1.customer_id IS NULL THEN $1::DOUBLE ELSE CAST(t1."total_spent" AS DOUBLE) END) > $2::DOUBLE))',
    );
    expect(q.parameters).toEqual([0, 100]);
  });

  it('a trait: json path and value as parameters, typed by the value', () => {
    const q = compile('traits.address.city = "Berlin"');
    expect(q.sql).toContain(`(CASE WHEN json_type(c.traits, $1::VARCHAR) = 'VARCHAR' THEN json_extract_string(c.traits, $1::VARCHAR) END) = $2::VARCHAR`);
    expect(q.parameters).toEqual(['/address/city', 'Berlin']);
  });

  it('behaviour: one scan of events, aggregates per customer with FILTER, window edges bound', () => {
    const q = compile('performed "Product Viewed" where category = "Dresses" at least 3 times within 7d and sum of revenue in "Order Completed" within 90d > 500');
    expect(q.sql.match(/FROM events e/g)).toHaveLength(1);
    expect(q.sql).toContain('GROUP BY e.customer_id');
    expect(q.sql).toContain('count(*) FILTER (WHERE CASE WHEN e.event = $1::VARCHAR AND (e.timestamp > $2::TIMESTAMP AND e.timestamp <= $3::TIMESTAMP) THEN');
    // both aggregates have windows: the scan starts at the earliest (90 days back)
    expect(q.sql).toMatch(/WHERE e.customer_id IS NOT NULL AND e.timestamp <= \$\d+::TIMESTAMP AND e.timestamp >= \$\d+::TIMESTAMP AND/);
    expect(q.sql).toContain('(coalesce(ev.a1, 0) >= $');
    expect(q.sql).toContain('(coalesce(ev.a2, 0) > $');
    expect(q.parameters.slice(0, 5)).toEqual(['Product Viewed', new Date('2024-02-23T00:00:00Z'), asOf, '/category', 'Dresses']);
    expect(q.parameters).toEqual(expect.arrayContaining([3, '/revenue', 'Order Completed', new Date('2023-12-02T00:00:00Z'), 500]));
  });

  it('a sequence: an ASOF join pairing each first event with the next then-event', () => {
    const q = compile('performed "Checkout Started" then not "Order Completed" within 1h');
    expect(q.sql).toContain('ASOF LEFT JOIN');
    expect(q.sql).toContain('ON n.customer_id = a.customer_id AND n.t > a.t');
    expect(q.sql).toContain('(n.t IS NULL OR n.t > (a.t + to_milliseconds(CAST($');
    expect(q.parameters).toEqual(expect.arrayContaining(['Checkout Started', 'Order Completed', 3_600_000, new Date(asOf.getTime() - 3_600_000)]));
  });

  it('refuses segment cycles, naming the cycle, and unknown segments', () => {
    expect(() => compile('in segment "loop_a"')).toThrow(SegmentError);
    expect(() => compile('in segment "loop_a"')).toThrow('loop_a → loop_b → loop_a');
    expect(() => compile('in segment "nope"')).toThrow('no segment named "nope"');
  });
});
