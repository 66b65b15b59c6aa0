import { canonicalText } from '../../domain/identifiers.js';
import type { Store } from '../../store/db.js';
import { markSegmentRefreshed } from '../../store/queries/segments/definitions.js';
import { historyNumbers } from '../../store/queries/realtime/history-numbers.js';
import { applyMembers, dropRefreshTables } from '../../store/queries/segments/members.js';
import { loadCatalogue } from './catalogue.js';
import { compileChecked } from './crud.js';
import { dependencyOrder } from './dependencies.js';
import { segmentNotFound } from './names.js';
import { storedMomentWarnings, type MomentWarning } from './stored-moments.js';

export interface RefreshResult {
  name: string;
  entered: number;
  exited: number;
  members: number;
  millis: number;
  /** the segment is kept live by a running server: its members are current, nothing was recomputed */
  live?: true;
  /**
   * What `segments preview` of the definition at the same as-of warns (storedMomentWarnings): stored
   * values of another moment, such as customer metrics that count orders placed after the as-of, or
   * behaviour conditions reaching before the events retention deleted. Only
   * when there are some; never for a segment kept live (nothing was evaluated at the as-of).
   */
  warnings?: MomentWarning[];
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
 * its own: a failure leaves the ones before it refreshed and itself untouched. Each result carries the
 * warnings preview gives for its definition and as-of (RefreshResult.warnings), so members recorded from
 * values of another moment are never recorded silently (trial 13, M2).
 */
export async function refreshSegments(db: Store, opts: RefreshOptions): Promise<RefreshResult[]> {
  const now = opts.now ?? (() => new Date());
  const catalogue = await loadCatalogue(db);
  let order = dependencyOrder(catalogue.deps);
  if (opts.name !== undefined) {
    // Names are stored in NFC (checkSegmentName), and the catalogue's dependencies use them as stored.
    const wanted = canonicalText(opts.name);
    if (!catalogue.records.has(wanted)) throw segmentNotFound(opts.name);
    const needed = requiredFor(wanted, catalogue.deps);
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
    const ast = catalogue.resolve(name)!;
    const compiled = compileChecked(ast, catalogue.resolve, opts.asOf);
    const diff = await db.transaction(async (tx) => {
      const at = now();
      const d = await applyMembers(tx, compiled, record.segment_id, opts.asOf, at, historyNumbers(db));
      await markSegmentRefreshed(tx, record.segment_id, opts.asOf, at);
      return d;
    });
    const millis = Math.round(performance.now() - started);
    const warnings = await storedMomentWarnings(db, ast, opts.asOf);
    results.push({ name, ...diff, millis, ...(warnings.length > 0 ? { warnings } : {}) });
  }
  if (results.some((r) => !r.live)) await db.transaction((tx) => dropRefreshTables(tx));
  return results;
}

/** A refresh's warnings in one list, each naming its segment: the `warnings` of the CLI's --json and of POST /v1/segments/refresh. */
export function refreshWarnings(results: readonly RefreshResult[]): (MomentWarning & { segment: string })[] {
  return results.flatMap((r) => (r.warnings ?? []).map((w) => ({ segment: r.name, ...w })));
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
