import type { RawFeatureRow } from '../../store/queries/propensity-features.js';
import type { Matrix } from '../stats/matrix.js';

/**
 * One model input: how it is computed from the raw per-customer figures, and how to say it in words.
 * Counts and amounts enter on a log scale: the step from 1 to 2 orders says more than from 40 to 41,
 * and a logistic model is linear in its inputs. Missing (NaN) means "not defined for this customer",
 * e.g. gaps between orders for someone with one order; standardising turns it into "no evidence".
 */
export interface FeatureDef {
  readonly name: string;
  /** What the feature measures, for docs and explanations. */
  readonly label: string;
  readonly value: (r: RawFeatureRow) => number;
  /** The raw figure behind the value, in words ("last order 12 days ago"). */
  readonly words: (r: RawFeatureRow) => string;
}

const ln1p = (v: number): number => Math.log1p(Math.max(0, v));
const days = (d: number): string => {
  const r = Math.round(d);
  return r === 1 ? '1 day' : `${r} days`;
};
const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);
const plural = (n: number, what: string): string => `${n === 0 ? 'no' : n} ${what}${n === 1 ? '' : 's'}`;
const signedLog = (v: number): number => Math.sign(v) * Math.log1p(Math.abs(v));

export const FEATURES: readonly FeatureDef[] = [
  {
    name: 'recency',
    label: 'days since the last order, ln(1 + days)',
    value: (r) => ln1p(r.recency_days),
    words: (r) => `last order ${days(r.recency_days)} ago`,
  },
  {
    name: 'tenure',
    label: 'days since the first order, ln(1 + days)',
    value: (r) => ln1p(r.tenure_days),
    words: (r) => `first order ${days(r.tenure_days)} ago`,
  },
  {
    name: 'frequency',
    label: 'orders so far, ln(orders)',
    value: (r) => Math.log(Math.max(1, r.orders)),
    words: (r) => `ordered ${times(r.orders)}`,
  },
  {
    name: 'monetary',
    label: 'net spend so far (orders minus refunds), ln(1 + amount)',
    value: (r) => ln1p(r.net_spend),
    words: (r) => `spent ${r.net_spend.toFixed(2)} in total`,
  },
  {
    name: 'mean_gap',
    label: 'mean days between orders, ln(1 + days); missing with one order',
    value: (r) => (r.mean_gap_days === null ? NaN : ln1p(r.mean_gap_days)),
    words: (r) => (r.mean_gap_days === null ? 'only one order so far' : `orders every ${days(r.mean_gap_days)} on average`),
  },
  {
    name: 'last_gap',
    label: 'days between the last two orders, ln(1 + days); missing with one order',
    value: (r) => (r.last_gap_days === null ? NaN : ln1p(r.last_gap_days)),
    words: (r) => (r.last_gap_days === null ? 'only one order so far' : `${days(r.last_gap_days)} between the last two orders`),
  },
  {
    name: 'overdue',
    label: 'days since the last order relative to the usual gap, ln((1 + recency) / (1 + mean gap))',
    value: (r) => (r.mean_gap_days === null ? NaN : Math.log((1 + r.recency_days) / (1 + r.mean_gap_days))),
    words: (r) =>
      r.mean_gap_days === null
        ? 'no usual gap between orders yet'
        : `${(r.recency_days / Math.max(r.mean_gap_days, 1 / 24)).toFixed(1)}× the usual gap since the last order`,
  },
  {
    name: 'orders_90d',
    label: 'orders in the last 90 days, ln(1 + n)',
    value: (r) => ln1p(r.orders_90d),
    words: (r) => `${plural(r.orders_90d, 'order')} in the last 90 days`,
  },
  {
    name: 'trend_90d',
    label: 'orders in the last 90 days minus the 90 days before, signed ln(1 + |difference|)',
    value: (r) => signedLog(r.orders_90d - r.orders_prev_90d),
    words: (r) => `${plural(r.orders_90d, 'order')} in the last 90 days against ${r.orders_prev_90d} in the 90 before`,
  },
  {
    name: 'products',
    label: 'distinct products bought, ln(1 + n)',
    value: (r) => ln1p(r.products),
    words: (r) => `${r.products} different products bought`,
  },
  {
    name: 'categories',
    label: 'distinct categories bought, ln(1 + n)',
    value: (r) => ln1p(r.categories),
    words: (r) => `${r.categories} different categories bought`,
  },
  {
    name: 'email_opens_30d',
    label: 'emails opened in the last 30 days, ln(1 + n)',
    value: (r) => ln1p(r.email_opens_30d),
    words: (r) => `${r.email_opens_30d} emails opened in the last 30 days`,
  },
  {
    name: 'email_clicks_30d',
    label: 'email links clicked in the last 30 days, ln(1 + n)',
    value: (r) => ln1p(r.email_clicks_30d),
    words: (r) => `${r.email_clicks_30d} email links clicked in the last 30 days`,
  },
  {
    name: 'product_views_30d',
    label: 'products viewed in the last 30 days, ln(1 + n)',
    value: (r) => ln1p(r.product_views_30d),
    words: (r) => `${r.product_views_30d} products viewed in the last 30 days`,
  },
];

/** The model inputs of every row, in FEATURES order, as one row-major matrix. */
export function featureMatrix(rows: readonly RawFeatureRow[]): Matrix {
  const cols = FEATURES.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    FEATURES.forEach((f, j) => {
      data[i * cols + j] = f.value(r);
    });
  });
  return { rows: rows.length, cols, data };
}
