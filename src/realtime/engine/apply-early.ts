import { setImmediate as nextTurn } from 'node:timers/promises';
import type { IngestOutcome } from '../../ingest/live/ingest.js';
import type { Transaction } from '../../store/db.js';
import { profileParts, streamsByEvent } from './apply-commit.js';
import type { Stage } from './stage.js';
import { addToStreams, pruneRecord, reevaluate, tick } from './steps.js';

/**
 * The longest the early evaluation keeps the JavaScript thread between two turns of the event loop, in
 * milliseconds. node-api carries a statement on from one of its steps to the next on this thread, so
 * each slice of evaluation can hold ingestion's statement that long: slices of 32 customers held it up to
 * 2 ms on a slow machine, several times per statement.
 */
const SLICE_MS = 0.25;

/** Gives the event loop a turn once a slice of SLICE_MS is used up. */
class Slices {
  private since = performance.now();

  /** Whether the current slice is used up (then call turn()). */
  due(): boolean {
    return performance.now() - this.since >= SLICE_MS;
  }

  /** One turn of the event loop: the statement ingestion has in flight takes its next step meanwhile. */
  async turn(): Promise<void> {
    await nextTurn();
    this.since = performance.now();
  }
}

/**
 * The part of a commit's engine step that needs only the events and their customers, done while
 * ingestion is still writing them (GroupCommitter.whenResolved), so that the evaluation's JavaScript runs
 * beside ingestion's statements instead of after them. It takes the customers the engine already has
 * whose profile none of the commit's events can change (no identify with traits, no consent decision, no
 * order: profileParts) when the commit merges no one: for them the events alone decide, as in
 * applyCommit. Their events go into the streams and the definitions reading those events are evaluated,
 * on the stage as applyCommit would; the others are left to applyCommit, which skips the customers
 * returned here.
 *
 * node-api continues a statement on the JavaScript thread between its steps, so the evaluation gives the
 * event loop a turn whenever it has held the thread for SLICE_MS (`slices`). It stops where it is once
 * the stage is closed (the step was abandoned): its work would count for nothing. Makes no statement.
 *
 * Returns the ids of the customers done.
 */
export async function applyEarly(
  stage: Stage,
  events: IngestOutcome['events'],
  merged: ReadonlyMap<string, string>,
  slices = new Slices(),
): Promise<Set<string>> {
  const handled = new Set<string>();
  if (merged.size > 0) return handled;
  const late = new Set<string>();
  for (const { event: e, customerId: id } of events) {
    if (id === null || late.has(id)) continue;
    const parts = profileParts(e);
    if (!stage.get(id) || parts.traits || parts.consent || parts.metrics) late.add(id);
  }
  const byEvent = streamsByEvent(stage);
  const changed = new Map<string, Set<string>>();
  for (const { event: e, customerId: id } of events) {
    if (id === null || late.has(id)) continue;
    if (slices.due()) {
      await slices.turn();
      if (stage.closed) return handled;
    }
    handled.add(id);
    const defs = e.event === undefined ? undefined : byEvent.get(e.event);
    if (!defs) continue;
    const rec = stage.mutable(id)!;
    if (!addToStreams(stage, rec, defs, e.timestamp.getTime(), e.properties ?? null)) continue;
    let keys = changed.get(id);
    if (!keys) changed.set(id, (keys = new Set()));
    keys.add(`e:${e.event}`);
  }
  for (const [id, keys] of changed) {
    if (slices.due()) {
      await slices.turn();
      if (stage.closed) return handled;
    }
    const rec = stage.mutable(id)!;
    reevaluate(stage, rec, keys);
    pruneRecord(stage, rec);
  }
  return handled;
}

/** A commit's step opened once its events were resolved: its transaction, its stage, and the early evaluation's outcome. */
export interface EarlyStep {
  readonly tx: Transaction;
  readonly stage: Stage;
  /** never rejects: a failure is kept, to be thrown inside the step (earlyHandled) */
  readonly done: Promise<{ handled: Set<string> } | { error: unknown }>;
}

/**
 * Starts a commit's step on `stage` (opened for it): what came due (tick), then applyEarly, both after a
 * turn of the event loop (ingestion's first statement starts meanwhile) and in slices of SLICE_MS.
 */
export function startEarly(tx: Transaction, stage: Stage, events: IngestOutcome['events'], merged: ReadonlyMap<string, string>): EarlyStep {
  const done = (async () => {
    const slices = new Slices();
    do {
      await slices.turn();
      if (stage.closed) return new Set<string>();
    } while (!tick(stage, () => slices.due()));
    return applyEarly(stage, events, merged, slices);
  })().then(
    (handled) => ({ handled }),
    (error: unknown) => ({ error }),
  );
  return { tx, stage, done };
}

/**
 * Once the early evaluation is over: the customers it did, when the step resumed its stage (`stage`);
 * undefined when the step runs on another stage (the early one was abandoned: its work counts for
 * nothing). Throws the early evaluation's failure on its own stage, so the step drops it.
 */
export async function earlyHandled(early: EarlyStep, stage: Stage): Promise<Set<string> | undefined> {
  const r = await early.done;
  if (stage !== early.stage) return undefined;
  if ('error' in r) throw r.error;
  return r.handled;
}
