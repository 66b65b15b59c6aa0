import { parseAsOf } from '../domain/as-of.js';
import { inInstantRange } from '../domain/timestamp.js';
import type { Duration } from '../segments/ast/values.js';
import { after, parseDuration } from '../workflows/definition/duration.js';
import { SegmintError } from '../domain/errors.js';
import type { Queryable } from '../store/db.js';
import { writeKeyExpiry } from '../store/queries/privacy/key-expiry.js';

/** A number and a word: meant as a duration, whatever the unit. */
const DURATION_LIKE = /^(\d+)\s*([a-z]+)$/i;
const UNITS = 'a duration in s, min, h, d, w or y (e.g. 30min, 12h, 90d, 4w) or a date (2025-06-30, 2025-06-30T18:00:00Z)';

/**
 * When a key should stop working: a duration from now in the segment language's units (`30s`, `15min`,
 * `12h`, `90d`, `4w`, `1y`, or words: `2 days`) or a moment under the one timestamp rule (`2025-06-30`,
 * `2025-06-30T18:00:00Z`, UTC unless an offset is written). A bare `m` is refused: it is months in the
 * segment language but a user may mean minutes (write `min` or `months`). It must lie in the future and
 * in the years segmint stores. `field` names the option or JSON field in every error (`invalid_expiry`).
 */
export function parseExpiry(raw: string, field: string, now = new Date()): Date {
  const s = raw.trim();
  const m = DURATION_LIKE.exec(s);
  let at: Date;
  if (m) {
    if (m[2] === 'm' || m[2] === 'M') throw new SegmintError('invalid_expiry', `${field}: "${raw}" is ambiguous (minutes or months?); write ${m[1]}min or ${m[1]} ${Number(m[1]) === 1 ? 'month' : 'months'}.`, { field, value: raw });
    let d: Duration;
    try {
      d = parseDuration(s);
    } catch {
      throw new SegmintError('invalid_expiry', `${field}: "${raw}" is not a time to expire; write ${UNITS}.`, { field, value: raw });
    }
    if (d.amount === 0) throw new SegmintError('invalid_expiry', `${field}: "${raw}" is no time at all; write e.g. 90d, 12h or a date.`, { field });
    at = after(now, d);
    if (!inInstantRange(at.getTime())) throw new SegmintError('invalid_expiry', `${field}: "${raw}" ends after the year 9999; write a shorter duration or a date.`, { field, value: raw });
  } else {
    try {
      at = parseAsOf(s, field, () => now);
    } catch {
      throw new SegmintError('invalid_expiry', `${field}: "${raw}" is not a time to expire; write ${UNITS}.`, { field, value: raw });
    }
  }
  if (at.getTime() <= now.getTime()) {
    throw new SegmintError('invalid_expiry', `${field}: ${at.toISOString()} is not in the future; a key must expire later than now.`, { field, value: raw });
  }
  return at;
}

/** Sets (or moves) the moment a key stops working; requests with it get 401 key_expired from then on. */
export async function setKeyExpiry(db: Queryable, keyId: string, expiresAt: Date): Promise<void> {
  await writeKeyExpiry(db, keyId, expiresAt);
}
