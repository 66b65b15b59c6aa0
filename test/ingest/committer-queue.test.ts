import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import { scratchStores } from '../helpers/store.js';

/**
 * A request submitted in the moment between the committer's drain finding its queue empty and that drain
 * settling must still be committed. Awaiting a submit through Promise.all resumes the caller in exactly
 * that moment; before the fix the next request stayed queued until some later request started a drain:
 * forever, on a quiet server.
 */

const ev = (messageId: string, minute: number): IncomingEvent => {
  const t = new Date(Date.UTC(2024, 0, 1) + minute * 60_000);
  return { messageId, type: 'track', event: 'Viewed', userId: `u-${minute % 7}`, timestamp: t, receivedAt: t };
};

/** p, or a rejection once `ms` have passed without it settling. */
const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);

// A fresh store per test, copied rather than migrated anew (scratchStores).
const scratch = scratchStores();

describe('GroupCommitter queue', () => {
  it('commits a request submitted as the previous drain ends', async () => {
    const store = await scratch();
    const c = new GroupCommitter(store);
    for (let round = 0; round < 5; round++) {
      const done = await Promise.all([c.submit([ev(`a${round}`, round)]), c.submit([ev(`b${round}`, round)])]);
      expect(done.map((d) => d.stored)).toEqual([1, 1]);
      expect(await within(c.submit([ev(`c${round}`, round)]), 5_000)).toEqual({ stored: 1, duplicates: 0, suppressed: 0 });
    }
    await c.idle();
    expect((await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n).toBe(15);
    store.close();
  });
});
