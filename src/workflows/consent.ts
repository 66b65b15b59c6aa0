import { recordConsent } from '../privacy/consent/record.js';
import type { Queryable } from '../store/db.js';

/** A customer's decision about a channel, as the unsubscribe link records it. */
export interface ConsentDecision {
  readonly customerId: string;
  readonly channel: string;
  readonly status: 'granted' | 'denied';
  readonly at: Date;
  /** where the decision came from, e.g. `workflow-unsubscribe:<run>:<step>` */
  readonly source: string;
}

/**
 * Records a consent decision. The one place workflows write consent: it goes through recordConsent
 * (privacy/consent/record.ts), like every source, so the decision joins the customer's consent history,
 * the latest decision by its own time is in force, and the `<channel>_consent` trait follows.
 */
export async function recordConsentDecision(db: Queryable, d: ConsentDecision): Promise<void> {
  await recordConsent(db, [{ customerId: d.customerId, channel: d.channel, status: d.status, decidedAt: d.at, source: d.source }]);
}
