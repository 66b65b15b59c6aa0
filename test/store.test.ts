import { describe, expect, it } from 'vitest';
import { Store } from '../src/store/db.js';
import { SegmintError } from '../src/domain/errors.js';
import { latestVersion, migrations } from '../src/store/migrations/index.js';
import { tempStore } from './helpers/store.js';

describe('store', () => {
  it('migrates a new file to the latest schema and reopens it without redoing work', async () => {
    const t = await tempStore();
    const v = await t.store.one<{ v: number }>('SELECT max(version) v FROM schema_migrations');
    expect(v?.v).toBe(latestVersion);
    t.store.close();
    const again = await Store.open(t.path);
    const n = await again.one<{ n: number }>('SELECT count(*) n FROM schema_migrations');
    // One row per migration (versions are reserved per feature, so they need not be contiguous).
    expect(n?.n).toBe(migrations.length);
    again.close();
    t.cleanup();
  });

  it('applies a migration that landed after a later-numbered one (reserved versions arrive in any order)', async () => {
    const t = await tempStore();
    // One whose statements only create tables and views, so dropping them undoes it (an ALTER could not be re-run).
    const undoable = migrations.filter((m) => m.version < latestVersion && m.statements.every((sql) => /^\s*CREATE /i.test(sql)));
    const middle = undoable[Math.floor(undoable.length / 2)]!;
    // As if the file were made before this migration existed: its tables and its row gone.
    await t.store.run('DELETE FROM schema_migrations WHERE version = $1', [middle.version]);
    for (const sql of middle.statements) {
      const made = /^\s*CREATE (TABLE|VIEW) (\w+)/i.exec(sql);
      if (made) await t.store.run(`DROP ${made[1]!.toUpperCase()} ${made[2]} CASCADE`);
    }
    t.store.close();
    const again = await Store.open(t.path);
    const versions = (await again.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
    expect(versions).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b));
    again.close();
    t.cleanup();
  });

  it('refuses a file written by a newer schema with a clear message', async () => {
    const t = await tempStore();
    await t.store.run('INSERT INTO schema_migrations VALUES ($1, $2, now())', [latestVersion + 5, 'future']);
    t.store.close();
    await expect(Store.open(t.path)).rejects.toThrow(/newer segmint \(schema version/);
    t.cleanup();
  });

  it('binds values as parameters, never as SQL text', async () => {
    const t = await tempStore();
    const evil = "x'); DROP TABLE customers; --";
    const row = await t.store.one<{ s: string }>('SELECT $1 AS s', [evil]);
    expect(row?.s).toBe(evil);
    const tables = await t.store.all("SELECT table_name FROM information_schema.tables WHERE table_name = 'customers'");
    expect(tables).toHaveLength(1);
    t.cleanup();
  });

  it('rolls a failed transaction back', async () => {
    const t = await tempStore();
    await expect(
      t.store.transaction(async (tx) => {
        await tx.run("INSERT INTO api_keys VALUES ('k1', 'h1', 'write', NULL, now(), NULL)");
        throw new SegmintError('boom', 'boom');
      }),
    ).rejects.toThrow('boom');
    const n = await t.store.one<{ n: number }>('SELECT count(*) n FROM api_keys');
    expect(n?.n).toBe(0);
    t.cleanup();
  });
});

describe('list parameters', () => {
  it('bind with the type of their elements, whatever comes first', async () => {
    const t = await tempStore();
    const nums = await t.store.all<{ x: number }>('SELECT unnest($1::DOUBLE[]) AS x', [[1, 2.5, null, 3]]);
    expect(nums.map((r) => r.x)).toEqual([1, 2.5, null, 3]);
    const strs = await t.store.all<{ x: string }>('SELECT unnest($1) AS x', [[null, 'a', "b'c"]]);
    expect(strs.map((r) => r.x)).toEqual([null, 'a', "b'c"]);
    const empty = await t.store.all('SELECT unnest($1::VARCHAR[]) AS x', [[]]);
    expect(empty).toEqual([]);
    t.cleanup();
  });
});
