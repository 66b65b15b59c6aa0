import type { DuckDBConnection } from '@duckdb/node-api';
import { SegmintError } from '../domain/errors.js';

/**
 * Interrupts the connection's statement now and every 20 ms until the returned function is called: an
 * interrupt that lands while the statement is still being prepared is forgotten when it starts to run,
 * so it is repeated until the statement ends.
 */
function interruptUntilStopped(conn: DuckDBConnection): () => void {
  conn.interrupt();
  const repeat = setInterval(() => conn.interrupt(), 20);
  return () => clearInterval(repeat);
}

/** Runs one statement, interrupting it past timeoutMs (0: no limit); budget failures become a SegmintError (422). */
export async function withinBudget<T>(conn: DuckDBConnection, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  let timedOut = false;
  let stop: (() => void) | undefined;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          stop = interruptUntilStopped(conn);
        }, timeoutMs)
      : undefined;
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (timedOut) {
      throw new SegmintError(
        'query_budget_exceeded',
        `A database query ran past its time budget (${timeoutMs / 1000} s) and was stopped; nothing it would have written was kept. Narrow the request (a simpler segment, a shorter window).`,
        { limit: 'time', seconds: timeoutMs / 1000 },
        422,
      );
    }
    if (/^Out of Memory Error/i.test(message)) {
      throw new SegmintError(
        'query_budget_exceeded',
        `A database query needed more memory than its budget and was stopped; nothing it would have written was kept. Narrow the request. (${message.split('\n')[0]})`,
        { limit: 'memory' },
        422,
      );
    }
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    stop?.();
  }
}

/**
 * Runs one statement unless `signal` has fired, and interrupts it if the signal fires while it runs; in
 * both cases it fails with the signal's reason.
 */
export async function untilAborted<T>(conn: DuckDBConnection, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw signal.reason;
  let stop: (() => void) | undefined;
  const interrupt = (): void => {
    stop = interruptUntilStopped(conn);
  };
  signal.addEventListener('abort', interrupt, { once: true });
  try {
    return await fn();
  } catch (e) {
    throw signal.aborted ? signal.reason : e;
  } finally {
    signal.removeEventListener('abort', interrupt);
    stop?.();
  }
}
