import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant as parseIsoDate } from '../../../src/domain/timestamp.js';
import { firstReaching, shift } from '../../../src/segments/evaluator/time.js';
import { tempStore } from '../../helpers/store.js';

const t = (iso: string) => Date.parse(iso);

describe('time arithmetic', () => {
  it('calendar months clamp to the end of the target month', () => {
    expect(new Date(shift(t('2024-03-31T10:00:00Z'), { amount: 1, unit: 'm' }, -1)).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(new Date(shift(t('2023-03-31T00:00:00Z'), { amount: 1, unit: 'm' }, -1)).toISOString()).toBe('2023-02-28T00:00:00.000Z');
    expect(new Date(shift(t('2024-01-31T00:00:00Z'), { amount: 1, unit: 'm' })).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(shift(t('2024-02-29T00:00:00Z'), { amount: 1, unit: 'y' })).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(new Date(shift(t('2024-01-15T00:00:00Z'), { amount: -13, unit: 'm' })).toISOString()).toBe('2022-12-15T00:00:00.000Z');
    expect(shift(0, { amount: 2, unit: 'w' })).toBe(14 * 86_400_000);
  });

  it('months agree with DuckDB interval arithmetic (300 random instants and shifts)', async () => {
    // a copy of the once-migrated empty store (tempStore), not a ':memory:' database migrated anew
    const { store, cleanup } = await tempStore();
    try {
      const cases = fc.sample(
        fc.tuple(fc.integer({ min: t('1990-01-01T00:00:00Z'), max: t('2060-01-01T00:00:00Z') }), fc.integer({ min: -40, max: 40 })),
        { numRuns: 300, seed: 7 },
      );
      const rows = await store.all<{ i: number; shifted: Date }>(
        `SELECT i, ts + to_months(n) AS shifted FROM (SELECT unnest($1::TIMESTAMP[]) AS ts, unnest($2::INTEGER[]) AS n, unnest(range(${cases.length})) AS i) ORDER BY i`,
        [cases.map(([ms]) => new Date(ms)), cases.map(([, n]) => n)],
      );
      for (const r of rows) {
        const [ms, n] = cases[r.i]!;
        expect(new Date(shift(ms, { amount: n, unit: 'm' })).toISOString()).toBe(r.shifted.toISOString());
      }
      expect(rows).toHaveLength(cases.length);
    } finally {
      cleanup();
    }
  });

  it('firstReaching finds the exact first millisecond of a monotone function', () => {
    const f = (x: number) => Math.floor(x / 1000);
    expect(firstReaching(f, 5, 0)).toBe(5000);
    expect(firstReaching(f, 5, 7000)).toBe(7000);
    expect(firstReaching((x) => (x - 123) / 86_400_000, 30.5, 0)).toBe(123 + 30.5 * 86_400_000);
    expect(firstReaching(() => 0, 1, 0, 1e6)).toBeUndefined();
  });

  it('reads ISO dates in traits, refusing impossible days and other text', () => {
    expect(parseIsoDate('2024-02-29')).toBe(t('2024-02-29T00:00:00Z'));
    expect(parseIsoDate('2024-02-29 10:30')).toBe(t('2024-02-29T10:30:00Z'));
    expect(parseIsoDate('2024-02-29T10:30:00.5Z')).toBe(t('2024-02-29T10:30:00.500Z'));
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-01-01T24:00:01Z')).toBeUndefined();
    expect(parseIsoDate('2024-01-01T10:00:00+02:00')).toBe(t('2024-01-01T08:00:00Z'));
    expect(parseIsoDate(20240101)).toBeUndefined();
  });
});
