import type { Queryable } from '../../db.js';

/** Members who granted email consent (user id), at random: the demo's live shoppers. */
export async function consentingMembers(db: Queryable, n: number): Promise<string[]> {
  const rows = await db.all<{ user_id: string }>(
    `SELECT i.value AS user_id FROM identities i JOIN consent c ON c.customer_id = i.customer_id
     WHERE i.kind = 'user_id' AND c.channel = 'email' AND c.status = 'granted'
     ORDER BY hash(i.value) LIMIT $1`,
    [n],
  );
  return rows.map((r) => r.user_id);
}

/** Products that were sold, with a name and price, for the demo's live carts. */
export async function soldProducts(db: Queryable, n: number): Promise<{ product_id: string; name: string; category: string; price: number }[]> {
  return db.all(
    `SELECT product_id, any_value(name) AS name, any_value(category) AS category, any_value(price)::DOUBLE AS price
     FROM order_lines WHERE product_id IS NOT NULL AND price IS NOT NULL GROUP BY product_id ORDER BY count(*) DESC, product_id LIMIT $1`,
    [n],
  );
}
