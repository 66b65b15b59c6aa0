import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerExplanation } from '../../../src/predict/explain/explain-customer.js';
import type { PredictionOut } from '../../../src/predict/clv/run/predict-from-store.js';
import { runCli } from '../../helpers/cli.js';
import { sharedFile, skipWithoutShared } from '../../helpers/shared-data.js';
import { cdnowSampleDatabase } from '../clv/cdnow-orders.js';

const sample = sharedFile('cdnow-sample.txt');
if (!sample) console.log(skipWithoutShared('cdnow-sample.txt'));

/**
 * BG/NBD P(alive) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)) for x > 0 (Fader, Hardie & Lee 2005,
 * "Counting your customers the easy way", eq. (13)), with their published CDNOW parameters.
 */
function publishedPAlive(x: number, tx: number, T: number): number {
  const [r, alpha, a, b] = [0.2426, 4.4137, 0.7930, 2.4259];
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

// Trial 12, M3: without --as-of, explain showed the P(alive) of a prediction stored for 1997-09-30 (0.95,
// "almost surely still active") under "as of 1998-07-01", where the fit gives 0.019 ("lapsed").
describe.skipIf(!sample)('customers explain on the CDNOW sample: P(alive) of the moment it names', () => {
  let db = '';
  let cleanup = () => undefined as void;
  beforeAll(async () => {
    ({ path: db, cleanup } = await cdnowSampleDatabase(sample as string));
    await runCli(db, 'clv', 'fit', '--model', 'bg-nbd', '--time-unit', 'week', '--calibration-end', '1997-09-30');
    await runCli(db, 'clv', 'predict', '--as-of', '1997-09-30');
  }, 120_000);
  afterAll(() => cleanup());

  it('customer 05420 at 1998-07-01: 0.019, as the published fit gives and clv predict --as-of 1998-07-01 stores', async () => {
    const e = JSON.parse(await runCli(db, 'customers', 'explain', 'cdnow-05420', '--json')) as CustomerExplanation;
    expect(e.asOf).toBe('1998-07-01T00:00:00.000Z');
    // x = 23 repeat days, tₓ = 374 days, T = 525 days (1997-01-22 to 1998-07-01), in weeks.
    const expected = publishedPAlive(23, 374 / 7, 75);
    expect(expected).toBeCloseTo(0.0191, 4);
    expect(Math.abs(e.activity!.pAlive - expected)).toBeLessThan(5e-4);
    expect(e.activity!.source).toMatch(/^segmint clv fit \(bg-nbd, fitted \d{4}-\d\d-\d\d\) applied to the orders before 1998-07-01$/);
    expect(e.sentences[0]).toContain('have almost surely lapsed (P(alive) 0.02)');
    // Typing the same moment gives the same answer, and so does the prediction stored for that day.
    const typed = JSON.parse(await runCli(db, 'customers', 'explain', 'cdnow-05420', '--as-of', '1998-07-01', '--json')) as CustomerExplanation;
    expect(typed.activity).toEqual(e.activity);
    const p = JSON.parse(await runCli(db, 'clv', 'predict', '--as-of', '1998-07-01', '--customer', 'cdnow-05420', '--json')) as PredictionOut;
    expect(p).toMatchObject({ x: 23, T: 75 });
    expect(p.p_alive).toBeCloseTo(e.activity!.pAlive, 12);
    const stored = JSON.parse(await runCli(db, 'customers', 'explain', 'cdnow-05420', '--json')) as CustomerExplanation;
    expect(stored.activity).toEqual({ ...e.activity, source: 'segmint clv predict (bg-nbd, as of 1998-07-01)' });
  });

  it('a stored prediction is used for its own day, and says so', async () => {
    await runCli(db, 'clv', 'predict', '--as-of', '1997-09-30');
    const e = JSON.parse(await runCli(db, 'customers', 'explain', 'cdnow-05420', '--as-of', '1997-09-30', '--json')) as CustomerExplanation;
    expect(e.activity!.source).toBe('segmint clv predict (bg-nbd, as of 1997-09-30)');
    expect(e.activity!.pAlive).toBeGreaterThan(0.9);
    const text = await runCli(db, 'customers', 'explain', 'cdnow-05420');
    expect(text).toContain('as of 1998-07-01');
    expect(text).not.toContain('still active');
  });
});
