import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSegmintError } from '../../src/domain/errors.js';
import { formatReport } from '../../src/ingest/import/report.js';
import { importFile } from '../../src/ingest/import/run.js';
import { requestErasure, runRegulation } from '../../src/privacy/regulations.js';
import { basic, testServer, type TestServer } from '../server/helpers.js';

// recheck12 N6: after `customers erase mia-1 ghost@example.test`, the handed older Shopify export has 4
// rows: 3 of Mia (erased, skipped as docs/privacy.md says) and 1 malformed (line 6, price "abc"). Every
// place that puts the import's counts into words must count all 4: the nothing-stored refusal (CLI and
// the server's import job) as well as the normal report. The counts are read off the file by hand:
// lines 2–3 (order #1001, one quoted value over two lines) and 4 (#1002) are Mia's; line 6 is Leo's.

const caseFile = (name: string): string => fileURLToPath(new URL(`../../../shared/cases/${name}`, import.meta.url));
const olderExport = caseFile('older-shopify-export.csv');
const liveOptOut = JSON.parse(readFileSync(caseFile('live-opt-out.identify.json'), 'utf8')) as Record<string, unknown>;

let srv: TestServer;

beforeAll(async () => {
  srv = await testServer(['admin']);
  expect((await srv.post('/v1/identify', liveOptOut)).status).toBe(200);
  const id = await requestErasure(srv.store, { identifiers: ['mia-1', 'ghost@example.test'], actor: 'cli:test' });
  expect((await runRegulation(srv.store, id)).status).toBe('finished');
});
afterAll(() => srv.cleanup());

/** The error importFile throws, or a failure of the test when it does not throw. */
async function refusal(run: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  const e = await run.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isSegmintError(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  return { code: e.code, message: e.message, details: e.details as Record<string, unknown> };
}

describe('an import whose rows are of an erased customer and malformed (recheck12 N6)', () => {
  it('the refusal of an import that stores nothing counts the erased rows, in words and in details', async () => {
    const e = await refusal(importFile(srv.store, olderExport, { refuseEmpty: true, name: 'older-shopify-export.csv' }));
    expect(e.code).toBe('import_nothing_stored');
    expect(e.message).toMatch(
      /^Nothing was imported from older-shopify-export\.csv: none of its 4 rows was stored: 3 rows of erased customers skipped, 1 malformed \(line 6: not a price in column "Lineitem price": abc\)\. /,
    );
    expect(e.message).not.toMatch(/its one row/);
    expect(e.details).toMatchObject({ rows: 4, skipped: 1, erased_skipped: 3 });
  });

  it('the server fails the import job with the same words and counts', async () => {
    const up = await srv.post('/v1/uploads?name=older-shopify-export.csv', readFileSync(olderExport, 'utf8'), { 'content-type': 'text/csv' });
    expect(up.status, JSON.stringify(up.json)).toBe(201);
    const started = await srv.post('/v1/imports', { upload: (up.json.upload as { id: string }).id });
    expect(started.status).toBe(202);
    let job: { state: string; error?: { error: string; message: string; details: Record<string, unknown> } } = { state: 'running' };
    for (let i = 0; i < 600 && job.state !== 'done' && job.state !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await srv.app.inject({ method: 'GET', url: `/v1/jobs/${String(started.json.id)}`, headers: { authorization: basic(srv.key) } })).json();
    }
    expect(job.state).toBe('failed');
    expect(job.error?.error).toBe('import_nothing_stored');
    expect(job.error?.message).toMatch(/: none of its 4 rows was stored: 3 rows of erased customers skipped, 1 malformed \(line 6: /);
    expect(job.error?.details).toMatchObject({ rows: 4, skipped: 1, erased_skipped: 3 });
  });

  it('without the refusal (a caller that takes an empty import) the report counts the same rows', async () => {
    const report = await importFile(srv.store, olderExport);
    expect(report).toMatchObject({ rows: 4, imported: 0, skipped: 1, erased_skipped: 3 });
    const text = formatReport(report);
    expect(text).toMatch(/rows read +4\n/);
    expect(text).toMatch(/skipped \(malformed\) +1\n/);
    expect(text).toContain('3 rows of erased customers skipped');
  });

});
