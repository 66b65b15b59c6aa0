import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import { createApiKey } from '../../../src/server/keys.js';
import { Store } from '../../../src/store/db.js';
import { runCli, withStderr } from '../../helpers/cli.js';

// Trial 13, M2: `segments refresh --as-of` before some orders records members chosen by customer metrics
// that count those later orders (history dated at the as-of), and says nothing, while `segments preview`
// of the same definition at the same as-of warns (stored_moment). Customer 1 orders on 10 January,
// 10 March and 10 June 2024: as of 1 February they had 1 order, not 3.
const dir = mkdtempSync(join(tmpdir(), 'segmint-refresh-as-of-'));
const db = join(dir, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const csv = join(dir, 'orders.csv');
  writeFileSync(
    csv,
    [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '1001,A1,CUP,1,2024-01-10 10:00:00,5.00,1.0,France',
      '1002,A1,CUP,1,2024-03-10 10:00:00,5.00,1.0,France',
      '1003,A1,CUP,1,2024-06-10 10:00:00,5.00,1.0,France',
      '1004,A1,CUP,2,2024-01-20 10:00:00,5.00,2.0,France',
    ].join('\n') + '\n',
  );
  await withStderr(() => runCli(db, 'import', csv));
  await withStderr(() => runCli(db, 'segments', 'create', 'regulars', '--query', 'orders_count >= 2'));
});

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
