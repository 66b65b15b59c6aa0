import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { latestModel } from '../../store/queries/propensity-models.js';
import type { PropensityModel } from './model.js';

/** The latest stored model of a target, parsed; undefined when none was trained. */
export async function loadModel(db: Queryable, target: string): Promise<{ modelId: string; model: PropensityModel } | undefined> {
  const row = await latestModel(db, target);
  if (!row) return undefined;
  const model = JSON.parse(row.model) as PropensityModel;
  if (!Array.isArray(model.weights) || !Array.isArray(model.means) || typeof model.intercept !== 'number') {
    throw new SegmintError('propensity_model_corrupt', `The stored model ${row.model_id} is not a propensity model; train again.`, {
      modelId: row.model_id,
    });
  }
  return { modelId: row.model_id, model };
}
