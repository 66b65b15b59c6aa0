import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSegment, defaultCatalog, duckdbDialect, evaluateSegment, loadCustomerState, parseSegment, type Dialect } from '../../../src/segments/index.js';
import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';

const asOf = new Date('2024-03-01T00:00:00Z');
// Like what analytics and predictions register: fields in their own tables, one row per customer
// (test-only tables, so this does not depend on those areas' schemas).
const catalog = defaultCatalog.with([
  { name: 'rfm.group', type: 'string', description: 'RFM group', table: 'test_rfm', column: 'rfm_group' },
  { name: 'clv.p_alive', type: 'number', description: 'P(alive)', table: 'test_predictions', column: 'p_alive' },
  { name: 'clv.next_order_at', type: 'timestamp', description: 'expected next order', table: 'test_predictions', column: 'next_order_at' },
]);

describe('registered fields', () => {
  let store: Store;
  let held: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    // a copy of the once-migrated empty store (tempStore), not a ':memory:' database migrated anew
    held = await tempStore();
    store = held.store;
    await store.run('CREATE TABLE test_rfm (customer_id VARCHAR PRIMARY KEY, r INTEGER, rfm_group VARCHAR)');
    await store.run('CREATE TABLE test_predictions (customer_id VARCHAR PRIMARY KEY, p_alive DOUBLE, next_order_at TIMESTAMP)');
    for (const id of ['a', 'b', 'c']) await store.run("INSERT INTO customers VALUES ($1, $2, $2, '{}', NULL)", [id, asOf]);
    await store.run("INSERT INTO test_rfm VALUES ('a', 5, 'Champions'), ('b', 1, 'At Risk')");
    await store.run("INSERT INTO test_predictions VALUES ('a', 0.92, '2024-03-10'), ('c', 0.31, '2024-02-01')");
  });
  afterAll(() => held.cleanup());

  const cases: [string, string[]][] = [
    ['rfm.group = "Champions"', ['a']],
    ['rfm.group != "Champions"', ['b']],
    ['rfm.group is missing', ['c']],
    ['clv.p_alive < 0.5', ['c']],
    ['clv.next_order_at < +7d', ['c']],
    ['rfm.group in ("Champions", "At Risk") and not (clv.p_alive < 0.5)', ['a']],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected.join(', ')}`, async () => {
      const { ast, diagnostics } = parseSegment(text, { catalog });
      expect(diagnostics).toEqual([]);
      const q = compileSegment(ast!, { asOf, catalog });
      expect(q.sql).not.toContain('Champions');
      const fromSql = (await store.all<{ customer_id: string }>(q.sql, q.parameters as never)).map((r) => r.customer_id).sort();
      expect(fromSql).toEqual(expected);
      const inMemory: string[] = [];
      for (const id of ['a', 'b', 'c']) {
        const state = await loadCustomerState(store, id, { catalog });
        if (evaluateSegment(ast!, state, { asOf, catalog }).member) inMemory.push(id);
      }
      expect(inMemory).toEqual(expected);
    });
  }

  it('refuses field definitions that could inject SQL', () => {
    expect(() => catalog.with([{ name: 'x', type: 'number', description: '', table: 'test_rfm; DROP', column: 'r' }])).toThrow('not a plain identifier');
    expect(() => catalog.with([{ name: 'rfm.group', type: 'number', description: '', table: 'test_rfm', column: 'r' }])).toThrow('already registered');
  });
});

describe('dialects are hooks', () => {
  it('another placeholder style changes only the placeholders', () => {
    const named: Dialect = { ...duckdbDialect, name: 'named', placeholder: (i, type) => `{p${i}:${type}}` };
    const ast = parseSegment('traits.plan = "pro" and total_spent > 10').ast!;
    const a = compileSegment(ast, { asOf, dialect: named });
    const b = compileSegment(ast, { asOf });
    expect(a.parameters).toEqual(b.parameters);
    expect(a.sql).toContain('{p1:string}');
    expect(a.sql.replace(/\{p(\d+):\w+\}/g, '$$$1')).toBe(b.sql.replace(/\$(\d+)::\w+/g, '$$$1'));
  });
});
