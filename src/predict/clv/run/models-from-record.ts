import type { ClvModelRecord } from '../../../store/queries/clv-models.js';
import type { ClvModels } from '../fit/fit-report.js';
import { PARAM_NAMES, paramsFromVector, type PurchaseModel } from '../models.js';

/** Rebuilds the fitted models from a stored fit. */
export function modelsFromRecord(r: ClvModelRecord): ClvModels {
  const model = r.model as PurchaseModel;
  const s = r.spend_params;
  return {
    purchases: paramsFromVector(model, PARAM_NAMES[model].map((n) => r.params[n] as number)),
    spend: s ? { p: s.p as number, q: s.q as number, gamma: s.gamma as number } : undefined,
  };
}
