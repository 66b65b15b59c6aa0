import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { apiKeyByHash, insertApiKey, listApiKeys, revokeApiKey } from '../store/queries/keys.js';

export const SCOPES = ['admin', 'write', 'read'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyInfo {
  readonly keyId: string;
  readonly scopes: readonly Scope[];
  readonly name: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** when the key stops working, or null for never (set with setKeyExpiry) */
  readonly expiresAt: Date | null;
}

/** Keys are stored only as their SHA-256: a leaked database does not leak usable keys. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key; the returned `key` is shown once and cannot be recovered later. */
export async function createApiKey(db: Queryable, scopes: readonly Scope[], name?: string): Promise<ApiKeyInfo & { key: string }> {
  if (scopes.length === 0) {
    throw new SegmintError('no_scope', 'A key needs at least one scope: --write (send events), --read, or --admin.');
  }
  const keyId = 'key_' + randomBytes(6).toString('hex');
  const key = 'sgm_' + randomBytes(24).toString('base64url');
  const createdAt = new Date();
  const unique = [...new Set(scopes)];
  await insertApiKey(db, { keyId, keyHash: hashKey(key), scopes: unique.join(','), name, createdAt });
  return { keyId, key, scopes: unique, name: name ?? null, createdAt, revokedAt: null, expiresAt: null };
}

export async function listKeys(db: Queryable): Promise<ApiKeyInfo[]> {
  return (await listApiKeys(db)).map((r) => ({
    keyId: r.key_id,
    scopes: parseScopes(r.scopes),
    name: r.name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
  }));
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
  return { keyId: r.key_id, scopes: parseScopes(r.scopes), name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at, expiresAt: r.expires_at };
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
