/**
 * Consent channels and statuses, as every source writes them (identify traits, Segment's
 * context.consent.categoryPreferences, Shopify's marketing columns, generic files, an unsubscribe).
 */

/** The channels segmint's exports and sends check (docs/consent.md). */
export const CONSENT_CHANNELS = ['email', 'sms', 'push', 'ads'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export type ConsentStatus = 'granted' | 'denied';

// Other names sources give the same channels (Segment's categories are the site's own; these are the
// common ones for the four channels).
const SYNONYMS: Readonly<Record<string, ConsentChannel>> = {
  'e-mail': 'email',
  mail: 'email',
  newsletter: 'email',
  email_marketing: 'email',
  text: 'sms',
  texts: 'sms',
  sms_marketing: 'sms',
  push_notifications: 'push',
  notifications: 'push',
  advertising: 'ads',
  ad: 'ads',
  targeting: 'ads',
  personalised_ads: 'ads',
  personalized_ads: 'ads',
};

/**
 * The channel a category name means: the four channels and their synonyms; any other name of letters,
 * digits and `_` (up to 40) is kept as its own channel (recorded, shown, readable by segments); anything
 * else is not a channel (undefined).
 */
export function consentChannel(raw: string): string | undefined {
  const c = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((CONSENT_CHANNELS as readonly string[]).includes(c)) return c;
  if (SYNONYMS[c]) return SYNONYMS[c];
  if (c === 'e_mail') return 'email';
  return /^[a-z][a-z0-9_]{0,39}$/.test(c) ? c : undefined;
}

const GRANTED = new Set(['granted', 'grant', 'true', 'yes', 'y', '1', 'opt_in', 'opted_in', 'optin', 'subscribed', 'accepted', 'accept', 'allow', 'allowed', 'on']);
const DENIED = new Set(['denied', 'deny', 'false', 'no', 'n', '0', 'opt_out', 'opted_out', 'optout', 'unsubscribed', 'not_subscribed', 'rejected', 'declined', 'off', 'pending', 'never_subscribed']);

/**
 * A value as a consent decision: granted, denied, or undefined when it says neither (then it decides
 * nothing). Booleans and the usual words of the tools (`subscribed`, `opted_out`, ...) are read; Shopify's
 * `pending` (a double opt-in not confirmed yet) is not consent.
 */
export function consentStatus(v: unknown): ConsentStatus | undefined {
  const s = typeof v === 'boolean' || typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : undefined;
  if (s === undefined) return undefined;
  if (GRANTED.has(s)) return 'granted';
  if (DENIED.has(s)) return 'denied';
  return undefined;
}

/** True for a trait name that carries a consent decision (`email_consent`), not a trait of its own. */
export function isConsentTrait(key: string): boolean {
  return /_consent$/i.test(key);
}
