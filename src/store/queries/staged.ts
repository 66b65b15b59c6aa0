import { randomUUID } from 'node:crypto';
import type { Params, Queryable } from '../db.js';

/**
 * A query's result kept in a temporary table of the connection, rows in the query's order (a scan returns
 * them in insertion order, and a row's rowid is its position). Bulk work reads the numbers out as columns
 * and leaves the text in: a million customer ids cost more to carry into JavaScript and back than the
 * numbers and the arithmetic together, so results are written back by joining to this table by position
 * (POSITIONAL JOIN), and only the few ids a report shows are fetched. The table name is unique, so
 * concurrent work on one connection cannot mix; drop it with dropStaged when done.
 */
export interface Staged {
  readonly table: string;
  /** Number of rows. */
  readonly size: number;
}

const COLUMN = /^[a-z_][a-z0-9_]*$/;

function checkColumn(column: string): string {
  if (!COLUMN.test(column)) throw new Error(`not a column name: ${column}`);
  return column;
}

/** Runs sql (a SELECT, ordered as the rows should be kept) into a new temporary table. */
export async function stageQuery(db: Queryable, prefix: string, sql: string, params?: Params): Promise<Staged> {
  const table = `${checkColumn(prefix)}_${randomUUID().replaceAll('-', '')}`;
  await db.run(`CREATE TEMP TABLE ${table} AS ${sql}`, params);
  const row = await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return { table, size: row?.n ?? 0 };
}

/** A text column's values at these positions, in the order asked. */
export async function stagedText(db: Queryable, staged: Staged, column: string, positions: readonly number[]): Promise<string[]> {
  if (positions.length === 0) return [];
  const rows = await db.all<{ pos: number; value: string }>(
    `SELECT rowid AS pos, ${checkColumn(column)} AS value FROM ${staged.table} WHERE rowid IN (SELECT unnest($1::BIGINT[]))`,
    [positions],
  );
  const byPos = new Map(rows.map((r) => [Number(r.pos), r.value]));
  return positions.map((p) => byPos.get(p) as string);
}

/** The position of the first row whose column equals value; undefined when none does. */
export async function stagedPosition(db: Queryable, staged: Staged, column: string, value: string): Promise<number | undefined> {
  const row = await db.one<{ pos: number }>(
    `SELECT min(rowid) AS pos FROM ${staged.table} WHERE ${checkColumn(column)} = $1 HAVING count(*) > 0`,
    [value],
  );
  return row ? Number(row.pos) : undefined;
}

export async function dropStaged(db: Queryable, staged: Staged): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${staged.table}`);
}
