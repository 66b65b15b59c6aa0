import { createHash } from 'node:crypto';
import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { recordSegmentUse } from '../../store/queries/measure/usage.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { EXPORTABLE_METRICS, exportPage, type ExportRow } from '../../store/queries/segments/export.js';
import { csvLine } from '../../csv/write.js';
import { segmentNotFound } from './names.js';
import { parseTraits, traitAt } from './traits.js';

export const DEFAULT_EXPORT_FIELDS = ['customer_id', 'email', 'orders_count', 'total_spent', 'last_order_at'];

export interface ExportOptions {
  /** Columns: customer_id, email, member_since, any stored metric, or a trait (dotted path). */
  fields?: readonly string[];
  /** Ads audience: one column of SHA-256 hashes of normalised emails, as ad platforms take them. */
  audience?: boolean;
  pageSize?: number;
}

export interface ExportSummary {
  rows: number;
  members: number;
  /** Audience only: members left out for having no email, or having denied consent for ads. */
  withoutEmail: number;
  deniedAds: number;
}

/** An email as ad platforms match it: trimmed and lower-cased, then SHA-256 in lower-case hex. */
export function hashEmailForAudience(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Writes the members of a saved segment (as of its last refresh) as CSV through `write`, a page at a
 * time so memory stays flat. Traits are read from the customer profile; metrics from customer_metrics.
 */
export async function exportSegment(
  db: Store,
  name: string,
  write: (chunk: string) => void | Promise<void>,
  opts: ExportOptions = {},
): Promise<ExportSummary> {
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  await recordSegmentUse(db, rec.segment_id, opts.audience ? 'audience' : 'export', null, new Date());
  const fields = opts.audience ? ['email'] : checkFields(opts.fields ?? DEFAULT_EXPORT_FIELDS);
  const pageSize = opts.pageSize ?? 5000;
  const summary: ExportSummary = { rows: 0, members: 0, withoutEmail: 0, deniedAds: 0 };
  await write(csvLine(fields));
  let after = '';
  for (;;) {
    const page = await exportPage(db, rec.segment_id, after, pageSize);
    if (page.length === 0) break;
    let chunk = '';
    for (const row of page) {
      summary.members++;
      if (opts.audience) {
        if (row.ads_consent === 'denied') {
          summary.deniedAds++;
          continue;
        }
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

/** The email trait first (what the customer last told us), then emails seen as identities; distinct after normalising. */
function emailsOf(row: ExportRow, traits: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const candidates = [traits.email, ...(row.emails ?? [])];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const norm = c.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(norm) || seen.has(norm)) continue;
    seen.add(norm);
    out.push(c.trim());
  }
  return out;
}
