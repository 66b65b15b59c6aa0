import { isSegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { latestMethodChoice, saveMethodChoice, type MethodChoiceRow, type RecommendMethod } from '../../store/queries/predict/recommend/method-choice.js';
import { lastOrderAt } from '../../store/queries/recommend.js';
import { evaluateRecommendations, type RecommendEvaluation } from './evaluate.js';
import { localDate } from '../../domain/time-zone.js';
import { reportTimeZone } from '../../analytics/asOf.js';

export type { RecommendMethod };
export const METHODS: readonly RecommendMethod[] = ['cooccurrence', 'popularity'];

/** The method in use for a request, and why: chosen by the shop's evaluation, or named by the user. */
export interface MethodInUse {
  readonly method: RecommendMethod;
  readonly how: 'evaluation' | 'given' | 'no evaluation possible';
  /** The evaluation the choice rests on (null when given, or when none could be made). */
  readonly evaluation: {
    readonly evaluatedAt: string;
    readonly split: string;
    readonly n: number;
    readonly customers: number;
    readonly cooccurrenceHitRate: number;
    readonly popularityHitRate: number;
  } | null;
  /** One sentence saying why this method, for the output. */
  readonly reason: string;
}

/**
 * The method a time-split evaluation picks: co-occurrence only when it hits more next orders than
 * recommending best-sellers; a recommender that does not beat its baseline is not used.
 */
export function chooseMethod(e: Pick<RecommendEvaluation, 'cooccurrence' | 'popularity'>): RecommendMethod {
  return e.cooccurrence.hits > e.popularity.hits ? 'cooccurrence' : 'popularity';
}

/**
 * Stores an evaluation and its choice, which then applies to `recommend` until the data changes. The
 * same evaluation of the same data again (same split, n, data end and hits) keeps the stored row and
 * its date: nothing was learnt, so every answer keeps naming the same evaluation.
 */
export async function recordChoice(db: Queryable, e: RecommendEvaluation, dataEnd: Date, now = new Date()): Promise<MethodInUse> {
  const last = await latestMethodChoice(db);
  if (
    last &&
    last.split.getTime() === new Date(e.split).getTime() &&
    last.data_end.getTime() === dataEnd.getTime() &&
    last.n === e.n &&
    last.customers === e.customers &&
    last.cooccurrence_hits === e.cooccurrence.hits &&
    last.popularity_hits === e.popularity.hits
  ) {
    return fromRow(last, await reportTimeZone(db));
  }
  const row: MethodChoiceRow = {
    evaluated_at: now,
    split: new Date(e.split),
    data_end: dataEnd,
    n: e.n,
    customers: e.customers,
    cooccurrence_hits: e.cooccurrence.hits,
    popularity_hits: e.popularity.hits,
    method: chooseMethod(e),
  };
  await saveMethodChoice(db, row);
  return fromRow(row, await reportTimeZone(db));
}

/**
 * The method for `recommend` on this shop: the stored choice while it still describes the data (no
 * order newer than the evaluation saw), else a fresh evaluation on the default split, stored. When no
 * evaluation is possible (no customer ordered both before and after the split) the baseline is used,
 * and the reason says so. onEvaluating is called before an evaluation starts (it takes a while on a
 * large store).
 */
export async function methodForShop(db: Queryable, onEvaluating?: () => void): Promise<MethodInUse> {
  const end = await lastOrderAt(db);
  const stored = await latestMethodChoice(db);
  if (stored && end && stored.data_end.getTime() >= end.getTime()) return fromRow(stored, await reportTimeZone(db));
  onEvaluating?.();
  try {
    return (await evaluateAndChoose(db)).choice;
  } catch (err) {
    if (isSegmintError(err) && err.code === 'nothing_to_evaluate') {
      return {
        method: 'popularity',
        how: 'no evaluation possible',
        evaluation: null,
        reason: `best-sellers, because the shop's history cannot test co-occurrence yet (${err.message.replace(/;.*$/, '')}).`,
      };
    }
    throw err;
  }
}

/** `segmint recommend evaluate`: the time-split evaluation, and the method it makes the shop's default. */
export async function evaluateAndChoose(
  db: Queryable,
  options: { split?: Date; n?: number } = {},
): Promise<{ evaluation: RecommendEvaluation; choice: MethodInUse }> {
  const evaluation = await evaluateRecommendations(db, options);
  const end = await lastOrderAt(db);
  return { evaluation, choice: await recordChoice(db, evaluation, end!) };
}

/** The method named on the command line, without evaluation. */
export function givenMethod(method: RecommendMethod): MethodInUse {
  return { method, how: 'given', evaluation: null, reason: `${label(method)}, as asked (--method ${method}).` };
}

/** A stored choice in words; its days (the split, the evaluation) are days of the workspace time zone `tz`. */
function fromRow(r: MethodChoiceRow, tz: string): MethodInUse {
  const c = r.cooccurrence_hits / r.customers;
  const p = r.popularity_hits / r.customers;
  const split = localDate(r.split, tz);
  const won = r.method === 'cooccurrence';
  return {
    method: r.method,
    how: 'evaluation',
    evaluation: {
      evaluatedAt: r.evaluated_at.toISOString(),
      split: r.split.toISOString(),
      n: r.n,
      customers: r.customers,
      cooccurrenceHitRate: c,
      popularityHitRate: p,
    },
    reason:
      `${label(r.method)}, chosen by this shop's evaluation of ${localDate(r.evaluated_at, tz)}: on the next orders after ${split} ` +
      `(${r.customers} customers) co-occurrence hit ${pct(c)} and best-sellers ${pct(p)}` +
      (won ? '.' : `; co-occurrence ${c === p ? 'did no better' : 'did worse'}, so best-sellers are recommended.`),
  };
}

function label(m: RecommendMethod): string {
  return m === 'cooccurrence' ? 'Co-occurrence (bought together with what this customer bought)' : 'Best-sellers the customer has not bought';
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * What `recommend evaluate --json` and GET /v1/recommendations/evaluation answer: the evaluation and
 * the method it made the shop's default (`chosen`). Only figures of the data, so two runs on the same
 * data answer the same.
 */
export function evaluationJson(r: { evaluation: RecommendEvaluation; choice: MethodInUse }): RecommendEvaluation & { chosen: RecommendMethod } {
  return { ...r.evaluation, chosen: r.choice.method };
}
