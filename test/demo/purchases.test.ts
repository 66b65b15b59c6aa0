import { describe, expect, it } from 'vitest';
import { purchaseTimes } from '../../src/demo/life/timeline.js';
import { MODEL } from '../../src/demo/params.js';
import { Draw, Sfc32 } from '../../src/demo/random/prng.js';

// Buyers simulated by the demo's purchase process, checked against closed forms of the BG/NBD model
// it claims to follow (Fader, Hardie & Lee 2005).
const N = 40_000;
const DAY = 86400;
const arrival = 1_700_000_000;
const horizonDays = 365;
const d = new Draw(new Sfc32(777));
const runs = Array.from({ length: N }, () => purchaseTimes(d, arrival, arrival + horizonDays * DAY));

describe('demo purchases follow BG/NBD', () => {
  it('P(no repeat purchase within t) = (α / (α + t))^r', () => {
    const expected = Math.pow(MODEL.purchaseRatePerDay / (MODEL.purchaseRatePerDay + horizonDays), MODEL.purchaseShape);
    const observed = runs.filter((r) => r.times.length === 0).length / N;
    // Standard error ≈ 0.0022; purchases are moved to shopping hours within their day, which barely matters.
    expect(Math.abs(observed - expected)).toBeLessThan(0.01);
  });

  it('the share dropping out right after the first repeat purchase is E[p] = a / (a + b)', () => {
    const withRepeat = runs.filter((r) => r.times.length > 0);
    const droppedAtFirst = withRepeat.filter((r) => r.lapsedAt === r.times[0]).length / withRepeat.length;
    expect(Math.abs(droppedAtFirst - MODEL.dropoutA / (MODEL.dropoutA + MODEL.dropoutB))).toBeLessThan(0.012);
  });

  it('purchases are in order, at least four hours apart and inside the period', () => {
    for (const r of runs.slice(0, 5000)) {
      let last = arrival;
      for (const t of r.times) {
        expect(t - last).toBeGreaterThanOrEqual(4 * 3600);
        expect(t).toBeLessThan(arrival + horizonDays * DAY);
        last = t;
      }
      if (Number.isFinite(r.lapsedAt)) expect(r.lapsedAt).toBe(r.times.at(-1));
    }
  });
});
