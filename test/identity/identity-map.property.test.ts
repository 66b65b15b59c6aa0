import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Identifier } from '../../src/domain/identifiers.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { resolveIdentifierSets } from '../../src/ingest/identity/resolve.js';
import { requestErasure, runRegulation } from '../../src/privacy/regulations.js';
import type { Store } from '../../src/store/db.js';
import { identityWriteCount } from '../../src/store/queries/identity-writes.js';
import { tempStore } from '../helpers/store.js';

/**
 * The live committer's in-memory identity map (src/ingest/identity/identity-map.ts) must equal the
 * identities table at every moment, whatever happens: live events that create customers, add
 * identifiers and merge customers (also merges refused for two user ids), imports and erasures made
 * by other paths, and commits that fail and roll back. Two stores get the same steps; one ingests
 * through a committer (with the map), the other resolves the same events straight against the tables
 * (no map): the tables of both must be equal, and the map must equal its own store's table.
 */

const users = ['u1', 'u2', 'u3', 'u4'];
const anons = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const emails = ['x@s.io', 'Y@S.io', 'z@s.io'];

const eventArb = fc.record({
  userId: fc.option(fc.constantFrom(...users), { nil: undefined }),
  anonymousId: fc.option(fc.constantFrom(...anons), { nil: undefined }),
  email: fc.option(fc.constantFrom(...emails), { nil: undefined }),
  alias: fc.option(fc.constantFrom(...anons, ...users), { nil: undefined }),
});
type Ev = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('live' as const), events: fc.array(eventArb, { minLength: 1, maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('failing' as const), events: fc.array(eventArb, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      sets: fc.array(fc.array(fc.oneof(fc.constantFrom(...users).map((value): Identifier => ({ kind: 'user_id', value })), fc.constantFrom(...emails).map((value): Identifier => ({ kind: 'email', value }))), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), value: fc.constantFrom(...users, ...anons, 'x@s.io', 'z@s.io') }) },
);
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

async function table(store: Store) {
  const identities = await store.all<{ kind: string; value: string; customer_id: string }>('SELECT kind, value, customer_id FROM identities ORDER BY kind, value');
  const customers = await store.all<{ customer_id: string; created_at: number; user_id: string | null }>(
    `SELECT c.customer_id, epoch_ms(c.created_at) AS created_at, min(u.value) FILTER (WHERE u.kind = 'user_id') AS user_id
     FROM customers c JOIN identities u USING (customer_id) GROUP BY c.customer_id, c.created_at ORDER BY c.customer_id`,
  );
  return { identities, customers: customers.map((c) => ({ ...c, created_at: Number(c.created_at) })) };
}

describe('the live identity map (property)', () => {
  it('equals the identities table after random live events, merges, imports, erasures and failed commits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps: Step[]) => {
        // Copies of an empty store migrated once per run (tempStore): migrating two new ':memory:' databases
        // per run took most of the property's time.
        const [liveHeld, plainHeld] = await Promise.all([tempStore(), tempStore()]);
        const { store: live } = liveHeld;
        const { store: plain } = plainHeld;
        const committer = new GroupCommitter(live, { source: 'test' });
        let failNext = false;
        committer.withinCommit(async () => {
          if (failNext) throw new Error('a failure after the events were written');
        });
        let seq = 0;
        const toEvents = (evs: readonly Ev[]): IncomingEvent[] =>
          evs.map((e) => {
            const at = new Date(Date.UTC(2024, 0, 1) + ++seq * 60_000);
            const base = { messageId: `m${seq}`, timestamp: at, receivedAt: at, ...(e.userId ? { userId: e.userId } : {}), ...(e.anonymousId ? { anonymousId: e.anonymousId } : {}) };
            if (e.alias !== undefined && e.userId) return { ...base, type: 'alias', previousId: e.alias };
            if (e.email) return { ...base, type: 'identify', traits: { email: e.email } };
            return { ...base, type: 'track', event: 'Seen' };
          });
        try {
          for (const step of steps) {
            if (step.kind === 'live' || step.kind === 'failing') {
              const events = toEvents(step.events);
              // The same events resolved against the tables alone, on the other store (first: its writes
              // count as identity writes of this process, which a map takes as a sign to read again).
              if (step.kind === 'live') await plain.transaction((tx) => ingestEvents(tx, events, 'test'));
              failNext = step.kind === 'failing';
              // The committer retries a failed group request by request; each fails the same way.
              const outcome = await committer.submit(events).then(
                () => 'stored',
                () => 'failed',
              );
              failNext = false;
              expect(outcome).toBe(step.kind === 'live' ? 'stored' : 'failed');
              // Kept current by the commit itself; a failed commit leaves it to be read again.
              expect(committer.identities.isCurrent()).toBe(step.kind === 'live');
            } else if (step.kind === 'import') {
              const sets = step.sets.map((identifiers, i) => ({ identifiers, at: new Date(Date.UTC(2024, 0, 1) + ++seq * 60_000 + i) }));
              const before = identityWriteCount();
              for (const s of [live, plain]) await s.transaction((tx) => resolveIdentifierSets(tx, sets));
              // A write by another path than the committer's makes the map read the table again.
              if (committer.identities.tableReads > 0 && identityWriteCount() !== before) expect(committer.identities.isCurrent()).toBe(false);
            } else {
              const before = identityWriteCount();
              for (const s of [live, plain]) {
                const id = await requestErasure(s, { identifiers: [step.value], actor: 'test' });
                await runRegulation(s, id).catch(() => undefined);
              }
              if (committer.identities.tableReads > 0 && identityWriteCount() !== before) expect(committer.identities.isCurrent()).toBe(false);
            }
            const mine = await table(live);
            expect(await table(plain)).toEqual(mine);
            if (committer.identities.isCurrent()) expect(committer.identities.rows()).toEqual(mine);
          }
          // Whatever happened, the next commit works from a map equal to the table.
          await committer.submit(toEvents([{ userId: 'u1', anonymousId: undefined, email: undefined, alias: undefined }]));
          expect(committer.identities.isCurrent()).toBe(true);
          expect(committer.identities.rows()).toEqual(await table(live));
        } finally {
          liveHeld.cleanup();
          plainHeld.cleanup();
        }
      }),
      { numRuns: 12, seed: 20261201 },
    );
  });
});
