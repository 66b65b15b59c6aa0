import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { customersForIdentifier } from '../store/queries/customers.js';
import { noteIdentityWrite } from '../store/queries/identity-writes.js';
import {
  anonymisePersonRows,
  deletePersonRows,
  dropErasureScope,
  fillErasureScope,
  presentPersonTables,
  scopeIdentifiers,
  scopeTraitStrings,
  segmentsMentioning,
} from '../store/queries/privacy/erase.js';
import { recordErased, type ErasedCounts } from '../store/queries/privacy/regulations.js';
import { insertSuppressions, type SuppressionRow } from '../store/queries/privacy/suppressions.js';
import { ANY_KIND, identifierHash, isSuppressedValue, normaliseRequestedValue, suppressionSecret, valueSuppressionRows } from './suppression.js';

/** At most this many identifiers per request; a larger list is several requests. */
export const MAX_IDENTIFIERS = 1000;
/** A reason is a short note (a ticket number, "customer request by email"), not a record of the person. */
export const MAX_REASON = 500;

/**
 * Checks what a person typed into an erasure request: 1 to MAX_IDENTIFIERS identifiers, none empty, and
 * a reason of at most MAX_REASON characters. Returns the identifiers trimmed, duplicates dropped.
 */
export function checkErasureInput(identifiers: readonly unknown[], reason: unknown): { identifiers: string[]; reason: string | null } {
  if (identifiers.length === 0) throw new SegmintError('no_identifiers', 'Name at least one identifier to erase (a customer id, email, user id or external id).', { field: 'identifiers' });
  if (identifiers.length > MAX_IDENTIFIERS) {
    throw new SegmintError('too_many_identifiers', `At most ${MAX_IDENTIFIERS} identifiers per request; got ${identifiers.length}. Send several requests.`, { field: 'identifiers', max: MAX_IDENTIFIERS });
  }
  const out: string[] = [];
  identifiers.forEach((raw, i) => {
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new SegmintError('bad_identifier', `identifiers[${i}] is not a string.`, { field: `identifiers[${i}]` });
    const v = String(raw).trim();
    if (v === '') throw new SegmintError('bad_identifier', `identifiers[${i}] is empty.`, { field: `identifiers[${i}]` });
    if (!out.includes(v)) out.push(v);
  });
  if (reason !== undefined && reason !== null && typeof reason !== 'string') throw new SegmintError('bad_reason', 'reason must be text.', { field: 'reason' });
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (r.length > MAX_REASON) throw new SegmintError('bad_reason', `The reason is ${r.length} characters; at most ${MAX_REASON}.`, { field: 'reason', max: MAX_REASON });
  return { identifiers: out, reason: r === '' ? null : r };
}

/**
 * The live customers the identifiers name. An identifier naming several customers is refused (erasing
 * the wrong person's data cannot be undone): the request must name them by customer id. Identifiers
 * naming no one are returned apart: they are suppressed all the same, so their data never comes in.
 */
async function customersNamed(tx: Queryable, identifiers: readonly string[]): Promise<{ customers: string[]; notFound: string[] }> {
  const customers = new Set<string>();
  const notFound: string[] = [];
  for (const [i, value] of identifiers.entries()) {
    const ids = await customersForIdentifier(tx, value);
    if (ids.length > 1) {
      throw new SegmintError(
        'customer_ambiguous',
        `identifiers[${i}] names ${ids.length} customers (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); nothing was erased. Name each by its customer id.`,
        { field: `identifiers[${i}]`, customers: ids.slice(0, 20) },
        409,
      );
    }
    if (ids.length === 0) notFound.push(value);
    else customers.add(ids[0]!);
  }
  return { customers: [...customers], notFound };
}

/**
 * Erases the people the identifiers name, in the caller's transaction (docs/privacy.md): every row of
 * every table in the person-data registry is deleted, their orders are anonymised (kept for revenue
 * totals, linked to no one), and each of their identifiers, and each requested value that matched no
 * one, becomes a suppression entry (a keyed hash) so that later imports and events carrying it are
 * dropped. The reason must not contain the person's identifiers or trait values: it is kept.
 * Records the counts on the regulation and forgets its identifiers. The bytes leave the file only with
 * the rewrite that follows (eraseRegulation).
 */
export async function erasePeople(tx: Queryable, regulationId: string, identifiers: readonly string[], reason: string | null, now: Date): Promise<ErasedCounts> {
  const { customers, notFound } = await customersNamed(tx, identifiers);
  await fillErasureScope(tx, customers);
  try {
    const ids = await scopeIdentifiers(tx);
    if (reason !== null) await checkReason(tx, reason, [...identifiers, ...ids.map((i) => i.value)]);
    const mentioned = await segmentsMentioning(tx, [...new Set([...identifiers, ...ids.map((i) => i.value)])]);
    const rowsDeleted: Record<string, number> = {};
    const rowsAnonymised: Record<string, number> = {};
    for (const entry of await presentPersonTables(tx)) {
      const n = entry.anonymise ? await anonymisePersonRows(tx, entry) : await deletePersonRows(tx, entry);
      if (n > 0) (entry.anonymise ? rowsAnonymised : rowsDeleted)[entry.table] = n;
    }
    // Identities and customers went: in-memory copies of them read the table again.
    noteIdentityWrite();
    const ordersAnonymised = rowsAnonymised.orders ?? 0;
    const secret = await suppressionSecret(tx, now);
    const rows = new Map<string, SuppressionRow>();
    for (const id of ids) rows.set(identifierHash(secret, id.kind, id.value), { hash: identifierHash(secret, id.kind, id.value), kind: id.kind });
    // Every value is also suppressed under `*`, whatever its kind (valueSuppressionRows): the check then
    // hashes an arriving value once, not under every kind. These extra entries are not counted.
    const byValue = valueSuppressionRows(secret, ids.map((id) => id.value));
    let alreadyErased = 0;
    for (const v of notFound) {
      if (await isSuppressedValue(tx, v)) {
        alreadyErased++;
        continue;
      }
      const hash = identifierHash(secret, ANY_KIND, normaliseRequestedValue(v));
      rows.set(hash, { hash, kind: ANY_KIND });
    }
    const suppressed = await insertSuppressions(tx, [...rows.values()], regulationId, now);
    await insertSuppressions(tx, byValue, regulationId, now);
    const counts: ErasedCounts = {
      customersErased: customers.length,
      identifiersNotFound: notFound.length,
      identifiersAlreadyErased: alreadyErased,
      identifiersSuppressed: suppressed,
      ordersAnonymised,
      rowsDeleted,
      segmentsMentioning: mentioned,
    };
    await recordErased(tx, regulationId, counts);
    return counts;
  } finally {
    await dropErasureScope(tx);
  }
}

/** Refuses a reason that would keep what is being erased (an identifier, a name, an address). */
async function checkReason(tx: Queryable, reason: string, identifiers: readonly string[]): Promise<void> {
  const text = reason.toLowerCase();
  const values = [...identifiers, ...(await scopeTraitStrings(tx))].filter((v) => v.trim().length >= 3);
  if (values.some((v) => text.includes(v.trim().toLowerCase()))) {
    throw new SegmintError(
      'reason_names_person',
      'The reason contains an identifier or a trait value of the person being erased; it would be kept after the erasure. Write a reference instead (e.g. a ticket number).',
      { field: 'reason' },
    );
  }
}

export type { ErasedCounts };
