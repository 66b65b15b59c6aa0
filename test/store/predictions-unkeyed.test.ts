import { afterAll, describe, expect, it } from 'vitest';
import { predictions } from '../../src/store/migrations/003_predictions.js';
import { predictionsUnkeyed } from '../../src/store/migrations/010_predictions_unkeyed.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterAll(() => cleanup());

describe('migration 10: customer_predictions without its primary key', () => {
  it('keeps every stored prediction and every column, and drops only the key', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    // The table as migration 3 made it, with two predictions in it (in place of the view of migration 17).
    await t.store.run('DROP VIEW customer_predictions');
    await t.store.run(predictions.statements.find((s) => s.includes('CREATE TABLE customer_predictions')) as string);
    await t.store.run(
      `INSERT INTO customer_predictions VALUES
         ('b', '2024-01-10', 'bg-nbd', 'm1', 0.25, 0.4, 0.6, 'medium', 12.5, 3.125, '2024-02-01 12:00:00', '2024-01-11'),
         ('a', '2024-01-10', 'bg-nbd', 'm1', 0, 1, 0, 'low', NULL, NULL, NULL, '2024-01-11')`,
    );
    const before = await t.store.all('SELECT * FROM customer_predictions ORDER BY customer_id');
    const shape = "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'customer_predictions' ORDER BY ordinal_position";
    const columns = await t.store.all(shape);
    await t.store.transaction(async (tx) => {
      for (const sql of predictionsUnkeyed.statements) await tx.run(sql);
    });
    expect(await t.store.all('SELECT * FROM customer_predictions ORDER BY customer_id')).toEqual(before);
    // The same columns, types and NULL rules (customer_id stays NOT NULL, as its key made it).
    expect(await t.store.all(shape)).toEqual(columns);
    expect(await t.store.all("SELECT * FROM duckdb_constraints() WHERE table_name = 'customer_predictions' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')")).toEqual([]);
  });
});
