import type { Queryable } from '../../db.js';

/**
 * Runs fn with DuckDB's worker threads set to one, then sets back the number there was (also when fn
 * throws). For inserts whose rows stay in the transaction's own storage until it commits: when several
 * threads append to it, each fills row groups of its own, and the same rows held about twice the memory
 * (Online Retail's 25,900 events with their products[]: about 150 MiB over two threads, 66 MiB over
 * one, measured with duckdb_memory() before the commit). `threads` is a setting of the whole database
 * instance; a Store has one connection and runs one statement at a time (Store.session), so nothing
 * else runs meanwhile on the instance fn's statements run on.
 */
export async function withOneThread<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  const before = (await tx.one<{ n: number | bigint }>("SELECT current_setting('threads') AS n"))!.n;
  const threads = Number(before);
  if (!Number.isSafeInteger(threads) || threads <= 1) return fn();
  await tx.run('SET threads = 1');
  try {
    return await fn();
  } finally {
    // A whole number read back from the setting itself: SET takes no placeholder.
    await tx.run(`SET threads = ${threads}`);
  }
}
