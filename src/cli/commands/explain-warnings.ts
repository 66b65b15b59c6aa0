import type { Store } from '../../store/db.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { storedMomentWarnings } from '../../segments/manage/stored-moments.js';
import type { SegmentAst } from '../../segments/index.js';

/**
 * The sentences `segments preview` gives for the same definition and as-of (`stored_moment`,
 * `retention_cutoff`): the explanation quotes stored values, such as customer metrics that count orders
 * placed after the as-of, and must say so rather than give a later order as the reason (recheck 7, N4);
 * and a behaviour condition cannot see events retention deleted (trial 13, L5). Empty for an unknown
 * segment (explainMembership has already refused it).
 */
export async function explainWarnings(store: Store, name: string, asOf: Date): Promise<string[]> {
  const rec = await findSegmentRecord(store, name);
  if (!rec) return [];
  return (await storedMomentWarnings(store, rec.definition as SegmentAst, asOf)).map((w) => w.message);
}
