import type { Migration } from './types.js';

/**
 * The recommendation method each shop uses, chosen by its own time-split evaluation (`segmint recommend
 * evaluate`, docs/recommendations.md): a row per evaluation, the latest one in force. data_end is the
 * latest order the evaluation saw, so a later import makes the choice stale and it is made again.
 */
export const recommendMethod: Migration = {
  version: 8,
  name: 'recommend method choice',
  statements: [
    `CREATE TABLE recommend_method_choices (
      evaluated_at TIMESTAMP NOT NULL,
      split TIMESTAMP NOT NULL,
      data_end TIMESTAMP NOT NULL,
      n INTEGER NOT NULL,
      customers INTEGER NOT NULL,
      cooccurrence_hits INTEGER NOT NULL,
      popularity_hits INTEGER NOT NULL,
      method VARCHAR NOT NULL
    )`,
  ],
};
