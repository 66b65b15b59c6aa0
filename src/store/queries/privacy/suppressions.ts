import type { Queryable } from '../../db.js';

/** The per-database key of the suppression hashes, or undefined before the first erasure. */
export async function readPrivacySecret(db: Queryable): Promise<string | undefined> {
  return (await db.one<{ secret: string }>('SELECT secret FROM privacy_secret WHERE id = 1'))?.secret;
}

/** Stores the key unless one exists already; returns the key in force. */
export async function writePrivacySecretOnce(db: Queryable, secret: string, at: Date): Promise<string> {
  await db.run('INSERT INTO privacy_secret (id, secret, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING', [secret, at]);
  return (await readPrivacySecret(db))!;
}

/** Whether anything has been suppressed at all (most databases: no, and ingestion skips the hashing). */
export async function hasSuppressions(db: Queryable): Promise<boolean> {
  return (await db.one<{ n: boolean }>('SELECT EXISTS (SELECT 1 FROM suppressions) AS n'))!.n;
}

/** The hashes among the given ones that are suppressed. */
export async function suppressedHashes(db: Queryable, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db.all<{ h: string }>(
    'SELECT identifier_hash AS h FROM suppressions WHERE identifier_hash IN (SELECT unnest($1::VARCHAR[]))',
    [[...hashes]],
  );
  return new Set(rows.map((r) => r.h));
}

export interface SuppressionRow {
  readonly hash: string;
  readonly kind: string;
}

/** Adds suppression entries (an entry already there stays as it was); returns how many are new. */
export async function insertSuppressions(db: Queryable, rows: readonly SuppressionRow[], regulationId: string, at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const before = (await db.one<{ n: number }>('SELECT count(*) AS n FROM suppressions'))!.n;
  await db.run(
    `INSERT INTO suppressions (identifier_hash, kind, regulation_id, suppressed_at)
     SELECT h, k, $3, $4 FROM (SELECT unnest($1::VARCHAR[]) AS h, unnest($2::VARCHAR[]) AS k)
     ON CONFLICT (identifier_hash) DO NOTHING`,
    [rows.map((r) => r.hash), rows.map((r) => r.kind), regulationId, at],
  );
  return (await db.one<{ n: number }>('SELECT count(*) AS n FROM suppressions'))!.n - before;
}

/** Suppression entries per identifier kind (counts only: the hashes name no one). */
export function suppressionCounts(db: Queryable): Promise<{ kind: string; n: number }[]> {
  return db.all<{ kind: string; n: number }>('SELECT kind, count(*) AS n FROM suppressions GROUP BY kind ORDER BY kind');
}

/**
 * The kinds whose suppression entries were written before every erased value also got an entry of kind
 * `*` (migration 32): an arriving value is still looked for under them. Empty on a database whose
 * erasures all came later.
 */
export async function legacySuppressionKinds(db: Queryable): Promise<string[]> {
  return (await db.all<{ kind: string }>('SELECT kind FROM suppression_legacy_kinds ORDER BY kind')).map((r) => r.kind);
}
