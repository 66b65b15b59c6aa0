import { describe, expect, it } from 'vitest';
import { identifierHash, suppressedSets, suppressionSecret } from '../../src/privacy/suppression.js';
import { requestErasure, runRegulation } from '../../src/privacy/regulations.js';
import { suppressionsByValue } from '../../src/store/migrations/032_suppressions_by_value.js';
import { insertSuppressions } from '../../src/store/queries/privacy/suppressions.js';
import { storePerTest } from '../helpers/store.js';

// Migration 32: an erasure writes an entry of kind `*` per value, so the check hashes an arriving value
// once; entries from before it (their own kind only) are still found on a database that has them.

const store = storePerTest();
const as = (kind: string, value: string) => [{ kind, value }];

describe('suppression by value (migration 32)', () => {
  it('an erasure writes one `*` entry per value (and its lower-cased email form), not counted, and no legacy kind', async () => {
    const s = await store();
    await s.run("INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ('c1', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', '{}'::JSON)");
    await s.run(
      `INSERT INTO identities (kind, value, customer_id, first_seen_at) VALUES
         ('user_id', 'u-1', 'c1', TIMESTAMP '2024-01-01'), ('anonymous_id', 'Dev@Example.test', 'c1', TIMESTAMP '2024-01-01')`,
    );
    const id = await requestErasure(s, { identifiers: ['u-1'], actor: 'cli:test' });
    const done = await runRegulation(s, id);
    expect(done.status).toBe('finished');
    expect(done.identifiersSuppressed).toBe(2);
    const secret = await suppressionSecret(s);
    const any = new Set((await s.all<{ h: string }>("SELECT identifier_hash AS h FROM suppressions WHERE kind = '*'")).map((r) => r.h));
    expect(any).toEqual(new Set(['u-1', 'Dev@Example.test', 'dev@example.test'].map((v) => identifierHash(secret, '*', v))));
    expect(await s.all('SELECT kind FROM suppression_legacy_kinds')).toEqual([]);
    // found under any kind, as it is and as an email
    expect(await suppressedSets(s, [as('external', 'u-1'), as('email', 'dev@example.test'), as('user_id', 'u-2')])).toEqual([true, true, false]);
  });

  it('entries written before it, under their own kind only, are still found under another kind', async () => {
    const s = await store();
    const secret = await suppressionSecret(s);
    // What an erasure of an older version left: the hash under the identifier's kind, nothing under `*`.
    await s.run('DROP TABLE suppression_legacy_kinds');
    await insertSuppressions(s, [{ hash: identifierHash(secret, 'user_id', 'old-u'), kind: 'user_id' }, { hash: identifierHash(secret, 'email', 'old@x.test'), kind: 'email' }], 'r0', new Date('2024-01-01T00:00:00Z'));
    await s.transaction(async (tx) => {
      for (const sql of suppressionsByValue.statements) await tx.run(sql);
    });
    expect((await s.all<{ kind: string }>('SELECT kind FROM suppression_legacy_kinds ORDER BY kind')).map((r) => r.kind)).toEqual(['email', 'user_id']);
    expect(await suppressedSets(s, [as('anonymous_id', 'old-u'), as('external', 'OLD@x.test'), as('user_id', 'old@x.test'), as('user_id', 'new-u')])).toEqual([true, true, true, false]);
  });
});
