import type { Migration } from './types.js';

/**
 * What a segment's stored members cannot say by themselves, for commands that read them without a
 * server (task fixA12, item 2):
 *
 * - `segment_live_refusals`: a running server refused to keep the segment live (too costly, or it does
 *   not compile for real time) and why; written where the engine decides it (realtime/engine/
 *   definitions.ts, compileLive), removed when a server accepts it and with the segment. A refusal
 *   decided before the definition last changed was of the old definition and is no longer reported
 *   (the next server judges the new one), but still says the engine has not written the segment since.
 *   Without it a refused segment's stored rows were read as the engine's, current to its watermark.
 * - `segment_definition_changes`: when the definition last changed (`segments update` with a new query
 *   or JSON; a description, notes or a new name change nothing). Members stored before that moment are
 *   those of the old definition until a refresh or a server re-evaluates them.
 */
export const segmentLiveNotes: Migration = {
  version: 30,
  name: 'segment live refusals and definition changes',
  statements: [
    `CREATE TABLE segment_live_refusals (
      segment_id VARCHAR PRIMARY KEY,
      reason VARCHAR NOT NULL,
      decided_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE segment_definition_changes (
      segment_id VARCHAR PRIMARY KEY,
      changed_at TIMESTAMP NOT NULL
    )`,
  ],
};
