import { csvLine } from '../../csv/write.js';
import type { Queryable } from '../../store/db.js';
import { assignmentPage, type AssignmentExportRow } from '../../store/queries/measure/assign.js';
import { SegmintError } from '../../domain/errors.js';
import { experimentRecord } from './manage.js';

export const ASSIGNMENT_COLUMNS = ['customer_id', 'user_id', 'email', 'group', 'assigned_at'] as const;

/**
 * Streams a campaign experiment's assignments as CSV through `write` — customer_id, user_id, email,
 * group, assigned_at (ISO-8601 UTC) — a page at a time, ordered by customer_id, for sending each group
 * its message elsewhere. Cells a spreadsheet would run as a formula are neutralised (src/csv/write.ts). Returns the
 * number of rows. Experiments of other sources keep their assignments with their source (409).
 */
export async function writeAssignmentsCsv(db: Queryable, name: string, write: (chunk: string) => void | Promise<void>, pageSize = 5000): Promise<number> {
  const record = await experimentRecord(db, name);
  if (record.source !== 'campaign') {
    throw new SegmintError('experiment_assignments_elsewhere', `"${name}" is a ${record.source} experiment: its assignments are kept by the ${record.source}.`, { name }, 409);
  }
  await write(csvLine(ASSIGNMENT_COLUMNS));
  let after = '';
  let rows = 0;
  for (;;) {
    const page: AssignmentExportRow[] = await assignmentPage(db, record.experiment_id, after, pageSize);
    if (page.length === 0) break;
    await write(page.map((r) => csvLine([r.customer_id, r.user_id, r.email, r.group_name, r.assigned_at])).join(''));
    rows += page.length;
    after = page[page.length - 1]!.customer_id;
  }
  return rows;
}
