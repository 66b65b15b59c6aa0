import type { CustomerState, Scalar } from '../../segments/evaluator/state.js';
import { jsonAt } from '../../segments/evaluator/values.js';
import { pathKey } from '../plan/streams.js';

/** What all live definitions together read of a profile: trait paths, columns per table, channels. */
export interface ProfileReads {
  readonly traits: ReadonlyMap<string, readonly string[]>;
  /** table → columns */
  readonly tables: ReadonlyMap<string, readonly string[]>;
  readonly consent: readonly string[];
}

export const noReads: ProfileReads = { traits: new Map(), tables: new Map(), consent: [] };

/**
 * A customer's profile as the evaluator reads it (a CustomerState without events), holding only what
 * the definitions read: the trait paths they name, the columns they compare, the channels they check.
 * A table row present with no column read is kept as an empty row: a missing row means defaults.
 */
export function profileOf(
  customerId: string,
  traits: Readonly<Record<string, unknown>>,
  rows: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>,
  consent: Readonly<Record<string, string>>,
  reads: ProfileReads,
): CustomerState {
  const keptRows: Record<string, Record<string, Scalar> | undefined> = {};
  for (const [table, columns] of reads.tables) {
    const row = rows[table];
    if (!row) continue;
    const kept: Record<string, Scalar> = {};
    for (const c of columns) kept[c] = (row[c] ?? null) as Scalar;
    keptRows[table] = kept;
  }
  const keptConsent: Record<string, string> = {};
  for (const ch of reads.consent) if (consent[ch] !== undefined) keptConsent[ch] = consent[ch];
  return { customerId, traits: pruneTraits(traits, reads.traits), rows: keptRows, consent: keptConsent, events: [] };
}

/** The traits object cut down to the paths read; reading any of those paths gives the same value. */
export function pruneTraits(traits: Readonly<Record<string, unknown>>, paths: ReadonlyMap<string, readonly string[]>): Record<string, unknown> {
  // Objects without a prototype: a trait named __proto__ is then a key like any other.
  const out = Object.create(null) as Record<string, unknown>;
  const copied = new Set<string>();
  // Shorter paths first: a path below one already copied whole is covered by that copy.
  for (const path of [...paths.values()].sort((a, b) => a.length - b.length)) {
    if (path.some((_, i) => copied.has(pathKey(path.slice(0, i + 1))))) continue;
    const v = jsonAt(traits, path);
    if (v === undefined) continue;
    let cur = out;
    for (const key of path.slice(0, -1)) {
      // only objects made here lie on the way: a copied value would have covered this path
      cur = (cur[key] ??= Object.create(null)) as Record<string, unknown>;
    }
    cur[path[path.length - 1]!] = v;
    copied.add(pathKey(path));
  }
  return out;
}

/**
 * The parts of a profile that differ between two versions, as read keys (`t:` trait path, `f:`
 * table.column, `c:` channel): only segments reading one of them need evaluating again.
 */
export function profileChanges(a: CustomerState, b: CustomerState, reads: ProfileReads, out: Set<string>): void {
  for (const [key, path] of reads.traits) {
    if (JSON.stringify(jsonAt(a.traits, path)) !== JSON.stringify(jsonAt(b.traits, path))) out.add(`t:${key}`);
  }
  for (const [table, columns] of reads.tables) {
    const ra = a.rows[table];
    const rb = b.rows[table];
    for (const c of columns) {
      if ((ra === undefined) !== (rb === undefined) || !sameScalar(ra?.[c], rb?.[c])) out.add(`f:${table}.${c}`);
    }
  }
  for (const ch of reads.consent) if (a.consent[ch] !== b.consent[ch]) out.add(`c:${ch}`);
}

function sameScalar(x: Scalar | undefined, y: Scalar | undefined): boolean {
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  return x === y || (x == null && y == null);
}

export function traitKey(path: readonly string[]): string {
  return `t:${pathKey(path)}`;
}

