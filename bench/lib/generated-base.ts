/**
 * A generated shop of n customers for the benchmarks at scale, made by one SQL statement in seconds:
 * customer c has 1 + a geometric number of orders (mean ≈ 2.5), the last one 0..729 days before
 * 2024-01-01, evenly spaced 10..69 days apart, with log-normal-ish values. Deterministic (hash() of the
 * customer and order numbers), so two runs measure the same data. The demo generator (src/demo) makes a
 * richer shop but needs minutes per 100,000 people; `--db FILE` lets a benchmark reuse either.
 */
import { existsSync } from 'node:fs';
import { Store } from '../../src/store/db.js';
import { fmtMs, timed } from './measure.js';

export async function generateOrders(store: Store, n: number): Promise<number> {
  await store.run(
    `INSERT INTO orders
     SELECT 'g' || c || '_' || j, 'cus_g' || c, 'order',
       TIMESTAMP '2024-01-01' - to_days((last_days + j * gap)::INTEGER) - to_seconds((hash(c, j, 's') % 86400)::BIGINT),
       round(exp(1 + (hash(c, j, 'v') % 4000) / 1000.0), 2), 'GBP', NULL, 'bench'
     FROM (
       SELECT c, unnest(range(n_orders)) AS j, last_days, gap FROM (
         SELECT range AS c,
           (1 + floor(-ln(1 - (hash(range, 'n') % 1000000) / 1000000.0) * 2.0))::INTEGER AS n_orders,
           (hash(range, 'r') % 730)::INTEGER AS last_days,
           (10 + hash(range, 'g') % 60)::INTEGER AS gap
         FROM range($1::BIGINT)
       )
     )`,
    [n],
  );
  return (await store.one<{ n: number }>('SELECT count(*) AS n FROM orders'))?.n ?? 0;
}

/** Opens `path`, generating n customers' orders into it first when it has none. */
export async function openGeneratedBase(path: string, n: number): Promise<Store> {
  const fresh = !existsSync(path);
  const store = await Store.open(path);
  const orders = (await store.one<{ n: number }>('SELECT count(*) AS n FROM orders'))?.n ?? 0;
  if (fresh || orders === 0) {
    const gen = await timed(() => generateOrders(store, n));
    await store.checkpoint();
    console.log(`(setup: ${gen.value.toLocaleString('en-GB')} orders of ${n.toLocaleString('en-GB')} generated customers in ${fmtMs(gen.ms)}: ${path})`);
  } else {
    console.log(`(reusing ${orders.toLocaleString('en-GB')} orders in ${path})`);
  }
  return store;
}
