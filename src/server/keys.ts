import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SegmintError } from '../domain/errors.js';
import { nameCharacterProblem } from '../domain/names.js';
import type { Queryable } from '../store/db.js';
import { apiKeyByHash, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../store/queries/keys.js';
import { writeKeyExpiry } from '../store/queries/privacy/key-expiry.js';

export const SCOPES = ['admin', 'write', 'read'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A browser key is public: it sits in the shop's web pages, so anything sent with it is a claim, which a
 * trusted source (a server key, an import) overrides. A server key is secret, kept on the shop's servers
 * (Segment makes the same distinction between client-side and server-side sources).
 */
export const KEY_KINDS = ['browser', 'server'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** A key that can only write is a browser key unless said otherwise; any other key is a server key. */
export function defaultKind(scopes: readonly Scope[]): KeyKind {
  return scopes.every((s) => s === 'write') ? 'browser' : 'server';
}

export interface ApiKeyInfo {
  readonly keyId: string;
  readonly scopes: readonly Scope[];
  readonly kind: KeyKind;
  readonly name: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** when the key stops working, or null for never (createApiKey or setKeyExpiry) */
  readonly expiresAt: Date | null;
}

/** Keys are stored only as their SHA-256: a leaked database does not leak usable keys. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Creates a key; the returned `key` is shown once and cannot be recovered later. kind defaults to
 * defaultKind(scopes). A browser key may hold only the write scope: its secret is public. With
 * expiresAt (parseExpiry in key-expiry.ts) requests with the key get 401 key_expired from then on.
 */
export async function createApiKey(
  db: Queryable,
  scopes: readonly Scope[],
  name?: string,
  kind?: KeyKind,
  expiresAt: Date | null = null,
): Promise<ApiKeyInfo & { key: string }> {
  if (scopes.length === 0) {
    throw new SegmintError('no_scope', 'A key needs at least one scope: --write (send events), --read, or --admin.');
  }
  if (name !== undefined) {
    // Key names are listed to admins (keys list, the dashboard): the shared name rule (domain/names.ts).
    const problem = name.trim() === '' ? 'is empty; leave the name out, or give one' : nameCharacterProblem(name);
    if (problem) throw new SegmintError('key_name_invalid', `name: the key name ${problem}.`, { field: 'name' });
  }
  const keyId = 'key_' + randomBytes(6).toString('hex');
  const key = 'sgm_' + randomBytes(24).toString('base64url');
  const createdAt = new Date();
  const unique = [...new Set(scopes)];
  const k = kind ?? defaultKind(unique);
  if (k === 'browser' && unique.some((s) => s !== 'write')) {
    throw new SegmintError(
      'browser_key_scope',
      `A browser key is public (it sits in web pages), so it may only send events; asked for: ${unique.join(', ')}. Make a server key for reading or administration.`,
      { scopes: unique, kind: k },
    );
  }
  await insertApiKey(db, { keyId, keyHash: hashKey(key), scopes: unique.join(','), kind: k, name, createdAt });
  if (expiresAt) await writeKeyExpiry(db, keyId, expiresAt);
  return { keyId, key, scopes: unique, kind: k, name: name ?? null, createdAt, revokedAt: null, expiresAt };
}

export async function listKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  return (await listApiKeys(db)).map(keyInfo);
}

export async function revokeKey(db: Queryable, keyId: string): Promise<void> {
  if (!(await revokeApiKey(db, keyId, new Date()))) {
    throw new SegmintError('key_not_found', `No active key has the id ${keyId}. See \`segmint keys list\`.`, { keyId }, 404);
  }
}

/**
 * The unrevoked key matching a presented secret (expired or not: the caller says which), or undefined.
 * The secret is never compared as such: it is hashed and looked up by its hash, and the stored hash is
 * then compared in constant time, so no answer takes longer for a better guess.
 */
export async function findKey(db: Queryable, key: string): Promise<ApiKeyInfo | undefined> {
  const hash = hashKey(key);
  const r = await apiKeyByHash(db, hash);
  if (!r || !timingSafeEqual(Buffer.from(r.key_hash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
  return keyInfo(r);
}

/** Whether a key has expired at `now` (ms since the epoch). */
export function isExpired(k: ApiKeyInfo, now = Date.now()): boolean {
  return k.expiresAt !== null && k.expiresAt.getTime() <= now;
}

/** admin may do everything; write and read only what they name. */
export function allows(scopes: readonly Scope[], needed: Scope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

function parseScopes(text: string): Scope[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
}

function keyInfo(r: ApiKeyRow): ApiKeyInfo {
  return {
    keyId: r.key_id,
    scopes: parseScopes(r.scopes),
    kind: kindOf(r.kind, r.scopes),
    name: r.name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
  };
}

function kindOf(kind: string | null, scopes: string): KeyKind {
  return kind === 'browser' || kind === 'server' ? kind : defaultKind(parseScopes(scopes));
}
