import { unsubscribeSecret } from '../../config/settings.js';
import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { insertLog } from '../../store/queries/workflows/runs.js';
import { verifyUnsubscribeToken } from '../channels/email/unsubscribe.js';
import { recordConsentDecision } from '../consent.js';

/**
 * Follows an unsubscribe link (or the one-click POST of the List-Unsubscribe header): the customer's
 * email consent becomes denied, noted in the run's log. Following it again changes nothing.
 * @throws SegmintError invalid_unsubscribe_link (400) for a token this server did not make
 */
export async function unsubscribe(store: Store, token: string, now = new Date()): Promise<{ customerId: string }> {
  const claim = verifyUnsubscribeToken(await unsubscribeSecret(store, now), token);
  if (!claim) throw new SegmintError('invalid_unsubscribe_link', 'This unsubscribe link is not valid (it may have been cut short when copied).', undefined, 400);
  await store.transaction(async (tx) => {
    await recordConsentDecision(tx, {
      customerId: claim.customerId,
      channel: 'email',
      status: 'denied',
      at: now,
      source: `workflow-unsubscribe:${claim.runId}:${claim.stepId}`,
    });
    await insertLog(tx, [{ run_id: claim.runId, logged_at: now, step_id: claim.stepId, action: 'unsubscribed', detail: 'email consent denied' }]);
  });
  return { customerId: claim.customerId };
}
