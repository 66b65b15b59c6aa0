import type { Migration } from './types.js';

/**
 * Segments, their current members and the history of every entry and exit. definition holds the JSON
 * AST (the source of truth); query_text is the text form it was written in, kept for editing.
 */
export const segments: Migration = {
  version: 2,
  name: 'segments',
  statements: [
    `CREATE TABLE segments (
      segment_id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL UNIQUE,
      definition JSON NOT NULL,
      query_text VARCHAR,
      description VARCHAR,
      notes VARCHAR,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      refreshed_at TIMESTAMP,
      refreshed_as_of TIMESTAMP
    )`,
    `CREATE TABLE segment_members (
      segment_id VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL,
      since TIMESTAMP NOT NULL,
      PRIMARY KEY (segment_id, customer_id)
    )`,
    // change: entered | exited; changed_at: the as_of of the evaluation that saw the change
    `CREATE TABLE segment_history (
      segment_id VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL,
      change VARCHAR NOT NULL,
      changed_at TIMESTAMP NOT NULL,
      recorded_at TIMESTAMP NOT NULL
    )`,
  ],
};
