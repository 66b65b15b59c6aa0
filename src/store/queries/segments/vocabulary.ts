import type { Queryable } from '../../db.js';

export interface NameCountRow {
  name: string;
  count: number;
}

/** Names of tracked events (and page names), most frequent first: what `performed "…"` can name. */
export function eventNames(db: Queryable, limit: number): Promise<NameCountRow[]> {
  return db.all<NameCountRow>(
    `SELECT event AS name, count(*) AS count FROM events WHERE event IS NOT NULL
     GROUP BY event ORDER BY count DESC, name LIMIT $1`,
    [limit],
  );
}

/** Top-level trait keys of customers, most common first (from a sample of up to 20,000 customers). */
export function traitKeys(db: Queryable, limit: number): Promise<NameCountRow[]> {
  return db.all<NameCountRow>(
    `SELECT key AS name, count(*) AS count
     FROM (SELECT unnest(json_keys(traits)) AS key FROM (SELECT traits FROM customers WHERE merged_into IS NULL LIMIT 20000))
     GROUP BY key ORDER BY count DESC, name LIMIT $1`,
    [limit],
  );
}
