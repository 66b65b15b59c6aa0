import type { GroupMoments } from '../../src/measure/stats/moments.js';

/** Moments of raw per-customer columns (each column one variable), two-pass, for tests and simulations. */
export function momentsOf(columns: readonly (readonly number[])[]): GroupMoments {
  const d = columns.length;
  const n = columns[0]?.length ?? 0;
  const mean = columns.map((c) => c.reduce((s, x) => s + x, 0) / Math.max(n, 1));
  const cov = mean.map((_, i) =>
    mean.map((__, j) => {
      if (n < 2) return 0;
      let s = 0;
      for (let k = 0; k < n; k++) s += (columns[i]![k]! - mean[i]!) * (columns[j]![k]! - mean[j]!);
      return s / (n - 1);
    }),
  );
  void d;
  return { n, mean, cov };
}

/** Moments of a 0/1 flag (with a pre-period flag) from counts alone. */
export function proportionMoments(n: number, converted: number, preConverted = 0, both = 0): GroupMoments {
  const col = (k: number, total: number) => Array.from({ length: total }, (_, i) => (i < k ? 1 : 0));
  // both: customers converted in both periods come first in each column.
  const post = col(converted, n);
  const pre = Array.from({ length: n }, (_, i) => (i < both ? 1 : i >= converted && i < converted + preConverted - both ? 1 : 0));
  return momentsOf([post, pre]);
}
