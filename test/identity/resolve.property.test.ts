import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Identifier } from '../../src/domain/identifiers.js';
import { resolveIdentifierSets, type IdentifierSet } from '../../src/ingest/identity/resolve.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

// Small pools so that random sets overlap often, and some values are junk that must never identify.
const identifier = fc.oneof(
  fc.constantFrom('u1', 'u2', 'u3', 'u4', '0').map((value): Identifier => ({ kind: 'user_id', value })),
  fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'anonymous').map((value): Identifier => ({ kind: 'anonymous_id', value })),
  fc.constantFrom('x@s.io', 'Y@S.io', 'y@s.io ', 'z@s.io', 'null').map((value): Identifier => ({ kind: 'email', value })),
  fc.constantFrom('9', '10').map((value): Identifier => ({ kind: 'external:shopify', value })),
);
const sets = fc.array(fc.array(identifier, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 8 });

const toSets = (raw: Identifier[][], offset: number): IdentifierSet[] =>
  raw.map((identifiers, i) => ({ identifiers, at: new Date(Date.UTC(2024, 0, 1) + (offset + i) * 60_000), messageId: `m${offset + i}` }));

async function snapshot(store: Store) {
  const identities = await store.all<{ kind: string; value: string; customer_id: string }>(
    'SELECT kind, value, customer_id FROM identities ORDER BY kind, value',
  );
  const customers = await store.all('SELECT customer_id, created_at, merged_into FROM customers ORDER BY customer_id');
  const merges = await store.all('SELECT survivor_id, absorbed_id, refused, identifier_kind, identifier_value, message_id FROM merges ORDER BY ALL');
  const twoUsers = await store.all(
    `SELECT customer_id FROM identities WHERE kind = 'user_id' GROUP BY customer_id HAVING count(*) > 1`,
  );
  const deadHolders = await store.all(
    'SELECT i.customer_id FROM identities i JOIN customers c USING (customer_id) WHERE c.merged_into IS NOT NULL',
  );
  return { identities, customers, merges, twoUsers, deadHolders };
}

describe('identity resolution (property)', () => {
  it('resolves a batch exactly as the same sets one at a time, never giving a customer two user_ids', async () => {
    await fc.assert(
      fc.asyncProperty(sets, sets, async (before, batch) => {
        // Copies of an empty store migrated once per run (tempStore): migrating two new ':memory:' databases
        // per run took most of the property's time.
        const [oneHeld, manyHeld] = await Promise.all([tempStore(), tempStore()]);
        const { store: one } = oneHeld;
        const { store: many } = manyHeld;
        try {
          const history = toSets(before, 0);
          const incoming = toSets(batch, before.length);
          for (const s of [one, many]) await s.transaction((tx) => resolveIdentifierSets(tx, history));
          const batchResults = await many.transaction((tx) => resolveIdentifierSets(tx, incoming));
          for (const s of incoming) await one.transaction((tx) => resolveIdentifierSets(tx, [s]));

          const a = await snapshot(one);
          const b = await snapshot(many);
          expect(b).toEqual(a);
          expect(a.twoUsers).toEqual([]);
          expect(a.deadHolders).toEqual([]);
          expect(a.identities.some((i) => ['0', 'anonymous', 'null'].includes(i.value))).toBe(false);
          // Each batch result is the live customer now holding the set's first usable identifier.
          const holder = new Map(b.identities.map((i) => [`${i.kind}|${i.value}`, i.customer_id]));
          const live = new Set(b.customers.filter((c) => (c as { merged_into: unknown }).merged_into === null).map((c) => (c as { customer_id: string }).customer_id));
          incoming.forEach((s, i) => {
            const r = batchResults[i];
            if (r === null) return;
            expect(live.has(r!)).toBe(true);
            expect(s.identifiers.some((id) => holder.get(`${id.kind}|${id.value.trim().toLowerCase()}`) === r || holder.get(`${id.kind}|${id.value.trim()}`) === r)).toBe(true);
          });
        } finally {
          oneHeld.cleanup();
          manyHeld.cleanup();
        }
      }),
      { numRuns: 15, seed: 20240101 },
    );
  });
});
