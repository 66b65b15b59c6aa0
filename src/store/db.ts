import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBInstance as DuckDBInstanceType } from '@duckdb/node-api';
import { SegmintError } from '../domain/errors.js';
import { isMemorySize } from '../domain/memory-size.js';
import { bindable, bindTypes } from './bind.js';
import { appendColumns, readColumns, type AppendColumn, type Columns } from './columns.js';
import { migrate } from './migrate.js';
import { untilAborted, withinBudget } from './interrupt.js';
import { checkDatabasePath, checkSegmintTables } from './open-checks.js';
import { copyToFreshFile, instanceSettings, removeStaleRewrite, restoreSettings, swapInFreshFile } from './rewrite.js';

export { Columns, type AppendColumn } from './columns.js';

// Loaded with require, not import: importing this CommonJS package from an ES module makes Node scan each
// of its files for export names first, which cost every command ~100 ms of start-up (bench/cli.ts).
const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

/** A value a caller may bind to a `$n` / `?` placeholder. Dates bind as UTC timestamps. */
export type Param = string | number | boolean | bigint | null | Date | readonly Param[];
export type Params = readonly Param[] | Readonly<Record<string, Param>>;
export type Row = Record<string, unknown>;

/** What one statement may use: it is interrupted past its time; DuckDB refuses work past its memory. */
export interface StatementBudget {
  /** ms; 0 or absent: no limit */
  readonly statementTimeoutMs?: number;
  /** DuckDB's memory_limit, e.g. '1GB' */
  readonly memoryLimit?: string;
}

/** What a query can run on: the store itself, or the connection of an open transaction. */
export interface Queryable {
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  one<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<void>;
}

/** A Queryable that also reads and writes whole columns (bulk paths: predictions, features, snapshots). */
export interface ColumnQueryable extends Queryable {
  /** The result of sql column by column (numeric columns as Float64Array, NULL as NaN): see Columns. */
  columns(sql: string, params?: Params): Promise<Columns>;
  /** Appends rows given column by column to a table, in its column order, through DuckDB's appender. */
  append(table: string, columns: readonly AppendColumn[]): Promise<void>;
}

/** The connection of an open transaction. */
export interface Transaction extends ColumnQueryable {
  /**
   * Runs fn right after COMMIT succeeds, before the next statement of anyone else starts; never after a
   * rollback. For in-memory state that must change exactly when (and only if) the rows do. fn must not
   * throw: it runs after the data is committed, so a throw is a bug and is re-raised asynchronously.
   */
  afterCommit(fn: () => void): void;
}

/**
 * The connection held for one piece of work (Store.session): statements outside any transaction, and at
 * most one transaction at a time within it.
 */
export interface Session extends ColumnQueryable {
  /** As Store.transaction, on the held connection. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * The held connection's statements, never stopped by the session's signal: for dropping what the work
   * made (its temporary tables) once it was cancelled. The same as the session's own without a signal.
   */
  readonly cleanup: Queryable;
}

/** How a session's work may be stopped part-way (Store.session). */
export interface SessionOptions {
  /**
   * When it fires, the statement of the session (or of its transaction) under way is interrupted and any
   * later one refused: each fails with the signal's reason, and a transaction rolls back. Statements of
   * `session.cleanup` still run.
   */
  readonly signal?: AbortSignal;
}

/**
 * The one door to the database. All SQL with user values goes through placeholders here; nothing
 * outside store/ opens a connection. A single writer connection is shared, so a mutex keeps a
 * transaction's statements together while concurrent requests wait their turn.
 */
export class Store implements ColumnQueryable {
  private queue: Promise<unknown> = Promise.resolve();
  /** statements (or held-connection work) queued or running */
  private pending = 0;
  private closed = false;
  private timeoutMs = 0;

  private constructor(
    readonly path: string,
    // Replaced only by rewriteFile, under the mutex.
    private instance: DuckDBInstanceType,
    private conn: DuckDBConnection,
  ) {}

  /**
   * Opens (and migrates) the segmint database at `path`. With `create: false` a path that does not
   * exist is an error instead of a new database: commands that only read never create files. Anything
   * that is not a segmint database (a CSV, another program's DuckDB file, an empty file) is refused
   * before anything is written (rules: open-checks.ts).
   */
  static async open(path: string, options: { create?: boolean } = {}): Promise<Store> {
    const create = options.create ?? true;
    checkDatabasePath(path, create);
    if (path !== ':memory:') removeStaleRewrite(path);
    // A write-ahead log left behind means the last process was killed (kill -9): DuckDB replays it on open.
    const replays = path !== ':memory:' && existsSync(`${path}.wal`);
    const { instance, conn } = await connect(path);
    const store = new Store(path, instance, conn);
    try {
      const tables = await store.all<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY 1",
      );
      checkSegmintTables(path, tables.map((t) => t.name), create);
      await migrate(store);
      // DuckDB 1.5: a process that replays the log and closes having only read checkpoints the tables'
      // secondary indexes without the replayed rows (look-ups then miss them; deleting one fails its
      // COMMIT fatally). Checkpointing at once keeps them (test/store/wal-replay-index.test.ts).
      if (replays) await store.run('CHECKPOINT');
    } catch (e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * Sets the budget of every statement from now on (the server sets one; the CLI runs without). A
   * statement past its time is interrupted and, like one past the memory limit, fails with a
   * SegmintError 'query_budget_exceeded' (422) instead of running on.
   */
  async setBudget(budget: StatementBudget): Promise<void> {
    if (budget.memoryLimit !== undefined) {
      if (!isMemorySize(budget.memoryLimit)) {
        throw new SegmintError('invalid_memory_limit', `A memory limit is a size such as 512MB or 2GB, not "${budget.memoryLimit}".`);
      }
      // Checked above to be a size: SET takes no placeholder.
      await this.run(`SET memory_limit = '${budget.memoryLimit}'`);
    }
    if (budget.statementTimeoutMs !== undefined) this.timeoutMs = Math.max(0, budget.statementTimeoutMs);
  }

  all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.exclusive(() => withinBudget(this.conn, this.timeoutMs, () => query<T>(this.conn, sql, params)));
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params?: Params): Promise<void> {
    return this.exclusive(() => withinBudget(this.conn, this.timeoutMs, () => exec(this.conn, sql, params)));
  }

  columns(sql: string, params?: Params): Promise<Columns> {
    return this.exclusive(() => withinBudget(this.conn, this.timeoutMs, () => queryColumns(this.conn, sql, params)));
  }

  append(table: string, columns: readonly AppendColumn[]): Promise<void> {
    return this.exclusive(() => appendColumns(this.conn, table, columns));
  }

  /** Runs fn inside BEGIN/COMMIT; a throw rolls back. DuckDB commits durably (WAL) before COMMIT returns. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.inTransaction(fn));
  }

  /**
   * Runs fn holding the connection, so that nothing else runs on it meanwhile: its statements run
   * outside any transaction until it opens one (session.transaction). For work that prepares temporary
   * tables before writing: DuckDB keeps what a transaction dropped until it commits, while a table
   * dropped outside one gives its memory back at once. Temporary tables are the connection's own;
   * fn drops those it created, also when it fails.
   */
  session<T>(fn: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    return this.exclusive(() =>
      fn({
        ...queriesOn(this.conn, this.timeoutMs, options.signal),
        transaction: (f) => this.inTransaction(f, options.signal),
        cleanup: queriesOn(this.conn, this.timeoutMs),
      }),
    );
  }

  /** BEGIN, fn, COMMIT (ROLLBACK on a throw), on the connection the caller holds; `signal` as SessionOptions'. */
  private async inTransaction<T>(fn: (tx: Transaction) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    const committed: (() => void)[] = [];
    const tx: Transaction = { ...queriesOn(this.conn, this.timeoutMs, signal), afterCommit: (f) => void committed.push(f) };
    try {
      const result = await fn(tx);
      await this.conn.run('COMMIT');
      for (const f of committed) {
        try {
          f();
        } catch (e) {
          queueMicrotask(() => {
            throw e;
          });
        }
      }
      return result;
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Direct access for bulk paths (appenders) that must hold the connection; runs under the mutex. */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive(() => fn(this.conn));
  }

  /** Forces the WAL into the main file, e.g. before a benchmark measures file size. */
  checkpoint(): Promise<void> {
    return this.run('CHECKPOINT');
  }

  /**
   * Rewrites the database into a fresh file and puts it in place of this one, holding the store all the
   * while (requests wait): the new file holds only live data, so the bytes of deleted rows, which DuckDB
   * leaves in freed blocks, are gone from disk (src/store/rewrite.ts, docs/privacy.md). Returns false
   * for an in-memory database, which has no file.
   */
  rewriteFile(): Promise<boolean> {
    return this.exclusive(async () => {
      if (this.path === ':memory:') return false;
      const settings = await instanceSettings(this.conn);
      const fresh = await copyToFreshFile(this.conn, this.path);
      this.conn.closeSync();
      this.instance.closeSync();
      swapInFreshFile(fresh, this.path);
      const reopened = await connect(this.path);
      this.instance = reopened.instance;
      this.conn = reopened.conn;
      await restoreSettings(this.conn, settings);
      return true;
    });
  }

  /**
   * Closes the database. Work still queued or running (a statement a request left behind its answer,
   * such as the audit log's row written once the answer is sent) finishes first: closing DuckDB's
   * connection under a running statement crashes the process (SIGSEGV, found by a test that closed the
   * store right after an admin request). So the close happens at once when nothing is pending, else as
   * soon as the queue drains; work submitted after close() is refused.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const shut = () => {
      this.conn.closeSync();
      this.instance.closeSync();
    };
    if (this.pending === 0) shut();
    else void this.queue.then(shut);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`The database ${this.path} is closed: the statement was not run.`));
    this.pending++;
    // fn runs straight off the queue, as it always did; the count drops as soon as its work settles, before
    // the caller resumes (so a close() right after an awaited statement closes at once).
    const run = (): Promise<T> => {
      const work = fn();
      const done = (): void => {
        this.pending--;
      };
      work.then(done, done);
      return work;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }


}

/**
 * The statements of a held connection (a transaction's or a session's), each within the budget and,
 * given a signal, stopped by it (SessionOptions).
 */
function queriesOn(conn: DuckDBConnection, ms: number, signal?: AbortSignal): ColumnQueryable {
  const stoppable = <T>(fn: () => Promise<T>): Promise<T> => (signal ? untilAborted(conn, signal, fn) : fn());
  return {
    all: <R>(sql: string, params?: Params) => stoppable(() => withinBudget(conn, ms, () => query<R>(conn, sql, params))),
    one: async <R>(sql: string, params?: Params) => (await stoppable(() => withinBudget(conn, ms, () => query<R>(conn, sql, params))))[0],
    run: (sql: string, params?: Params) => stoppable(() => withinBudget(conn, ms, () => exec(conn, sql, params))),
    columns: (sql: string, params?: Params) => stoppable(() => withinBudget(conn, ms, () => queryColumns(conn, sql, params))),
    append: (table: string, columns: readonly AppendColumn[]) => stoppable(() => appendColumns(conn, table, columns)),
  };
}

/**
 * Runs `fn` on a DuckDB of its own in memory, without segmint's tables, closed afterwards: for reading a
 * file with DuckDB's readers (the upload preview splits a file with the importer's CSV reader) where no
 * database is open. Statements run without a budget, as the CLI's do.
 */
export async function withScratchDatabase<T>(fn: (db: Queryable) => Promise<T>): Promise<T> {
  const { instance, conn } = await connect(':memory:');
  try {
    return await fn(queriesOn(conn, 0));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function connect(path: string): Promise<{ instance: DuckDBInstanceType; conn: DuckDBConnection }> {
  let instance: DuckDBInstanceType;
  try {
    instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: 'false' });
  } catch (e) {
    throw translateOpenError(path, e);
  }
  const conn = await instance.connect();
  // Times are stored as UTC; without this, now() would follow the machine's zone.
  await conn.run("SET TimeZone = 'UTC'");
  return { instance, conn };
}

async function query<T>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, bindable(params), bindTypes(params));
  return reader.getRowObjectsJS().map((r) => normaliseRow(r) as T);
}

async function queryColumns(conn: DuckDBConnection, sql: string, params?: Params): Promise<Columns> {
  return readColumns(await conn.run(sql, bindable(params), bindTypes(params)));
}

async function exec(conn: DuckDBConnection, sql: string, params?: Params): Promise<void> {
  await conn.run(sql, bindable(params), bindTypes(params));
}

/** BIGINT counts come back as bigint; every count here fits a double, so callers get plain numbers. */
function normaliseRow(row: Record<string, unknown>): Row {
  for (const k of Object.keys(row)) {
    const v = row[k];
    if (typeof v === 'bigint') row[k] = Number(v);
  }
  return row;
}

function translateOpenError(path: string, e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const lock = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?/.exec(msg);
  if (/Could not set lock/i.test(msg)) {
    const pid = /PID (\d+)/.exec(msg)?.[1];
    return new SegmintError(
      'store_locked',
      `The database ${path} is in use by another segmint process${pid ? ` (PID ${pid})` : ''}, ` +
        'for example a running `segmint serve`. Stop that process, or use another file with --db.',
      { path, pid: pid ? Number(pid) : undefined, holder: lock?.[1] },
      409,
    );
  }
  return new SegmintError('store_open_failed', `Cannot open the database ${path}: ${msg}`, { path }, 500);
}
