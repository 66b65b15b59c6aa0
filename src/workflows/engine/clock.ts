/** Where the engine reads the time: the system clock, or one a test or benchmark moves by hand. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move: tests drive days and weeks of waits in milliseconds. */
export class ManualClock implements Clock {
  private t: number;

  constructor(start: Date) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  set(at: Date): void {
    this.t = at.getTime();
  }

  /** Moves the clock forward by ms milliseconds. */
  advance(ms: number): Date {
    this.t += ms;
    return this.now();
  }
}
