import type { RawFeatureRow } from '../../store/queries/propensity-features.js';
import type { Matrix } from '../stats/matrix.js';

/**
 * One model input: how it is computed from the raw per-customer figures, and how to say it in words.
 * Counts and amounts enter on a log scale: the step from 1 to 2 orders says more than from 40 to 41,
 * and a logistic model is linear in its inputs. Missing (NaN) means "not defined for this customer",
 * e.g. gaps between orders for someone with one order; standardising turns it into "no evidence".
 */
export type Theme = 'recent activity' | 'buying frequency' | 'time as a customer' | 'spend' | 'range of products' | 'engagement';

export interface FeatureDef {
  readonly name: string;
  /**
   * The aspect of behaviour the input belongs to. Inputs of one theme are correlated (recency and
   * "overdue" move together), so a linear model may give one a positive and another a negative weight;
   * explanations add contributions up per theme, which is exact and reads the way a person thinks.
   */
  readonly theme: Theme;
  /** What the feature measures, for docs and explanations. */
  readonly label: string;
  readonly value: (r: RawFeatureRow) => number;
  /** The raw figure behind the value, in words ("last order 12 days ago"). */
  readonly words: (r: RawFeatureRow) => string;
}

const OVERDUE_CAP = 20;
const ln1p = (v: number): number => Math.log1p(Math.max(0, v));
const days = (d: number): string => {
  if (d < 0.5) return 'less than a day';
  const r = Math.round(d);
  return r === 1 ? '1 day' : `${r} days`;
};
const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);
const plural = (n: number, what: string): string => `${n === 0 ? 'no' : n} ${what}${n === 1 ? '' : 's'}`;
/** "no products", "1 product", "7 different products". */
const distinct = (n: number, one: string, many: string): string => (n === 0 ? `no ${many}` : n === 1 ? `1 ${one}` : `${n} different ${many}`);
const signedLog = (v: number): number => Math.sign(v) * Math.log1p(Math.abs(v));

export const FEATURES: readonly FeatureDef[] = [
  {
    name: 'recency',
    theme: 'recent activity',
    label: 'days since the last order, ln(1 + days)',
    value: (r) => ln1p(r.recency_days),
    words: (r) => `last order ${days(r.recency_days)} ago`,
  },
  {
    name: 'tenure',
    theme: 'time as a customer',
    label: 'days since the first order, ln(1 + days)',
    value: (r) => ln1p(r.tenure_days),
    words: (r) => `first order ${days(r.tenure_days)} ago`,
  },
  {
    name: 'frequency',
    theme: 'buying frequency',
    label: 'orders so far, ln(orders)',
    value: (r) => Math.log(Math.max(1, r.orders)),
    words: (r) => `ordered ${times(r.orders)}`,
  },
  {
    name: 'monetary',
    theme: 'spend',
    label: 'net spend so far (orders minus refunds), ln(1 + amount)',
    value: (r) => ln1p(r.net_spend),
    words: (r) => `spent ${r.net_spend.toFixed(2)} in total`,
  },
  {
    name: 'mean_gap',
    theme: 'buying frequency',
    label: 'mean days between orders, ln(1 + days); missing with one order',
    value: (r) => (r.mean_gap_days === null ? NaN : ln1p(r.mean_gap_days)),
    words: (r) => (r.mean_gap_days === null ? 'only one order so far' : `on average ${days(r.mean_gap_days)} between orders`),
  },
  {
    name: 'last_gap',
    theme: 'buying frequency',
    label: 'days between the last two orders, ln(1 + days); missing with one order',
    value: (r) => (r.last_gap_days === null ? NaN : ln1p(r.last_gap_days)),
    words: (r) => (r.last_gap_days === null ? 'only one order so far' : `${days(r.last_gap_days)} between the last two orders`),
  },
  {
    // A ratio, not a log difference: ln(1+recency) − ln(1+mean gap) would be an exact combination of
    // two other inputs, and a model with collinear inputs splits their weight arbitrarily, which makes
    // explanations say nonsense. Capped, because "40 gaps overdue" says no more than "20 gaps overdue".
    name: 'overdue',
    theme: 'recent activity',
    label: 'days since the last order in units of the usual gap between orders, capped at 20; missing with one order',
    value: (r) => (r.mean_gap_days === null ? NaN : Math.min(OVERDUE_CAP, r.recency_days / Math.max(r.mean_gap_days, 1))),
    words: (r) =>
      r.mean_gap_days === null
        ? 'no usual gap between orders yet'
        : `${(r.recency_days / Math.max(r.mean_gap_days, 1)).toFixed(1)}× the usual gap since the last order`,
  },
  {
    name: 'orders_90d',
    theme: 'recent activity',
    label: 'orders in the last 90 days, ln(1 + n)',
    value: (r) => ln1p(r.orders_90d),
    words: (r) => `${plural(r.orders_90d, 'order')} in the last 90 days`,
  },
  {
    name: 'trend_90d',
    theme: 'recent activity',
    label: 'orders in the last 90 days minus the 90 days before, signed ln(1 + |difference|)',
    value: (r) => signedLog(r.orders_90d - r.orders_prev_90d),
    words: (r) => `${plural(r.orders_prev_90d, 'order')} in the 90 days before that`,
  },
  {
    name: 'products',
    theme: 'range of products',
    label: 'distinct products bought, ln(1 + n)',
    value: (r) => ln1p(r.products),
    words: (r) => `${distinct(r.products, 'product', 'products')} bought`,
  },
  {
    name: 'categories',
    theme: 'range of products',
    label: 'distinct categories bought, ln(1 + n)',
    value: (r) => ln1p(r.categories),
    words: (r) => `${distinct(r.categories, 'category', 'categories')} bought`,
  },
  {
    name: 'email_opens_30d',
    theme: 'engagement',
    label: 'emails opened in the last 30 days, ln(1 + n)',
    value: (r) => ln1p(r.email_opens_30d),
    words: (r) => `${plural(r.email_opens_30d, 'email')} opened in the last 30 days`,
  },
  {
    name: 'email_clicks_30d',
    theme: 'engagement',
    label: 'email links clicked in the last 30 days, ln(1 + n)',
    value: (r) => ln1p(r.email_clicks_30d),
    words: (r) => `${plural(r.email_clicks_30d, 'email link')} clicked in the last 30 days`,
  },
  {
    name: 'product_views_30d',
    theme: 'engagement',
    label: 'products viewed in the last 30 days, ln(1 + n)',
    value: (r) => ln1p(r.product_views_30d),
    words: (r) => `${plural(r.product_views_30d, 'product')} viewed in the last 30 days`,
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
