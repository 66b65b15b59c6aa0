import { describe, expect, it } from 'vitest';
import { sampleBeta } from '../../src/demo/random/beta.js';
import { sampleExponential } from '../../src/demo/random/exponential.js';
import { sampleGamma } from '../../src/demo/random/gamma.js';
import { samplePoisson } from '../../src/demo/random/poisson.js';
import { personDraw } from '../../src/demo/life/person.js';
import { Draw, Sfc32 } from '../../src/demo/random/prng.js';

const N = 200_000;
const mean = (f: () => number) => {
  let s = 0;
  for (let i = 0; i < N; i++) s += f();
  return s / N;
};

describe('seeded random source', () => {
  it('repeats for a seed and differs between seeds and streams', () => {
    const take = (seed: number, stream = 0, index = 0) => {
      const r = new Sfc32(seed, stream, index);
      return Array.from({ length: 5 }, () => r.next()).join();
    };
    expect(take(42)).toEqual(take(42));
    expect(new Set([take(42, 2, 7), take(42, 2, 8), take(42, 1, 7), take(43, 2, 7)]).size).toBe(4);
  });

  it('is uniform on [0, 1): mean, variance and deciles', () => {
    const r = new Sfc32(1);
    const xs = Array.from({ length: N }, () => r.next());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const m = xs.reduce((a, b) => a + b, 0) / N;
    expect(m).toBeCloseTo(0.5, 2);
    expect(xs.reduce((a, x) => a + (x - m) ** 2, 0) / N).toBeCloseTo(1 / 12, 3);
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    // Chi-square with 9 degrees of freedom; 27.9 is the 0.1% critical value.
    const chi2 = bins.reduce((a, b) => a + (b - N / 10) ** 2 / (N / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('gives every person their own stream: 300,000 people, 300,000 distinct anonymous ids', () => {
    // With a 32-bit seed per person this would fail: about ten pairs would share a stream.
    const ids = new Set<string>();
    for (let i = 0; i < 300_000; i++) ids.add(personDraw(42, i).uuid());
    expect(ids.size).toBe(300_000);
  });

  it('makes UUID v4-shaped ids', () => {
    const d = new Draw(new Sfc32(9));
    for (let i = 0; i < 100; i++) expect(d.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('distributions match their moments', () => {
  const r = new Sfc32(2024);
  it.each([
    [0.75, 82],
    [3, 3],
    [0.3, 1],
  ])('gamma(shape %d, rate %d): mean shape/rate, variance shape/rate²', (shape, rate) => {
    const xs = Array.from({ length: N }, () => sampleGamma(r, shape, rate));
    const m = xs.reduce((a, b) => a + b, 0) / N;
    const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / N;
    expect(m / (shape / rate)).toBeCloseTo(1, 1);
    expect(v / (shape / rate ** 2)).toBeCloseTo(1, 1);
  });

  it('beta(1, 3.5) has mean a/(a+b) and stays in (0, 1)', () => {
    const xs = Array.from({ length: N }, () => sampleBeta(r, 1, 3.5));
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    expect(xs.reduce((a, b) => a + b, 0) / N).toBeCloseTo(1 / 4.5, 2);
  });

  it('exponential and poisson have their means', () => {
    expect(mean(() => sampleExponential(r, 0.25))).toBeCloseTo(4, 1);
    expect(mean(() => samplePoisson(r, 0.7))).toBeCloseTo(0.7, 2);
    expect(mean(() => samplePoisson(r, 12))).toBeCloseTo(12, 1);
  });

  it('refuses parameters outside their domain', () => {
    expect(() => sampleGamma(r, 0, 1)).toThrow(RangeError);
    expect(() => samplePoisson(r, -1)).toThrow(RangeError);
  });
});
