import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { clvBins, pAliveBins, predictionSummary } from '../../store/queries/predict/clv-distribution.js';
import type { ChurnRisk } from './churn-risk.js';

export const P_ALIVE_BINS = 10;
export const CLV_BINS = 20;

export interface Histogram {
  /** bins[i] covers [edges[i], edges[i+1]); the last bin also holds everything above its edge */
  edges: number[];
  counts: number[];
}

export interface PredictionDistribution {
  as_of: Date;
  model: string;
  model_id: string;
  computed_at: Date;
  customers: number;
  churn_risk: Record<ChurnRisk, number>;
  mean_p_alive: number;
  totals: { expected_purchases_90d: number; predicted_clv_365d: number | null };
  p_alive: Histogram;
  /** predicted 365-day CLV; null when no spend model was fitted. Bins run from 0 to the 99th percentile. */
  clv: Histogram | null;
}

/**
 * The stored lifetime-value predictions (customer_predictions, written by `segmint clv predict`) as
 * distributions: P(alive) in ten bins of 0.1, predicted 365-day CLV in twenty equal bins from 0 to its
 * 99th percentile (the top 1% in the last bin), churn-risk bands and totals.
 */
export async function predictionDistribution(db: Queryable): Promise<PredictionDistribution> {
  const s = await predictionSummary(db);
  if (s.customers === 0 || !s.as_of || !s.model || !s.model_id || !s.computed_at) {
    throw new SegmintError('clv_not_predicted', 'No lifetime-value predictions are stored yet: run `segmint clv fit` then `segmint clv predict` (or fit from the dashboard).', {}, 404);
  }
  const pa = histogram(await pAliveBins(db, P_ALIVE_BINS), P_ALIVE_BINS, 1 / P_ALIVE_BINS);
  let clv: Histogram | null = null;
  if (s.clv_p99 !== null) {
    const width = s.clv_p99 > 0 ? s.clv_p99 / CLV_BINS : 1;
    clv = histogram(await clvBins(db, width, CLV_BINS), CLV_BINS, width);
  }
  return {
    as_of: s.as_of,
    model: s.model,
    model_id: s.model_id,
    computed_at: s.computed_at,
    customers: s.customers,
    churn_risk: { low: s.low, medium: s.medium, high: s.high },
    mean_p_alive: s.mean_p_alive ?? 0,
    totals: { expected_purchases_90d: s.expected_purchases_90d, predicted_clv_365d: s.predicted_clv_365d },
    p_alive: pa,
    clv,
  };
}

function histogram(rows: readonly { bin: number; count: number }[], bins: number, width: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  for (const r of rows) counts[r.bin] = r.count;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => i * width), counts };
}
