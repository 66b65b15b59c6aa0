/**
 * The suppression check every import and live event goes through once a database has had an erasure
 * (src/privacy/suppression.ts): 2,000 identifier sets of 3 identifiers (a large live commit) against the
 * entries 1,000 erasures leave, against its floor measured in the same run: one keyed hash (HMAC-SHA256)
 * per distinct arriving value and one lookup of those hashes, the least any keyed check must do. Printed
 * twice: on a database whose erasures all wrote entries by value (migration 32), and on one that also
 * has entries from before it under 4 kinds, which the check must look for under each kind.
 *
 *   npx tsx bench/suppression.ts
 */
import { identifierHash, suppressedSets, suppressionSecret, valueSuppressionRows } from '../src/privacy/suppression.js';
import { Store } from '../src/store/db.js';
import { insertSuppressions, suppressedHashes } from '../src/store/queries/privacy/suppressions.js';
import { machineLoad, median } from './lib/measure.js';

const ERASURES = 1_000;
const SETS = 2_000;
const RUNS = 9;
const KINDS = ['user_id', 'anonymous_id', 'email', 'external'] as const;

/** A store holding what `ERASURES` erasures of 2 identifiers each leave; `legacy` adds entries older than migration 32. */
async function storeWithErasures(legacy: boolean): Promise<Store> {
  const store = await Store.open(':memory:');
  const secret = await suppressionSecret(store);
  const at = new Date('2026-01-01T00:00:00Z');
  const values = Array.from({ length: ERASURES }, (_, i) => [`erased-u${i}`, `erased${i}@example.test`]).flat();
  const own = values.map((v) => ({ hash: identifierHash(secret, v.includes('@') ? 'email' : 'user_id', v), kind: v.includes('@') ? 'email' : 'user_id' }));
  await insertSuppressions(store, own, 'reg_bench', at);
  await insertSuppressions(store, valueSuppressionRows(secret, values), 'reg_bench', at);
  if (legacy) {
    const old = Array.from({ length: ERASURES }, (_, i) => {
      const kind = KINDS[i % KINDS.length]!;
      return { hash: identifierHash(secret, kind, `old-${kind}-${i}`), kind };
    });
    await insertSuppressions(store, old, 'reg_old', at);
    await store.run('INSERT INTO suppression_legacy_kinds SELECT DISTINCT kind FROM suppressions WHERE kind <> \'*\' ON CONFLICT DO NOTHING');
  }
  return store;
}

/** A live commit's identifier sets: mostly unknown people, one in 50 naming an erased value under another kind. */
const sets = Array.from({ length: SETS }, (_, i) => [
  { kind: 'user_id', value: i % 50 === 0 ? `erased${i % ERASURES}@example.test` : `user-${i}` },
  { kind: 'anonymous_id', value: `device-${i}` },
  { kind: 'email', value: `person${i}@example.test` },
]);

/** Median milliseconds of a and of b, each run RUNS times in turns with the other after one warm-up of each. */
async function inTurns(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [fn, out] of [[a, ta], [b, tb]] as const) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
  }
  return [median(ta), median(tb)];
}

console.log(`suppression check of ${SETS.toLocaleString('en-US')} sets of 3 identifiers against ${ERASURES.toLocaleString('en-US')} erasures, median of ${RUNS}; ${machineLoad()}`);
for (const legacy of [false, true]) {
  const store = await storeWithErasures(legacy);
  const secret = await suppressionSecret(store);
  const values = [...new Set(sets.flat().map((id) => id.value))];
  // In turns, so that a change of the machine's load falls on both.
  const [check, floor] = await inTurns(
    () => suppressedSets(store, sets),
    () => suppressedHashes(store, values.map((v) => identifierHash(secret, '*', v))),
  );
  const hits = (await suppressedSets(store, sets)).filter(Boolean).length;
  const label = legacy ? 'with entries from before migration 32 (4 kinds)' : 'entries by value only';
  console.log(
    `${label.padEnd(50)} check ${check.toFixed(1).padStart(7)} ms   floor ${floor.toFixed(1).padStart(7)} ms (one HMAC per value + one lookup)   ratio ${(check / floor).toFixed(2)}   (${hits} sets suppressed)`,
  );
  store.close();
}
