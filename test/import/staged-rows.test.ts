import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import type { Queryable, Store } from '../../src/store/db.js';
import { fillRows } from '../../src/store/queries/import/rows/schema.js';
import { attachRowsDatabase, compressRows, STAGED_ROWS } from '../../src/store/queries/import/rows/staged.js';
import { dropImportTables } from '../../src/store/queries/import/summary.js';
import { storePerTest } from '../helpers/store.js';
import { fixture } from './helpers.js';

/**
 * An import keeps its rows in a compressed in-memory database of its own (rows/staged.ts): they must
 * read back exactly as they were written, and the database must be gone when the import ends.
 */

/** Rows of every imp_rows type, NULLs included, drawn from `seed` (hash of the row number and the seed). */
const RANDOM_ROWS = `
  SELECT i AS line, h % 11 = 0 AS synthetic,
    CASE WHEN h % 13 = 0 THEN 'not a price in column "UnitPrice": ' || (h % 97) END AS error,
    CASE WHEN h % 17 <> 0 THEN 'o' || (i // (1 + h % 4)) END AS order_id,
    CASE h % 3 WHEN 0 THEN 'refund' ELSE 'order' END AS kind,
    CASE WHEN h % 19 <> 0 THEN TIMESTAMP '2010-12-01 08:26:00' + to_seconds((h % 40000000)::BIGINT) END AS placed_at,
    CASE WHEN h % 23 <> 0 THEN upper(to_hex(h % 100000)) END AS product_id,
    CASE WHEN h % 29 <> 0 THEN repeat(chr(65 + (h % 26)::INT), (h % 40)::INT) || ' ü€ ' || (h % 1000) END AS product_name,
    CASE WHEN h % 31 <> 0 THEN ((h % 20000001)::BIGINT - 10000000)::DECIMAL(18,4) / 1000 END AS price,
    CASE WHEN h % 37 <> 0 THEN ((h % 2001)::BIGINT - 1000)::DOUBLE / (1 + h % 8) END AS quantity,
    CASE WHEN h % 41 <> 0 THEN ((h % 999999999)::BIGINT)::DECIMAL(18,4) / 10000 END AS amount,
    CASE WHEN h % 43 <> 0 THEN 'GBP' END AS currency,
    CASE WHEN h % 5 <> 0 THEN (12346 + h % 4000)::VARCHAR END AS user_id,
    CASE WHEN h % 7 = 0 THEN json_object('country', 'Country ' || (h % 37)) END AS traits
  FROM (SELECT range AS i, hash(range, $1::BIGINT) AS h FROM range(1, $2::BIGINT))`;

/** Every row of a table or view as text, in line order. */
const rowsText = async (q: Queryable, from: string): Promise<string> =>
  (await q.one<{ t: string }>(`SELECT string_agg(r::VARCHAR, chr(10) ORDER BY r.line) AS t FROM ${from} r`))!.t;

const leftovers = async (store: Store): Promise<string[]> =>
  (
    await store.all<{ n: string }>(
      `SELECT database_name AS n FROM duckdb_databases() WHERE NOT internal AND database_name NOT IN (SELECT current_database())
       UNION ALL SELECT table_name FROM duckdb_tables() WHERE temporary
       UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal ORDER BY 1`,
    )
  ).map((r) => r.n);

describe('staged import rows', () => {
  const store = storePerTest();

  it('read back from their compressed database exactly as they were written (random rows of every type)', async () => {
    const s = await store();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 6000 }), async (seed, n) => {
        await s.session(async (session) => {
          try {
            await attachRowsDatabase(session);
            await fillRows(session, { sql: RANDOM_ROWS, params: [seed, n + 1] }, { names: false }, []);
            await session.run(`CREATE TEMP TABLE t_written AS SELECT * FROM ${STAGED_ROWS}`);
            await compressRows(session);
            expect(await rowsText(session, 'imp_rows')).toBe(await rowsText(session, 't_written'));
            expect((await session.one<{ n: number }>('SELECT count(*) AS n FROM imp_rows'))!.n).toBe(n);
          } finally {
            await session.run('DROP TABLE IF EXISTS t_written');
            await dropImportTables(session);
          }
        });
      }),
      { numRuns: 6 },
    );
    expect(await leftovers(s)).toEqual([]);
  });

  it('are gone with their database when an import commits and when it fails inside its transaction', async () => {
    const s = await store();
    const report = await importFile(s, fixture('retail-small.csv'));
    expect(report.orders_new).toBeGreaterThan(0);
    expect(await leftovers(s)).toEqual([]);
    // The clock is read once before the transaction and again inside it: fail there, after the rows were compressed.
    let calls = 0;
    const now = (): Date => {
      if (++calls > 1) throw new Error('clock failed inside the transaction');
      return new Date('2026-01-01T00:00:00Z');
    };
    const orders = await s.all('SELECT * FROM orders ORDER BY order_id');
    await expect(importFile(s, fixture('shopify-orders.csv'), { now })).rejects.toThrow('clock failed inside the transaction');
    expect(calls).toBeGreaterThan(1);
    expect(await s.all('SELECT * FROM orders ORDER BY order_id')).toEqual(orders);
    expect(await leftovers(s)).toEqual([]);
    // and the next import attaches its own again
    expect((await importFile(s, fixture('shopify-orders.csv'))).orders_new).toBeGreaterThan(0);
    expect(await leftovers(s)).toEqual([]);
  });
});
