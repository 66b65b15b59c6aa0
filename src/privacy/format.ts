import { deletedAnything, type Regulation } from './regulations.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** An erasure request in plain words: what it removed, what it kept and what happens to later data. */
export function formatRegulation(r: Regulation): string {
  if (r.status === 'failed') return `Erasure ${r.regulationId} failed: ${r.error ?? 'unknown error'}. Nothing was erased.`;
  if (r.status !== 'finished') return `Erasure ${r.regulationId} is ${r.status} (${plural(r.identifiers, 'identifier')} named).`;
  const rows = Object.values(r.rowsDeleted ?? {}).reduce((a, b) => a + b, 0);
  const tables = Object.keys(r.rowsDeleted ?? {}).length;
  const lines = [
    `Erased ${plural(r.customersErased ?? 0, 'customer')} (${r.regulationId}): ${plural(rows, 'row')} deleted in ${plural(tables, 'table')}, ` +
      `${plural(r.ordersAnonymised ?? 0, 'order')} kept anonymised for revenue totals, ${plural(r.identifiersSuppressed ?? 0, 'identifier')} suppressed.`,
  ];
  const earlier = r.identifiersAlreadyErased ?? 0;
  const fresh = r.identifiersNotFound ?? 0;
  if (earlier > 0) lines.push(`${plural(earlier, 'identifier')} had been erased before.`);
  if (fresh > 0) lines.push(`${plural(fresh, 'identifier')} matched no customer; suppressed all the same, so data carrying them is never taken in.`);
  lines.push(
    r.fileRewritten
      ? 'The database file was rewritten: the deleted data is gone from disk (backups and copies you made are not touched).'
      : deletedAnything(r)
        ? 'The database has no file (in memory): nothing to rewrite.'
        : 'Nothing was deleted, so the database file was not rewritten.',
  );
  lines.push('Later imports and live events carrying these identifiers are skipped and counted, never re-creating the person.');
  if ((r.segmentsMentioning ?? []).length > 0) {
    lines.push(`Your own definitions of these segments contain one of the identifiers; edit them: ${r.segmentsMentioning!.join(', ')}.`);
  }
  return lines.join('\n');
}
