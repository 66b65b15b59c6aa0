import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/store/migrations/001_init.js';
import { importSchema } from '../../src/store/migrations/007_import.js';
import { orderLinesUnkeyed } from '../../src/store/migrations/016_order_lines_unkeyed.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterAll(() => cleanup());

describe('migration 16: order_lines without its primary key', () => {
  it('keeps every stored line and every column (types, NULL rules, the kind default), and drops only the key', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    // The table as migrations 1 and 7 made it, with lines in it.
    await t.store.run('DROP TABLE order_lines');
    await t.store.run(init.statements.find((s) => s.includes('CREATE TABLE order_lines')) as string);
    for (const s of importSchema.statements.filter((s) => s.startsWith('ALTER TABLE order_lines') || s === "UPDATE order_lines SET kind = 'product' WHERE kind IS NULL")) {
      await t.store.run(s);
    }
    await t.store.run(
      `INSERT INTO order_lines VALUES
         ('o2', 1, 'POST', 'POSTAGE', NULL, 18, 1, 18, 'shipping'),
         ('o1', 2, NULL, NULL, 'cups', 2.5, 4, 10, 'product'),
         ('o1', 1, 'A1', 'Mug', NULL, 0.0001, 1, 0.0001, 'product')`,
    );
    const rows = 'SELECT * FROM order_lines ORDER BY order_id, line_no';
    const before = await t.store.all(rows);
    const shape =
      "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'order_lines' ORDER BY ordinal_position";
    const columns = await t.store.all(shape);
    expect(await t.store.all("SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'order_lines' AND constraint_type = 'PRIMARY KEY'")).toHaveLength(1);
    await t.store.transaction(async (tx) => {
      for (const sql of orderLinesUnkeyed.statements) await tx.run(sql);
      await orderLinesUnkeyed.finish?.(tx);
    });
    expect(await t.store.all(rows)).toEqual(before);
    expect(await t.store.all(shape)).toEqual(columns);
    expect(await t.store.all("SELECT * FROM duckdb_constraints() WHERE table_name = 'order_lines' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')")).toEqual([]);
    // A line written without a kind is still a product.
    await t.store.run("INSERT INTO order_lines (order_id, line_no, amount) VALUES ('o3', 1, 5)");
    expect(await t.store.one("SELECT kind FROM order_lines WHERE order_id = 'o3'")).toEqual({ kind: 'product' });
  });

  it('applies before migration 7 too (migrations land in any order), which then adds the kind', async () => {
    const t = await tempStore();
    const done = cleanup;
    cleanup = () => {
      done();
      t.cleanup();
    };
    await t.store.run('DROP TABLE order_lines');
    await t.store.run(init.statements.find((s) => s.includes('CREATE TABLE order_lines')) as string);
    await t.store.run("INSERT INTO order_lines VALUES ('o1', 1, 'POST', 'POSTAGE', NULL, 18, 1, 18)");
    await t.store.transaction(async (tx) => {
      for (const sql of orderLinesUnkeyed.statements) await tx.run(sql);
      await orderLinesUnkeyed.finish?.(tx);
    });
    for (const s of importSchema.statements.filter((s) => s.includes('order_lines'))) await t.store.run(s);
    expect(await t.store.all('SELECT order_id, line_no, kind FROM order_lines')).toEqual([{ order_id: 'o1', line_no: 1, kind: 'product' }]);
    expect(await t.store.all("SELECT is_nullable, column_default FROM information_schema.columns WHERE table_name = 'order_lines' AND column_name = 'kind'")).toEqual([
      { is_nullable: 'NO', column_default: "'product'" },
    ]);
    expect(await t.store.all("SELECT * FROM duckdb_constraints() WHERE table_name = 'order_lines' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')")).toEqual([]);
  });
});
