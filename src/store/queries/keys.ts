import type { Queryable } from '../db.js';

export interface ApiKeyRow {
  key_id: string;
  key_hash: string;
  scopes: string;
  kind: string | null;
  name: string | null;
  created_at: Date;
  revoked_at: Date | null;
  expires_at: Date | null;
}

export async function insertApiKey(
  db: Queryable,
  row: { keyId: string; keyHash: string; scopes: string; kind: string; name?: string; createdAt: Date },
): Promise<void> {
  await db.run('INSERT INTO api_keys (key_id, key_hash, scopes, name, created_at) VALUES ($1, $2, $3, $4, $5)', [
    row.keyId,
    row.keyHash,
    row.scopes,
    row.name ?? null,
    row.createdAt,
  ]);
  await db.run('INSERT INTO api_key_kinds (key_id, kind) VALUES ($1, $2)', [row.keyId, row.kind]);
}

/** The live (not revoked) key with this hash. */
export async function apiKeyByHash(db: Queryable, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.one<ApiKeyRow>(
    `SELECT key_id, key_hash, scopes, kind, name, created_at, revoked_at, expires_at
     FROM api_keys LEFT JOIN api_key_kinds USING (key_id) LEFT JOIN api_key_expiry USING (key_id)
     WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  return db.all<ApiKeyRow>(
    `SELECT key_id, '' AS key_hash, scopes, kind, name, created_at, revoked_at, expires_at
     FROM api_keys LEFT JOIN api_key_kinds USING (key_id) LEFT JOIN api_key_expiry USING (key_id)
     ORDER BY created_at, key_id`,
  );
}

/** Marks the key revoked; false when no live key has that id. */
export async function revokeApiKey(db: Queryable, keyId: string, at: Date): Promise<boolean> {
  const row = await db.one<{ n: number }>('SELECT count(*) AS n FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL', [keyId]);
  if (!row || row.n === 0) return false;
  await db.run('UPDATE api_keys SET revoked_at = $2 WHERE key_id = $1', [keyId, at]);
  return true;
}
