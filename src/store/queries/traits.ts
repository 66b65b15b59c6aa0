import type { Queryable } from '../db.js';
import { packRows } from './identity-columns.js';

export interface TraitTimeRow {
  customer_id: string;
  trait: string;
  decided_at: Date;
}

/**
 * Per customer and trait, the time of the data that set the value in force (trait_times). A trait with
 * no row has no known time: any dated value may replace it.
 */
export async function traitTimesOf(db: Queryable, customerIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (customerIds.length === 0) return out;
  const rows = await db.all<TraitTimeRow>(
    'SELECT customer_id, trait, decided_at FROM trait_times WHERE customer_id IN (SELECT unnest($1::VARCHAR[]))',
    [customerIds],
  );
  for (const r of rows) {
    const m = out.get(r.customer_id) ?? new Map<string, number>();
    m.set(r.trait, r.decided_at.getTime());
    out.set(r.customer_id, m);
  }
  return out;
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
