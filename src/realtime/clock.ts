/**
 * Time as the engine and the webhook sender see it, injected so that tests drive time instead of
 * sleeping. Instants are epoch milliseconds.
 */
export interface Clock {
  now(): number;
  /** Calls fn once, when the clock reaches `at` (at once if it has); returns a function that cancels. */
  at(at: number, fn: () => void): () => void;
}

// setTimeout takes at most 2^31 − 1 ms; a later instant is reached in hops.
const MAX_DELAY = 2_147_483_647;

/** The machine's clock. Timers do not keep the process alive (the server does). */
export const systemClock: Clock = {
  now: () => Date.now(),
  at(at, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const delay = at - Date.now();
      if (delay <= 0) {
        handle = undefined;
        if (!cancelled) fn();
        return;
      }
      // Node may fire a timer a millisecond early: arm again until the instant has truly come.
      handle = setTimeout(arm, Math.min(delay, MAX_DELAY));
      handle.unref();
    };
    arm();
    return () => {
      cancelled = true;
      if (handle) clearTimeout(handle);
    };
  },
};

/** A clock that moves only when told to: set() and advance() fire every timer that has come due. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  at(at: number, fn: () => void): () => void {
    const timer = { at, fn };
    if (at <= this.t) {
      queueMicrotask(fn);
      return () => undefined;
    }
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Moves the clock to t (never backwards) and fires the timers due by then, earliest first. */
  set(t: number): void {
    if (t < this.t) throw new Error(`ManualClock cannot go back from ${new Date(this.t).toISOString()} to ${new Date(t).toISOString()}`);
    this.t = t;
    const due = this.timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((x) => x.at > t);
    for (const x of due) x.fn();
  }

  advance(ms: number): void {
    this.set(this.t + ms);
  }
}
