/**
 * The segment engine on a synthetic shop: each compiled query against a plain grouped scan of the
 * same event names up to as_of (no window, no JSON, no joins: what any implementation must at least
 * read when the definition has no window), and the in-memory evaluator (membership, explanation and
 * changes_at) against merely walking the customer's events.
 *
 *   npx tsx bench/segment-engine.ts                       # 200,000 customers, 20 events each
 *   npx tsx bench/segment-engine.ts --customers 1000000   # 1M customers, 20M events
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSegment, evaluateSegment, loadCustomerState, parseSegment } from '../src/segments/index.js';
import { Store } from '../src/store/db.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 200_000);
const events = customers * 20;
const asOf = new Date('2024-04-01T00:00:00Z');
const RUNS = 3;

async function time(fn: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
const store = await Store.open(join(dir, 'bench.duckdb'));
try {
  let t = performance.now();
  await store.run(
    `INSERT INTO customers SELECT 'c' || i, TIMESTAMP '2023-01-01', TIMESTAMP '2023-01-01',
       json_object('country', CASE WHEN i % 3 = 0 THEN 'DE' ELSE 'FR' END, 'plan', CASE WHEN i % 5 = 0 THEN 'pro' ELSE 'free' END), NULL
     FROM range(${customers}) t(i)`,
  );
  await store.run(
    `INSERT INTO events SELECT 'm' || i, 'track',
       CASE i % 10 WHEN 0 THEN 'Order Completed' WHEN 1 THEN 'Checkout Started' WHEN 2 THEN 'Page Viewed' ELSE 'Product Viewed' END,
       'c' || (hash(i) % ${customers}), NULL, NULL,
       TIMESTAMP '2024-01-01' + to_milliseconds((hash(i * 7 + 1) % 7862400000::UBIGINT)::BIGINT),
       TIMESTAMP '2024-01-01', json_object('category', CASE hash(i * 3) % 4 WHEN 0 THEN 'Dresses' WHEN 1 THEN 'Shoes' ELSE 'Bags' END,
       'revenue', (hash(i * 5) % 300)::INTEGER), NULL, NULL, 'bench'
     FROM range(${events}) t(i)`,
  );
  console.log(`generated ${customers.toLocaleString()} customers, ${events.toLocaleString()} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const cases: [string, string][] = [
    ['views in a window', 'performed "Product Viewed" where category = "Dresses" at least 3 times within 7d'],
    ['spend aggregate', 'sum of revenue in "Order Completed" within 90d > 500'],
    ['cart abandonment', 'performed "Checkout Started" within 30d then not "Order Completed" within 1h'],
    ['combined', 'country = "DE" and performed "Product Viewed" at least 2 times within 14d and not performed "Order Completed" within 30d'],
  ];
  console.log('\ncompiled query vs a grouped scan of the same event names up to as_of, best of 3:');
  for (const [name, text] of cases) {
    const ast = parseSegment(text).ast!;
    const q = compileSegment(ast, { asOf });
    let members = 0;
    const ms = await time(async () => {
      members = (await store.all(q.sql, q.parameters as never)).length;
    });
    const names = [...new Set([...text.matchAll(/"([A-Z][^"]+)"/g)].map((m) => m[1]!))];
    const bound = await time(() =>
      store.all(
        `SELECT count(*) FROM (SELECT customer_id, count(*) FROM events WHERE timestamp <= $1 AND event IN (SELECT unnest($2::VARCHAR[])) GROUP BY customer_id)`,
        [asOf, names],
      ),
    );
    console.log(`  ${name.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms  scan ${bound.toFixed(0).padStart(5)} ms  ratio ${(ms / bound).toFixed(2)}×  (${members.toLocaleString()} members)`);
  }

  const sample = 500;
  const states = [];
  t = performance.now();
  for (let i = 0; i < sample; i++) states.push(await loadCustomerState(store, `c${i * 97}`));
  const loadMs = performance.now() - t;
  console.log(`\nin-memory evaluator, ${sample} customers (${(states.reduce((a, s) => a + s.events.length, 0) / sample).toFixed(1)} events each; loading state ${(loadMs / sample).toFixed(2)} ms/customer):`);
  for (const [name, text] of cases) {
    const ast = parseSegment(text).ast!;
    t = performance.now();
    for (const s of states) evaluateSegment(ast, s, { asOf });
    const ms = performance.now() - t;
    // lower bound: touching every event of every customer once
    t = performance.now();
    let seen = 0;
    for (let k = 0; k < 10; k++) for (const s of states) for (const e of s.events) if (e.event === 'Product Viewed') seen++;
    const walk = (performance.now() - t) / 10;
    console.log(
      `  ${name.padEnd(18)} ${((ms / sample) * 1000).toFixed(0).padStart(6)} µs/customer (with explanation and changes_at)  ` +
        `walk ${((walk / sample) * 1000).toFixed(2)} µs (${seen / 10} views)  ratio ${(ms / walk).toFixed(0)}×`,
    );
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
