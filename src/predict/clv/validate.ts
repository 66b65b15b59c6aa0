import { SegmintError } from '../../domain/errors.js';
import type { PurchaseModelView } from './purchase-model.js';
import type { Summaries } from './summary.js';

export interface FrequencyRow {
  /** Calibration repeat transactions: "0" … "6", and "7+". */
  x: string;
  customers: number;
  /** Holdout repeat transactions: observed, the model's conditional expectation, and the naive baseline (sums). */
  actual: number;
  model: number;
  naive: number;
}

export interface HoldoutComparison {
  holdout_length: number;
  customers: number;
  by_frequency: FrequencyRow[];
  totals: { actual: number; model: number; naive: number };
  mean_absolute_error: { model: number; naive: number };
  /** Σ model / Σ actual − 1 and the same for the naive baseline; null when nobody bought in the holdout. */
  total_error: { model: number | null; naive: number | null };
  /** What limits the comparison: no holdout purchases, no customers. */
  warnings: string[];
}

const GROUPS = 8;

/**
 * Calibration/holdout comparison: for every customer the holdout purchases the model expects given the
 * calibration history, E[Y(holdout) | x, tₓ, T], against the observed x*, grouped by calibration
 * frequency (the classic check of Fader, Hardie & Lee 2005, fig. 4). The naive baseline assumes every
 * customer keeps their calibration rate: x/T × holdout length (0 when T = 0).
 */
export function compareHoldout(model: PurchaseModelView, d: Summaries, holdoutLength: number): HoldoutComparison {
  const rows: FrequencyRow[] = Array.from({ length: GROUPS }, (_, k) => ({
    x: k === GROUPS - 1 ? `${k}+` : String(k),
    customers: 0,
    actual: 0,
    model: 0,
    naive: 0,
  }));
  let absModel = 0;
  let absNaive = 0;
  const n = d.x.length;
  for (let i = 0; i < n; i++) {
    const c = { x: d.x[i] as number, tx: d.tx[i] as number, T: d.T[i] as number };
    const actual = d.xStar[i] as number;
    const expected = model.conditionalExpected(c, holdoutLength);
    const naive = c.T > 0 ? (c.x / c.T) * holdoutLength : 0;
    const row = rows[Math.min(c.x, GROUPS - 1)] as FrequencyRow;
    row.customers++;
    row.actual += actual;
    row.model += expected;
    row.naive += naive;
    absModel += Math.abs(expected - actual);
    absNaive += Math.abs(naive - actual);
  }
  const totals = rows.reduce(
    (t, r) => ({ actual: t.actual + r.actual, model: t.model + r.model, naive: t.naive + r.naive }),
    { actual: 0, model: 0, naive: 0 },
  );
  if (n === 0) {
    throw new SegmintError('clv_no_customers', 'No customer had a purchase in the calibration period, so there is nothing to validate.', {});
  }
  const warnings: string[] = [];
  if (totals.actual === 0) {
    warnings.push(
      `No customer bought in the holdout, so the total error cannot be a share of the actual purchases; ` +
        `the model expected ${totals.model.toFixed(1)}. Choose an earlier calibration end, or a holdout with purchases.`,
    );
  }
  const share = (x: number) => (totals.actual > 0 ? x / totals.actual - 1 : null);
  return {
    holdout_length: holdoutLength,
    customers: n,
    by_frequency: rows,
    totals,
    mean_absolute_error: { model: absModel / n, naive: absNaive / n },
    total_error: { model: share(totals.model), naive: share(totals.naive) },
    warnings,
  };
}
