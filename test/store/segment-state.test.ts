import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params, Queryable, Store } from '../../src/store/db.js';
import { existingTablesOnce, loadCustomerState } from '../../src/store/queries/segment-state.js';
import { loadWorld, worldArb } from '../segments/property/world.js';
import { tempStore } from '../helpers/store.js';

/*
 * The catalog of tables read once for a batch of customers (existingTablesOnce, used by the workflow
 * engine's conditions and emails) gives the same state as reading it for every customer: the read that
 * was saved is the only difference.
 */
describe('loadCustomerState with the tables read once for a batch', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  beforeAll(async () => {
    t = await tempStore();
    store = t.store;
  });
  afterAll(() => t.cleanup());

  /** The store, counting the statements that read DuckDB's catalog of tables; the first `failing` of them fail. */
  function counting(failing = 0): { db: Queryable; reads: () => number } {
    let n = 0;
    const seen = (sql: string): void => {
      if (!sql.includes('duckdb_tables()')) return;
      if (++n <= failing) throw new Error('interrupted');
    };
    const db: Queryable = {
      all: async <T,>(sql: string, params?: Params) => (seen(sql), store.all<T>(sql, params)),
      one: async <T,>(sql: string, params?: Params) => (seen(sql), store.one<T>(sql, params)),
      run: (sql: string, params?: Params) => store.run(sql, params),
    };
    return { db, reads: () => n };
  }

  it('gives every customer of generated worlds the state read without it, reading the catalog once', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        await loadWorld(store, world);
        const { db, reads } = counting();
        const tables = existingTablesOnce(db);
        for (const c of world) {
          const plain = await loadCustomerState(store, c.id);
          expect(await loadCustomerState(db, c.id, { tables })).toEqual(plain);
        }
        expect(reads()).toBe(1);
      }),
      { numRuns: 10 },
    );
  });

  it('sees a table created after its read only in the next batch', async () => {
    await store.run('DROP VIEW IF EXISTS late_table_probe');
    const tables = existingTablesOnce(store);
    expect((await tables()).has('late_table_probe')).toBe(false);
    await store.run('CREATE VIEW late_table_probe AS SELECT 1 AS x');
    try {
      expect((await tables()).has('late_table_probe')).toBe(false);
      expect((await existingTablesOnce(store)()).has('late_table_probe')).toBe(true);
    } finally {
      await store.run('DROP VIEW late_table_probe');
    }
  });

  it('reads the catalog again after a failed read', async () => {
    const { db, reads } = counting(1);
    const tables = existingTablesOnce(db);
    await expect(tables()).rejects.toThrow('interrupted');
    expect((await tables()).has('customers')).toBe(true);
    expect(await tables()).toBe(await tables());
    expect(reads()).toBe(2);
  });
});
