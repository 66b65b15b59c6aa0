import type { DateEvidence, NumberEvidence, TypedField } from '../../../ingest/import/layouts/types.js';
import type { Queryable } from '../../db.js';
import { evidenceSelect, readEvidence } from './rows/values.js';
import { isView } from './rows/staged.js';

/** A row DuckDB's reader refused (wrong number of fields, broken quoting, bad encoding). */
export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
  /** the line as the file has it (to find the order it belongs to) */
  readonly text?: string | null;
}

export function rawColumn(i: number): string {
  return `c${i}`;
}

/** What stageDelimited found besides the rows. */
export interface StagedFile {
  /** the records DuckDB's reader refused, with their physical lines */
  readonly rejects: RejectedLine[];
  /** per typed field, the values that tell its layout (values.ts, evidenceSelect), counted on the way */
  readonly evidence: Map<string, NumberEvidence | DateEvidence>;
}

/**
 * Reads a delimited file (plain or gzip) into the temp table imp_raw with every value as text, so that
 * types are checked per row by the format (a bad price is a skipped row, not a failed import).
 * Columns get positional names chosen here (c0, c1, ...); the header's own names never reach SQL text.
 *
 * `line` is the physical line of the row in the file. DuckDB counts records, so the rows it rejected
 * and the line breaks inside quoted values of earlier rows are added back. The layout evidence of the
 * typed `fields` is counted in the statement that looks for values spanning lines.
 */
export async function stageDelimited(
  tx: Queryable,
  file: string,
  delimiter: string,
  columnCount: number,
  gzip: boolean,
  fields: readonly TypedField[],
): Promise<StagedFile> {
  const names = Array.from({ length: columnCount }, (_, i) => rawColumn(i));
  await dropStaging(tx);
  await tx.run(`CREATE TEMP TABLE imp_read AS SELECT * FROM ${readDelimited(columnCount)}`, [file, delimiter, compressionOf(gzip)]);
  // Record line of kept row r (0-based) = r + 2 + the rejected records before it. Reject j (0-based, in
  // line order) at record line L sits where kept row L - 2 - j would, and shifts every row from there.
  const rejectedAt = (await tx.all<{ line: number }>('SELECT DISTINCT line FROM imp_rejects ORDER BY line')).map((r, j) => r.line - 2 - j);
  const shift = rejectedAt.length === 0 ? '0' : 'len(list_filter($1::BIGINT[], x -> x <= rid))';
  const params = rejectedAt.length === 0 ? [] : [rejectedAt];
  // Rows written inside a transaction get rowids from a high offset, in insertion (= file) order.
  const rid = 'rowid - (SELECT min(rowid) FROM imp_read)';
  const newlines = names.map((n) => `coalesce(length(${n}) - length(replace(${n}, chr(10), '')), 0)`).join(' + ');
  // One statement counts the values that span lines and each typed field's evidence (over its distinct
  // texts: values.ts). imp_read holds the rows imp_raw will, with the same cells (only their lines
  // differ), so the evidence is imp_raw's.
  const multiline = `count(*) FILTER (WHERE ${names.map((n) => `contains(${n}, chr(10))`).join(' OR ')}) AS imp_multiline`;
  const row = (await tx.one<Record<string, unknown>>(evidenceSelect(fields, 'imp_read', [multiline])))!;
  const evidence = readEvidence(row, fields);
  if (Number(row.imp_multiline) === 0 && rejectedAt.length === 0) {
    // The common case: one line per row, nothing rejected; a view saves copying the file.
    await tx.run(`CREATE TEMP VIEW imp_raw AS SELECT (${rid} + 2)::BIGINT AS line, (${rid} + 2)::BIGINT AS record_line, 0::BIGINT AS nl_through, * FROM imp_read`);
    return { rejects: [], evidence };
  }
  await tx.run(
    `CREATE TEMP TABLE imp_raw AS
     WITH r AS (SELECT ${rid} AS rid, ${names.join(', ')}, ${newlines} AS nl FROM imp_read),
     rec AS (
       SELECT r.*, rid + 2 + ${shift} AS record_line,
         coalesce(sum(nl) OVER (ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS nl_before
       FROM r
     )
     SELECT (record_line + nl_before)::BIGINT AS line, record_line, (nl_before + nl)::BIGINT AS nl_through,
       ${names.join(', ')}
     FROM rec ORDER BY rid`,
    params,
  );
  await tx.run('DROP TABLE imp_read');
  const rejects = await tx.all<RejectedLine>(
    `WITH e AS (SELECT line, string_agg(DISTINCT ${REJECT_REASON}, '; ') AS reason, any_value(csv_line) AS text FROM imp_rejects GROUP BY line)
     SELECT (e.line + coalesce((SELECT max(nl_through) FROM imp_raw WHERE record_line < e.line), 0))::BIGINT AS line,
       e.reason, e.text
     FROM e ORDER BY e.line`,
  );
  return { rejects, evidence };
}

/**
 * The importer's reader of a delimited file, as a table expression with parameters $1 (the file), $2
 * (the delimiter) and $3 (compressionOf): DuckDB's CSV reader with RFC 4180 quoting, every one of
 * `columnCount` cells as text (c0, c1, …: rawColumn), the header's record skipped, a record it cannot read
 * kept aside in imp_rejects. The one definition of how a file is split into rows and cells: the import
 * stages with it, and the upload preview shows its first rows (previewImport), so both split alike.
 */
export function readDelimited(columnCount: number): string {
  const names = Array.from({ length: columnCount }, (_, i) => rawColumn(i));
  const struct = `{${names.map((n) => `'${n}': 'VARCHAR'`).join(', ')}}`;
  return `read_csv($1, header = true, auto_detect = false, delim = $2,
       quote = '"', escape = '"', columns = ${struct}, compression = $3, store_rejects = true,
       rejects_table = 'imp_rejects', rejects_scan = 'imp_reject_scans')`;
}

/**
 * A rejected record's reason in the import's own words where DuckDB's reader gives one we know (a row
 * of the wrong width: "Expected Number of Columns: 8 Found: 7"), else the reader's message. The count found
 * is left out: the reader can report several for one line (one per attempt), not all of them true.
 */
const REJECT_REASON = `CASE WHEN regexp_matches(error_message, 'Expected Number of Columns: \\d+ Found: \\d+')
  THEN 'does not have the ' || regexp_extract(error_message, 'Expected Number of Columns: (\\d+)', 1) || ' cells of the header'
  ELSE error_message END`;

/**
 * Reads a file line by line into imp_raw(line, c0) for formats that are not CSV (CDNOW's
 * whitespace-separated columns). Blank lines come through as NULL and keep the numbering right.
 */
export async function stageLines(tx: Queryable, file: string, skipLines: number, gzip: boolean): Promise<RejectedLine[]> {
  await dropStaging(tx);
  await tx.run(
    `CREATE TEMP TABLE imp_read AS SELECT * FROM read_csv($1, header = false, auto_detect = false, skip = $2,
       delim = chr(31), quote = '', escape = '', columns = {'c0': 'VARCHAR'}, compression = $3, store_rejects = true,
       rejects_table = 'imp_rejects', rejects_scan = 'imp_reject_scans')`,
    [file, skipLines, compressionOf(gzip)],
  );
  // Rows written inside a transaction get rowids from a high offset, in insertion (= file) order.
  await tx.run(
    'CREATE TEMP TABLE imp_raw AS SELECT (rowid - (SELECT min(rowid) FROM imp_read) + 1 + $1)::BIGINT AS line, c0 FROM imp_read ORDER BY rowid',
    [skipLines],
  );
  await tx.run('DROP TABLE imp_read');
  await tx.run('DELETE FROM imp_raw WHERE c0 IS NULL OR trim(c0) = \'\'');
  return tx.all<RejectedLine>(
    `SELECT line::BIGINT AS line, string_agg(DISTINCT error_message, '; ') AS reason FROM imp_rejects GROUP BY line ORDER BY line`,
  );
}

/** The file's bytes decide, not its name: a gzip named .csv is read as gzip, a plain file named .gz as text. */
export function compressionOf(gzip: boolean): string {
  return gzip ? 'gzip' : 'none';
}

export async function stagedRowCount(tx: Queryable): Promise<number> {
  return (await tx.one<{ n: number }>('SELECT count(*) AS n FROM imp_raw'))!.n;
}

/** Drops the staging objects (imp_raw is a view or a table; a failed DROP would abort the transaction). */
export async function dropStaging(tx: Queryable): Promise<void> {
  if (await isView(tx, 'imp_raw')) await tx.run('DROP VIEW imp_raw');
  for (const t of ['imp_raw', 'imp_read', 'imp_rejects', 'imp_reject_scans']) await tx.run(`DROP TABLE IF EXISTS ${t}`);
}
