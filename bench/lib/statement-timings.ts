/**
 * Where a store's transactions spend their time, statement by statement: for benchmarks that must show
 * which part of a commit costs what (issue 15: the HTTP ingestion's commits).
 *
 * `timeStatements(store)` wraps the store's transaction method (on this instance only, for the bench that
 * owns it): each statement of a transaction is timed from its call to its answer, by its SQL text's start,
 * and so are the transaction's body (BEGIN to the end of the caller's function, statements included) and
 * its COMMIT. The times are wall times on the JavaScript thread: a statement's answer waits for the event
 * loop when other work holds it, which is part of what a commit costs under load. What is left of the
 * body beyond its statements is the JavaScript of the commit plus those waits.
 */
import type { Store, Transaction } from '../../src/store/db.js';

/** Total wall milliseconds and count of one kind of work (a statement by its SQL text, the body, COMMIT). */
export interface Timing {
  readonly what: string;
  readonly calls: number;
  readonly ms: number;
}

export interface TimingOptions {
  /**
   * The part of the work under way, read when each statement starts and when each transaction's body
   * ends: keys are prefixed with it (`engine: run DELETE …`, `live commit: (COMMIT)`), so a caller that
   * knows its phases (bench/realtime.ts: the engine's hook inside a commit) splits the times by them.
   */
  readonly label?: () => string;
}

/** Starts timing store's transactions; returns a function that stops and gives the timings, largest first. */
export function timeStatements(store: Store, options: TimingOptions = {}): () => Timing[] {
  const labelled = (what: string): string => (options.label ? `${options.label()}: ${what}` : what);
  const totals = new Map<string, { calls: number; ms: number }>();
  const add = (what: string, ms: number): void => {
    const t = totals.get(what) ?? { calls: 0, ms: 0 };
    t.calls++;
    t.ms += ms;
    totals.set(what, t);
  };
  const original = store.transaction.bind(store);
  const timed = <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> => {
    let bodyEnd = 0;
    let commit = '(COMMIT)';
    return original(async (tx) => {
      const start = performance.now();
      const wrap =
        <A extends unknown[], R>(kind: string, f: (...a: A) => Promise<R>) =>
        async (...a: A): Promise<R> => {
          const t = performance.now();
          const what = labelled(`${kind} ${String(a[0]).replace(/\s+/g, ' ').slice(0, 80)}`);
          try {
            return await f(...a);
          } finally {
            add(what, performance.now() - t);
          }
        };
      const result = await fn({
        ...tx,
        all: wrap('all', tx.all),
        one: wrap('one', tx.one),
        run: wrap('run', tx.run),
        columns: wrap('columns', tx.columns),
        append: wrap('append', tx.append),
      } as Transaction);
      bodyEnd = performance.now();
      add(labelled('(transaction body: statements, JavaScript and event-loop waits)'), bodyEnd - start);
      commit = labelled('(COMMIT)');
      return result;
    }).then((result) => {
      add(commit, performance.now() - bodyEnd);
      return result;
    });
  };
  store.transaction = timed;
  return () => {
    store.transaction = original;
    return [...totals].map(([what, t]) => ({ what, ...t })).sort((a, b) => b.ms - a.ms);
  };
}
