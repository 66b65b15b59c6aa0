import type { Queryable } from '../../db.js';
import { textColumn } from '../identity-columns.js';

/** Segment-spec email event names (Segment's "Email Events" spec), compared in lower case. */
export const EMAIL_OPENS = ['email opened'];
export const EMAIL_CLICKS = ['email link clicked', 'email clicked'];
export const UNSUBSCRIBES = ['unsubscribed', 'email unsubscribed'];

/**
 * Whether any email open or click is recorded at all. A shop that sends no email events has no open
 * rate (unknown, shown as —), which is not the same as an open rate of 0%.
 */
export async function recordsEmailEngagement(db: Queryable): Promise<boolean> {
  const names = textColumn(1, [...EMAIL_OPENS, ...EMAIL_CLICKS]);
  const row = await db.one<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM events WHERE lower(event) IN (SELECT ${names.sql})) AS found`, [names.param]);
  return row?.found === true;
}
