import { SegmintError } from '../../domain/errors.js';
import { FEATURE_COLUMNS, type FeatureColumn } from '../../store/queries/analytics/clusters.js';

/** How a feature is described in a cluster name: words for clearly low and clearly high z-scores. */
export interface FeatureSpec {
  readonly name: FeatureColumn;
  readonly label: string;
  /** [strongly low, low, middle, high, strongly high] */
  readonly words: readonly [string, string, string, string, string];
}

export const FEATURES: Record<FeatureColumn, FeatureSpec> = {
  recency_days: { name: 'recency_days', label: 'days since last order', words: ['very recent', 'recent', 'mid recency', 'lapsing', 'long lapsed'] },
  frequency: { name: 'frequency', label: 'orders', words: ['one-off', 'infrequent', 'mid frequency', 'frequent', 'very frequent'] },
  monetary: { name: 'monetary', label: 'net spend', words: ['very low spend', 'low spend', 'mid spend', 'high spend', 'top spend'] },
  avg_days_between_orders: {
    name: 'avg_days_between_orders',
    label: 'days between orders',
    words: ['very short gaps', 'short gaps', 'usual gaps', 'long gaps', 'very long gaps'],
  },
  distinct_products: {
    name: 'distinct_products',
    label: 'distinct products',
    words: ['very narrow range', 'narrow range', 'usual range', 'broad range', 'very broad range'],
  },
  avg_order_value: { name: 'avg_order_value', label: 'average order value', words: ['tiny baskets', 'small baskets', 'usual baskets', 'big baskets', 'huge baskets'] },
  gross_revenue: { name: 'gross_revenue', label: 'gross revenue', words: ['very low gross', 'low gross', 'mid gross', 'high gross', 'top gross'] },
  refunded: { name: 'refunded', label: 'refunded', words: ['no refunds', 'few refunds', 'some refunds', 'many refunds', 'heavy refunds'] },
};

export const DEFAULT_FEATURES: readonly FeatureColumn[] = ['recency_days', 'frequency', 'monetary'];

/**
 * The features of a run: the three RFM values plus any listed in `--features` (comma separated;
 * `recency`, `frequency`, `monetary` are accepted as the defaults' short names).
 */
export function parseFeatures(text: string | undefined): FeatureColumn[] {
  const out: FeatureColumn[] = [...DEFAULT_FEATURES];
  if (!text) return out;
  for (const raw of text.split(',')) {
    const name = raw.trim() === 'recency' ? 'recency_days' : raw.trim();
    if (!name) continue;
    if (!(name in FEATURE_COLUMNS)) {
      throw new SegmintError('unknown_feature', `--features: "${name}" is not a clustering feature (known: ${Object.keys(FEATURE_COLUMNS).join(', ')})`, {
        option: '--features',
        value: name,
      });
    }
    if (!out.includes(name as FeatureColumn)) out.push(name as FeatureColumn);
  }
  return out;
}
