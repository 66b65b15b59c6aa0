import { DAY_MS } from '../domain/days.js';
/** Minutes after midnight UTC when a daily job runs, so late events of the day have landed. */
const DELAY_MS = 5 * 60_000;

export interface DailyJobOptions<T> {
  /** The time now; tests pass a simulated clock. */
  readonly clock?: () => Date;
  /** How a wait is scheduled; tests capture it instead of sleeping. */
  readonly setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
  readonly clearTimer?: (handle: unknown) => void;
  readonly onResult?: (result: T) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * A job a running server does once a day, shortly after each UTC midnight (segment KPI snapshots and
 * health checks, event retention). A plain object with start/stop and an injected clock and timer, so
 * tests drive the days without waiting; one timer at a time, never overlapping runs.
 */
export class DailyJob<T> {
  private handle: unknown;
  private running: Promise<void> | undefined;
  private stopped = true;
  protected readonly clock: () => Date;
  private readonly setTimer: NonNullable<DailyJobOptions<T>['setTimer']>;
  private readonly clearTimer: NonNullable<DailyJobOptions<T>['clearTimer']>;

  constructor(
    private readonly work: (now: Date) => Promise<T>,
    private readonly opts: DailyJobOptions<T> = {},
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  /** Milliseconds from `now` to the next run (midnight UTC plus a few minutes). */
  static untilNextRun(now: Date): number {
    const next = Math.floor((now.getTime() - DELAY_MS) / DAY_MS + 1) * DAY_MS + DELAY_MS;
    return next - now.getTime();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops the timer and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== undefined) this.clearTimer(this.handle);
    this.handle = undefined;
    await this.running;
  }

  /** One run now. */
  runOnce(): Promise<T> {
    return this.work(this.clock());
  }

  private schedule(): void {
    if (this.stopped) return;
    const h = this.setTimer(() => {
      this.handle = undefined;
      this.running = this.runOnce()
        .then((r) => this.opts.onResult?.(r))
        .catch((e: unknown) => this.opts.onError?.(e))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, DailyJob.untilNextRun(this.clock()));
    h.unref?.();
    this.handle = h;
  }
}
