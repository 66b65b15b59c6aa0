import type { Queryable } from '../store/db.js';
import { upsertConsent } from '../store/queries/events.js';

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
 * Records a consent decision. The one place workflows write consent: when the consent history of the
 * privacy work lands, this calls its recording function instead (same arguments), and the unsubscribe
 * link keeps working unchanged. Later decisions win over earlier ones, as for consent from events.
 */
export async function recordConsentDecision(db: Queryable, d: ConsentDecision): Promise<void> {
  await upsertConsent(db, [{ customerId: d.customerId, channel: d.channel, status: d.status, updatedAt: d.at, source: d.source }]);
}
