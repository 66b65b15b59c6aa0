import { csvLine } from '../../csv/write.js';
import type { Queryable } from '../../store/db.js';
import { assignmentPage, type AssignmentExportRow } from '../../store/queries/measure/assign.js';
import { customerEmail } from '../../domain/customer-email.js';
import { experimentRecord } from './manage.js';
import { assignmentSource } from './sources.js';

export const ASSIGNMENT_COLUMNS = ['customer_id', 'user_id', 'email', 'group', 'assigned_at'] as const;

/**
 * Streams an experiment's assignments as CSV through `write` — customer_id, user_id, email, group,
 * assigned_at (ISO-8601 UTC) — a page at a time, the email being the one every export gives (customerEmail), ordered by customer_id, for sending each group its
 * message elsewhere or checking a workflow's holdout. The rows are the ones analysis reads: the
 * experiment's assignment source (sources.ts), one row per person with merges followed, so a workflow
 * experiment exports its customers' first variants. Cells a spreadsheet would run as a formula are
 * neutralised (src/csv/write.ts). Returns the number of rows; an unknown experiment is a 404.
 */
export async function writeAssignmentsCsv(db: Queryable, name: string, write: (chunk: string) => void | Promise<void>, pageSize = 5000): Promise<number> {
  const record = await experimentRecord(db, name);
  const relation = assignmentSource(record.source).relation(record);
  await write(csvLine(ASSIGNMENT_COLUMNS));
  let after = '';
  let rows = 0;
  for (;;) {
    const page: AssignmentExportRow[] = await assignmentPage(db, relation, after, pageSize);
    if (page.length === 0) break;
    await write(page.map((r) => csvLine([r.customer_id, r.user_id, customerEmail(r.email_trait, r.emails), r.group_name, r.assigned_at])).join(''));
    rows += page.length;
    after = page[page.length - 1]!.customer_id;
  }
  return rows;
}
