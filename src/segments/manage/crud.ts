import { canonicalText } from '../../domain/identifiers.js';
import { randomUUID } from 'node:crypto';
import { SegmintError } from '../../domain/errors.js';
import type { Queryable, Store } from '../../store/db.js';
import {
  deleteSegmentRecord,
  findSegmentRecord,
  insertSegmentRecord,
  listSegmentRecords,
  updateSegmentRecord,
  type SegmentRecord,
} from '../../store/queries/segments/definitions.js';
import { compileSegment, type SegmentAst } from '../index.js';
import { catalogueOf } from './catalogue.js';
import { readDefinition, type DefinitionInput } from './definition.js';
import { dependencyOrder, dependentsOf, referencedSegments } from './dependencies.js';
import { checkSegmentName, segmentNotFound } from './names.js';
import { markDefinitionChanged } from '../../store/queries/segments/live-notes.js';
import { liveWrittenUpTo } from '../../store/queries/segments/members.js';
import { currentRefusal, momentOf, type LiveKeeping, type LiveWritten, type MembershipMoment } from './membership-moment.js';

export { currentRefusal } from './membership-moment.js';

export interface Segment {
  id: string;
  name: string;
  query: string;
  definition: SegmentAst;
  description: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  refreshedAt: Date | null;
  refreshedAsOf: Date | null;
  /** Members stored: as of `membersAsOf` (they are the last refresh's only when `membersSource` is `refresh`). */
  members: number;
  /**
   * What the stored members are (membershipMoment, as `segments members` says it): `live`, kept live by the
   * running server (now); `server`, written by a server that kept the segment live, current up to
   * `membersAsOf` (it stopped or was killed then); `refresh`, the last refresh; `none`, never counted.
   */
  membersSource: MembershipMoment['source'];
  /** The moment the stored members describe; null for `none`. */
  membersAsOf: Date | null;
  /** The definition changed after the stored members were written: they are the old definition's until a refresh. */
  membersStale: boolean;
  /** Why the last running server refused to keep it live (docs/realtime.md), and when; null when it did not. */
  notKeptLive: { reason: string; at: Date } | null;
  /** When the definition last changed after creation (null: never); members stored before it are the old definition's. */
  definitionChangedAt: Date | null;
}

export interface CreateSegment {
  name: string;
  definition: DefinitionInput;
  description?: string | null;
  notes?: string | null;
}

export interface UpdateSegment {
  name?: string;
  definition?: DefinitionInput;
  description?: string | null;
  notes?: string | null;
}

/** A segment as the API and the CLI show it, from its record and what its stored members describe. */
export function toSegment(r: SegmentRecord, moment: MembershipMoment): Segment {
  return {
    id: r.segment_id,
    name: r.name,
    query: r.query_text ?? '',
    definition: r.definition as SegmentAst,
    description: r.description,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    refreshedAt: r.refreshed_at,
    refreshedAsOf: r.refreshed_as_of,
    members: r.members,
    membersSource: moment.source,
    membersAsOf: moment.asOf,
    membersStale: moment.definitionChangedAt !== undefined,
    notKeptLive: currentRefusal(r) ?? null,
    definitionChangedAt: r.definition_changed_at,
  };
}

/**
 * Who keeps segments live, for the readers of stored counts: a running server's engine answers by name
 * (kept or not); absent (no server asked, a command run on its own), the store says who wrote last.
 */
export interface LiveOptions {
  readonly keptLive?: (name: string) => boolean;
}

function keeping(opts: LiveOptions): (name: string) => LiveKeeping {
  const kept = opts.keptLive;
  return kept ? (name) => (kept(name) ? 'kept' : 'not-kept') : () => 'unknown';
}

/** Segments with their stored counts and what those describe (membersSource, membersAsOf: momentOf). */
async function describe(db: Queryable, records: readonly SegmentRecord[], opts: LiveOptions): Promise<Segment[]> {
  const live = keeping(opts);
  const written: LiveWritten = records.length > 0 ? await liveWrittenUpTo(db) : undefined;
  return records.map((r) => toSegment(r, momentOf(r, live(r.name), written)));
}

/** Every saved segment (see describe). */
export async function listSegments(db: Store, opts: LiveOptions = {}): Promise<Segment[]> {
  return describe(db, await listSegmentRecords(db), opts);
}

/** One saved segment by name (see describe); `segment_not_found` when there is none. */
export async function getSegment(db: Queryable, name: string, opts: LiveOptions = {}): Promise<Segment> {
  const r = await findSegmentRecord(db, name);
  if (!r) throw segmentNotFound(name);
  return (await describe(db, [r], opts))[0]!;
}

export async function createSegment(db: Store, input: CreateSegment, now = new Date()): Promise<Segment> {
  const name = checkSegmentName(input.name);
  const def = readDefinition(input.definition);
  return db.transaction(async (tx) => {
    const records = await listSegmentRecords(tx);
    if (records.some((r) => r.name === name)) {
      throw new SegmintError('segment_exists', `A segment named "${name}" already exists; use \`segments update\`.`, { name }, 409);
    }
    checkReferences(records, name, def.ast);
    const id = `seg_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await insertSegmentRecord(tx, id, { name, definition: def.ast, query_text: def.text, description: input.description ?? null, notes: input.notes ?? null }, now);
    return getSegment(tx, name);
  });
}

export async function updateSegment(db: Store, typed: string, patch: UpdateSegment, now = new Date()): Promise<Segment> {
  // Names are stored in NFC: the name looked up is too (checkSegmentName).
  const name = canonicalText(typed);
  const newName = patch.name === undefined ? undefined : checkSegmentName(patch.name);
  const def = patch.definition === undefined ? undefined : readDefinition(patch.definition);
  return db.transaction(async (tx) => {
    const records = await listSegmentRecords(tx);
    const current = records.find((r) => r.name === name);
    if (!current) throw segmentNotFound(name);
    const finalName = newName ?? name;
    if (finalName !== name) {
      if (records.some((r) => r.name === finalName)) {
        throw new SegmintError('segment_exists', `A segment named "${finalName}" already exists.`, { name: finalName }, 409);
      }
      const users = dependentsOf(name, catalogueOf(records).deps);
      if (users.length > 0) {
        throw new SegmintError(
          'segment_in_use',
          `"${name}" cannot be renamed: ${users.map((u) => `"${u}"`).join(', ')} refer${users.length === 1 ? 's' : ''} to it by name.`,
          { name, usedBy: users },
          409,
        );
      }
    }
    const ast = def?.ast ?? (current.definition as SegmentAst);
    if (def) checkReferences(records.filter((r) => r.name !== name), finalName, ast, name);
    await updateSegmentRecord(
      tx,
      current.segment_id,
      {
        name: finalName,
        definition: ast,
        query_text: def ? def.text : current.query_text,
        description: patch.description !== undefined ? patch.description : current.description,
        notes: patch.notes !== undefined ? patch.notes : current.notes,
      },
      now,
    );
    // Members stored so far are the old definition's, and a server's refusal was of the old one.
    if (def && JSON.stringify(def.ast) !== JSON.stringify(current.definition)) await markDefinitionChanged(tx, current.segment_id, now);
    return getSegment(tx, finalName);
  });
}

/** Deletes a segment, its members and its history; refused while other segments refer to it. */
export async function deleteSegment(db: Store, typed: string): Promise<void> {
  // Names are stored in NFC: the name looked up is too (checkSegmentName).
  const name = canonicalText(typed);
  await db.transaction(async (tx) => {
    const records = await listSegmentRecords(tx);
    const current = records.find((r) => r.name === name);
    if (!current) throw segmentNotFound(name);
    const users = dependentsOf(name, catalogueOf(records).deps);
    if (users.length > 0) {
      throw new SegmintError(
        'segment_in_use',
        `"${name}" cannot be deleted: ${users.map((u) => `"${u}"`).join(', ')} refer${users.length === 1 ? 's' : ''} to it. Delete or change those first.`,
        { name, usedBy: users },
        409,
      );
    }
    await deleteSegmentRecord(tx, current.segment_id);
  });
}

/**
 * A saved definition may only refer to saved segments, must not close a circle, and must compile:
 * everything that would make a later refresh fail is refused when it is written.
 */
function checkReferences(others: readonly SegmentRecord[], name: string, ast: SegmentAst, replaces?: string): void {
  const known = new Set(others.map((r) => r.name));
  const missing = referencedSegments(ast).filter((r) => r !== name && !known.has(r));
  if (missing.length > 0) {
    throw new SegmintError(
      'segment_reference_unknown',
      `The definition refers to ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length === 1 ? 'is not a saved segment' : 'are not saved segments'}.`,
      { missing },
    );
  }
  const catalogue = catalogueOf(others, { name, ast, ...(replaces ? { replaces } : {}) });
  dependencyOrder(catalogue.deps);
  compileChecked(ast, catalogue.resolve);
}

/**
 * Compiles with the saved segments as the resolver. The compiler reports user mistakes (an unknown
 * field, a value of the wrong type) as SegmentError, which already carries its message; anything else
 * it throws is a bug and propagates as one.
 */
export function compileChecked(ast: SegmentAst, resolve: (name: string) => SegmentAst | undefined, asOf = new Date()) {
  return compileSegment(ast, { asOf, resolveSegment: resolve });
}
