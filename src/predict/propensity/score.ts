import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { propensityFeatures } from '../../store/queries/propensity-features.js';
import { modelTargets, replaceScores } from '../../store/queries/propensity-models.js';
import { scoreModel } from './model.js';
import { loadModel } from './stored-model.js';
import { dataEnd } from './train.js';

export interface ScoreResult {
  readonly target: string;
  readonly modelId: string;
  readonly asOf: string;
  readonly customers: number;
  readonly meanProbability: number;
}

/**
 * Scores every customer with an order at or before `asOf` (default: the latest order in the store) with
 * the latest model of each trained target (or the named ones) and replaces the stored scores (propensity_scores), which segments
 * read as propensity.<target>.
 */
export async function scorePropensity(
  store: Store,
  options: { asOf?: Date; targets?: readonly string[] } = {},
): Promise<ScoreResult[]> {
  const asOf = options.asOf ?? (await dataEnd(store)).last;
  const targets = options.targets ?? (await modelTargets(store));
  if (targets.length === 0) {
    throw new SegmintError('propensity_not_trained', 'No propensity model is stored yet: run `segmint propensity train` first.');
  }
  const rows = await propensityFeatures(store, asOf);
  const ids = rows.map((r) => r.customer_id);
  const out: ScoreResult[] = [];
  for (const target of targets) {
    const loaded = await loadModel(store, target);
    if (!loaded) {
      throw new SegmintError('propensity_not_trained', `No ${target} model is stored yet: run \`segmint propensity train\` first.`, {
        target,
      });
    }
    const p = scoreModel(loaded.model, rows);
    await replaceScores(store, { target, modelId: loaded.modelId, asOf, customerIds: ids, probabilities: Array.from(p) });
    let sum = 0;
    for (const v of p) sum += v;
    out.push({ target, modelId: loaded.modelId, asOf: asOf.toISOString(), customers: ids.length, meanProbability: ids.length ? sum / ids.length : NaN });
  }
  return out;
}
