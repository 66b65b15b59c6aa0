import { SegmintError } from '../../domain/errors.js';
import type { RawFeatureRow } from '../../store/queries/propensity-features.js';
import { fitStandardiser } from '../stats/standardiser.js';
import { standardise } from '../stats/standardise.js';
import { logisticFit } from '../stats/logistic-fit.js';
import { logisticPredict } from '../stats/logistic-predict.js';
import { FEATURES, featureMatrix, type Theme } from './features.js';

/**
 * A trained propensity model, as stored in propensity_models.model: everything needed to score or explain
 * a customer later without the training data. Probabilities are of "places an order within
 * horizonDays after the as-of time".
 */
export interface PropensityModel {
  readonly target: string;
  readonly horizonDays: number;
  readonly cutoff: string;
  readonly features: readonly string[];
  readonly means: readonly number[];
  readonly sds: readonly number[];
  readonly intercept: number;
  readonly weights: readonly number[];
  readonly lambda: number;
  readonly trainedOn: number;
  readonly positives: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Standardised inputs are clipped to ± this many standard deviations, in training and scoring alike. */
export const CLIP_SD = 4;

/** Default L2 penalty: a weak pull towards 0 that matters only for rare or nearly collinear inputs. */
export const DEFAULT_LAMBDA = 1;

/**
 * Fits the logistic model on features at a cutoff and 0/1 labels from the window after it. Inputs are
 * standardised with the training means and deviations, which the model keeps for scoring.
 */
export function trainModel(
  rows: readonly RawFeatureRow[],
  labels: ArrayLike<number>,
  meta: { target: string; horizonDays: number; cutoff: Date; lambda?: number },
): PropensityModel {
  const x = featureMatrix(rows);
  const st = fitStandardiser(x);
  const lambda = meta.lambda ?? DEFAULT_LAMBDA;
  const fit = logisticFit(standardise(x, st, CLIP_SD), labels, { lambda });
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] as number;
  return {
    target: meta.target,
    horizonDays: meta.horizonDays,
    cutoff: meta.cutoff.toISOString(),
    features: FEATURES.map((f) => f.name),
    means: st.means,
    sds: st.sds,
    intercept: fit.intercept,
    weights: fit.weights,
    lambda,
    trainedOn: rows.length,
    positives,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/** P(order within the horizon) for each row, with the model's own standardisation. */
export function scoreModel(model: PropensityModel, rows: readonly RawFeatureRow[]): Float64Array {
  assertFeatures(model);
  const z = standardise(featureMatrix(rows), { means: model.means, sds: model.sds }, CLIP_SD);
  return logisticPredict(z, model.intercept, model.weights);
}

export interface Contribution {
  readonly feature: string;
  /** weight × standardised value: how far this input moves the log-odds from the average customer's. */
  readonly contribution: number;
  readonly words: string;
}

/** Per-feature contributions to one customer's log-odds, largest in size first; zero ones left out. */
export function contributions(model: PropensityModel, row: RawFeatureRow): Contribution[] {
  assertFeatures(model);
  const z = standardise(featureMatrix([row]), { means: model.means, sds: model.sds }, CLIP_SD);
  const out: Contribution[] = [];
  FEATURES.forEach((f, j) => {
    const c = (model.weights[j] as number) * (z.data[j] as number);
    if (c !== 0) out.push({ feature: f.name, contribution: c, words: f.words(row) });
  });
  return out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature));
}

export interface ThemeContribution {
  readonly theme: Theme;
  /** Sum of the contributions of the theme's inputs: the theme's exact share of the log-odds. */
  readonly contribution: number;
  /** The raw figures behind the theme's inputs, in words. */
  readonly words: readonly string[];
}

/** Contributions added up per theme (recent activity, buying frequency, ...), largest in size first. */
export function themeContributions(model: PropensityModel, row: RawFeatureRow): ThemeContribution[] {
  const byTheme = new Map<Theme, { contribution: number; words: string[] }>();
  // In input order, so the words of a theme read the same way for every customer.
  const parts = contributions(model, row).sort(
    (a, b) => FEATURES.findIndex((f) => f.name === a.feature) - FEATURES.findIndex((f) => f.name === b.feature),
  );
  for (const c of parts) {
    const theme = FEATURES.find((f) => f.name === c.feature)!.theme;
    const t = byTheme.get(theme) ?? { contribution: 0, words: [] };
    t.contribution += c.contribution;
    t.words.push(c.words);
    byTheme.set(theme, t);
  }
  return [...byTheme.entries()]
    .map(([theme, t]) => ({ theme, contribution: t.contribution, words: [...new Set(t.words)] }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.theme.localeCompare(b.theme));
}

// A model stored by an older segmint with other inputs cannot be applied to today's feature rows.
function assertFeatures(model: PropensityModel): void {
  const names = FEATURES.map((f) => f.name);
  if (model.features.length !== names.length || model.features.some((n, i) => n !== names[i])) {
    throw new SegmintError(
      'propensity_model_outdated',
      `The stored ${model.target} model was trained on other inputs (${model.features.join(', ')}); ` +
        'train it again with `segmint propensity train`.',
      { target: model.target, features: model.features },
      409,
    );
  }
}
