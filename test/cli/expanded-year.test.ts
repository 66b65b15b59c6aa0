import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { importRetailLines } from '../helpers/cli.js';
import { segmint } from '../helpers/serve.js';
import { withReopened } from '../helpers/store.js';

// Trial 13, C1: `--as-of +002011-12-10` (ISO 8601's expanded year, 2011) was refused as "outside the
// years segmint stores (0001 to 9999, UTC)". Every option and field that takes a date reads it by the
// one rule (domain/timestamp.ts), so each says the same: a sign before the year is not accepted, and
// shows the plain form.
const dir = mkdtempSync(join(tmpdir(), 'segmint-expanded-year-'));
const db = join(dir, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await importRetailLines(db, dir, [
    '1001,A1,CUP,1,2011-01-10 10:00:00,5.00,1.0,France',
    '1002,A1,CUP,1,2011-03-10 10:00:00,5.00,2.0,France',
  ]);
});

const EXPANDED = 'writes its year in the expanded form (a sign before the year), which segmint does not accept; write "2011-12-10"';

describe('an expanded year (+002011-12-10) given to a date option of the command', () => {
  const commands: [string, string[]][] = [
    ['segments preview --as-of', ['segments', 'preview', '--query', 'orders_count > 0', '--as-of', '+002011-12-10']],
    ['overview --as-of', ['overview', '--as-of', '+002011-12-10']],
    ['clv fit --calibration-end', ['clv', 'fit', '--calibration-end', '+002011-12-10']],
    ['propensity train --cutoff', ['propensity', 'train', '--cutoff', '+002011-12-10']],
    ['audit --since', ['audit', '--since', '+002011-12-10']],
    ['demo --end', ['demo', '--end', '+002011-12-10', '--customers', '50', '--port', '0']],
  ];
  it.each(commands)('%s says a sign before the year is not accepted, and the plain form', async (_name, args) => {
    const r = await segmint(['--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(EXPANDED);
    expect(r.stderr).not.toMatch(/outside the years/);
  });
});

describe('an expanded year in an API field', () => {
  it('is refused with the same sentence, naming the field', async () => {
    await withReopened(db, async (store) => {
      const app = await buildApp({ store, realtime: false });
      try {
        const headers = { authorization: `Bearer ${(await createApiKey(store, ['admin'])).key}` };
        const preview = await app.inject({ method: 'POST', url: '/v1/segments/preview', headers, payload: { query: 'orders_count > 0', asOf: '+002011-12-10' } });
        expect(preview.statusCode).toBe(400);
        expect(preview.json().message).toContain(EXPANDED);
        const validate = await app.inject({ method: 'GET', url: '/v1/clv/validation?calibrationEnd=%2B002011-12-10', headers });
        expect(validate.statusCode).toBe(400);
        expect(validate.json().message).toContain(EXPANDED);
        const cutoff = await app.inject({ method: 'GET', url: '/v1/propensity/validation?cutoff=%2B002011-12-10', headers });
        expect(cutoff.statusCode).toBe(400);
        expect(cutoff.json().message).toContain(EXPANDED);
      } finally {
        await app.close();
      }
    });
  });
});
