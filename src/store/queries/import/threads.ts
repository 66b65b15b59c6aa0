import type { Queryable } from '../../db.js';

/*
 * DuckDB's worker threads, for an import's memory. `threads` is a setting of the whole database
 * instance; a Store has one connection and runs one statement at a time (Store.session), so nothing else
 * runs on the instance meanwhile. The number is read back from the setting and set again as it was,
 * also when the work throws.
 */

async function threadCount(tx: Queryable): Promise<number> {
  const n = Number((await tx.one<{ n: number | bigint }>("SELECT current_setting('threads') AS n"))!.n);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}

// A whole number read from the setting itself (or 1): SET takes no placeholder.
const setThreads = (tx: Queryable, n: number): Promise<void> => tx.run(`SET threads = ${n}`);

/**
 * Runs fn with one worker thread, then sets back the number there was. For inserts whose rows stay in
 * the transaction's own storage until it commits: when several threads append to it, each fills row
 * groups of its own, and the same rows held about twice the memory (Online Retail's 25,900 events with
 * their products[]: about 150 MiB over two threads, 66 MiB over one, duckdb_memory() before the
 * commit).
 */
export async function withOneThread<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  const n = await threadCount(tx);
  if (n <= 1) return fn();
  await setThreads(tx, 1);
  try {
    return await fn();
  } finally {
    await setThreads(tx, n);
  }
}

/**
 * Hands back to the system the memory the allocator kept from finished statements. DuckDB is built here
 * on glibc's malloc, which keeps freed memory in each thread's arena; DuckDB asks it to give that back
 * (malloc_trim) when its worker threads are started again, which setting `threads` does (and otherwise
 * only after its workers were idle for half a second, which never happens while an import runs). So
 * the number is changed and set back; the rows and tables are untouched.
 *
 * Measured on Online Retail (bench/import.ts, resident memory against duckdb_memory()): after the file
 * is read, 50–120 MiB are such leftovers (DuckDB counts 76 MiB in use), and after its rows are
 * compressed about 200 MiB (DuckDB counts 13); given back at both points, the import's peak fell from
 * about 480 to about 370 MiB. Each call is two short statements (10–40 ms); the pages given back are
 * faulted in again when used, which counted no more page faults over the whole import (190,000 on
 * Online Retail, as before).
 */
export async function giveBackMemory(tx: Queryable): Promise<void> {
  const n = await threadCount(tx);
  try {
    await setThreads(tx, n === 1 ? 2 : 1);
  } finally {
    await setThreads(tx, n);
  }
}
