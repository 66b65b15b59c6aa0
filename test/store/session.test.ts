import { describe, expect, it } from 'vitest';
import { SegmintError } from '../../src/domain/errors.js';
import { importFile } from '../../src/ingest/import/run.js';
import type { Store } from '../../src/store/db.js';
import { fixture } from '../import/helpers.js';
import { storePerTest } from '../helpers/store.js';

const tempTables = async (store: Store): Promise<string[]> =>
  (await store.all<{ t: string }>("SELECT table_name AS t FROM duckdb_tables() WHERE temporary UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal ORDER BY 1")).map((r) => r.t);

describe('Store.session', () => {
  const store = storePerTest();

  it('runs statements outside a transaction, then one transaction that commits or rolls back alone', async () => {
    const s = await store();
    await s.session(async (session) => {
      await session.run('CREATE TEMP TABLE t_session AS SELECT 1 AS x');
      await expect(
        session.transaction(async (tx) => {
          await tx.run("INSERT INTO api_keys VALUES ('k1', 'h1', 'write', NULL, now(), NULL)");
          throw new SegmintError('boom', 'boom');
        }),
      ).rejects.toThrow('boom');
      // The rollback took the transaction's row, not the table made before it.
      expect((await session.one<{ n: number }>('SELECT count(*) AS n FROM t_session'))!.n).toBe(1);
      await session.transaction((tx) => tx.run("INSERT INTO api_keys VALUES ('k2', 'h2', 'write', NULL, now(), NULL)"));
      await session.run('DROP TABLE t_session');
    });
    expect(await s.all<{ key_id: string }>('SELECT key_id FROM api_keys')).toEqual([{ key_id: 'k2' }]);
  });

  it('holds the connection: other statements wait until it ends', async () => {
    const s = await store();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const session = s.session(async (ss) => {
      await ss.run('CREATE TEMP TABLE t_held AS SELECT 1 AS x');
      order.push('session start');
      await held;
      order.push('session end');
      await ss.run('DROP TABLE t_held');
    });
    const other = s.one('SELECT 1').then(() => order.push('other'));
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([session, other]);
    expect(order).toEqual(['session start', 'session end', 'other']);
  });
});

describe('an import', () => {
  const store = storePerTest();

  it('leaves no temporary table behind, imported or refused after the file was read', async () => {
    const s = await store();
    await importFile(s, fixture('retail-small.csv'));
    expect(await tempTables(s)).toEqual([]);
    // A mistyped option is refused once the file is staged (its columns are known by then).
    await expect(importFile(s, fixture('retail-small.csv'), { decimal: ['Nope=point'] })).rejects.toThrow('--decimal');
    expect(await tempTables(s)).toEqual([]);
  });
});
