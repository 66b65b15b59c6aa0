import { csvLine } from '../../csv/write.js';
import type { Queryable } from '../../store/db.js';
import { assignmentPage, type AssignmentExportRow } from '../../store/queries/measure/assign.js';
import { customerEmail } from '../../domain/customer-email.js';
import type { ConsentChannel } from '../../privacy/consent/channels.js';
import { exportChannels, type ConsentRule, type UnknownConsent } from '../../privacy/consent/policy.js';
import { admitContacts, consentLine, startTally, type ConsentTally } from '../../privacy/consent/tally.js';
import { experimentRecord } from './manage.js';
import { assignmentSource } from './sources.js';

export const ASSIGNMENT_COLUMNS = ['customer_id', 'user_id', 'email', 'group', 'assigned_at'] as const;

export interface AssignmentsOptions {
  /** Members with no email consent decision: their email left out (default) or written. */
  unknownConsent?: UnknownConsent;
  pageSize?: number;
}

/** What an assignments export wrote, and whose email consent kept out (every row is still written). */
export interface AssignmentsSummary extends ConsentTally {
  rows: number;
  /** the channels whose consent decided whose email is written (`email`) */
  channel: string;
  channels: ConsentChannel[];
}

/**
 * Streams an experiment's assignments as CSV through `write` — customer_id, user_id, email, group,
 * assigned_at (ISO-8601 UTC) — a page at a time, the email being the one every export gives (customerEmail), ordered by customer_id, for sending each group its
 * message elsewhere or checking a workflow's holdout. The rows are the ones analysis reads: the
 * experiment's assignment source (sources.ts), one row per person with merges followed, so a workflow
 * experiment exports its customers' first variants. The email follows the consent rule of every export
 * (privacy/consent/policy.ts, trial 13 M3): it is written only for members whose email consent in force
 * is granted (or undecided with `unknownConsent: 'include'`); for the others the cell is empty and they
 * are counted, while their row (customer, group) stays, as analysis needs it. Cells a spreadsheet would
 * run as a formula are neutralised (src/csv/write.ts). An unknown experiment is a 404.
 */
export async function writeAssignmentsCsv(
  db: Queryable,
  name: string,
  write: (chunk: string) => void | Promise<void>,
  opts: AssignmentsOptions = {},
): Promise<AssignmentsSummary> {
  const record = await experimentRecord(db, name);
  const relation = assignmentSource(record.source).relation(record);
  const rule: ConsentRule = { channels: exportChannels({ fields: ASSIGNMENT_COLUMNS }), unknown: opts.unknownConsent ?? 'exclude' };
  const summary: AssignmentsSummary = { rows: 0, ...startTally(rule) };
  await write(csvLine(ASSIGNMENT_COLUMNS));
  let after = '';
  for (;;) {
    const page: AssignmentExportRow[] = await assignmentPage(db, relation, after, opts.pageSize ?? 5000, rule.channels);
    if (page.length === 0) break;
    await write(
      page
        .map((r) => {
          const email = customerEmail(r.email_trait, r.emails);
          // Only a member with an email to leave out is counted: the count is of contact details withheld.
          const shown = email === undefined || admitContacts(rule, r.channel_consent, summary) ? email : undefined;
          return csvLine([r.customer_id, r.user_id, shown, r.group_name, r.assigned_at]);
        })
        .join(''),
    );
    summary.rows += page.length;
    after = page[page.length - 1]!.customer_id;
  }
  return summary;
}

/** One line saying what an assignments export wrote and whose email consent left out. */
export function assignmentsSummaryLine(s: AssignmentsSummary, file?: string): string {
  return [`wrote ${s.rows} assignments${file !== undefined ? ` to ${file}` : ''}`, consentLine(s.channels, s, 'the email of')].join('; ');
}
