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

/**
 * The system clock shifted by an offset a test moves forward: time runs as usual (events a server
 * stamps with the real time stay in order with it) and `advance` jumps over an hour or a week at once.
 */
export class OffsetClock implements Clock {
  private offset = 0;

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  advance(ms: number): Date {
    this.offset += ms;
    return this.now();
  }
}
