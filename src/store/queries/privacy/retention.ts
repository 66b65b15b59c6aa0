import type { Queryable } from '../../db.js';

/** Deletes the events that happened before `cutoff` (by their own time); returns how many. */
export async function deleteEventsBefore(tx: Queryable, cutoff: Date): Promise<number> {
  const n = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM events WHERE timestamp < $1::TIMESTAMP', [cutoff]))!.n;
  if (n > 0) await tx.run('DELETE FROM events WHERE timestamp < $1::TIMESTAMP', [cutoff]);
  return n;
}
