import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { RecentCommitCost, type CommitCostEstimate } from '../../src/ingest/live/commit-cost.js';
import { GroupCommitter, type CommitLimit } from '../../src/ingest/live/committer.js';
import { scratchStores } from '../helpers/store.js';

/**
 * A group commit is bounded by its expected time as well as by its events (CommitLimit): requests are
 * taken in order while the group with the next one stays within both; the first request of a group is
 * always taken, so none is split. The estimate is injected, so nothing here depends on how fast the
 * machine is.
 */

const ev = (messageId: string, i: number): IncomingEvent => {
  const t = new Date(Date.UTC(2024, 0, 1) + i * 1000);
  return { messageId, type: 'track', event: 'Viewed', userId: `u-${i % 7}`, timestamp: t, receivedAt: t };
};
const request = (r: number, size: number): IncomingEvent[] => Array.from({ length: size }, (_, i) => ev(`r${r}-${i}`, i));

/** An estimate of exactly `msPerEvent` per event (undefined: no commit timed yet), recording what it is told. */
class FixedCost implements CommitCostEstimate {
  readonly recorded: { events: number; ms: number }[] = [];
  constructor(private readonly msPerEvent: number | undefined) {}
  expectedMs(events: number): number | undefined {
    return this.msPerEvent === undefined ? undefined : this.msPerEvent * events;
  }
  record(events: number, ms: number): void {
    this.recorded.push({ events, ms });
  }
}

/** Submits requests of the given sizes at once; returns the events of each commit and the answers. */
async function groups(sizes: readonly number[], limit: number | CommitLimit | undefined, cost: CommitCostEstimate) {
  const store = await scratch();
  const c = new GroupCommitter(store, { cost });
  c.limitCommits(() => limit);
  const commits: number[] = [];
  c.onCommit((n) => void commits.push(n.events.length));
  const answers = await Promise.all(sizes.map((size, r) => c.submit(request(r, size))));
  const stored = (await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n;
  store.close();
  return { commits, answers, stored };
}

// A fresh store per test, copied rather than migrated anew (scratchStores).
const scratch = scratchStores();

describe('a group commit limited by expected time', () => {
  it('takes requests while the group is expected within the time, the first of a group whatever its size', async () => {
    // 1 ms per event, at most 250 ms: the first request commits alone (nothing else queued yet); then
    // 100 + 100 (a third would make 300 ms), 100 alone (with the 400 it would be 500), the 400 alone (one
    // request is never split), and 50 + 50.
    const sizes = [100, 100, 100, 100, 400, 50, 50];
    const { commits, answers, stored } = await groups(sizes, { maxMs: 250 }, new FixedCost(1));
    expect(commits).toEqual([100, 200, 100, 400, 100]);
    expect(answers.map((a) => a.stored)).toEqual(sizes);
    expect(stored).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('holds both limits: events and time, whichever is reached first', async () => {
    const sizes = [10, 100, 100, 100, 100, 100];
    // 0.5 ms per event allows 500 events in 250 ms; the cap of 250 events allows two requests.
    expect((await groups(sizes, { maxEvents: 250, maxMs: 250 }, new FixedCost(0.5))).commits).toEqual([10, 200, 200, 100]);
    // 2 ms per event allows 125 events: one request of 100 per commit, under a cap of 20,000.
    expect((await groups(sizes, { maxEvents: 20_000, maxMs: 250 }, new FixedCost(2))).commits).toEqual([10, 100, 100, 100, 100, 100]);
    // a number is a limit of events alone, as before
    expect((await groups(sizes, 250, new FixedCost(2))).commits).toEqual([10, 200, 200, 100]);
  });

  it('has no limit by time before any commit was timed, nor without maxMs', async () => {
    const sizes = [10, 100, 100, 100];
    expect((await groups(sizes, { maxMs: 1 }, new FixedCost(undefined))).commits).toEqual([10, 300]);
    expect((await groups(sizes, undefined, new FixedCost(1000))).commits).toEqual([10, 300]);
  });

  it('records every commit that succeeded, with its events', async () => {
    const cost = new FixedCost(1);
    await groups([100, 100, 100, 100, 400, 50, 50], { maxMs: 250 }, cost);
    expect(cost.recorded.map((r) => r.events)).toEqual([100, 200, 100, 400, 100]);
    expect(cost.recorded.every((r) => r.ms >= 0 && Number.isFinite(r.ms))).toBe(true);
  });
});

describe('RecentCommitCost', () => {
  it('divides recent time by recent events, older commits counting less', () => {
    const cost = new RecentCommitCost(0.5);
    expect(cost.expectedMs(100)).toBeUndefined();
    cost.record(100, 50);
    // 50 ms / 100 events = 0.5 ms an event
    expect(cost.expectedMs(400)).toBeCloseTo(200, 9);
    cost.record(1000, 1000);
    // (50·0.5 + 1000) ms / (100·0.5 + 1000) events = 1025 / 1050 ms an event
    expect(cost.expectedMs(1050)).toBeCloseTo(1025, 9);
    // a later commit of the same rate leaves the rate alone, whatever its size
    const steady = new RecentCommitCost(0.7);
    for (const n of [10, 2000, 1, 500]) steady.record(n, n * 0.25);
    expect(steady.expectedMs(1000)).toBeCloseTo(250, 9);
  });

  it('ignores commits of no event and times that are no time', () => {
    const cost = new RecentCommitCost();
    cost.record(0, 10);
    cost.record(10, NaN);
    cost.record(10, -1);
    cost.record(10, Infinity);
    expect(cost.expectedMs(10)).toBeUndefined();
    expect(() => new RecentCommitCost(0)).toThrow(RangeError);
    expect(() => new RecentCommitCost(1.5)).toThrow(RangeError);
  });
});
