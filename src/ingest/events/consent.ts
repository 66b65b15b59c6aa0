import { consentChannel, consentStatus, type ConsentStatus } from '../../privacy/consent/channels.js';
import type { IncomingEvent } from './message.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ConsentChange {
  readonly channel: string;
  readonly status: ConsentStatus;
}

/**
 * Consent decisions an event carries, by channel (privacy/consent/channels.ts names them). Two
 * conventions are read:
 * - Segment's consent spec: context.consent.categoryPreferences, e.g. { "email": true, "advertising": false };
 * - traits of an identify call named `<channel>_consent`, e.g. email_consent: "granted" | "denied"
 *   (also true/false, yes/no, opt_in/opt_out, subscribed/unsubscribed).
 * A value that is neither granted nor denied decides nothing. The decision is dated by the event's own
 * time: the latest decision by that time wins, whatever order events arrive in (recordConsent).
 */
export function consentOf(e: IncomingEvent): ConsentChange[] {
  const consent = e.context?.consent;
  // Most events carry neither: no map to make (this runs for every event ingested).
  if (consent === undefined && (e.type !== 'identify' || !e.traits)) return [];
  const out = new Map<string, ConsentStatus>();
  if (isObj(consent) && isObj(consent.categoryPreferences)) {
    for (const [category, v] of Object.entries(consent.categoryPreferences)) {
      const channel = consentChannel(category);
      const status = consentStatus(v);
      if (channel && status) out.set(channel, status);
    }
  }
  if (e.type === 'identify' && e.traits) {
    for (const [key, v] of Object.entries(e.traits)) {
      const m = /^(.+)_consent$/i.exec(key);
      const channel = m ? consentChannel(m[1]!) : undefined;
      const status = consentStatus(v);
      if (channel && status) out.set(channel, status);
    }
  }
  return [...out].map(([channel, status]) => ({ channel, status }));
}
