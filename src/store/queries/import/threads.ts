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
 * Gives back to the system the memory the allocator kept from finished statements: changing the
 * number of threads makes DuckDB start its workers again, and what their work left allocated for reuse
 * is returned (observed on Online Retail: the resident memory after staging the rows fell from about
 * 380 to 230 MiB, while DuckDB's own count, duckdb_memory(), stayed at 13 MiB). Nothing else changes.
 */
export async function giveBackMemory(tx: Queryable): Promise<void> {
  const n = await threadCount(tx);
  if (n <= 1) return;
  await setThreads(tx, 1);
  await setThreads(tx, n);
}

/**
 * Runs fn with one worker thread, then sets back the number there was. For inserts whose rows stay in
 * the transaction's own storage until it commits: when several threads append to it, each fills row
 * groups of its own, and the same rows held about twice the memory (Online Retail's 25,900 events with
 * their products[]: about 150 MiB over two threads, 66 MiB over one, duckdb_memory() before the
 * commit). fn may call `release` between statements to give back what the allocator kept from the
 * previous ones (giveBackMemory) and go on with one thread.
 */
export async function withOneThread<T>(tx: Queryable, fn: (release: () => Promise<void>) => Promise<T>): Promise<T> {
  const n = await threadCount(tx);
  if (n <= 1) return fn(async () => undefined);
  await setThreads(tx, 1);
  try {
    return await fn(async () => {
      await setThreads(tx, n);
      await setThreads(tx, 1);
    });
  } finally {
    await setThreads(tx, n);
  }
}
