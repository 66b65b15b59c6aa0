import type { Queryable } from '../db.js';

const SEP = '\u001e';
const UNIT = '\u001f';

/**
 * Calls fn for every identity with the customer holding it and that customer's created_at (ms since the
 * epoch, UTC): what IdentityMap (src/ingest/identity/identity-map.ts) keeps in memory. Identities always
 * name a live customer (merges re-point them).
 *
 * A shop's identities travel as one text per table, joined by the record and unit separators and split
 * here: turning 250,000 rows into row objects took seconds, this a few hundred milliseconds. Should any
 * value contain a separator, the rows are read as rows instead.
 */
export async function forEachIdentityHolder(db: Queryable, fn: (kind: string, value: string, customerId: string, createdMs: number) => void): Promise<void> {
  const created = new Map<string, number>();
  const c = await db.one<{ s: string | null; bad: boolean | null }>(
    `SELECT string_agg(customer_id || chr(31) || epoch_ms(created_at), chr(30)) AS s,
       bool_or(contains(customer_id, chr(30)) OR contains(customer_id, chr(31))) AS bad
     FROM customers WHERE merged_into IS NULL`,
  );
  const i = await db.one<{ s: string | null; bad: boolean | null }>(
    `SELECT string_agg(kind || chr(31) || value || chr(31) || customer_id, chr(30)) AS s,
       bool_or(contains(kind || value || customer_id, chr(30)) OR contains(kind || value || customer_id, chr(31))) AS bad
     FROM identities`,
  );
  if (c?.bad || i?.bad) {
    const rows = await db.all<{ kind: string; value: string; customer_id: string; created_ms: number }>(
      `SELECT i.kind, i.value, i.customer_id, epoch_ms(c.created_at) AS created_ms FROM identities i JOIN customers c USING (customer_id) WHERE c.merged_into IS NULL`,
    );
    for (const r of rows) fn(r.kind, r.value, r.customer_id, Number(r.created_ms));
    return;
  }
  if (c?.s) {
    for (const part of c.s.split(SEP)) {
      const a = part.indexOf(UNIT);
      created.set(part.slice(0, a), Number(part.slice(a + 1)));
    }
  }
  if (!i?.s) return;
  for (const part of i.s.split(SEP)) {
    const a = part.indexOf(UNIT);
    const b = part.indexOf(UNIT, a + 1);
    const customerId = part.slice(b + 1);
    // Identities name live customers only; one that did not would be a broken store, skipped as the join would.
    const at = created.get(customerId);
    if (at !== undefined) fn(part.slice(0, a), part.slice(a + 1, b), customerId, at);
  }
}
