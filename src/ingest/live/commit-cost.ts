/**
 * How long a group commit is expected to take, for the committer's limit by time (committer.ts
 * limitCommits): the wall time of recent commits divided by their events, each older commit counting
 * `decay` times less than the next. A sum of times over a sum of events (rather than an average of
 * per-commit rates) lets a commit of 2,000 events weigh more than a commit of 1; the fixed part of a
 * commit (BEGIN, COMMIT, the engine's step: tens of milliseconds) is spread over its events, so after
 * small commits the estimate runs high, which only makes the next group smaller than it could be.
 *
 * Wall time rather than CPU time on purpose: what the limit bounds is how long a commit holds the
 * store's one connection, and on a loaded machine that grows with the wait for a core.
 */
export interface CommitCostEstimate {
  /** Milliseconds a commit of `events` events is expected to take; undefined before any commit was timed. */
  expectedMs(events: number): number | undefined;
  /** Tells the estimate that a commit of `events` events took `ms` milliseconds of wall time. */
  record(events: number, ms: number): void;
}

/** The estimate from recent commits described above; `decay` in (0, 1]: 1 averages every commit alike. */
export class RecentCommitCost implements CommitCostEstimate {
  private ms = 0;
  private events = 0;

  constructor(private readonly decay = 0.7) {
    if (!(decay > 0 && decay <= 1)) throw new RangeError(`decay must be in (0, 1], not ${decay}`);
  }

  expectedMs(events: number): number | undefined {
    return this.events > 0 ? (this.ms / this.events) * events : undefined;
  }

  record(events: number, ms: number): void {
    if (!(events > 0) || !(ms >= 0) || !Number.isFinite(ms)) return;
    this.ms = this.ms * this.decay + ms;
    this.events = this.events * this.decay + events;
  }
}
