import { midnightAfter } from '../domain/days.js';
/** Minutes after midnight (UTC, or the job's time zone) when a daily job runs, so late events of the day have landed. */
const DELAY_MS = 5 * 60_000;

export interface DailyJobOptions<T> {
  /** The time now; tests pass a simulated clock. */
  readonly clock?: () => Date;
  /** How a wait is scheduled; tests capture it instead of sleeping. */
  readonly setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
  readonly clearTimer?: (handle: unknown) => void;
  readonly onResult?: (result: T) => void;
  readonly onError?: (error: unknown) => void;
  /**
   * The IANA zone whose midnights the job follows, read before each wait (so a changed setting applies
   * from the next run); UTC when absent or when reading it fails.
   */
  readonly timeZone?: () => Promise<string>;
}

/**
 * A job a running server does once a day, shortly after each midnight of its time zone (UTC unless the
 * job is given one: segment KPI snapshots and health checks follow the workspace zone, event retention UTC). A plain object with start/stop and an injected clock and timer, so
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

  /**
   * Milliseconds from `now` to the next run: a few minutes after the next midnight in `tz` (default
   * UTC; a local day may be 23 or 25 hours long, domain/days.ts).
   */
  static untilNextRun(now: Date, tz = 'UTC'): number {
    const next = midnightAfter(new Date(now.getTime() - DELAY_MS), tz).getTime() + DELAY_MS;
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
    if (!this.opts.timeZone) return this.arm('UTC');
    this.opts
      .timeZone()
      .catch(() => 'UTC')
      .then((tz) => this.arm(tz), (e: unknown) => this.opts.onError?.(e));
  }

  private arm(tz: string): void {
    if (this.stopped || this.handle !== undefined) return;
    const h = this.setTimer(() => {
      this.handle = undefined;
      this.running = this.runOnce()
        .then((r) => this.opts.onResult?.(r))
        .catch((e: unknown) => this.opts.onError?.(e))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, DailyJob.untilNextRun(this.clock(), tz));
    h.unref?.();
    this.handle = h;
  }
}
