import type { Queryable } from '../../../db.js';

export type RecommendMethod = 'cooccurrence' | 'popularity';

/** One stored evaluation and the method it chose (table recommend_method_choices). */
export interface MethodChoiceRow {
  evaluated_at: Date;
  split: Date;
  data_end: Date;
  n: number;
  customers: number;
  cooccurrence_hits: number;
  popularity_hits: number;
  method: RecommendMethod;
}

export async function saveMethodChoice(db: Queryable, row: MethodChoiceRow): Promise<void> {
  await db.run(
    `INSERT INTO recommend_method_choices VALUES ($1::TIMESTAMP, $2::TIMESTAMP, $3::TIMESTAMP, $4, $5, $6, $7, $8)`,
    [row.evaluated_at, row.split, row.data_end, row.n, row.customers, row.cooccurrence_hits, row.popularity_hits, row.method],
  );
}

/** The choice in force: the latest evaluation's. */
export function latestMethodChoice(db: Queryable): Promise<MethodChoiceRow | undefined> {
  return db.one<MethodChoiceRow>(
    `SELECT evaluated_at, split, data_end, n, customers, cooccurrence_hits, popularity_hits, method
     FROM recommend_method_choices ORDER BY evaluated_at DESC, data_end DESC LIMIT 1`,
  );
}
