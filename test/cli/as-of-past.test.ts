import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRetailLines, runCli, withStderr } from '../helpers/cli.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';

// Recheck 7, N4 and N5: with an as-of before some orders, `segments explain` and `customers show` quoted
// metrics counting those later orders as if they were values at the as-of (a last order six months in the
// future given as the reason), and `overview` printed all-time totals under "as of". Customer 1 orders on
// 10 January, 10 March and 10 June 2024; as of 1 February they had 1 order, not 3.
const dir = mkdtempSync(join(tmpdir(), 'segmint-as-of-past-'));
const db = join(dir, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await importRetailLines(db, dir, [
    '1001,A1,CUP,1,2024-01-10 10:00:00,5.00,1.0,France',
    '1002,A1,CUP,1,2024-03-10 10:00:00,5.00,1.0,France',
    '1003,A1,CUP,1,2024-06-10 10:00:00,5.00,1.0,France',
    '1004,A1,CUP,2,2024-01-20 10:00:00,5.00,2.0,France',
  ]);
  await withStderr(() => runCli(db, 'segments', 'create', 'regulars', '--query', 'orders_count >= 2'));
});

const LATER = /warning: orders_count.* over every order up to 2024-06-10, later than this as-of \(2024-02-01\): they count orders placed after it\./;

describe('an as-of before some orders', () => {
  it('segments explain gives the warning segments preview gives for the same definition and as-of', async () => {
    const preview = await withStderr(() => runCli(db, 'segments', 'preview', '--query', 'orders_count >= 2', '--as-of', '2024-02-01'));
    const previewWarning = /warning: .*customer metric.*/.exec(preview.out)?.[0];
    expect(previewWarning).toMatch(/orders_count is a customer metric over every order up to 2024-06-10, later than this as-of \(2024-02-01\)/);
    const explain = await withStderr(() => runCli(db, 'segments', 'explain', 'regulars', '1', '--as-of', '2024-02-01'));
    expect(explain.out).toContain(previewWarning);
    // --json keeps its shape; the sentence goes to stderr
    const json = await withStderr(() => runCli(db, 'segments', 'explain', 'regulars', '1', '--as-of', '2024-02-01', '--json'));
    expect(JSON.parse(json.out)).toMatchObject({ segment: 'regulars' });
    expect(json.err).toContain(previewWarning);
    // as of a moment after every order: nothing to say
    expect((await withStderr(() => runCli(db, 'segments', 'explain', 'regulars', '1', '--as-of', '2024-07-01'))).out).not.toMatch(/warning/);
  });

  it('customers show says its metrics count orders after the as-of, in the same sentence', async () => {
    const { out } = await withStderr(() => runCli(db, 'customers', 'show', '1', '--as-of', '2024-02-01'));
    expect(out).toMatch(LATER);
    const json = JSON.parse((await withStderr(() => runCli(db, 'customers', 'show', '1', '--as-of', '2024-02-01', '--json'))).out) as { warnings: { code: string; storedAsOf: string }[] };
    expect(json.warnings).toMatchObject([{ code: 'stored_moment', storedAsOf: '2024-06-10T10:00:00.000Z' }]);
    // customer 2's only order is before the as-of: their metrics are right as of it
    expect((await withStderr(() => runCli(db, 'customers', 'show', '2', '--as-of', '2024-02-01'))).out).not.toMatch(/warning/);
    expect((await withStderr(() => runCli(db, 'customers', 'show', '1', '--as-of', '2024-07-01'))).out).not.toMatch(/warning/);
  });

  it('overview says its counts are of all data, to the latest order, when the as-of is earlier', async () => {
    const past = await withStderr(() => runCli(db, 'overview', '--as-of', '2024-02-01'));
    expect(past.out).toMatch(/^Overview as of 2024-02-01\nAll data, to the latest order \(2024-06-10T10:00:00Z\), orders after 2024-02-01 included; only the revenue windows end at 2024-02-01:\n {2}customers +2\n/);
    const json = JSON.parse((await withStderr(() => runCli(db, 'overview', '--as-of', '2024-02-01', '--json'))).out) as Record<string, unknown>;
    expect(json).toMatchObject({ as_of: '2024-02-01', stats_after_as_of: true, stats: { orders: 4 } });
    const now = await withStderr(() => runCli(db, 'overview'));
    expect(now.out).toMatch(/^Overview as of 2024-06-11\n {2}customers/);
    expect(JSON.parse((await withStderr(() => runCli(db, 'overview', '--json'))).out)).toMatchObject({ stats_after_as_of: false });
  });
});

// Trial 13, M2: `segments refresh --as-of` gives the stored_moment warning preview gives (same fixture).
describe('segments refresh --as-of before some orders', () => {
  it('gives the stored_moment warning segments preview gives for the same definition and as-of', async () => {
    const preview = await withStderr(() => runCli(db, 'segments', 'preview', '--query', 'orders_count >= 2', '--as-of', '2024-02-01'));
    const previewWarning = /warning: .*customer metric.*/.exec(preview.out)?.[0];
    expect(previewWarning).toBeDefined();
    const refresh = await withStderr(() => runCli(db, 'segments', 'refresh', 'regulars', '--as-of', '2024-02-01'));
    expect(refresh.out + refresh.err).toContain(previewWarning);
  });

  it('gives it in --json, on the segment and in a `warnings` list naming it', async () => {
    const json = JSON.parse((await withStderr(() => runCli(db, 'segments', 'refresh', 'regulars', '--as-of', '2024-02-01', '--json'))).out) as Record<string, unknown>;
    const warning = { code: 'stored_moment', fields: ['orders_count'], table: 'customer_metrics', message: expect.stringMatching(/customer metric .* orders placed after it/) };
    expect(json.segments).toEqual([expect.objectContaining({ name: 'regulars', warnings: [expect.objectContaining(warning)] })]);
    expect(json.warnings).toEqual([expect.objectContaining({ segment: 'regulars', ...warning })]);
  });

  it('gives it in the answer of POST /v1/segments/refresh, and none at an as-of after every order', async () => {
    const store = await Store.open(db);
    const app = await buildApp({ store, realtime: false });
    try {
      const headers = { authorization: `Bearer ${(await createApiKey(store, ['admin'])).key}` };
      const early = await app.inject({ method: 'POST', url: '/v1/segments/refresh', headers, payload: { name: 'regulars', asOf: '2024-02-01' } });
      expect(early.json().warnings).toEqual([expect.objectContaining({ segment: 'regulars', code: 'stored_moment', fields: ['orders_count'] })]);
      const late = await app.inject({ method: 'POST', url: '/v1/segments/refresh', headers, payload: { name: 'regulars', asOf: '2024-07-01' } });
      expect(late.json()).toMatchObject({ warnings: [], segments: [{ name: 'regulars', members: 1 }] });
      expect(late.json().segments[0]).not.toHaveProperty('warnings');
    } finally {
      await app.close();
      store.close();
    }
  });
});
