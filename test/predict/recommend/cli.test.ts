import { runCli } from '../../helpers/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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


describe('propensity, recommend and explain commands', () => {
  it('tells `recommend evaluate` from `recommend CUSTOMER_ID` and prints JSON on request', async () => {
    const evaluation = JSON.parse(await runCli(path, 'recommend', 'evaluate', '--split', '2024-10-01', '--n', '5', '--json'));
    expect(evaluation).toMatchObject({ n: 5, split: '2024-10-01T23:59:59.999Z' });
    const recs = JSON.parse(await runCli(path, 'recommend', 'c00002', '--n', '3', '--json'));
    expect(recs.customerId).toBe('c00002');
    expect(recs.recommendations).toHaveLength(3);
    expect(await runCli(path, 'recommend', '--product', 'g0p0', '--n', '2')).toMatch(/^Frequently bought together with g0p0/);
  });

  it('refuses a customer and --product together, and a count that is not a number', async () => {
    await expect(runCli(path, 'recommend', 'c00002', '--product', 'g0p0')).rejects.toMatchObject({ code: 'conflicting_arguments' });
    await expect(runCli(path, 'recommend', 'c00002', '--n', 'ten')).rejects.toMatchObject({ code: 'invalid_option', message: '--n: "ten" is not a whole number from 1 to 1,000' });
    await expect(runCli(path, 'propensity', 'validate', '--horizon', '3O')).rejects.toMatchObject({ code: 'invalid_option', message: '--horizon: "3O" is not a whole number from 1 to 730' });
    await expect(runCli(path, 'propensity', 'train', '--cutoff', 'yesterday')).rejects.toMatchObject({ code: 'invalid_date' });
  });

  it('trains, scores and explains from the command line', async () => {
    expect(await runCli(path, 'propensity', 'train')).toMatch(/^purchase_30d: trained at cutoff .* on \d+ customers/);
    const scored = JSON.parse(await runCli(path, 'propensity', 'score', '--json'));
    expect(scored.map((s: { target: string }) => s.target).sort()).toEqual(['churn_90d', 'purchase_30d']);
    const text = await runCli(path, 'customers', 'explain', 'c00002');
    expect(text).toMatch(/^c00002 as of \d{4}-\d{2}-\d{2}:\n {2}Bought /);
    expect(text).toContain('Chance of an order in the next 30 days: ');
    expect(JSON.parse(await runCli(path, 'customers', 'explain', 'c00002', '--json')).customerId).toBe('c00002');
  });
});
