import type { Queryable } from '../../store/db.js';
import { survivorsOf } from '../../store/queries/workflows/customers.js';
import type { Changes } from './changes.js';

type Pair = Changes['tagsAdded'][number];

/** What a batch writes (the fields of Changes that Changes.flush stores). */
export type Writes = Pick<
  Changes,
  'created' | 'touched' | 'log' | 'sends' | 'assignments' | 'triggers' | 'traits' | 'tagsAdded' | 'tagsRemoved' | 'listsAdded' | 'listsRemoved' | 'attempts'
>;

/**
 * A batch's writes as the store holds its customers at the commit (call it in the flush's transaction).
 * The batch read its runs and decided earlier, and a merge may have committed in between (live events
 * and imports write while the engine works): what it decided for a customer merged away since is
 * written for the survivor (survivorsOf), as the merge moved everything else (docs/identity.md). What
 * it decided about a customer no longer held (erased since) is not inserted (a new run, its log, sends,
 * assignments, triggers, traits, tags), so no row carries their id again (docs/privacy.md), unless the
 * run's own row is still held (it then holds the id already: no row was erased). Updates of runs and
 * sends write no id and change nothing once the rows are deleted. Runs in memory are re-pointed in place.
 */
export async function heldWrites(tx: Queryable, ch: Changes): Promise<Writes> {
  const runs = [...ch.created.values(), ...ch.touched.values()];
  const pairs = [...ch.tagsAdded, ...ch.tagsRemoved, ...ch.listsAdded, ...ch.listsRemoved];
  const ids = new Set<string>([
    ...runs.map((r) => r.customerId),
    ...ch.sends.map((s) => s.customer_id),
    ...ch.assignments.map((a) => a.customer_id),
    ...ch.triggers.flatMap((t) => (t.customer_id === null ? [] : [t.customer_id])),
    ...ch.traits.keys(),
    ...pairs.map((p) => p.customerId),
  ]);
  if (ids.size === 0) return ch;
  const held = await survivorsOf(tx, [...ids]);
  if ([...ids].every((id) => held.get(id) === id)) return ch;

  // A run whose customer is not held keeps its writes only while its own row is (the erasure deletes
  // the runs with the person; a run row left behind holds the id already): no row, no write.
  const orphans = runs.filter((r) => !held.has(r.customerId));
  const kept = new Set(orphans.length === 0 ? [] : await heldRuns(tx, orphans.filter((r) => !ch.created.has(r.runId)).map((r) => r.runId)));
  const gone = new Set(orphans.filter((r) => !kept.has(r.runId)).map((r) => r.runId));
  for (const r of runs) r.customerId = held.get(r.customerId) ?? r.customerId;
  const moved = <T extends { customer_id: string; run_id: string | null }>(rows: readonly T[]): T[] =>
    rows.flatMap((row) => {
      if (row.run_id !== null && gone.has(row.run_id)) return [];
      const to = held.get(row.customer_id);
      if (to === undefined) return row.run_id !== null && kept.has(row.run_id) ? [row] : [];
      return [to === row.customer_id ? row : { ...row, customer_id: to }];
    });
  const movedPairs = (rows: readonly Pair[]): Pair[] =>
    rows.flatMap((p) => {
      const to = held.get(p.customerId);
      return to === undefined ? [] : [{ ...p, customerId: to }];
    });
  const traits = new Map<string, Record<string, unknown>>();
  for (const [id, values] of ch.traits) {
    const to = held.get(id);
    if (to !== undefined) traits.set(to, { ...traits.get(to), ...values });
  }
  return {
    created: new Map([...ch.created].filter(([id]) => !gone.has(id))),
    // Updating a run or a send writes no customer id, and changes nothing once the run's rows are deleted.
    touched: ch.touched,
    log: ch.log.filter((l) => !gone.has(l.run_id)),
    sends: moved(ch.sends),
    assignments: moved(ch.assignments),
    triggers: ch.triggers.flatMap((t) => (t.customer_id === null ? [t] : moved([{ ...t, customer_id: t.customer_id }]))),
    traits,
    tagsAdded: movedPairs(ch.tagsAdded),
    tagsRemoved: movedPairs(ch.tagsRemoved),
    listsAdded: movedPairs(ch.listsAdded),
    listsRemoved: movedPairs(ch.listsRemoved),
    attempts: ch.attempts,
  };
}

/** Of these runs, those whose row the store still holds. */
async function heldRuns(tx: Queryable, runIds: readonly string[]): Promise<string[]> {
  if (runIds.length === 0) return [];
  return (await tx.all<{ run_id: string }>('SELECT run_id FROM workflow_runs WHERE run_id IN (SELECT unnest($1::VARCHAR[]))', [runIds])).map((r) => r.run_id);
}
