import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { runCli, withStderr } from '../helpers/cli.js';
import { fixture } from '../import/helpers.js';

// Trial 6, D3: one order dated 9999 (stored before such dates were refused, or by an older version)
// moved every describing command to "as of +010000-01" and made `cohorts` run for ever. The default
// as-of now stops at midnight after today, says how many orders it left out, and cohorts ends by today.
const dir = mkdtempSync(join(tmpdir(), 'segmint-future-'));
const db = join(dir, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await runCli(db, 'import', fixture('retail-small.csv'));
  const store = await Store.open(db);
  try {
    // written past the import's checks, as data stored before this rule would be
    await store.run(
      `INSERT INTO orders SELECT 'future-1', customer_id, 'order', TIMESTAMP '9999-12-31 12:00:00', 5, 'GBP', NULL, 'test'
       FROM identities WHERE value = '17850' LIMIT 1`,
    );
  } finally {
    await store.close();
  }
});

/** Midnight (UTC) after today: the latest default as-of there can be. */
const tomorrow = (): string => {
  const n = new Date();
  return new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate() + 1)).toISOString();
};

describe('an order dated in the future', () => {
  it('is in the store (the test would prove nothing otherwise)', async () => {
    const store = await Store.open(db);
    try {
      expect(await store.one(`SELECT count(*)::INTEGER AS n FROM orders WHERE order_id = 'future-1' AND customer_id IS NOT NULL`)).toEqual({ n: 1 });
    } finally {
      await store.close();
    }
  });

  it('does not move the default as-of of rfm, clusters and overview past midnight after today, and is named in a warning', async () => {
    for (const args of [['rfm', '--no-save'], ['clusters', '--k', '2', '--no-save'], ['overview', '--no-quality']]) {
      const { out, err } = await withStderr(() => runCli(db, ...args, '--json'));
      const j = JSON.parse(out) as { as_of?: string; asOf?: string };
      expect(new Date(j.as_of ?? j.asOf!).toISOString()).toBe(tomorrow());
      expect(err).toMatch(/warning: 1 order is dated \d{4}-\d{2}-\d{2} or later, in the future; the default as-of stops at midnight after today/);
    }
    expect(await runCli(db, 'overview', '--no-quality')).not.toMatch(/\+0?10000/);
  });

  it('customers explain: no "7972.9 years ago"', async () => {
    const text = await runCli(db, 'customers', 'explain', '17850');
    expect(text).toMatch(new RegExp(`as of ${tomorrow().slice(0, 10)}:`));
    // the last order of this customer that has happened is of 2010; the one dated 9999 is not counted
    expect(text).not.toMatch(/7972|\+010000/);
  });

  it('cohorts finishes and ends at the last real order (by month and by week)', async () => {
    for (const by of ['month', 'week']) {
      const j = JSON.parse(await runCli(db, 'cohorts', '--by', by, '--json')) as { data_end: string };
      expect(j.data_end).toBe('2010-12-02');
    }
  });
});
