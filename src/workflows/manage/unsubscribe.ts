import { unsubscribeSecret } from '../../config/settings.js';
import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { survivorOf } from '../../store/queries/survivors.js';
import { insertLog } from '../../store/queries/workflows/runs.js';
import { verifyUnsubscribeToken } from '../channels/email/unsubscribe.js';
import { recordConsent } from '../../privacy/consent/record.js';

/**
 * Follows an unsubscribe link (or the one-click POST of the List-Unsubscribe header): the person's
 * email consent becomes denied (a consent decision dated now, with source `unsubscribe:RUN.STEP`), noted
 * in the run's log. Following it again changes nothing.
 *
 * The token names the customer the email was sent to, which may have changed since: a customer merged
 * into another since is followed to the survivor, where the decision is recorded (docs/identity.md); a
 * customer erased since is held no more, and nothing is recorded (docs/privacy.md): `customerId` is
 * then undefined, and the person receives nothing from us anyway.
 * @throws SegmintError invalid_unsubscribe_link (400) for a token this server did not make
 */
export async function unsubscribe(store: Store, token: string, now = new Date()): Promise<{ customerId: string | undefined }> {
  const claim = verifyUnsubscribeToken(await unsubscribeSecret(store, now), token);
  if (!claim) throw new SegmintError('invalid_unsubscribe_link', 'This unsubscribe link is not valid (it may have been cut short when copied).', undefined, 400);
  return store.transaction(async (tx) => {
    const customerId = await survivorOf(tx, claim.customerId);
    if (customerId === undefined) return { customerId };
    // Through the one consent path (docs/consent.md): the decision joins the customer's history, and is
    // in force unless a later one (by its own time) says otherwise; the email_consent trait follows.
    await recordConsent(tx, [{ customerId, channel: 'email', status: 'denied', decidedAt: now, source: `unsubscribe:${claim.runId}.${claim.stepId}` }]);
    await insertLog(tx, [{ run_id: claim.runId, logged_at: now, step_id: claim.stepId, action: 'unsubscribed', detail: 'email consent denied' }]);
    return { customerId };
  });
}
