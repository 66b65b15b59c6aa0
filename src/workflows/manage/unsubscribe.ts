import { unsubscribeSecret } from '../../config/settings.js';
import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { survivorOf } from '../../store/queries/workflows/customers.js';
import { insertLog } from '../../store/queries/workflows/runs.js';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from '../channels/email/unsubscribe.js';
import { recordConsent } from '../../privacy/consent/record.js';

/**
 * Follows an unsubscribe link (or the one-click POST of the List-Unsubscribe header): the email consent
 * of the person the email went to becomes denied (a consent decision dated now, with source
 * `unsubscribe:RUN.STEP`), noted in the run's log. The token names the customer the email was sent to;
 * if that customer has since been merged into another, the decision is the survivor's (where every
 * send reads consent); if the person has been erased, nothing is recorded (an erasure leaves nothing to
 * write back, docs/privacy.md), and the answer is the same. Following it again changes nothing.
 * Returns the customer the decision was recorded for, or undefined when none was.
 * @throws SegmintError invalid_unsubscribe_link (400) for a token this server did not make
 */
export async function unsubscribe(store: Store, token: string, now = new Date()): Promise<{ customerId: string | undefined }> {
  const claim = await checkUnsubscribeLink(store, token, now);
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

/**
 * The claim of an unsubscribe link's token, checked as the unsubscribe itself checks it; records
 * nothing. The page a link opens calls it first, so a damaged link says so at once rather than offering
 * a button that cannot work.
 * @throws SegmintError invalid_unsubscribe_link (400) for a token this server did not make
 */
export async function checkUnsubscribeLink(store: Store, token: string, now = new Date()): Promise<UnsubscribeClaim> {
  const claim = verifyUnsubscribeToken(await unsubscribeSecret(store, now), token);
  if (!claim) throw new SegmintError('invalid_unsubscribe_link', 'This unsubscribe link is not valid (it may have been cut short when copied).', undefined, 400);
  return claim;
}
