import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerExplain } from '../../../src/cli/commands/explain.js';
import { register as registerPropensity } from '../../../src/cli/commands/propensity.js';
import { register as registerRecommend } from '../../../src/cli/commands/recommend.js';
import { seedShop } from '../../fixtures/predict/shop.js';
import { tempStore } from '../../helpers/store.js';

let path: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempStore();
  path = t.path;
  cleanup = t.cleanup;
  await seedShop(t.store, { customers: 300, seed: 3 });
  t.store.close(); // the commands open the file themselves
});
afterAll(() => cleanup());

/** Runs one command line against the test database and returns what it printed. */
async function run(...args: string[]): Promise<string> {
  const program = new Command('segmint').option('--db <path>').exitOverride();
  registerPropensity(program);
  registerRecommend(program);
  registerExplain(program.command('customers'));
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'segmint', '--db', path, ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('propensity, recommend and explain commands', () => {
  it('tells `recommend evaluate` from `recommend CUSTOMER_ID` and prints JSON on request', async () => {
    const evaluation = JSON.parse(await run('recommend', 'evaluate', '--split', '2024-10-01', '--n', '5', '--json'));
    expect(evaluation).toMatchObject({ n: 5, split: '2024-10-01T23:59:59.999Z' });
    const recs = JSON.parse(await run('recommend', 'c00002', '--n', '3', '--json'));
    expect(recs.customerId).toBe('c00002');
    expect(recs.recommendations).toHaveLength(3);
    expect(await run('recommend', '--product', 'g0p0', '--n', '2')).toMatch(/^Frequently bought together with g0p0/);
  });

  it('refuses a customer and --product together, and a count that is not a number', async () => {
    await expect(run('recommend', 'c00002', '--product', 'g0p0')).rejects.toMatchObject({ code: 'conflicting_arguments' });
    await expect(run('recommend', 'c00002', '--n', 'ten')).rejects.toMatchObject({ code: 'invalid_count' });
    await expect(run('propensity', 'validate', '--horizon', '3O')).rejects.toMatchObject({ code: 'invalid_horizon' });
    await expect(run('propensity', 'train', '--cutoff', 'yesterday')).rejects.toMatchObject({ code: 'invalid_date' });
  });

  it('trains, scores and explains from the command line', async () => {
    expect(await run('propensity', 'train')).toMatch(/^purchase_30d: trained at cutoff .* on \d+ customers/);
    const scored = JSON.parse(await run('propensity', 'score', '--json'));
    expect(scored.map((s: { target: string }) => s.target).sort()).toEqual(['churn_90d', 'purchase_30d']);
    const text = await run('customers', 'explain', 'c00002');
    expect(text).toMatch(/^c00002 as of \d{4}-\d{2}-\d{2}:\n {2}Bought /);
    expect(text).toContain('Chance of an order in the next 30 days: ');
    expect(JSON.parse(await run('customers', 'explain', 'c00002', '--json')).customerId).toBe('c00002');
  });
});
