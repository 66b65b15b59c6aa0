import { createHash } from 'node:crypto';
import { SegmintError } from '../../domain/errors.js';
import { countOf } from '../../domain/words.js';
import type { Store } from '../../store/db.js';
import { recordSegmentUse } from '../../store/queries/measure/usage.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { EXPORTABLE_METRICS, exportPage, type ExportRow } from '../../store/queries/segments/export.js';
import { csvLine } from '../../csv/write.js';
import { exportChannels, type ConsentRule, type UnknownConsent } from '../../privacy/consent/policy.js';
import type { ConsentChannel } from '../../privacy/consent/channels.js';
import { admitContacts, consentLine, startTally } from '../../privacy/consent/tally.js';
import { customerEmails } from '../../domain/customer-email.js';
import { segmentNotFound } from './names.js';
import { parseTraits, traitAt } from './traits.js';

export const DEFAULT_EXPORT_FIELDS = ['customer_id', 'email', 'orders_count', 'total_spent', 'last_order_at'];

export interface ExportOptions {
  /** Columns: customer_id, email, member_since, any stored metric, or a trait (dotted path). */
  fields?: readonly string[];
  /** Ads audience: one column of SHA-256 hashes of normalised emails, as ad platforms take them. */
  audience?: boolean;
  /** The channel the export is for (email, sms, push, ads, none); the contact details' channels are always added, and `none` with contact details is refused (privacy/consent/policy.ts). */
  channel?: string;
  /** Members with no consent decision for the channel: left out (default) or included. */
  unknownConsent?: UnknownConsent;
  pageSize?: number;
}

export interface ExportSummary {
  rows: number;
  members: number;
  /** the channels whose consent decided who is in the file, joined by `+` (`email`, `email+sms`; 'none': nobody left out for consent) */
  channel: string;
  /** the same channels as a list (empty for 'none') */
  channels: ConsentChannel[];
  /** members left out: they denied consent for the channel */
  denied: number;
  /** members left out: no consent decision recorded for the channel */
  withoutConsent: number;
  /** Audience only: members left out for having no email. */
  withoutEmail: number;
}

/** An email as ad platforms match it: trimmed and lower-cased, then SHA-256 in lower-case hex. */
export function hashEmailForAudience(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Writes the members of a saved segment (as of its last refresh) as CSV through `write`, a page at a
 * time so memory stays flat. Traits are read from the customer profile; metrics from customer_metrics.
 * Consent decides who is in the file, for the channel the export targets (privacy/consent/policy.ts):
 * those left out are counted in the summary, never written.
 */
export async function exportSegment(
  db: Store,
  name: string,
  write: (chunk: string) => void | Promise<void>,
  opts: ExportOptions = {},
): Promise<ExportSummary> {
  const fields = opts.audience ? ['email'] : checkFields(opts.fields ?? DEFAULT_EXPORT_FIELDS);
  // The consent rule is settled before anything is recorded: a refused --channel leaves no trace.
  const rule: ConsentRule = { channels: exportChannels({ channel: opts.channel, audience: opts.audience, fields }), unknown: opts.unknownConsent ?? 'exclude' };
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  await recordSegmentUse(db, rec.segment_id, opts.audience ? 'audience' : 'export', null, new Date());
  const pageSize = opts.pageSize ?? 5000;
  const summary: ExportSummary = { rows: 0, members: 0, ...startTally(rule), withoutEmail: 0 };
  await write(csvLine(fields));
  let after = '';
  for (;;) {
    const page = await exportPage(db, rec.segment_id, after, pageSize, rule.channels);
    if (page.length === 0) break;
    let chunk = '';
    for (const row of page) {
      summary.members++;
      if (!admitContacts(rule, row.channel_consent, summary)) continue;
      if (opts.audience) {
        const emails = emailsOf(row, parseTraits(row.traits));
        if (emails.length === 0) summary.withoutEmail++;
        for (const e of emails) {
          chunk += csvLine([hashEmailForAudience(e)]);
          summary.rows++;
        }
      } else {
        const traits = parseTraits(row.traits);
        chunk += csvLine(fields.map((f) => fieldValue(row, traits, f)));
        summary.rows++;
      }
    }
    await write(chunk);
    after = page[page.length - 1]!.customer_id;
  }
  return summary;
}

const METRICS = new Set<string>(EXPORTABLE_METRICS);

function checkFields(fields: readonly string[]): string[] {
  const out = fields.map((f) => f.trim()).filter((f) => f !== '');
  if (out.length === 0) throw new SegmintError('export_fields_empty', '--fields: name at least one field, e.g. email,country,total_spent', { field: 'fields' });
  const bad = out.find((f) => f.startsWith('.') || f.endsWith('.') || f.includes('..'));
  if (bad) throw new SegmintError('export_field_invalid', `--fields: "${bad}" is not a field name or trait path`, { field: 'fields', value: bad });
  // "metrics" and "traits" read as a group but would be a trait of that name, empty for everyone (trial
  // 10, L5): refused, naming what is accepted. A trait really called so is `traits.metrics`.
  const group = out.find((f) => f === 'metrics' || f === 'traits');
  if (group) {
    throw new SegmintError(
      'export_field_invalid',
      `--fields: "${group}" is not a column; name each one: customer_id, email, member_since, a metric (${EXPORTABLE_METRICS.join(', ')}) or a trait by name or path (country, address.city; traits.${group} for a trait called "${group}").`,
      { field: 'fields', value: group, accepted: ['customer_id', 'email', 'member_since', ...EXPORTABLE_METRICS, 'a trait name or path'] },
    );
  }
  return out;
}

/** Named columns first, then metrics; anything else is a trait path (`traits.` prefix optional). */
function fieldValue(row: ExportRow, traits: Record<string, unknown>, field: string): unknown {
  if (field === 'customer_id') return row.customer_id;
  if (field === 'member_since') return row.since;
  if (field === 'email') return emailsOf(row, traits)[0];
  if (METRICS.has(field)) return row[field as (typeof EXPORTABLE_METRICS)[number]];
  return traitAt(traits, field.startsWith('traits.') ? field.slice(7) : field);
}

/** The member's emails, best first: the one definition of every export (customerEmails). */
function emailsOf(row: ExportRow, traits: Record<string, unknown>): string[] {
  return customerEmails(traits.email, row.emails);
}

/** One line saying what an export wrote and whom consent (or a missing email) left out. */
export function exportSummaryLine(s: ExportSummary, file?: string): string {
  const out = [`wrote ${countOf(s.rows, 'row')} for ${countOf(s.members, 'member')}${file ? ` to ${file}` : ''}`];
  if (s.channels.length > 0) out.push(consentLine(s.channels, s));
  if (s.withoutEmail > 0) out.push(`left out ${s.withoutEmail} without email`);
  return out.join('; ');
}
