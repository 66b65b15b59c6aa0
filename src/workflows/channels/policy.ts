import type { ContactRow } from '../../store/queries/workflows/customers.js';
import type { EngineSettings } from '../engine/settings.js';
import { quietUntil } from './pressure.js';

/** Whether an email step may send now: go, skip (with the reason recorded), or hold until quiet hours end. */
export type EmailDecision =
  | { readonly action: 'send'; readonly to: string }
  | { readonly action: 'skip'; readonly reason: SkipReason }
  | { readonly action: 'defer'; readonly until: Date };

/** Every reason a send is skipped; each is recorded on the send (docs/workflows.md, "Skipped sends"). */
export type SkipReason =
  | 'holdout'
  | 'customer_missing'
  | 'no_email_address'
  | 'consent_denied'
  | 'consent_missing'
  | 'frequency_cap'
  | 'smtp_not_configured'
  | 'no_sender'
  | 'no_webhook_secret'
  // recorded by a merge, not decided here: the send's run ended as a duplicate (store/queries/workflows/merge-runs.ts)
  | 'merged_duplicate';

/**
 * The rules before any email (in this order): the holdout gets nothing; the customer must exist (an
 * erased customer does not) and have an address; a marketing email needs granted email consent, fits
 * the frequency cap (`sentRecently` counts the customer's marketing emails in the cap's window,
 * pending ones included) and waits out quiet hours. Transactional emails skip the last three.
 */
export function decideEmail(
  p: { holdout: boolean; contact: ContactRow | undefined; transactional: boolean; sentRecently: number; now: Date },
  s: EngineSettings,
): EmailDecision {
  if (p.holdout) return { action: 'skip', reason: 'holdout' };
  if (!p.contact) return { action: 'skip', reason: 'customer_missing' };
  const to = p.contact.email;
  if (!to) return { action: 'skip', reason: 'no_email_address' };
  if (!p.transactional) {
    if (p.contact.email_consent === 'denied') return { action: 'skip', reason: 'consent_denied' };
    if (p.contact.email_consent !== 'granted') return { action: 'skip', reason: 'consent_missing' };
    if (s.frequencyCap && p.sentRecently >= s.frequencyCap.max) return { action: 'skip', reason: 'frequency_cap' };
    const until = s.quietHours ? quietUntil(p.now, s.quietHours, s.timeZone) : null;
    if (until) return { action: 'defer', until };
  }
  if (!s.smtpUrl) return { action: 'skip', reason: 'smtp_not_configured' };
  return { action: 'send', to };
}
