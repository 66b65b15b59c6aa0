import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalNumber, wholeNumberIn } from '../../src/domain/whole-number.js';
import { listImports } from '../../src/ingest/import/history.js';
import { searchCustomers } from '../../src/profiles/search.js';
import { customerTimeline } from '../../src/profiles/timeline.js';
import { segmentHistory, segmentMembers } from '../../src/segments/manage/history.js';
import { previewSegment } from '../../src/segments/manage/preview.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import type { Store } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';

/**
 * A number out of an option's range is refused with the option, what was given and the range, never cut
 * to the bound (trial 7, D8: `segments preview --sample 5000` printed 100 rows and exited 0).
 */
describe('numeric options out of range are refused, not cut', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  beforeAll(async () => {
    t = await tempStore();
    store = t.store;
    await createSegment(store, { name: 'all', definition: { query: 'orders_count >= 0' } as never, description: null, notes: null });
  });
  afterAll(() => t.cleanup());

  // The CLI opens a database file of its own (a copy of the empty store, closed here).
  let cli: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    cli = await tempStore();
    await createSegment(cli.store, { name: 'all', definition: { query: 'orders_count >= 0' } as never, description: null, notes: null });
    cli.store.close();
  });
  afterAll(() => rmSync(cli.dir, { recursive: true, force: true }));
  it.each([
    [['segments', 'preview', '--query', 'orders_count > 1', '--sample', '101'], /^--sample: "101" is not a whole number from 0 to 100$/],
    [['segments', 'preview', '--query', 'orders_count > 1', '--sample', '5000'], /^--sample: "5000" is not a whole number from 0 to 100$/],
    [['segments', 'preview', '--query', 'orders_count > 1', '--sample', '-1'], /^--sample: "-1" is not a whole number from 0 to 100$/],
    [['segments', 'members', 'all', '--limit', '100001'], /^--limit: "100001" is not a whole number from 1 to 100,000$/],
    [['segments', 'history', 'all', '--limit', '100001'], /^--limit: "100001" is not a whole number from 1 to 100,000$/],
    [['customers', 'search', 'ann', '--limit', '101'], /^--limit: "101" is not a whole number from 1 to 100$/],
    [['customers', 'search', 'ann', '--limit', '0'], /^--limit: "0" is not a whole number from 1 to 100$/],
    [['imports', '--limit', '1001'], /^--limit: "1001" is not a whole number from 1 to 1,000$/],
    [['webhooks', 'deliveries', '--limit', '10001'], /^--limit: "10001" is not a whole number from 1 to 10,000$/],
    [['workflows', 'runs', '--limit', '10001'], /^--limit: "10001" is not a whole number from 1 to 10,000$/],
    // empty and all-space values are refused by the one rule for every option (empty-options.ts)
    [['customers', 'list', '--limit', ' '], /^--limit: " " is empty; leave --limit out to use its default/],
  ])('segmint %j', async (args, message) => {
    await expect(runCli(cli.path, ...args)).rejects.toThrow(message);
  });

  it('the functions behind the API refuse the same way, naming the field (a search of 500 hits is not cut to 100)', async () => {
    await expect(previewSegment(store, { query: 'orders_count > 1' }, { asOf: new Date('2024-01-01T00:00:00Z'), sampleSize: 101 })).rejects.toThrow(
      /^sample: "101" is not a whole number from 0 to 100$/,
    );
    await expect(searchCustomers(store, 'ann', 500)).rejects.toThrow(/^limit: "500" is not a whole number from 1 to 100$/);
    await expect(segmentMembers(store, 'all', { limit: 100_001 })).rejects.toThrow(/^limit: "100001"/);
    await expect(segmentMembers(store, 'all', { offset: -1 })).rejects.toThrow(/^offset: "-1" is not a whole number ≥ 0$/);
    await expect(segmentHistory(store, 'all', { limit: 0 })).rejects.toThrow(/^limit: "0"/);
    await expect(listImports(store, { limit: 1001 })).rejects.toThrow(/^limit: "1001"/);
    await expect(customerTimeline(store, 'nobody', { limit: 501 })).rejects.toThrow(/No customer has the identifier|limit: "501"/);
    // In range is taken as given.
    expect((await segmentMembers(store, 'all', { limit: 100_000 })).members).toEqual([]);
    expect(wholeNumberIn(100, 'sample', 0, 100)).toBe(100);
    expect(() => wholeNumberIn(1.5, 'sample', 0, 100)).toThrow(/^sample: "1.5" is not a whole number from 0 to 100$/);
  });

  // Recheck 7, N8: Number() reads 0x10 as 16 and 1e1 as 10; only decimal digits are a whole number, and every
  // whole-number option answers in the one sentence above.
  it.each([
    [['segments', 'preview', '--query', 'orders_count > 1', '--sample', '0x10'], /^--sample: "0x10" is not a whole number from 0 to 100$/],
    [['segments', 'preview', '--query', 'orders_count > 1', '--sample', '1e1'], /^--sample: "1e1" is not a whole number from 0 to 100$/],
    [['segments', 'members', 'all', '--limit', '0x10'], /^--limit: "0x10" is not a whole number from 1 to 100,000$/],
    [['customers', 'list', '--limit', '0b11'], /^--limit: "0b11" is not a whole number ≥ 0$/],
    [['recommend', '--product', 'x', '--n', '-1'], /^--n: "-1" is not a whole number from 1 to 1,000$/],
    [['recommend', '--product', 'x', '--n', '0'], /^--n: "0" is not a whole number from 1 to 1,000$/],
    [['recommend', '--product', 'x', '--n', '1e1'], /^--n: "1e1" is not a whole number from 1 to 1,000$/],
    [['clusters', '--k', '0'], /^--k: "0" is not auto or a whole number ≥ 1$/],
    [['clusters', '--k', '0x2'], /^--k: "0x2" is not auto or a whole number ≥ 1$/],
    [['clusters', '--seed', '1e3'], /^--seed: "1e3" is not a whole number ≥ 0$/],
    [['clusters', '--method', 'dbscan', '--min-points', '0x3'], /^--min-points: "0x3" is not a whole number ≥ 1$/],
    [['propensity', 'train', '--horizon', '3e1'], /^--horizon: "3e1" is not a whole number from 1 to 730$/],
    [['workflows', 'show', 'w', '--version', '0x1'], /^--version: "0x1" is not a whole number ≥ 1$/],
    [['audit', '--limit', '1e2'], /^--limit: "1e2" is not a whole number from 1 to 10,000$/],
    [['serve', '--port', '0x50'], /^--port: "0x50" is not a whole number from 0 to 65,535$/],
    [['clv', 'fit', '--seed', '0x1'], /^--seed: "0x1" is not a whole number from 0 to 2,147,483,648$/],
  ])('segmint %j takes only decimal digits', async (args, message) => {
    await expect(runCli(cli.path, ...args)).rejects.toThrow(message);
  });

  it('wholeNumberIn reads a text only as decimal digits (blanks around and a minus allowed)', () => {
    expect(wholeNumberIn(' 16 ', 'n', 0)).toBe(16);
    expect(() => wholeNumberIn('-2', 'n', 0)).toThrow(/^n: "-2" is not a whole number ≥ 0$/);
    for (const text of ['0x10', '1e1', '0b1', '0o7', 'Infinity', '1.0', '+1', '', '1_000']) {
      expect(() => wholeNumberIn(text, 'n', 0), text).toThrow(`n: "${text}" is not a whole number ≥ 0`);
    }
  });

  // Decimal options (rates, lengths in a time unit, seconds) are read as decimal text too: Number() took
  // `--horizon 1e1` as 10 days and `--discount 0x0` as 0.
  it.each([
    [['clv', 'predict', '--horizon', '1e1'], /^--horizon: "1e1" must be a number from 1 to 36,525\.$/],
    [['clv', 'predict', '--discount', '0x0'], /^--discount: "0x0" must be a number from 0 to 10\.$/],
    [['clv', 'predict', '--discount', ''], /^--discount: "" is empty; leave --discount out to use its default/],
    [['serve', '--webhook-first-retry', '1e1'], /--webhook-first-retry must be a number of seconds from 0 to 3,600, not "1e1"/],
  ])('segmint %j takes only decimal numbers', async (args, message) => {
    await expect(runCli(cli.path, ...args)).rejects.toThrow(message);
  });

  it('decimalNumber reads only decimal text', () => {
    expect([' 12 ', '-0.5', '.25', '3.', '0.10'].map(decimalNumber)).toEqual([12, -0.5, 0.25, 3, 0.1]);
    for (const text of ['1e1', '0x10', 'Infinity', '', ' ', '1,5', '+1', '1.2.3', '.']) expect(decimalNumber(text), text).toBeNaN();
  });

  it('no source file cuts a count to a range with Math.min/Math.max any more (the kind of D8)', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const clipping = /Math\.max\(\s*[01]\s*,\s*Math\.min\(\s*[\d_]+\s*,\s*Math\.trunc\(\s*(opts|options|limit|sample)/;
    expect(files(src).filter((f) => clipping.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
