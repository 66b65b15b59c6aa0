import type { Queryable, Store } from '../db.js';

export interface StoredModel {
  model_id: string;
  target: string;
  horizon_days: number;
  cutoff: Date;
  trained_at: Date;
  /** The model as JSON text; the propensity domain code parses and checks it. */
  model: string;
}

/** Saves a model under its id, replacing a model of the same target trained at the same cutoff. */
export async function saveModel(
  db: Queryable,
  m: { modelId: string; target: string; horizonDays: number; cutoff: Date; model: unknown },
): Promise<void> {
  await db.run('DELETE FROM propensity_models WHERE model_id = $1', [m.modelId]);
  await db.run(
    `INSERT INTO propensity_models VALUES ($1, $2, $3, $4::TIMESTAMP, now()::TIMESTAMP, $5::JSON)`,
    [m.modelId, m.target, m.horizonDays, m.cutoff, JSON.stringify(m.model)],
  );
}

/** The most recently trained model of a target (latest training, then latest cutoff), if any. */
export async function latestModel(db: Queryable, target: string): Promise<StoredModel | undefined> {
  return db.one<StoredModel>(
    `SELECT model_id, target, horizon_days, cutoff, trained_at, model::VARCHAR AS model FROM propensity_models
     WHERE target = $1 ORDER BY trained_at DESC, cutoff DESC, model_id LIMIT 1`,
    [target],
  );
}

/**
 * Replaces every stored score of a target with the given ones in one transaction, so segments never see
 * half a scoring run. Lists bind as single parameters, so one statement writes any number of rows.
 */
export async function replaceScores(
  store: Store,
  s: { target: string; modelId: string; asOf: Date; customerIds: readonly string[]; probabilities: readonly number[] },
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM propensity_scores WHERE target = $1', [s.target]);
    if (s.customerIds.length === 0) return;
    await tx.run(
      `INSERT INTO propensity_scores
       SELECT c.id, $2, c.p, $3::TIMESTAMP, $4, now()::TIMESTAMP
       FROM (SELECT unnest($1::VARCHAR[]) AS id, unnest($5::DOUBLE[]) AS p) c`,
      [s.customerIds, s.target, s.asOf, s.modelId, s.probabilities],
    );
  });
}

export interface StoredScore {
  target: string;
  probability: number;
  as_of: Date;
  model_id: string;
}

/** Every stored score of one customer. */
export async function customerScores(db: Queryable, customerId: string): Promise<StoredScore[]> {
  return db.all<StoredScore>(
    'SELECT target, probability, as_of, model_id FROM propensity_scores WHERE customer_id = $1 ORDER BY target',
    [customerId],
  );
}

/** Count and mean score per target, for the CLI summary after scoring. */
export async function scoreSummary(db: Queryable): Promise<{ target: string; customers: number; mean: number }[]> {
  return db.all(
    `SELECT target, count(*) AS customers, avg(probability) AS mean FROM propensity_scores GROUP BY target ORDER BY target`,
  );
}

/** Targets with at least one stored model, in name order. */
export async function modelTargets(db: Queryable): Promise<string[]> {
  const rows = await db.all<{ target: string }>('SELECT DISTINCT target FROM propensity_models ORDER BY target');
  return rows.map((r) => r.target);
}
