import type { Store } from '../store/db.js';
import { checkSegmentHealth, type HealthReport } from './health/check.js';
import { DAY_MS } from './kpis/days.js';

export interface DailyChecksOptions {
  /** The time now; tests pass a simulated clock. */
  readonly clock?: () => Date;
  /** How a wait is scheduled; tests capture it instead of sleeping. */
  readonly setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
  readonly clearTimer?: (handle: unknown) => void;
  readonly onReport?: (report: HealthReport) => void;
  readonly onError?: (error: unknown) => void;
}

/** Minutes after midnight UTC when the day's check runs, so late events of the day have landed. */
const DELAY_MS = 5 * 60_000;

/**
 * The daily measurement job a running server keeps: shortly after each UTC midnight it stores the
 * previous day's KPI snapshot of every saved segment and runs the health check (health/check.ts), which
 * keeps its report. A plain object with start/stop and an injected clock and timer, so tests drive the
 * days without waiting; one timer at a time, never overlapping runs.
 */
export class DailyMeasureChecks {
  private handle: unknown;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly clock: () => Date;
  private readonly setTimer: NonNullable<DailyChecksOptions['setTimer']>;
  private readonly clearTimer: NonNullable<DailyChecksOptions['clearTimer']>;

  constructor(
    private readonly store: Store,
    private readonly opts: DailyChecksOptions = {},
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

  /** One run now: snapshots up to yesterday and the health check. */
  async runOnce(): Promise<HealthReport> {
    return checkSegmentHealth(this.store, {}, this.clock());
  }

  private schedule(): void {
    if (this.stopped) return;
    const h = this.setTimer(() => {
      this.handle = undefined;
      this.running = this.runOnce()
        .then((r) => this.opts.onReport?.(r))
        .catch((e: unknown) => this.opts.onError?.(e))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, DailyMeasureChecks.untilNextRun(this.clock()));
    h.unref?.();
    this.handle = h;
  }
}
