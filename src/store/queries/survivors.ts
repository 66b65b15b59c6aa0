import type { Queryable } from '../db.js';

/**
 * Where each of these customer ids stands now: id → the live customer holding the person (the id
 * itself when it was never merged; else `customers.merged_into` followed to the end of the chain, at
 * most 50 steps as everywhere else). An id with no customer row (erased, or never a customer) is absent
 * from the map. For anything that stored a customer id at one moment and acts on it later (an
 * unsubscribe token, a run's send, a queued membership change): call it in the transaction that acts, so
 * a merge or an erasure committed meanwhile is seen (docs/identity.md, docs/privacy.md).
 */
export async function survivorsOf(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(ids)];
  if (distinct.length === 0) return new Map();
  const rows = await db.all<{ origin: string; survivor: string }>(
    `WITH RECURSIVE chain(origin, customer_id, merged_into, depth) AS (
       SELECT c.customer_id, c.customer_id, c.merged_into, 0 FROM customers c WHERE c.customer_id IN (SELECT unnest($1::VARCHAR[]))
       UNION ALL
       SELECT chain.origin, c.customer_id, c.merged_into, chain.depth + 1
       FROM chain JOIN customers c ON c.customer_id = chain.merged_into
       WHERE chain.depth < 50
     )
     SELECT origin, customer_id AS survivor FROM chain WHERE merged_into IS NULL`,
    [distinct],
  );
  return new Map(rows.map((r) => [r.origin, r.survivor]));
}

/** survivorsOf for one id: the live customer holding the person, or undefined when none is held. */
export async function survivorOf(db: Queryable, id: string): Promise<string | undefined> {
  return (await survivorsOf(db, [id])).get(id);
}
