import { SegmintError } from '../../domain/errors.js';
import { CONSENT_CHANNELS, type ConsentChannel } from './channels.js';

/**
 * The rule every export, audience file and send follows (docs/consent.md, "Consent in exports"):
 *
 * - contact details imply a channel: an `email` column (or `traits.email`) implies `email`, a `phone`
 *   column `sms`, an ads audience (hashed emails) `ads`;
 * - a file is filtered by every channel its contact details imply, and by the channel named with
 *   --channel (email, sms, push, ads) too; with no contact details and no channel named it targets no
 *   channel (`none`) and is not filtered;
 * - `--channel none` says the file holds no contact details: with contact details (or --audience) it is
 *   refused, naming the fields and the channels they need (trial 13, H1: it used to skip the filter);
 * - for the channels, a customer's contact details are written only when the consent in force for each
 *   of them is `granted` (the latest decision by its own time); a denial of any always leaves them out;
 *   with no decision recorded for one they are left out too, unless the shop says its consent is kept
 *   elsewhere (`unknown: 'include'`).
 */
export type TargetChannel = ConsentChannel | 'none';
export type UnknownConsent = 'exclude' | 'include';

export interface ConsentRule {
  /** the channels whose consent decides (empty: nobody is left out for consent) */
  readonly channels: readonly ConsentChannel[];
  readonly unknown: UnknownConsent;
}

/** What an export asks for: --channel as typed, --audience, the columns it writes. */
export interface ExportTarget {
  channel?: string;
  audience?: boolean;
  fields: readonly string[];
}

/**
 * The contact details an export holds and the channel each implies: `[field, channel]` pairs in the
 * order email, phone, audience. A field is `email`/`phone` with or without `traits.`, any case.
 */
export function contactDetails(o: Omit<ExportTarget, 'channel'>): [string, ConsentChannel][] {
  const out: [string, ConsentChannel][] = [];
  const named = (want: string) => o.fields.find((x) => x.trim().toLowerCase().replace(/^traits\./, '') === want);
  if (o.audience) out.push(['--audience (hashed emails)', 'ads']);
  const email = named('email');
  if (email !== undefined && !o.audience) out.push([email.trim(), 'email']);
  const phone = named('phone');
  if (phone !== undefined && !o.audience) out.push([phone.trim(), 'sms']);
  return out;
}

/**
 * The channels an export is filtered by (the rule above): the one named by --channel, then those its
 * contact details imply, without repeats; empty for an export of ids and metrics only.
 * Errors: `export_bad_channel` for a channel other than email, sms, push, ads, none;
 * `export_channel_none_with_contacts` for `none` with contact details or --audience.
 */
export function exportChannels(o: ExportTarget): ConsentChannel[] {
  const implied = contactDetails(o);
  const out: ConsentChannel[] = [];
  if (o.channel !== undefined) {
    const c = o.channel.trim().toLowerCase();
    if (c === 'none') {
      if (implied.length > 0) {
        const what = implied.map(([f, ch]) => `${f} needs ${ch}`).join(', ');
        const needed = [...new Set(implied.map(([, ch]) => ch))];
        throw new SegmintError(
          'export_channel_none_with_contacts',
          `channel none is for files without contact details, but this one holds them (${what}): leave the channel out to filter by ${needed.join(' and ')} consent, or drop ${implied.map(([f]) => f).join(' and ')} from the export`,
          { field: 'channel', value: o.channel, contacts: implied.map(([f, ch]) => ({ field: f, channel: ch })) },
        );
      }
      return [];
    }
    if (!(CONSENT_CHANNELS as readonly string[]).includes(c)) {
      throw new SegmintError('export_bad_channel', `--channel ${o.channel}: expected one of ${CONSENT_CHANNELS.join(', ')} or none`, { field: 'channel', value: o.channel });
    }
    out.push(c as ConsentChannel);
  }
  for (const [, ch] of implied) if (!out.includes(ch)) out.push(ch);
  return out;
}

/** The first channel an export is filtered by, or `none` (exportChannels; kept for one-channel callers). */
export function exportChannel(o: ExportTarget): TargetChannel {
  return exportChannels(o)[0] ?? 'none';
}

/** `--include-unknown-consent` / `unknownConsent=` as a rule value; anything else is `export_bad_option`. */
export function unknownConsent(raw: string | undefined): UnknownConsent {
  if (raw === undefined || raw === 'exclude') return 'exclude';
  if (raw === 'include') return 'include';
  throw new SegmintError('export_bad_option', `unknown consent "${raw}": expected exclude or include`, { field: 'unknownConsent', value: raw });
}

/**
 * Whether a customer's contact details may be written, `status` being their consent in force over the
 * rule's channels as consentInForceSql gives it: `denied` (any channel denied), `granted` (every one
 * granted) or null (some channel without a decision).
 */
export function consentAllows(rule: ConsentRule, status: string | null | undefined): boolean {
  if (rule.channels.length === 0 || status === 'granted') return true;
  if (status === 'denied') return false;
  return rule.unknown === 'include';
}

/** The rule's channels as one label: `email`, `email+sms`, or `none`. */
export function channelsLabel(channels: readonly ConsentChannel[]): string {
  return channels.length === 0 ? 'none' : channels.join('+');
}
