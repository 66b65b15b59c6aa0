import { createHash } from 'node:crypto';

/**
 * An identifier that can point at a customer. kind is `user_id`, `anonymous_id`, `email`, or
 * `external:<type>` for ids from other systems (Segment's context.externalIds, a Shopify customer id).
 */
export interface Identifier {
  readonly kind: string;
  readonly value: string;
}

// Values that SDKs, forms and exports put where an id belongs when there is none. They must never
// join two people into one customer.
const JUNK = new Set(['', 'null', 'undefined', 'nil', 'none', 'n/a', 'na', 'anonymous', 'unknown', 'guest', 'test', '-', '0', '-1', 'false', 'true', '[object object]', 'nan']);

/**
 * Text in its one canonical Unicode form, NFC (Unicode Standard Annex #15: canonical decomposition, then
 * canonical composition): `zoë` typed as U+00EB and as `e` + U+0308 (NFD, what macOS file names and many
 * copy-pastes carry) are one string. Every identifier value, identifier trait and erasure request goes
 * through it, in JavaScript here and in SQL with DuckDB's nfc_normalize (normalisedTextSql), so an
 * identifier is the same whichever form it arrives in (trial 13, M1).
 */
export function canonicalText(text: string): string {
  return text.normalize('NFC');
}

/**
 * Trims and canonicalises a raw identifier value (canonicalText, then trimmed; an email also
 * lower-cased); returns undefined for junk that must not identify anyone.
 */
export function normaliseIdentifier(kind: string, raw: unknown): Identifier | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'bigint') return undefined;
  let value = canonicalText(String(raw)).trim();
  if (kind === 'email') {
    value = value.toLowerCase();
    if (!isPlausibleEmail(value)) return undefined;
  }
  if (isJunk(value)) return undefined;
  return { kind, value };
}

/**
 * Traits that are also identifiers are stored the way the identifier is (docs/identity.md): the `email`
 * trait in NFC (canonicalText), trimmed and lower-cased, whatever the source (identify calls, imports), so `traits.email =
 * "ann@example.com"` matches a customer whose email came as " Ann@Example.COM ". Only text is changed; a
 * value that is not a plausible email is still trimmed and lower-cased (it identifies no one, but stays
 * the trait it was sent as). Any other trait and value come back as given. The store does the same in
 * SQL for imports (identifierTraitSql); the raw events keep what was sent.
 */
export function normaliseTraitValue(key: string, value: unknown): unknown {
  return isIdentifierTrait(key) && typeof value === 'string' ? canonicalText(value).trim().toLowerCase() : value;
}

/** The traits that are also identifiers, stored and compared as their identity is (normaliseTraitValue). */
export const IDENTIFIER_TRAITS: readonly string[] = ['email'];

/** Whether a trait key is one of IDENTIFIER_TRAITS. */
export function isIdentifierTrait(key: string): boolean {
  return IDENTIFIER_TRAITS.includes(key);
}

/**
 * The whole number a spreadsheet or float column wrote with a decimal point (`12347.0`, `17850.00`) as
 * the id it stands for (`12347`), or undefined for any other value. The Online Retail importer stores
 * its CustomerID column this way (docs/identity.md), so a lookup that finds nothing for `12347.0` looks
 * for `12347` next. Digits only: `v1.0` or `3.10` are ids of their own.
 */
export function wholeNumberId(value: string): string | undefined {
  const m = /^(\d+)\.0+$/.exec(value.trim());
  return m ? m[1] : undefined;
}

/**
 * The id an import stores for a value written the way a file writes it, or undefined when the value is
 * stored as it is: a whole number with a decimal point (`12347.0`, Online Retail's CustomerID; see
 * wholeNumberId) and digits with leading zeros (`00004`, CDNOW's master id, stored without them:
 * docs/importing.md), or both (`00004.0`). All zeros is no id (isJunk), so it stays undefined. Only
 * digits change: `A-0004`, `0x1F` or `-0004` are ids of their own.
 */
export function storedIdForm(value: string): string | undefined {
  const t = value.trim();
  const whole = wholeNumberId(t) ?? t;
  if (!/^\d+$/.test(whole)) return undefined;
  const stripped = whole.replace(/^0+/, '');
  if (stripped === '' || stripped === t) return undefined;
  return stripped;
}

/**
 * `find(value)`, or, when that finds nothing and an import would have stored the value otherwise
 * (storedIdForm: `12347.0` → `12347`, `00004` → `4`), `find` of that form: the one retry every lookup by
 * a typed identifier makes. What is stored as written is found first, so a value never reaches another
 * customer's id while its own exists.
 */
export async function findOrStoredForm<T>(value: string, find: (v: string) => Promise<T[]>): Promise<T[]> {
  const found = await find(value);
  const stored = found.length === 0 ? storedIdForm(value) : undefined;
  return stored === undefined ? found : find(stored);
}

export function isJunk(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (JUNK.has(v)) return true;
  // All zeros (00000000-0000-0000-0000-000000000000), or one repeated character, is a placeholder.
  if (/^[0\-_.\s]+$/.test(v)) return true;
  return false;
}

export function isPlausibleEmail(v: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
}

/**
 * A customer id is derived from the first identifier it was created for, so that the same import on a
 * fresh store produces the same ids; merges keep the survivor's id.
 */
export function customerIdFor(id: Identifier): string {
  return 'cus_' + createHash('sha256').update(`${id.kind}\u0000${id.value}`).digest('hex').slice(0, 20);
}
