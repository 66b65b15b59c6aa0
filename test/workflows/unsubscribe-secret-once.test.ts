import { describe, expect, it } from 'vitest';
import { unsubscribeSecret } from '../../src/config/settings.js';
import type { Queryable } from '../../src/store/db.js';
import { unsubscribeSecretOnce } from '../../src/workflows/channels/email/unsubscribe.js';
import { storePerTest } from '../helpers/store.js';

/*
 * The engine's emails read the unsubscribe key once (unsubscribeSecretOnce): the same key
 * unsubscribeSecret gives (made on first use), one read for any number of calls, a failure not kept.
 */
const store = storePerTest();
const AT = new Date('2025-03-01T10:00:00Z');

/** db, counting the statements made through it; `failNext` makes the next one throw. */
function counting(db: Queryable): { db: Queryable; count: () => number; failNext: () => void } {
  let n = 0;
  let fail = false;
  const check = (): void => {
    n++;
    if (fail) {
      fail = false;
      throw new Error('store unavailable');
    }
  };
  return {
    db: {
      all: async (sql, params) => (check(), db.all(sql, params)),
      one: async (sql, params) => (check(), db.one(sql, params)),
      run: async (sql, params) => (check(), db.run(sql, params)),
    },
    count: () => n,
    failNext: () => void (fail = true),
  };
}

describe('unsubscribeSecretOnce', () => {
  it('makes the key on first use, then gives it again without reading the store', async () => {
    const s = await store();
    const c = counting(s);
    const once = unsubscribeSecretOnce(c.db);
    const first = await once(AT);
    const afterFirst = c.count();
    expect(afterFirst).toBeGreaterThan(0);
    expect(await once(AT)).toBe(first);
    expect(await once(AT)).toBe(first);
    expect(c.count()).toBe(afterFirst);
    expect(await unsubscribeSecret(s, AT)).toBe(first);
  });

  it('gives the key already stored, the same one a fresh read gives', async () => {
    const s = await store();
    const stored = await unsubscribeSecret(s, AT);
    expect(await unsubscribeSecretOnce(s)(AT)).toBe(stored);
  });

  it('does not remember a failed read', async () => {
    const s = await store();
    const c = counting(s);
    const once = unsubscribeSecretOnce(c.db);
    c.failNext();
    await expect(once(AT)).rejects.toThrow('store unavailable');
    expect(await once(AT)).toBe(await unsubscribeSecret(s, AT));
  });
});
