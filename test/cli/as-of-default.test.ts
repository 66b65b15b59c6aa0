import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../import/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'segmint-as-of-'));
const db = join(dir, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await runCli(db, 'import', fixture('retail-small.csv'));
});

/**
 * The README says the describing commands are "as of the day after the last order unless --as-of says
 * otherwise": rfm, clusters, overview and customers explain all take that one moment, midnight after the
 * day of the latest order (the fixture's latest order is 2010-12-01 09:01, so 2010-12-02).
 */
describe('one default as-of moment for every describing command', () => {
  const moment = '2010-12-02T00:00:00.000Z';
  const asOf = async (...args: string[]): Promise<string> => {
    const out = JSON.parse(await runCli(db, ...args, '--json')) as { as_of?: string; asOf?: string };
    return new Date(out.as_of ?? out.asOf!).toISOString();
  };

  it('rfm, clusters and overview', async () => {
    expect(await asOf('rfm', '--no-save')).toBe(moment);
    expect(await asOf('clusters', '--k', '2', '--no-save')).toBe(moment);
    expect(await asOf('overview')).toBe(moment);
  });

  it('customers explain: the same moment, printed as that date', async () => {
    expect(await asOf('customers', 'explain', '17850')).toBe(moment);
    expect(await runCli(db, 'customers', 'explain', '17850')).toMatch(/^cus_\w+ as of 2010-12-02:\n/);
    // A moment that is not a midnight is printed whole, not as a date (which would read as midnight).
    expect(await runCli(db, 'customers', 'explain', '17850', '--as-of', '2010-12-01T12:00:00Z')).toMatch(/^cus_\w+ as of 2010-12-01T12:00:00Z:\n/);
  });
});
