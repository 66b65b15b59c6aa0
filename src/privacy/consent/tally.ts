import type { ConsentChannel } from './channels.js';
import { channelsLabel, consentAllows, type ConsentRule } from './policy.js';

/** Members whose contact details consent kept out of a file, by reason (docs/consent.md). */
export interface ConsentTally {
  /** a decision in force for one of the rule's channels is `denied` */
  denied: number;
  /** no decision recorded for one of the rule's channels (and none denied) */
  withoutConsent: number;
}

/** What a file's summary says of consent before any member is counted: the rule's channels (as a label and a list), nobody left out yet. */
export function startTally(rule: ConsentRule): ConsentTally & { channel: string; channels: ConsentChannel[] } {
  return { channel: channelsLabel(rule.channels), channels: [...rule.channels], denied: 0, withoutConsent: 0 };
}

/**
 * Whether a member's contact details may be written under `rule` (consentAllows); when not, counts them
 * in `tally` by reason. The one gate every writer of contact details goes through (segment exports,
 * audiences, experiment assignments), so they leave out and count the same people.
 */
export function admitContacts(rule: ConsentRule, status: string | null | undefined, tally: ConsentTally): boolean {
  if (consentAllows(rule, status)) return true;
  if (status === 'denied') tally.denied++;
  else tally.withoutConsent++;
  return false;
}

/**
 * The consent part of an export's summary line, e.g. `consent for email: left out 4 who denied it and 6
 * with no decision recorded`; several channels read `email and sms … who denied one of them`. `what`
 * names what was left out when the rows themselves stay (`the email of`).
 */
export function consentLine(channels: readonly string[], tally: ConsentTally, what?: string): string {
  const denied = channels.length > 1 ? 'denied one of them' : 'denied it';
  return `consent for ${channels.join(' and ')}: left out ${what !== undefined ? `${what} ` : ''}${tally.denied} who ${denied} and ${tally.withoutConsent} with no decision recorded`;
}
