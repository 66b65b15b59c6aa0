import type { Migration } from './types.js';

/**
 * segment_history's seq (the change stream's cursor) is no longer taken row by row from a sequence
 * through the column's default: every writer takes its numbers from one allocator per open database
 * (src/store/queries/realtime/history-numbers.ts), which reserves blocks of numbers in the one-row
 * table segment_history_next (the next number no block has reserved) and writes the rows with their
 * numbers. Numbers still increase in the order rows are recorded and never repeat, also across
 * restarts and kill -9 (a reservation commits with, or before, the rows that use it); numbers of a
 * block not used before the process stops are skipped.
 *
 * The first free number is above every number the old sequence handed out (its next value: rows of a
 * deleted segment are gone, but a client may still hold their cursors) and above every stored seq.
 * The column's default and the sequence are dropped, so that no writer takes numbers from the old
 * sequence beside the allocator's (a row written without seq has none). DuckDB replays both from its
 * write-ahead log after a kill -9 (tried before the CHECKPOINT that follows every migration).
 */
export const historyNumbers: Migration = {
  version: 27,
  name: 'segment_history numbers reserved in blocks',
  statements: [
    'CREATE TABLE segment_history_next (id INTEGER PRIMARY KEY, next BIGINT NOT NULL)',
    `INSERT INTO segment_history_next
     SELECT 1, greatest(nextval('segment_history_seq'), coalesce((SELECT max(seq) FROM segment_history), 0) + 1)`,
    'ALTER TABLE segment_history ALTER COLUMN seq DROP DEFAULT',
    'DROP SEQUENCE segment_history_seq',
  ],
};
