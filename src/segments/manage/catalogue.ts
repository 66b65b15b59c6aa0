import { canonicalText } from '../../domain/identifiers.js';
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
  const byName = new NameMap<SegmentRecord>();
  const asts = new NameMap<SegmentAst>();
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

/**
 * A map keyed by segment name that finds a name in any Unicode form: names are stored in NFC
 * (checkSegmentName), and every key given here is put in NFC first (canonicalText), so a name typed as
 * `e` + U+0301 (a definition's `in segment "café"`, a command's argument) is the saved `café`.
 */
class NameMap<V> extends Map<string, V> {
  override get(name: string): V | undefined {
    return super.get(canonicalText(name));
  }

  override has(name: string): boolean {
    return super.has(canonicalText(name));
  }

  override set(name: string, value: V): this {
    return super.set(canonicalText(name), value);
  }
}
