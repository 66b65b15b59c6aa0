import type { Queryable } from '../../db.js';

export async function writeKeyExpiry(db: Queryable, keyId: string, expiresAt: Date): Promise<void> {
  await db.run(
    'INSERT INTO api_key_expiry (key_id, expires_at) VALUES ($1, $2) ON CONFLICT (key_id) DO UPDATE SET expires_at = excluded.expires_at',
    [keyId, expiresAt],
  );
}

export async function keyExpiry(db: Queryable, keyId: string): Promise<Date | null> {
  return (await db.one<{ t: Date }>('SELECT expires_at AS t FROM api_key_expiry WHERE key_id = $1', [keyId]))?.t ?? null;
}

export async function keyExpiries(db: Queryable): Promise<Map<string, Date>> {
  const rows = await db.all<{ key_id: string; t: Date }>('SELECT key_id, expires_at AS t FROM api_key_expiry');
  return new Map(rows.map((r) => [r.key_id, r.t]));
}
