import { afterAll, describe, expect, it } from 'vitest';
import { emailTrait } from '../../src/store/migrations/019_email_trait.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterAll(() => cleanup());

describe('migration 19: the email trait stored as the email identity is', () => {
  it('trims and lower-cases stored email traits, and leaves every other trait and value as it was', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const rows: [string, string][] = [
      ['a', '{"email":" Cara@Example.com ","name":" Cara "}'],
      ['b', '{"email":"\\tDAN@x.IO\\u00a0","plan":"Pro"}'],
      ['c', '{"email":"done@example.com"}'],
      ['d', '{"email":42,"Email":" Keep@Me "}'],
      ['e', '{"name":"No Mail"}'],
      ['f', '{}'],
    ];
    for (const [id, traits] of rows) {
      await t.store.run("INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ($1, TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', $2::JSON)", [id, traits]);
    }
    await t.store.transaction(async (tx) => {
      for (const sql of emailTrait.statements) await tx.run(sql);
    });
    const after = await t.store.all<{ customer_id: string; t: string }>('SELECT customer_id, traits::VARCHAR t FROM customers ORDER BY customer_id');
    expect(after.map((r) => [r.customer_id, JSON.parse(r.t)])).toEqual([
      ['a', { email: 'cara@example.com', name: ' Cara ' }],
      ['b', { email: 'dan@x.io', plan: 'Pro' }],
      ['c', { email: 'done@example.com' }],
      ['d', { email: 42, Email: ' Keep@Me ' }],
      ['e', { name: 'No Mail' }],
      ['f', {}],
    ]);
    // updated_at is left alone: the data did not change, only how it is written.
    expect(await t.store.all("SELECT DISTINCT updated_at FROM customers")).toEqual([{ updated_at: new Date('2024-01-01T00:00:00Z') }]);
  });
});
