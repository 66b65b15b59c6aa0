import type { Queryable } from '../db.js';
import type { TraitsRow } from './identity.js';
import { keyLookup, packRows, type LookupPlan } from './identity-columns.js';

/**
 * What a live commit's identify calls read of their customers, in one statement: customerTraits
 * (store/queries/identity.ts), and per customer and trait the time of the data that set the value in
 * force (trait_times; a trait with no row has no known time: any dated value may replace it). Each
 * table is looked up by the ids as constants, the only filter of its scan, so a few customers are found
 * in customers' primary key and in trait_times_customer (migration 29), where trait_times's own key,
 * of two columns, left DuckDB scanning the whole table (keyLookup chooses; `plan` forces one, for tests).
 */
export async function traitsAndTimesOf(
  db: Queryable,
  customerIds: readonly string[],
  plan?: LookupPlan,
): Promise<{ traits: TraitsRow[]; times: Map<string, Map<string, number>> }> {
  const rows = await keyLookup<TraitsRow & { trait: string | null; decided_at: Date | null }>(
    db,
    'customers',
    customerIds,
    (ids) => `SELECT customer_id, traits::VARCHAR AS traits, updated_at, NULL::VARCHAR AS trait, NULL::TIMESTAMP AS decided_at FROM customers WHERE customer_id IN (${ids})
       UNION ALL
       SELECT customer_id, NULL, NULL, trait, decided_at FROM trait_times WHERE customer_id IN (${ids})`,
    plan,
  );
  const traits: TraitsRow[] = [];
  const times = new Map<string, Map<string, number>>();
  for (const r of rows) {
    // trait_times.trait is never NULL: a row without one is the customer's
    if (r.trait === null) {
      traits.push({ customer_id: r.customer_id, traits: r.traits, updated_at: r.updated_at });
      continue;
    }
    const m = times.get(r.customer_id) ?? new Map<string, number>();
    m.set(r.trait, r.decided_at!.getTime());
    times.set(r.customer_id, m);
  }
  return { traits, times };
}

export interface TraitTimeWrite {
  customerId: string;
  trait: string;
  decidedAt: Date;
  source: string;
}

/** Moves trait times forward (never back) for the values just written. */
export async function writeTraitTimes(db: Queryable, rows: readonly TraitTimeWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const q = packRows([
    { name: 'c', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'k', type: 'text', values: rows.map((r) => r.trait) },
    { name: 't', type: 'time', values: rows.map((r) => r.decidedAt) },
    { name: 's', type: 'text', values: rows.map((r) => r.source) },
  ]);
  await db.run(
    `INSERT INTO trait_times (customer_id, trait, decided_at, source)
     SELECT c, k, max(t), arg_max(s, t) FROM (${q.select}) GROUP BY c, k
     ON CONFLICT (customer_id, trait) DO UPDATE SET decided_at = excluded.decided_at, source = excluded.source
     WHERE excluded.decided_at >= trait_times.decided_at`,
    q.params,
  );
}

/** On a merge: the absorbed customers' trait times go to their survivors (the caller wrote the winning values). */
export async function replaceTraitTimes(db: Queryable, absorbed: readonly string[], survivors: ReadonlyMap<string, ReadonlyMap<string, { at: number; source: string }>>): Promise<void> {
  if (absorbed.length > 0) await db.run('DELETE FROM trait_times WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))', [absorbed]);
  const rows: TraitTimeWrite[] = [];
  for (const [customerId, times] of survivors) {
    for (const [trait, t] of times) rows.push({ customerId, trait, decidedAt: new Date(t.at), source: t.source });
  }
  if (survivors.size > 0) await db.run('DELETE FROM trait_times WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))', [[...survivors.keys()]]);
  await writeTraitTimes(db, rows);
}

export interface TraitTimeSource {
  customer_id: string;
  trait: string;
  decided_at: Date;
  source: string;
}

/** Trait times with their sources, for merges. */
export function traitTimeRows(db: Queryable, customerIds: readonly string[]): Promise<TraitTimeSource[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db.all<TraitTimeSource>(
    'SELECT customer_id, trait, decided_at, source FROM trait_times WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))',
    [customerIds],
  );
}
