import type { Transaction } from '../../store/db.js';

/**
 * A transaction in which one statement can run in the background while the step's JavaScript goes on:
 * DuckDB runs a statement on its own threads, so a statement whose text and values do not depend on the
 * step's evaluation (the watermark's UPDATE) costs the commit nothing when it runs during that evaluation
 * instead of after it. The connection still runs one statement at a time: every statement made through
 * `tx` first waits for the background one (and fails if it failed), so the order on the connection is
 * the order of the calls. `settle()` waits for it and reports its failure; the step calls it before
 * leaving the transaction, so nothing of the step runs on the connection after the step returns.
 */
export class Background {
  private pending: Promise<void> | undefined;
  /** `base`'s statements, each after the background one. */
  readonly tx: Transaction;

  constructor(private readonly base: Transaction) {
    const after =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        await this.settle();
        return f(...a);
      };
    this.tx = {
      all: after((sql, params) => base.all(sql, params)),
      one: after((sql, params) => base.one(sql, params)),
      run: after((sql, params) => base.run(sql, params)),
      columns: after((sql, params) => base.columns(sql, params)),
      append: after((table, columns) => base.append(table, columns)),
      afterCommit: (fn) => base.afterCommit(fn),
    } as Transaction;
  }

  /** Whether a statement was started in the background (settled or not). */
  get started(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Starts `work` on the base transaction now, without waiting for it. Call it only when no statement of
   * the step is in flight (between awaited statements): at most one background statement per step.
   */
  start(work: (tx: Transaction) => Promise<void>): void {
    if (this.pending) throw new Error('Background.start: a statement was already started in the background');
    const p = work(this.base);
    // A failure is reported by settle() or by the next statement; until then it is not an unhandled rejection.
    p.catch(() => undefined);
    this.pending = p;
  }

  /** Waits for the background statement, if any; throws its error. */
  async settle(): Promise<void> {
    if (this.pending) await this.pending;
  }
}
