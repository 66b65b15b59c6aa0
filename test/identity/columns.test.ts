import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packRows } from '../../src/store/queries/identity-columns.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

describe('bulk row parameters', () => {
  let store: Store;
  let held: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    // a copy of the once-migrated empty store (tempStore), not a ':memory:' database migrated anew
    held = await tempStore();
    store = held.store;
  });
  afterAll(() => held.cleanup());

  const roundTrip = async (texts: (string | null)[]) => {
    const q = packRows([
      { name: 't', type: 'text', values: texts },
      { name: 'n', type: 'number', values: texts.map((_, i) => (i % 2 ? null : i + 0.1)) },
      { name: 'ts', type: 'time', values: texts.map((_, i) => new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i))) },
      { name: 'b', type: 'bool', values: texts.map((_, i) => i % 3 === 0) },
    ]);
    return store.all<{ t: string | null; n: number | null; ts: Date; b: boolean }>(`SELECT * FROM (${q.select})`, q.params);
  };

  it('keeps NULLs (even first), empty strings, quotes and unicode, row by row', async () => {
    const texts = [null, '', "it's", 'naïve ☕', null, 'x'];
    const rows = await roundTrip(texts);
    expect(rows.map((r) => r.t)).toEqual(texts);
    expect(rows.map((r) => r.n)).toEqual([0.1, null, 2.1, null, 4.1, null]);
    expect(rows.map((r) => r.ts.getUTCMilliseconds())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.b)).toEqual([true, false, false, true, false, false]);
  });

  it('falls back to a list parameter for values holding the separator characters', async () => {
    const texts = ['a\u001eb', '\u001f', null, 'c'];
    expect((await roundTrip(texts)).map((r) => r.t)).toEqual(texts);
  });
});
