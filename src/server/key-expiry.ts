import { parseAsOf } from '../domain/as-of.js';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { writeKeyExpiry } from '../store/queries/privacy/key-expiry.js';

const DURATION = /^(\d{1,5})\s*(h|d|w)$/i;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * When a key should stop working: a duration from now (`12h`, `90d`, `4w`) or a moment (`2025-06-30`,
 * `2025-06-30T18:00:00Z`, UTC unless an offset is written). It must lie in the future. `field` names the
 * option or JSON field in the error.
 */
export function parseExpiry(raw: string, field: string, now = new Date()): Date {
  const s = raw.trim();
  const m = DURATION.exec(s);
  const at = m ? new Date(now.getTime() + Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!) : parseAsOf(s, field, () => now);
  if (m && Number(m[1]) === 0) throw new SegmintError('invalid_expiry', `${field}: "${raw}" is no time at all; write e.g. 90d, 12h or a date.`, { field });
  if (at.getTime() <= now.getTime()) {
    throw new SegmintError('invalid_expiry', `${field}: ${at.toISOString()} is not in the future; a key must expire later than now.`, { field, value: raw });
  }
  return at;
}

/** Sets (or moves) the moment a key stops working; requests with it get 401 key_expired from then on. */
export async function setKeyExpiry(db: Queryable, keyId: string, expiresAt: Date): Promise<void> {
  await writeKeyExpiry(db, keyId, expiresAt);
}
