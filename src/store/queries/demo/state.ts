import type { Queryable } from '../../db.js';

export interface DemoLoadState {
  /** This demo (same id) was loaded completely before. */
  finished: boolean;
  /** This demo was started before but not finished (interrupted). */
  started: boolean;
  report: unknown;
  /** Data in the store that this demo did not write. */
  other: { customers: number; events: number; orders: number; imports: number; demo_events: number };
}

/**
 * What the store holds relative to the demo `demoId`: the demo's own imports row, and how much data
 * came from elsewhere (another import, live events, another demo).
 */
export async function demoLoadState(db: Queryable, demoId: string): Promise<DemoLoadState> {
  const mine = await db.one<{ finished_at: Date | null; report: string | null }>(
    'SELECT finished_at, report::VARCHAR AS report FROM imports WHERE import_id = $1',
    [demoId],
  );
  const other = await db.one<DemoLoadState['other']>(
    `SELECT
       (SELECT count(*) FROM imports WHERE import_id <> $1) AS imports,
       (SELECT count(*) FROM events WHERE source <> 'demo') AS events,
       (SELECT count(*) FROM events WHERE source = 'demo') AS demo_events,
       (SELECT count(*) FROM orders WHERE source <> 'demo') AS orders,
       (SELECT count(*) FROM customers) AS customers`,
    [demoId],
  );
  return {
    finished: mine?.finished_at != null,
    started: mine !== undefined,
    report: mine?.report ? JSON.parse(mine.report) : undefined,
    other: other!,
  };
}

/** Records that the demo started; a rerun after an interruption finds it and resumes. */
export async function markDemoStarted(db: Queryable, demoId: string, parameters: unknown): Promise<void> {
  await db.run(
    `INSERT INTO imports (import_id, file, file_sha256, format, started_at, finished_at, report)
     VALUES ($1, 'segmint demo', NULL, 'demo', now()::TIMESTAMP, NULL, $2::JSON)
     ON CONFLICT DO NOTHING`,
    [demoId, JSON.stringify({ parameters })],
  );
}

/** Marks the demo loaded; the report is merged into the row's, so the admin-key salt stays. */
export async function markDemoFinished(db: Queryable, demoId: string, report: unknown): Promise<void> {
  await db.run(
    `UPDATE imports SET finished_at = now()::TIMESTAMP, report = json_merge_patch(coalesce(report, '{}'::JSON), $2::JSON) WHERE import_id = $1`,
    [demoId, JSON.stringify(report)],
  );
}

/** Adds the demo's write key (by its hash) unless it is there already. */
export async function ensureApiKey(db: Queryable, key: { keyId: string; keyHash: string; scopes: string; name: string; createdAt: Date }): Promise<void> {
  await db.run(
    `INSERT INTO api_keys (key_id, key_hash, scopes, name, created_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5::TIMESTAMP, NULL) ON CONFLICT DO NOTHING`,
    [key.keyId, key.keyHash, key.scopes, key.name, key.createdAt],
  );
}

/** Parameters of every demo loaded completely into the store (the `imports` rows of format demo). */
export async function finishedDemos(db: Queryable): Promise<{ demoId: string; parameters: { customers: number; days: number; seed: number; end: string } }[]> {
  const rows = await db.all<{ import_id: string; parameters: string | null }>(
    `SELECT import_id, json_extract(report, '$.parameters')::VARCHAR AS parameters FROM imports
     WHERE format = 'demo' AND finished_at IS NOT NULL ORDER BY finished_at DESC`,
  );
  return rows.filter((r) => r.parameters !== null).map((r) => ({ demoId: r.import_id, parameters: JSON.parse(r.parameters!) }));
}

/** The demo's admin-key salt kept in its imports row, made and stored on first use. */
export async function demoSalt(db: Queryable, demoId: string, make: () => string): Promise<string> {
  const row = await db.one<{ salt: string | null }>(`SELECT json_extract_string(report, '$.salt') AS salt FROM imports WHERE import_id = $1`, [demoId]);
  if (row?.salt) return row.salt;
  const salt = make();
  await db.run(`UPDATE imports SET report = json_merge_patch(coalesce(report, '{}'::JSON), json_object('salt', $2::VARCHAR)) WHERE import_id = $1`, [demoId, salt]);
  return salt;
}
