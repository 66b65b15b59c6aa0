import { createHmac, randomBytes } from 'node:crypto';
import { canonicalText, isPlausibleEmail, type Identifier } from '../domain/identifiers.js';
import type { Queryable } from '../store/db.js';
import {
  hasSuppressions,
  readPrivacySecret,
  suppressedHashes,
  legacySuppressionKinds,
  writePrivacySecretOnce,
} from '../store/queries/privacy/suppressions.js';

/**
 * The kind of a suppression made from a value a request named without its kind (an identifier that
 * matched no identity): it suppresses that value whatever kind it arrives as.
 */
export const ANY_KIND = '*';

/**
 * The suppression hash of an identifier: HMAC-SHA256 (RFC 2104) keyed by the database's secret, over
 * `kind NUL value`, in lower-case hex. Without the secret the hash cannot be tested against a guessed
 * email; with it (inside segmint) an arriving identifier is checked in one lookup.
 */
export function identifierHash(secret: string, kind: string, value: string): string {
  return createHmac('sha256', secret).update(`${kind}\u0000${value}`, 'utf8').digest('hex');
}

/** The database's suppression key, made at random (256 bits) the first time it is needed. */
export async function suppressionSecret(db: Queryable, now = new Date()): Promise<string> {
  return (await readPrivacySecret(db)) ?? writePrivacySecretOnce(db, randomBytes(32).toString('hex'), now);
}

/**
 * How a value typed into an erasure request is compared when it names no identity: in NFC
 * (canonicalText, as identities store every value), trimmed, and lower-cased when it is an email (as
 * identities store emails).
 */
export function normaliseRequestedValue(raw: string): string {
  const v = canonicalText(raw).trim();
  return isPlausibleEmail(v.toLowerCase()) ? v.toLowerCase() : v;
}

/**
 * The forms a value is suppressed in: in NFC (canonicalText, as identities store it), and that
 * lower-cased when it is an email (as emails are stored).
 */
function valueForms(value: string): string[] {
  const nfc = canonicalText(value);
  const lower = nfc.toLowerCase();
  return lower !== nfc && isPlausibleEmail(lower) ? [nfc, lower] : [nfc];
}

/**
 * The forms an arriving value is looked up in: valueForms, and each of them in NFD when that differs.
 * Entries written before identifiers were put in NFC (migration 33) hashed the value as it was stored,
 * so a value that had arrived decomposed (`e` + U+0308, what macOS and many copy-pastes produce) was
 * hashed in NFD; the hashes cannot be rewritten (the values are gone), so they are looked for as they
 * are. A value stored in a mix of the two forms before then is not found (docs/privacy.md).
 */
function lookupForms(value: string): string[] {
  const forms = valueForms(value);
  const nfd = forms.map((f) => f.normalize('NFD')).filter((f) => !forms.includes(f));
  return [...forms, ...nfd];
}

/**
 * THE suppression rule, in one place: the hashes under which an arriving value counts as erased. An
 * erasure suppresses a value, not a (kind, value) pair (docs/privacy.md): every erasure writes an entry
 * of kind `*` for each value it suppresses (valueSuppressionRows), so an erased user id sent back as an
 * anonymous id, an alias's previousId, an email or an external id is found by one hash of the value
 * (two for an email in capitals; twice as many for a value whose NFD differs: lookupForms). `kinds` are the kinds whose entries predate the `*` entries
 * (legacySuppressionKinds, migration 32): the value is looked for under them too.
 */
function suppressionHashes(secret: string, kinds: ReadonlySet<string>, value: string): string[] {
  const out: string[] = [];
  for (const kind of kinds) for (const v of lookupForms(value)) out.push(identifierHash(secret, kind, v));
  return out;
}

/**
 * The entries of kind `*` that suppress the given erased values whatever kind they come back as (each
 * value in NFC, and lower-cased when that is an email: as an email it comes back so: valueForms), so the
 * check needs one hash per value. Shape: one row per distinct hash. These rows are not counted as
 * identifiers suppressed: the entry under the identifier's own kind is.
 */
export function valueSuppressionRows(secret: string, values: readonly string[]): { hash: string; kind: string }[] {
  const rows = new Map<string, { hash: string; kind: string }>();
  for (const value of values) for (const v of valueForms(value)) rows.set(identifierHash(secret, ANY_KIND, v), { hash: identifierHash(secret, ANY_KIND, v), kind: ANY_KIND });
  return [...rows.values()];
}

/** The kinds an arriving value is looked for under: `*`, and the kinds of entries older than it (migration 32). */
async function lookupKinds(db: Queryable): Promise<Set<string>> {
  return new Set([ANY_KIND, ...(await legacySuppressionKinds(db))]);
}

/**
 * THE suppression check of ingestion: per identifier set (already normalised, as the resolver uses
 * them), whether it carries a value an erasure suppressed, under whatever kind it arrives
 * (suppressionHashes). Identity resolution calls it for every import and every live event before
 * anything is created, and drops the sets it marks, so an erased person is never re-created. Without
 * any suppression (most databases) it costs one tiny query.
 */
export async function suppressedSets(db: Queryable, sets: readonly (readonly Identifier[])[]): Promise<boolean[]> {
  if (sets.length === 0 || !(await hasSuppressions(db))) return sets.map(() => false);
  const secret = await readPrivacySecret(db);
  if (secret === undefined) return sets.map(() => false);
  const kinds = await lookupKinds(db);
  // Per distinct value (a batch repeats the same ids), its hashes under every kind.
  const byValue = new Map<string, string[]>();
  for (const set of sets) for (const id of set) if (!byValue.has(id.value)) byValue.set(id.value, suppressionHashes(secret, kinds, id.value));
  const hit = await suppressedHashes(db, [...new Set([...byValue.values()].flat())]);
  if (hit.size === 0) return sets.map(() => false);
  const erased = new Set([...byValue].filter(([, hs]) => hs.some((h) => hit.has(h))).map(([v]) => v));
  return sets.map((set) => set.some((id) => erased.has(id.value)));
}

/**
 * Whether a value someone typed (an email, a user id, an external id) was erased: it matches a
 * suppression entry of any kind (suppressionHashes). For answering "what do you hold about me" after an
 * erasure.
 */
export async function isSuppressedValue(db: Queryable, raw: string): Promise<boolean> {
  const secret = await readPrivacySecret(db);
  if (secret === undefined) return false;
  const hashes = suppressionHashes(secret, await lookupKinds(db), raw.trim());
  return (await suppressedHashes(db, hashes)).size > 0;
}
