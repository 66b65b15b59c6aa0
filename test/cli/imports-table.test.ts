import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordImport } from '../../src/store/queries/import/summary.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';

/**
 * Trial 10, C11: an import of 3 rows, 2 of them of an erased customer, was listed as "rows 3, left out
 * 0, new orders 1". The imports table has a column for the rows of erased customers, so the counts add
 * up (the dashboard's Imports table has the same column: test/web).
 */
describe('segmint imports', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
    await recordImport(t.store, {
      importId: 'imp_1',
      file: 'late.csv',
      sha256: '0'.repeat(64),
      format: 'generic',
      startedAt: new Date('2026-11-30T10:00:00Z'),
      finishedAt: new Date('2026-11-30T10:00:01Z'),
      report: { rows: 3, imported: 1, skipped: 0, erased_skipped: 2, orders_new: 1 },
    });
    t.store.close();
  });
  afterAll(() => t.cleanup());

  it('counts the rows of erased customers in a column of their own', async () => {
    const lines = (await runCli(t.path, 'imports')).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^started\s+file\s+format\s+rows\s+left out\s+erased\s+new orders\s+finished$/);
    expect(lines[2]).toMatch(/late\.csv\s+generic\s+3\s+0\s+2\s+1\s+yes$/);
  });
});
