/** Churn-risk bands: low < 0.33 ≤ medium < 0.66 ≤ high, on churn probability = 1 − P(alive). */
export type ChurnRisk = 'low' | 'medium' | 'high';

/** The bands from lowest to highest risk. */
export const CHURN_RISKS: readonly ChurnRisk[] = ['low', 'medium', 'high'];

export const CHURN_BANDS = { medium: 0.33, high: 0.66 } as const;

export function churnRisk(churnProbability: number): ChurnRisk {
  if (churnProbability >= CHURN_BANDS.high) return 'high';
  if (churnProbability >= CHURN_BANDS.medium) return 'medium';
  return 'low';
}
