import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refreshCustomerMetrics, refreshedCustomerMetrics } from '../../src/store/queries/metrics.js';
import { storePerFile } from '../helpers/store.js';

// customer_metrics' product columns against a computation of this file's own, on generated orders:
// distinct_products counts the distinct products of bought lines (orders, not refunds; product lines,
// not fees), and top_category is the category with the most spent, ties going to the name that sorts
// first (docs/metrics.md), compared as DuckDB compares text: by UTF-8 bytes. Amounts are whole cents,
// so the sums here are exact. Also: the rows refreshedCustomerMetrics returns are the rows it stored.

const shared = storePerFile();

const CATEGORIES = ['Dresses', 'Shoes', 'dresses', 'É', 'Z', '', null, '中'];

interface Line {
  product: string | null;
  category: string | null;
  cents: number;
  kind: 'product' | 'shipping';
}
interface Order {
  customer: number;
  kind: 'order' | 'refund';
  lines: Line[];
}

const line: fc.Arbitrary<Line> = fc.record({
  product: fc.option(fc.constantFrom('p1', 'p2', 'p3', 'P1'), { nil: null, freq: 8 }),
  category: fc.constantFrom(...CATEGORIES),
  // few values, so that categories often tie
  cents: fc.constantFrom(500, 1000, 1500, 2500, 1, -500),
  kind: fc.constantFrom('product' as const, 'product' as const, 'shipping' as const),
});
const orders = fc.array(fc.record({ customer: fc.nat(5), kind: fc.constantFrom('order' as const, 'order' as const, 'refund' as const), lines: fc.array(line, { maxLength: 4 }) }), { minLength: 1, maxLength: 14 });

/** Text order as DuckDB's: byte by byte of UTF-8. */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function expected(list: readonly Order[]): Map<string, { distinct_products: number; top_category: string | null }> {
  const out = new Map<string, { distinct_products: number; top_category: string | null }>();
  const bought = new Map<string, Line[]>();
  for (const o of list) {
    const id = `c${o.customer}`;
    if (!bought.has(id)) bought.set(id, []);
    if (o.kind === 'order') for (const l of o.lines) if (l.kind === 'product') bought.get(id)!.push(l);
  }
  for (const [id, lines] of bought) {
    const products = new Set(lines.filter((l) => l.product !== null).map((l) => l.product));
    const spent = new Map<string, number>();
    for (const l of lines) if (l.category !== null && l.category !== '') spent.set(l.category, (spent.get(l.category) ?? 0) + l.cents);
    let top: string | null = null;
    for (const [c, s] of spent) if (top === null || s > spent.get(top)! || (s === spent.get(top)! && byBytes(c, top) < 0)) top = c;
    out.set(id, { distinct_products: products.size, top_category: top });
  }
  return out;
}

describe('customer_metrics: distinct products and top category', () => {
  it('match a computation of their definitions, by customer and in bulk, and the returned rows are the stored ones', async () => {
    const s = shared.store;
    await fc.assert(
      fc.asyncProperty(orders, async (list) => {
        await s.run('DELETE FROM order_lines');
        await s.run('DELETE FROM orders');
        await s.run('DELETE FROM customer_metrics');
        for (const [i, o] of list.entries()) {
          const revenue = o.lines.reduce((x, l) => x + l.cents, 0) / 100;
          await s.run("INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, source) VALUES ($1, $2, $3, TIMESTAMP '2024-01-01' + to_days($4), $5, 'test')", [`o${i}`, `c${o.customer}`, o.kind, i, revenue]);
          for (const [j, l] of o.lines.entries()) {
            await s.run('INSERT INTO order_lines (order_id, line_no, product_id, name, category, price, quantity, amount, kind) VALUES ($1, $2, $3, $3, $4, $5, 1, $5, $6)', [`o${i}`, j + 1, l.product, l.category, l.cents / 100, l.kind]);
          }
        }
        const want = expected(list);
        const ids = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'nobody'];
        const returned = await refreshedCustomerMetrics(s, ids);
        const stored = await s.all<Record<string, unknown> & { customer_id: string }>('SELECT * FROM customer_metrics ORDER BY customer_id');
        expect([...returned.keys()].sort()).toEqual(ids.slice().sort());
        for (const id of ids) expect(returned.get(id)).toEqual(stored.find((r) => r.customer_id === id));
        const got = new Map(stored.map((r) => [r.customer_id, { distinct_products: r.distinct_products, top_category: r.top_category }]));
        expect(got).toEqual(want);
        await refreshCustomerMetrics(s);
        const bulk = await s.all('SELECT * EXCLUDE (updated_at) FROM customer_metrics ORDER BY customer_id');
        expect(bulk).toEqual(stored.map(({ updated_at: _, ...r }) => r));
      }),
      { numRuns: 40 },
    );
  });
});
