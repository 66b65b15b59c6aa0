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
 *
 * (Changing the thread count between statements also returns what the allocator kept from finished
 * work, about 15 MiB more off Online Retail's peak, but cost 0.6 s of a 2.7 s import and 0.9 s of a
 * repeated one: measured and left out.)
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
