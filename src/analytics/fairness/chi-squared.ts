import { chiSquareSurvival } from '../../measure/stats/distributions.js';

export interface IndependenceTest {
  /** Pearson's statistic Σ (O − E)² / E over every cell */
  readonly chiSquare: number;
  /** (rows − 1) × (columns − 1), rows and columns with a zero total left out */
  readonly df: number;
  /** P(χ² ≥ statistic) under independence; null when there is nothing to test (df < 1) */
  readonly pValue: number | null;
  /** the smallest expected cell count: below 5 the chi-squared approximation is rough (Cochran 1954) */
  readonly minExpected: number;
}

/**
 * Pearson's chi-squared test of independence of a contingency table (Pearson 1900), as
 * scipy.stats.chi2_contingency(table, correction=False): expected counts E_ij = row_i × col_j / N, the
 * statistic Σ (O − E)² / E, and its upper tail with (r − 1)(c − 1) degrees of freedom. No continuity
 * correction. Rows or columns whose total is zero carry no information and are dropped first.
 */
export function chiSquaredIndependence(table: readonly (readonly number[])[]): IndependenceTest {
  const rowsAll = table.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = table[0]?.length ?? 0;
  const colsAll = Array.from({ length: cols }, (_, j) => table.reduce((a, r) => a + (r[j] ?? 0), 0));
  const rows = table.map((_, i) => i).filter((i) => rowsAll[i]! > 0);
  const keptCols = colsAll.map((_, j) => j).filter((j) => colsAll[j]! > 0);
  const n = rows.reduce((a, i) => a + rowsAll[i]!, 0);
  const df = (rows.length - 1) * (keptCols.length - 1);
  if (df < 1 || n === 0) return { chiSquare: 0, df: Math.max(df, 0), pValue: null, minExpected: 0 };
  let chi = 0;
  let minExpected = Infinity;
  for (const i of rows) {
    for (const j of keptCols) {
      const e = (rowsAll[i]! * colsAll[j]!) / n;
      minExpected = Math.min(minExpected, e);
      chi += (table[i]![j]! - e) ** 2 / e;
    }
  }
  return { chiSquare: chi, df, pValue: chiSquareSurvival(chi, df), minExpected };
}
