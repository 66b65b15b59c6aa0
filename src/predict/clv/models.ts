import type { BgNbdParams } from './bg-nbd/log-likelihood.js';
import type { ParetoNbdParams } from './pareto-nbd/log-likelihood.js';

/** The repeat-purchase models segmint fits. */
export const PURCHASE_MODELS = ['bg-nbd', 'pareto-nbd'] as const;
export type PurchaseModel = (typeof PURCHASE_MODELS)[number];

/** Fitted parameters, tagged by model so predictions dispatch without guessing from the field names. */
export type PurchaseParams =
  | { readonly model: 'bg-nbd'; readonly params: BgNbdParams }
  | { readonly model: 'pareto-nbd'; readonly params: ParetoNbdParams };

export const PARAM_NAMES: Readonly<Record<PurchaseModel, readonly string[]>> = {
  'bg-nbd': ['r', 'alpha', 'a', 'b'],
  'pareto-nbd': ['r', 'alpha', 's', 'beta'],
};

/** Builds tagged parameters from a vector in PARAM_NAMES order. */
export function paramsFromVector(model: PurchaseModel, v: readonly number[]): PurchaseParams {
  const [p0, p1, p2, p3] = v as [number, number, number, number];
  return model === 'bg-nbd'
    ? { model, params: { r: p0, alpha: p1, a: p2, b: p3 } }
    : { model, params: { r: p0, alpha: p1, s: p2, beta: p3 } };
}

/** The parameters as a plain record, in PARAM_NAMES order (for JSON and the store). */
export function paramsRecord(p: PurchaseParams): Record<string, number> {
  return { ...p.params } as Record<string, number>;
}
