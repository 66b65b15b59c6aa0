import { afterEach, describe, expect, it } from 'vitest';
import { toIncomingEvent } from '../../src/ingest/events/normalise.js';
import { messagesOfRequest } from '../../src/ingest/events/validate.js';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { buildApp } from '../../src/server/app.js';
import { LIVE_MAX_EVENTS_PER_COMMIT } from '../../src/server/realtime.js';
import { tempStore } from '../helpers/store.js';

/**
 * The engine's timer records a time-based change on the database's one connection, which a commit holds
 * from start to end: so a server keeping segments live stores at most LIVE_MAX_EVENTS_PER_COMMIT events
 * per commit however many requests are queued (a group of everything queued held the connection for
 * seconds, and changes due meanwhile were recorded that late).
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Requests of `size` track events, as the ingestion route turns them into events. */
function requests(count: number, size: number): ReturnType<typeof toIncomingEvent>[][] {
  const at = new Date();
  return Array.from({ length: count }, (_, r) =>
    messagesOfRequest(
      'batch',
      { batch: Array.from({ length: size }, (_, i) => ({ type: 'track', event: 'Ping', userId: `u${r}-${i % 7}`, messageId: `m${r}-${i}`, timestamp: at.toISOString() })) },
      at,
    ).map(({ message, raw }) => toIncomingEvent(message, raw, at, 'server')),
  );
}

/** Submits the requests all at once and returns how many events each commit stored. */
async function commitSizes(server: 'segments live' | 'engine, no segment' | 'no engine'): Promise<number[]> {
  registerAllFields();
  const t = await tempStore();
  cleanups.push(t.cleanup);
  const live = server === 'segments live';
  if (server !== 'engine, no segment') await createSegment(t.store, { name: 'pinged', definition: { query: 'performed "Ping" within 1h' } });
  const app = await buildApp({ store: t.store, ...(server === 'no engine' ? { realtime: false } : {}) });
  try {
    const sizes: number[] = [];
    app.segmint.committer.onCommit((n) => void sizes.push(n.events.length));
    // 2.5 times the limit, in requests of 500: the first commits alone, the rest queue behind it.
    const size = 500;
    const all = requests(Math.ceil((2.5 * LIVE_MAX_EVENTS_PER_COMMIT) / size), size);
    const results = await Promise.all(all.map((events) => app.segmint.committer.submit(events)));
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(all.length * size);
    if (live) expect(app.segmint.realtime?.members('pinged')?.size).toBe(all.length * 7);
    return sizes;
  } finally {
    await app.close();
  }
}

describe('commits of a server keeping segments live', () => {
  it(`store at most ${LIVE_MAX_EVENTS_PER_COMMIT} events each when requests queue up; with no segment live, one group takes the queue`, async () => {
    const live = await commitSizes('segments live');
    expect(live.length).toBeGreaterThan(2);
    expect(Math.max(...live)).toBeLessThanOrEqual(LIVE_MAX_EVENTS_PER_COMMIT);
    // The same queue without real time, or with the engine but no segment to keep live (nothing can
    // come due): everything queued behind the first request goes in one commit, as group commit is
    // cheapest so (bench/ingest.ts).
    for (const server of ['no engine', 'engine, no segment'] as const) {
      const alone = await commitSizes(server);
      expect(alone).toHaveLength(2);
      expect(alone[1]).toBeGreaterThan(LIVE_MAX_EVENTS_PER_COMMIT);
    }
  });
});
