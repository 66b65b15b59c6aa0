import { SegmintError } from '../../domain/errors.js';
import { Store, type Queryable } from '../../store/db.js';
import { applyConsentDecisions, decisionRelation, type ConsentDecisionRow } from '../../store/queries/privacy/consent.js';
import { survivorsOf } from '../../store/queries/workflows/customers.js';
import { consentChannel, type ConsentStatus } from './channels.js';

/** A consent decision to record: who, which channel, granted or denied, when it was decided, from where. */
export interface ConsentDecision {
  /** the customer id (resolve a typed identifier first with profiles/resolve-customer.ts) */
  readonly customerId: string;
  /** email, sms, push, ads (or another channel name; see consentChannel) */
  readonly channel: string;
  readonly status: ConsentStatus;
  /** when the person decided (the click on an unsubscribe link, the time of the event or export row) */
  readonly decidedAt: Date;
  /** where it came from, e.g. `unsubscribe:<workflow>:<send id>`, `http:<messageId>`, `import:shopify-orders` */
  readonly source: string;
}

export interface ConsentOutcome {
  /** (customer, channel) pairs whose decision in force changed */
  readonly changed: number;
  /** customers whose consent was touched (the decision in force may or may not have changed) */
  readonly customers: readonly string[];
}

/**
 * The one way to record consent decisions; every source goes through it (live events, imports, and
 * the unsubscribe link of a workflow). Each decision is added to the customer's consent history; the
 * decision in force per channel is the latest by its own time (`decidedAt`), whatever order decisions
 * arrive in, a denial winning a tie; the trait `<channel>_consent` is kept equal to it.
 *
 * Given a Store it runs in its own transaction; given a transaction (`store.transaction(tx => ...)`),
 * it joins it, so the decision commits with whatever else the caller writes.
 *
 * A decision dated after `now()` (its recording time) is dated `now()`: nothing outranks what comes later.
 *
 * A decision for a customer merged away is recorded on the customer that absorbed them (survivorsOf);
 * one for a customer no longer held (erased) is not recorded at all, and counts in no outcome.
 *
 * Errors: an unknown channel name or a status other than granted/denied is a SegmintError
 * (`consent_invalid`); nothing is recorded then.
 */
export async function recordConsent(db: Queryable, decisions: readonly ConsentDecision[], now: () => Date = () => new Date()): Promise<ConsentOutcome> {
  const recordedAt = now();
  const rows: ConsentDecisionRow[] = decisions.map((d, i) => {
    const channel = consentChannel(d.channel);
    if (channel === undefined || (d.status !== 'granted' && d.status !== 'denied') || Number.isNaN(d.decidedAt.getTime())) {
      throw new SegmintError(
        'consent_invalid',
        `Consent decision ${i + 1}: expected a channel (email, sms, push, ads), a status granted or denied and a time; got ${JSON.stringify({ channel: d.channel, status: d.status })}`,
        { index: i, channel: d.channel, status: d.status },
      );
    }
    // A decision cannot have been made after it is recorded; one dated later would outrank every
    // decision made until then (trial 6, D1). Callers refuse such times; this keeps the rule for all.
    return { ...d, channel, decidedAt: d.decidedAt.getTime() > recordedAt.getTime() ? recordedAt : d.decidedAt };
  });
  if (rows.length === 0) return { changed: 0, customers: [] };
  const run = async (tx: Queryable): Promise<ConsentOutcome> => {
    // A decision is the person's: it goes to the customer holding them now (merges followed), and to no
    // one when none is held (erased), so no caller can write an erased id back (docs/privacy.md).
    const held = await survivorsOf(tx, rows.map((r) => r.customerId));
    const kept = rows.flatMap((r) => {
      const customerId = held.get(r.customerId);
      return customerId === undefined ? [] : [{ ...r, customerId }];
    });
    return kept.length === 0 ? { changed: 0, customers: [] } : applyConsentDecisions(tx, decisionRelation(kept), recordedAt);
  };
  return db instanceof Store ? db.transaction(run) : run(db);
}
