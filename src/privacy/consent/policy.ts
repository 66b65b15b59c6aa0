import { SegmintError } from '../../domain/errors.js';
import { CONSENT_CHANNELS, type ConsentChannel } from './channels.js';

/**
 * The rule every export, audience file and send follows (docs/consent.md, "Consent in exports"):
 *
 * - an export targets one channel: an ads audience targets `ads`; an export naming a channel with
 *   --channel targets it; otherwise an export carrying email addresses targets `email`, one carrying
 *   phone numbers `sms`; an export with no contact details targets no channel (`none`) and is not
 *   filtered;
 * - for a channel, a customer is included only when the consent in force for it is `granted` (the
 *   latest decision by its own time); a denial always leaves them out; with no decision recorded they
 *   are left out too, unless the shop says its consent is kept elsewhere (`unknown: 'include'`).
 */
export type TargetChannel = ConsentChannel | 'none';
export type UnknownConsent = 'exclude' | 'include';

export interface ConsentRule {
  readonly channel: TargetChannel;
  readonly unknown: UnknownConsent;
}

/** The channel an export targets, from what it was asked for (see the rule above). */
export function exportChannel(o: { channel?: string; audience?: boolean; fields: readonly string[] }): TargetChannel {
  if (o.channel !== undefined) {
    const c = o.channel.trim().toLowerCase();
    if (c === 'none' || (CONSENT_CHANNELS as readonly string[]).includes(c)) return c as TargetChannel;
    throw new SegmintError('export_bad_channel', `--channel ${o.channel}: expected one of ${CONSENT_CHANNELS.join(', ')} or none`, { field: 'channel', value: o.channel });
  }
  if (o.audience) return 'ads';
  const f = o.fields.map((x) => x.trim().toLowerCase().replace(/^traits\./, ''));
  if (f.includes('email')) return 'email';
  if (f.includes('phone')) return 'sms';
  return 'none';
}

export function unknownConsent(raw: string | undefined): UnknownConsent {
  if (raw === undefined || raw === 'exclude') return 'exclude';
  if (raw === 'include') return 'include';
  throw new SegmintError('export_bad_option', `unknown consent "${raw}": expected exclude or include`, { field: 'unknownConsent', value: raw });
}

/** Whether a customer whose consent in force for the rule's channel is `status` may be exported. */
export function consentAllows(rule: ConsentRule, status: string | null | undefined): boolean {
  if (rule.channel === 'none' || status === 'granted') return true;
  if (status === 'denied') return false;
  return rule.unknown === 'include';
}
