import { describe, expect, it } from 'vitest';
import { compareToControl } from '../../src/measure/stats/compare.js';
import type { GroupMoments } from '../../src/measure/stats/moments.js';
import { sampleRatioMismatch } from '../../src/measure/stats/srm.js';
import { seededRandom, type RandomSource } from '../../src/numeric/random.js';

/*
 * Seeded simulations of the properties the intervals promise. Each works from per-group sums (the same
 * sufficient statistics the database returns), so thousands of experiments take well under a second.
 */

function normal(rand: RandomSource): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Running sums of (post, pre) of one group, turned into moments on demand. */
class Sums {
  n = 0;
  s = [0, 0];
  ss = [0, 0, 0]; // xx, xy, yy
  add(y: number, x = 0): void {
    this.n++;
    this.s[0]! += y;
    this.s[1]! += x;
    this.ss[0]! += y * y;
    this.ss[1]! += y * x;
    this.ss[2]! += x * x;
  }
  moments(): GroupMoments {
    const n = this.n;
    const my = this.s[0]! / n;
    const mx = this.s[1]! / n;
    const c = (sxy: number, a: number, b: number) => (sxy - n * a * b) / (n - 1);
    return { n, mean: [my, mx], cov: [[c(this.ss[0]!, my, my), c(this.ss[1]!, my, mx)], [c(this.ss[1]!, my, mx), c(this.ss[2]!, mx, mx)]] };
  }
}

const covers = (ci: readonly [number | null, number | null], truth: number) => ci[0] !== null && ci[1] !== null && ci[0] <= truth && truth <= ci[1];

describe('A/A experiments: the 95% interval covers the true zero effect 95% ± 1.5% of the time', () => {
  const experiments = 2000;
  it('for a mean (Welch), 200 customers per group', () => {
    const rand = seededRandom(1301);
    let covered = 0;
    let relCovered = 0;
    for (let e = 0; e < experiments; e++) {
      const c = new Sums();
      const t = new Sums();
      for (let i = 0; i < 200; i++) {
        c.add(50 + 20 * normal(rand));
        t.add(50 + 20 * normal(rand));
      }
      const r = compareToControl('mean', c.moments(), t.moments(), 400);
      if (covers(r.absolute_lift.ci95, 0)) covered++;
      if (covers(r.relative_lift.ci95, 0)) relCovered++;
    }
    expect(Math.abs(covered / experiments - 0.95)).toBeLessThanOrEqual(0.015);
    expect(Math.abs(relCovered / experiments - 0.95)).toBeLessThanOrEqual(0.015);
  });
  it('for a conversion rate (Wald), 1,000 customers per group at 10%', () => {
    const rand = seededRandom(1302);
    let covered = 0;
    for (let e = 0; e < experiments; e++) {
      const c = new Sums();
      const t = new Sums();
      for (let i = 0; i < 1000; i++) {
        c.add(rand() < 0.1 ? 1 : 0);
        t.add(rand() < 0.1 ? 1 : 0);
      }
      if (covers(compareToControl('proportion', c.moments(), t.moments(), 2000).absolute_lift.ci95, 0)) covered++;
    }
    expect(Math.abs(covered / experiments - 0.95)).toBeLessThanOrEqual(0.015);
  });
});

describe('daily peeking at an A/A experiment for 30 days', () => {
  it('the fixed interval finds a "significant" effect far more than 5% of the time; the sequential one at most 5%', () => {
    const rand = seededRandom(1303);
    const experiments = 1000;
    const days = 30;
    const perDay = 20;
    let fixedFalse = 0;
    let sequentialFalse = 0;
    for (let e = 0; e < experiments; e++) {
      const c = new Sums();
      const t = new Sums();
      let fixedHit = false;
      let seqHit = false;
      for (let d = 0; d < days; d++) {
        for (let i = 0; i < perDay; i++) {
          c.add(rand() < 0.3 ? 1 : 0);
          t.add(rand() < 0.3 ? 1 : 0);
        }
        const r = compareToControl('proportion', c.moments(), t.moments(), days * perDay * 2);
        if (!covers(r.absolute_lift.ci95, 0)) fixedHit = true;
        if (!covers(r.sequential.absolute_lift.ci95, 0)) seqHit = true;
      }
      if (fixedHit) fixedFalse++;
      if (seqHit) sequentialFalse++;
    }
    // Looking 30 times at a fixed 95% interval: roughly a quarter of A/A tests "win" at some look.
    expect(fixedFalse / experiments).toBeGreaterThan(0.1);
    expect(sequentialFalse / experiments).toBeLessThanOrEqual(0.05);
  });
});

describe('CUPED on data where pre-period spend predicts post-period spend', () => {
  it('narrows the interval and still covers the true effect 95% of the time', () => {
    const rand = seededRandom(1304);
    const experiments = 400;
    const lift = 2;
    let widthPlain = 0;
    let widthCuped = 0;
    let covered = 0;
    for (let e = 0; e < experiments; e++) {
      const c = new Sums();
      const t = new Sums();
      for (let i = 0; i < 300; i++) {
        // A customer's spending level shows in both periods (correlation about 0.8).
        const level = 40 + 15 * normal(rand);
        c.add(level + 9 * normal(rand), level + 9 * normal(rand));
        const lt = 40 + 15 * normal(rand);
        t.add(lt + lift + 9 * normal(rand), lt + 9 * normal(rand));
      }
      const r = compareToControl('mean', c.moments(), t.moments(), 600);
      widthPlain += r.absolute_lift.ci95[1]! - r.absolute_lift.ci95[0]!;
      widthCuped += r.cuped!.absolute_lift.ci95[1]! - r.cuped!.absolute_lift.ci95[0]!;
      if (covers(r.cuped!.absolute_lift.ci95, lift)) covered++;
    }
    // Var(Y − θX) / Var(Y) = 1 − ρ² ≈ 1 − 0.74² ≈ 0.45, so the interval is about two thirds as wide.
    expect(widthCuped / widthPlain).toBeLessThan(0.75);
    expect(Math.abs(covered / experiments - 0.95)).toBeLessThanOrEqual(0.03);
  });
});

describe('sample ratio mismatch', () => {
  it('detects a 48/52 split at n = 20,000 (p < 0.001) almost always, and rarely alarms on a true 50/50', () => {
    const rand = seededRandom(1305);
    const runs = 200;
    let detected = 0;
    let falseAlarms = 0;
    for (let r = 0; r < runs; r++) {
      let skewed = 0;
      let fair = 0;
      for (let i = 0; i < 20_000; i++) {
        if (rand() < 0.52) skewed++;
        if (rand() < 0.5) fair++;
      }
      if (sampleRatioMismatch([20_000 - skewed, skewed], [50, 50]).pValue! < 0.001) detected++;
      if (sampleRatioMismatch([20_000 - fair, fair], [50, 50]).pValue! < 0.001) falseAlarms++;
    }
    // Power of the test here: noncentrality 32, critical value 10.83 → Φ(√32 − 3.29) ≈ 0.991.
    expect(detected / runs).toBeGreaterThanOrEqual(0.97);
    expect(falseAlarms / runs).toBeLessThanOrEqual(0.02);
  });
});
