import type { IncomingEvent } from './message.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ConsentChange {
  readonly channel: string;
  readonly status: 'granted' | 'denied';
}

const GRANTED = new Set(['granted', 'true', 'yes', 'opt_in', 'opted_in', 'subscribed']);
const DENIED = new Set(['denied', 'false', 'no', 'opt_out', 'opted_out', 'unsubscribed']);

/**
 * Consent decisions an event carries, by channel (lower-cased). Two conventions are read:
 * - Segment's consent spec: context.consent.categoryPreferences, e.g. { "email": true, "sms": false };
 * - traits of an identify call named `<channel>_consent`, e.g. email_consent: "granted" | "denied"
 *   (also true/false, yes/no, opt_in/opt_out, subscribed/unsubscribed).
 * Anything else is not consent and changes nothing; a later decision (by event time) replaces an
 * earlier one.
 */
export function consentOf(e: IncomingEvent): ConsentChange[] {
  const out = new Map<string, ConsentChange['status']>();
  const consent = e.context?.consent;
  if (isObj(consent) && isObj(consent.categoryPreferences)) {
    for (const [category, v] of Object.entries(consent.categoryPreferences)) {
      const status = statusOf(v);
      if (status && category.trim() !== '') out.set(category.trim().toLowerCase(), status);
    }
  }
  if (e.type === 'identify' && e.traits) {
    for (const [key, v] of Object.entries(e.traits)) {
      const m = /^(.+)_consent$/i.exec(key);
      const status = statusOf(v);
      if (m && status) out.set(m[1]!.toLowerCase(), status);
    }
  }
  return [...out].map(([channel, status]) => ({ channel, status }));
}

function statusOf(v: unknown): ConsentChange['status'] | undefined {
  const s = typeof v === 'boolean' ? String(v) : typeof v === 'string' ? v.trim().toLowerCase() : undefined;
  if (s === undefined) return undefined;
  if (GRANTED.has(s)) return 'granted';
  if (DENIED.has(s)) return 'denied';
  return undefined;
}
