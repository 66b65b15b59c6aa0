import type { Queryable } from '../../store/db.js';
import { listSegmentRecords, type SegmentRecord } from '../../store/queries/segments/definitions.js';
import type { SegmentAst } from '../index.js';
import { referencedSegments } from './dependencies.js';

/**
 * The saved segments as the compiler and evaluator need them: resolve a name to its definition, and
 * know who refers to whom. Loaded once per operation so a refresh sees one consistent set.
 */
export interface SegmentCatalogue {
  readonly records: ReadonlyMap<string, SegmentRecord>;
  readonly deps: ReadonlyMap<string, readonly string[]>;
  resolve(name: string): SegmentAst | undefined;
}

export async function loadCatalogue(db: Queryable): Promise<SegmentCatalogue> {
  return catalogueOf(await listSegmentRecords(db));
}

/** Builds a catalogue, optionally with one definition replaced or added (a segment being saved). */
export function catalogueOf(records: readonly SegmentRecord[], override?: { name: string; ast: SegmentAst; replaces?: string }): SegmentCatalogue {
  const byName = new Map<string, SegmentRecord>();
  const asts = new Map<string, SegmentAst>();
  for (const r of records) {
    if (override?.replaces === r.name) continue;
    byName.set(r.name, r);
    asts.set(r.name, r.definition as SegmentAst);
  }
  if (override) asts.set(override.name, override.ast);
  const deps = new Map<string, readonly string[]>();
  for (const [name, ast] of asts) deps.set(name, referencedSegments(ast));
  return { records: byName, deps, resolve: (name) => asts.get(name) };
}
