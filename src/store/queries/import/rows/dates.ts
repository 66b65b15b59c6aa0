import type { Queryable } from '../../../db.js';
import { STAGED_ROWS } from './staged.js';

/**
 * Gives every row the time of its data (imp_rows.data_at): the format's own, else the order's time,
 * else `fileTime` (when the export was made). Returns how many good rows carrying traits or consent
 * had no time of their own, so the report can say which time they were given. Runs on the staged rows,
 * before they are compressed (staged.ts).
 */
export async function dateRows(tx: Queryable, fileTime: Date): Promise<number> {
  // fillRows already took the order's time where the format gives none: a NULL data_at has neither.
  const r = await tx.one<{ n: number }>(
    `SELECT count(*) AS n FROM ${STAGED_ROWS} WHERE error IS NULL AND NOT synthetic AND data_at IS NULL
       AND (traits IS NOT NULL OR consent_email IS NOT NULL OR consent_sms IS NOT NULL OR consent_push IS NOT NULL OR consent_ads IS NOT NULL)`,
  );
  await tx.run(`UPDATE ${STAGED_ROWS} SET data_at = $1::TIMESTAMP WHERE data_at IS NULL`, [fileTime]);
  return r!.n;
}
