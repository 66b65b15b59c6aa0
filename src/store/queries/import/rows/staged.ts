import type { Queryable } from '../../../db.js';

/**
 * Where an import keeps its rows (imp_rows) while it writes: a compressed in-memory database of its
 * own, attached for the import only. A temporary table is never compressed, so imp_rows held about 150
 * MiB for Online Retail's 541,909 rows until the import committed, at the same time as the transaction's
 * events; compressed (DuckDB's in-memory COMPRESS option, applied at a checkpoint) the same rows take
 * about 40 MiB. The rows are only read once the transaction begins: a DuckDB transaction writes to one
 * database, the store, so every write to the rows happens before it (the fill, whole orders, dates), or
 * on a temporary copy (keepRowsForWriting).
 *
 * The database is a name of ours, never text from a file: only the import's session, which holds the
 * store's connection, attaches it, and it is detached when the import ends, whether it succeeded or not.
 */
const ROWS_DATABASE = 'imp_staged';

/** The table the rows are written to until compressRows (the database's own imp_rows). */
export const STAGED_ROWS = `${ROWS_DATABASE}.main.imp_rows`;

/** Attaches the empty database the rows are filled into (a leftover of a crashed import is dropped first). */
export async function attachRowsDatabase(tx: Queryable): Promise<void> {
  await detachRowsDatabase(tx);
  await tx.run(`ATTACH ':memory:' AS ${ROWS_DATABASE} (COMPRESS)`);
}

/**
 * Compresses the filled rows (a checkpoint of their database) and makes them readable as imp_rows, a
 * temporary view, for the statements that follow. Call it once every write to STAGED_ROWS is done,
 * outside a transaction.
 */
export async function compressRows(tx: Queryable): Promise<void> {
  await tx.run(`CHECKPOINT ${ROWS_DATABASE}`);
  await tx.run(`CREATE TEMP VIEW imp_rows AS SELECT * FROM ${STAGED_ROWS}`);
}

/**
 * Inside the transaction, replaces the imp_rows view by a temporary table holding the same rows, so
 * that they can be changed there (the transaction writes the store; temporary tables are the
 * connection's own and may be written too). Only for the rare import that must change its rows after
 * identities are resolved (rows of erased people), as it costs a copy.
 */
export async function keepRowsForWriting(tx: Queryable): Promise<void> {
  if (!(await isView(tx, 'imp_rows'))) return;
  await tx.run('DROP VIEW imp_rows');
  await tx.run(`CREATE TEMP TABLE imp_rows AS SELECT * FROM ${STAGED_ROWS}`);
}

/** Drops imp_rows, a view or a table, and detaches the rows' database (a failed DROP would abort a transaction). */
export async function dropRows(tx: Queryable): Promise<void> {
  await tx.run((await isView(tx, 'imp_rows')) ? 'DROP VIEW imp_rows' : 'DROP TABLE IF EXISTS imp_rows');
  await detachRowsDatabase(tx);
}

async function detachRowsDatabase(tx: Queryable): Promise<void> {
  await tx.run(`DETACH DATABASE IF EXISTS ${ROWS_DATABASE}`);
}

/** Whether a temporary view of that name exists. */
export async function isView(tx: Queryable, name: string): Promise<boolean> {
  const view = await tx.one<{ n: number }>('SELECT count(*) AS n FROM duckdb_views() WHERE view_name = $1 AND temporary', [name]);
  return view!.n > 0;
}
