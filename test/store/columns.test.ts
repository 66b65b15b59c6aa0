import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { emptyTable } from '../../src/store/queries/empty-table.js';
import { tempStore } from '../helpers/store.js';

let store: Store;
let cleanup: () => void = () => undefined;
beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());

describe('column reads', () => {
  it('give every column the values the row API gives, numbers as doubles with NULL as NaN, across chunks', async () => {
    // 5,000 rows: more than two of DuckDB's 2,048-row chunks.
    const sql = `SELECT i::INTEGER AS i, (i * 10)::BIGINT AS big, (i / 4)::DECIMAL(18,2) AS money, i / 3 AS ratio,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.5 END AS maybe, 'c' || i AS name,
        CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + to_days(i) END AS at
      FROM range(5000) t(i) WHERE i >= $1 ORDER BY i`;
    const cols = await store.columns(sql, [0]);
    const rows = await store.all<Record<string, number | string | Date | null>>(sql, [0]);
    expect(cols.length).toBe(5000);
    expect(cols.names).toEqual(['i', 'big', 'money', 'ratio', 'maybe', 'name', 'at']);
    for (const name of ['i', 'big', 'money', 'ratio', 'maybe']) {
      const column = cols.numbers(name);
      expect(column).toBeInstanceOf(Float64Array);
      rows.forEach((r, k) => (r[name] === null ? expect(column[k]).toBeNaN() : expect(column[k]).toBe(Number(r[name]))));
    }
    expect(cols.values<string>('name')).toEqual(rows.map((r) => r.name));
    expect(cols.values<Date | null>('at')).toEqual(rows.map((r) => r.at));
    expect(() => cols.numbers('name')).toThrow(/not numeric/);
    expect(() => cols.values('i')).toThrow(/numeric: use numbers/);
    expect(() => cols.numbers('nope')).toThrow(/missing/);
    const none = await store.columns('SELECT 1 AS one WHERE false');
    expect(none.length).toBe(0);
    expect(none.numbers('one')).toHaveLength(0);
  });
});

describe('whole-vector copies', () => {
  it('read and append DOUBLE, BIGINT and INTEGER columns with NULLs scattered across bytes and chunks', async () => {
    // NULL at every position a validity byte or word can put it (i % 13, i % 64 = 63), and whole chunks without any.
    const n = 7000;
    const isNull = (i: number) => i < 4096 && (i % 13 === 0 || i % 64 === 63);
    const sql = `SELECT CASE WHEN (i % 13 = 0 OR i % 64 = 63) AND i < 4096 THEN NULL ELSE i / 7 END AS d,
        CASE WHEN (i % 13 = 0 OR i % 64 = 63) AND i < 4096 THEN NULL ELSE (i * 3)::BIGINT END AS b,
        CASE WHEN (i % 13 = 0 OR i % 64 = 63) AND i < 4096 THEN NULL ELSE (i - 5000)::INTEGER END AS n
      FROM range(${n}) t(i) ORDER BY i`;
    const cols = await store.columns(sql);
    for (let i = 0; i < n; i++) {
      if (isNull(i)) {
        expect([cols.numbers('d')[i], cols.numbers('b')[i], cols.numbers('n')[i]]).toEqual([NaN, NaN, NaN]);
      } else {
        expect([cols.numbers('d')[i], cols.numbers('b')[i], cols.numbers('n')[i]]).toEqual([i / 7, i * 3, i - 5000]);
      }
    }
    await store.run('CREATE TABLE copied (d DOUBLE, n INTEGER, s VARCHAR)');
    const nulls = Uint8Array.from({ length: n }, (_, i) => (isNull(i) ? 1 : 0));
    // A view into a larger buffer: the copy must start at the view, not at the buffer.
    const d = new Float64Array(n + 3).subarray(3);
    d.set(cols.numbers('d'));
    await store.append('copied', [
      { type: 'DOUBLE', values: d, nulls },
      { type: 'INTEGER', values: Uint8Array.from({ length: n }, (_, i) => i % 251), nulls },
      // Text NULLs at the same places: the first NULL of a chunk is not always its first row.
      { type: 'VARCHAR', values: Array.from({ length: n }, (_, i) => (isNull(i) ? null : `s${i}`)) },
    ]);
    const back = await store.all<{ d: number | null; n: number | null; s: string | null }>('SELECT d, n, s FROM copied');
    expect(back).toEqual(
      Array.from({ length: n }, (_, i) => (isNull(i) ? { d: null, n: null, s: null } : { d: i / 7, n: i % 251, s: `s${i}` })),
    );
  });
});

describe('column appends', () => {
  it('append a table, NaN kept and nulls marked, inside a transaction that commits or rolls back', async () => {
    await store.run('CREATE TABLE appended (name VARCHAR, value DOUBLE, n INTEGER)');
    const values = Float64Array.from({ length: 3000 }, (_, i) => (i === 1 ? NaN : i / 8));
    const nulls = Uint8Array.from({ length: 3000 }, (_, i) => (i === 2 ? 1 : 0));
    const names = Array.from({ length: 3000 }, (_, i) => (i === 3 ? null : `n${i}`));
    const n = Int32Array.from({ length: 3000 }, (_, i) => i * 2);
    await expect(
      store.transaction(async (tx) => {
        await tx.append('appended', [
          { type: 'VARCHAR', values: names },
          { type: 'DOUBLE', values, nulls },
          { type: 'INTEGER', values: n },
        ]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow(/changed my mind/);
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM appended'))?.n).toBe(0);
    await store.transaction((tx) =>
      tx.append('appended', [
        { type: 'VARCHAR', values: names },
        { type: 'DOUBLE', values, nulls },
        { type: 'INTEGER', values: n },
      ]),
    );
    const back = await store.columns('SELECT name, value, n, value IS NULL AS missing, isnan(value) AS nan FROM appended ORDER BY n');
    expect(back.length).toBe(3000);
    expect(back.values('name')).toEqual(names);
    expect(back.numbers('n')).toEqual(Float64Array.from(n));
    expect(back.values('missing').filter(Boolean)).toHaveLength(1);
    expect(back.values<boolean | null>('nan')[1]).toBe(true);
    expect(back.numbers('value')[2]).toBeNaN();
    expect(back.numbers('value')[2999]).toBe(2999 / 8);
  });

  it('append VARCHAR columns exactly as binding the same strings to a placeholder stores them, NULLs in every chunk', async () => {
    // 5,000 rows: three chunks; short strings (kept inline by DuckDB) and long ones, empty, non-Latin,
    // astral characters; NULLs scattered through whole bytes and across chunk boundaries.
    const pick = ['', 'a', 'twelve bytes', 'thirteen byte', 'é', '名前', '😀 emoji', 'x'.repeat(300), '{"a":1.50}'];
    const names = Array.from({ length: 5000 }, (_, i) => (i % 7 === 3 || (i >= 2040 && i < 2056) || i === 4999 ? null : `${pick[i % pick.length]}${i % 3 ? i : ''}`));
    await store.run('CREATE TABLE texts (i INTEGER, name VARCHAR)');
    await store.run('CREATE TABLE texts_bound (i INTEGER, name VARCHAR)');
    await store.transaction((tx) => tx.append('texts', [{ type: 'INTEGER', values: Int32Array.from(names, (_, i) => i) }, { type: 'VARCHAR', values: names }]));
    await store.run('INSERT INTO texts_bound SELECT generate_subscripts($1::VARCHAR[], 1) - 1, unnest($1::VARCHAR[])', [names]);
    const appended = await store.columns('SELECT name FROM texts ORDER BY i');
    const bound = await store.columns('SELECT name FROM texts_bound ORDER BY i');
    expect(appended.values('name')).toEqual(bound.values('name'));
    expect(appended.values('name')).toEqual(names);
  });

  it('refuse columns that do not match the table, naming the column', async () => {
    await store.run('CREATE TABLE typed (name VARCHAR, value DOUBLE)');
    await expect(store.append('typed', [{ type: 'VARCHAR', values: ['a'] }])).rejects.toThrow(/2 columns, 1 given/);
    await expect(
      store.append('typed', [
        { type: 'DOUBLE', values: Float64Array.of(1) },
        { type: 'DOUBLE', values: Float64Array.of(1) },
      ]),
    ).rejects.toThrow(/column 1 is VARCHAR, DOUBLE given/);
    await expect(store.append('typed; DROP TABLE typed', [])).rejects.toThrow(/Not a table name/);
  });
});

describe('emptyTable', () => {
  it('keeps the definition, primary key and indexes, and a rollback brings the rows back', async () => {
    await store.run('CREATE TABLE keyed (id VARCHAR PRIMARY KEY, v DOUBLE NOT NULL)');
    await store.run('CREATE INDEX keyed_v ON keyed (v)');
    await store.run("INSERT INTO keyed SELECT 'k' || i, i FROM range(100) t(i)");
    await expect(
      store.transaction(async (tx) => {
        await emptyTable(tx, 'keyed');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM keyed'))?.n).toBe(100);
    await store.transaction((tx) => emptyTable(tx, 'keyed'));
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM keyed'))?.n).toBe(0);
    await store.run("INSERT INTO keyed VALUES ('a', 1)");
    await expect(store.run("INSERT INTO keyed VALUES ('a', 2)")).rejects.toThrow(/Duplicate key|PRIMARY KEY|constraint/i);
    await expect(store.run("INSERT INTO keyed VALUES ('b', NULL)")).rejects.toThrow(/NOT NULL/i);
    expect(await store.all("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'keyed'")).toEqual([{ index_name: 'keyed_v' }]);
  });
});

describe('TIMESTAMP appends', () => {
  it('store each instant as binding the same Date to a placeholder does, NULLs and far years included, across chunks', async () => {
    await store.run('CREATE TABLE stamped (i INTEGER, t TIMESTAMP)');
    const n = 5000;
    const ms = (i: number) => [Date.UTC(2024, 0, 1) + i * 86_399_123, Date.UTC(1, 0, 1) - 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999), -1, 0][i % 5]!;
    const nulls = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 1 : 0));
    await store.append('stamped', [
      { type: 'INTEGER', values: Int32Array.from({ length: n }, (_, i) => i) },
      { type: 'TIMESTAMP', values: Float64Array.from({ length: n }, (_, i) => ms(i)), nulls },
    ]);
    // The reference: the same instants bound as Dates to placeholders (db.ts binds them as UTC text).
    const mismatched = [];
    for (let i = 0; i < 40; i++) {
      const row = await store.one<{ same: boolean }>('SELECT t IS NOT DISTINCT FROM $2::TIMESTAMP AS same FROM stamped WHERE i = $1', [i, nulls[i] ? null : new Date(ms(i))]);
      if (!row?.same) mismatched.push(i);
    }
    expect(mismatched).toEqual([]);
    const back = await store.all<{ t: Date | null }>('SELECT t FROM stamped ORDER BY i');
    expect(back.map((r) => (r.t === null ? null : r.t.getTime()))).toEqual(Array.from({ length: n }, (_, i) => (nulls[i] ? null : ms(i))));
    await expect(store.append('stamped', [{ type: 'INTEGER', values: Int32Array.of(1) }, { type: 'TIMESTAMP', values: Float64Array.of(0.5) }])).rejects.toThrow(/whole milliseconds/);
  });
});
