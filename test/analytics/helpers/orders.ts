import type { Store } from '../../../src/store/db.js';
import type { OrderRecord } from '../../../src/analytics/rfm/rfmInMemory.js';

/** Inserts customers (one per distinct id) and their orders in two statements, whatever the count. */
export async function insertOrders(store: Store, orders: readonly OrderRecord[]): Promise<void> {
  const ids = [...new Set(orders.map((o) => o.customerId))];
  if (ids.length) {
    await store.run(
      `INSERT INTO customers SELECT id, now(), now(), '{}', NULL FROM (SELECT unnest($1::VARCHAR[]) AS id)
       WHERE id NOT IN (SELECT customer_id FROM customers)`,
      [ids],
    );
  }
  if (!orders.length) return;
  const base = (await store.one<{ n: number }>('SELECT count(*) AS n FROM orders'))!.n;
  await store.run(
    `INSERT INTO orders
     SELECT 'o' || (i + $5)::VARCHAR, c, k, t::TIMESTAMP, r::DECIMAL(18,4), 'GBP', NULL, 'test'
     FROM (SELECT unnest($1::VARCHAR[]) AS c, unnest($2::VARCHAR[]) AS k, unnest($3::VARCHAR[]) AS t,
                  unnest($4::VARCHAR[]) AS r, generate_subscripts($1::VARCHAR[], 1) AS i)`,
    [
      orders.map((o) => o.customerId),
      orders.map((o) => o.kind),
      orders.map((o) => o.placedAt.toISOString().replace('T', ' ').replace('Z', '')),
      orders.map((o) => o.revenue.toFixed(4)),
      base,
    ],
  );
}

export const day = (iso: string): Date => new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso + 'Z');
