import type { Store } from '../../store/db.js';
import { markSegmentRefreshed } from '../../store/queries/segments/definitions.js';
import { historyNumbers } from '../../store/queries/realtime/history-numbers.js';
import { applyMembers, dropRefreshTables } from '../../store/queries/segments/members.js';
import { loadCatalogue } from './catalogue.js';
import { compileChecked } from './crud.js';
import { dependencyOrder } from './dependencies.js';
import { segmentNotFound } from './names.js';

export interface RefreshResult {
  name: string;
  entered: number;
  exited: number;
  members: number;
  millis: number;
  /** the segment is kept live by a running server: its members are current, nothing was recomputed */
  live?: true;
}

export interface RefreshOptions {
  asOf: Date;
  /** Only this segment (and the segments it refers to, first); every segment when absent. */
  name?: string;
  now?: () => Date;
  /**
   * Segments whose membership something else keeps current at every moment (the real-time engine of
   * a running server): they are left as they are, and their result says so.
   */
  keptLive?: (name: string) => boolean;
}

/**
 * Recomputes membership in bulk: each definition is compiled to SQL, its members are diffed against
 * segment_members inside the database, and only the differences are written (an entry or exit in
 * segment_history, a row added to or removed from segment_members). Segments run in dependency order,
 * so one that says `in segment "x"` sees x already refreshed to the same as_of. Each segment commits on
 * its own: a failure leaves the ones before it refreshed and itself untouched.
 */
export async function refreshSegments(db: Store, opts: RefreshOptions): Promise<RefreshResult[]> {
  const now = opts.now ?? (() => new Date());
  const catalogue = await loadCatalogue(db);
  let order = dependencyOrder(catalogue.deps);
  if (opts.name !== undefined) {
    if (!catalogue.records.has(opts.name)) throw segmentNotFound(opts.name);
    const needed = requiredFor(opts.name, catalogue.deps);
    order = order.filter((n) => needed.has(n));
  }
  const results: RefreshResult[] = [];
  for (const name of order) {
    const record = catalogue.records.get(name)!;
    if (opts.keptLive?.(name)) {
      results.push({ name, entered: 0, exited: 0, members: record.members, millis: 0, live: true });
      continue;
    }
    const started = performance.now();
    const compiled = compileChecked(catalogue.resolve(name)!, catalogue.resolve, opts.asOf);
    const diff = await db.transaction(async (tx) => {
      const at = now();
      const d = await applyMembers(tx, compiled, record.segment_id, opts.asOf, at, historyNumbers(db));
      await markSegmentRefreshed(tx, record.segment_id, opts.asOf, at);
      return d;
    });
    results.push({ name, ...diff, millis: Math.round(performance.now() - started) });
  }
  if (results.some((r) => !r.live)) await db.transaction((tx) => dropRefreshTables(tx));
  return results;
}

function requiredFor(name: string, deps: ReadonlyMap<string, readonly string[]>): Set<string> {
  const out = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (out.has(n)) continue;
    out.add(n);
    for (const d of deps.get(n) ?? []) stack.push(d);
  }
  return out;
}
