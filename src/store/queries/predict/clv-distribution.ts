import type { Queryable } from '../../db.js';

export interface PredictionSummaryRow {
  customers: number;
  as_of: Date | null;
  model: string | null;
  model_id: string | null;
  computed_at: Date | null;
  low: number;
  medium: number;
  high: number;
  expected_purchases_90d: number;
  predicted_clv_365d: number | null;
  mean_p_alive: number | null;
  /** 99th percentile of predicted_clv_365d: the upper edge of the CLV histogram */
  clv_p99: number | null;
}

export interface BinRow {
  bin: number;
  count: number;
}

/** Totals and churn-risk bands of the stored predictions (customer_predictions). */
export async function predictionSummary(db: Queryable): Promise<PredictionSummaryRow> {
  const row = await db.one<PredictionSummaryRow>(
    `SELECT count(*) AS customers, max(as_of) AS as_of, max(model) AS model, max(model_id) AS model_id,
       max(computed_at) AS computed_at,
       count(*) FILTER (WHERE churn_risk = 'low') AS low,
       count(*) FILTER (WHERE churn_risk = 'medium') AS medium,
       count(*) FILTER (WHERE churn_risk = 'high') AS high,
       coalesce(sum(expected_purchases_90d), 0) AS expected_purchases_90d,
       sum(predicted_clv_365d) AS predicted_clv_365d,
       avg(p_alive) AS mean_p_alive,
       quantile_cont(predicted_clv_365d, 0.99) AS clv_p99
     FROM customer_predictions`,
  );
  return row!;
}

/** P(alive) of the stored predictions in `bins` equal bins over [0, 1]; P(alive) = 1 falls in the last bin. */
export function pAliveBins(db: Queryable, bins: number): Promise<BinRow[]> {
  return db.all<BinRow>(
    `SELECT least(floor(p_alive * $1::INTEGER), $1::INTEGER - 1)::INTEGER AS bin, count(*) AS count
     FROM customer_predictions GROUP BY bin ORDER BY bin`,
    [bins],
  );
}

/**
 * Predicted 365-day CLV in `bins` equal bins of `width` from 0; values past the last bin fall into it
 * (the caller picks width so that only the top 1% do). Customers without a spend prediction are left out.
 */
export function clvBins(db: Queryable, width: number, bins: number): Promise<BinRow[]> {
  return db.all<BinRow>(
    `SELECT least(greatest(floor(predicted_clv_365d / $1::DOUBLE), 0), $2::INTEGER - 1)::INTEGER AS bin, count(*) AS count
     FROM customer_predictions WHERE predicted_clv_365d IS NOT NULL GROUP BY bin ORDER BY bin`,
    [width, bins],
  );
}
