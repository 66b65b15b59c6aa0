import { utcTimeText } from '../../domain/time-zone.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import type { Queryable } from '../../store/db.js';
import { consentHistoryOf, currentConsentOf } from '../../store/queries/privacy/consent.js';

/** A customer's consent: the decision in force per channel, and every decision recorded, newest first. */
export interface CustomerConsent {
  customer_id: string;
  /** per channel, the latest decision by its own time */
  current: { channel: string; status: string; decided_at: Date; source: string }[];
  /** every decision: what, when it was decided, where it came from, when segmint recorded it */
  history: { channel: string; status: string; decided_at: Date; source: string; recorded_at: Date }[];
}

/** The consent of the customer an identifier means (any identifier: customer id, user id, email, ...). */
export async function customerConsent(db: Queryable, ref: string): Promise<CustomerConsent> {
  const id = await resolveCustomer(db, ref);
  return { customer_id: id, current: await currentConsentOf(db, id), history: await consentHistoryOf(db, id) };
}


/** The text form of `segmint customers consent ID`. */
export function renderConsent(c: CustomerConsent): string {
  const out = [`Consent of ${c.customer_id}`];
  if (c.current.length === 0) out.push('  no decision recorded: every channel that needs consent leaves this customer out');
  for (const k of c.current) out.push(`  ${k.channel.padEnd(8)} ${k.status.padEnd(8)} since ${utcTimeText(k.decided_at)} (${k.source})`);
  if (c.history.length > 0) {
    out.push('History (newest first; decided at, channel, decision, source, recorded at):');
    for (const h of c.history) out.push(`  ${utcTimeText(h.decided_at)}  ${h.channel.padEnd(8)} ${h.status.padEnd(8)} ${h.source}  (recorded ${utcTimeText(h.recorded_at)})`);
  }
  return out.join('\n');
}
