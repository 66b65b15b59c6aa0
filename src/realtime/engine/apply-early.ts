import type { IngestOutcome } from '../../ingest/live/ingest.js';
import type { Transaction } from '../../store/db.js';
import { profileParts, streamsByEvent } from './apply-commit.js';
import type { Stage } from './stage.js';
import { addToStreams, pruneRecord, reevaluate, tick } from './steps.js';

/** Customers evaluated between two turns of the event loop (see applyEarly). */
const CUSTOMERS_PER_TURN = 32;

/** One turn of the event loop: the statement ingestion has in flight takes its next step meanwhile. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
 * event loop a turn first and every CUSTOMERS_PER_TURN customers. Makes no statement.
 *
 * Returns the ids of the customers done.
 */
export async function applyEarly(stage: Stage, events: IngestOutcome['events'], merged: ReadonlyMap<string, string>): Promise<Set<string>> {
  const handled = new Set<string>();
  if (merged.size > 0) return handled;
  await turn();
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
    handled.add(id);
    const defs = e.event === undefined ? undefined : byEvent.get(e.event);
    if (!defs) continue;
    const rec = stage.mutable(id)!;
    if (!addToStreams(stage, rec, defs, e.timestamp.getTime(), e.properties ?? null)) continue;
    let keys = changed.get(id);
    if (!keys) changed.set(id, (keys = new Set()));
    keys.add(`e:${e.event}`);
  }
  let n = 0;
  for (const [id, keys] of changed) {
    if (++n % CUSTOMERS_PER_TURN === 0) await turn();
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

/** Starts a commit's step on `stage` (opened for it): what came due (tick), then applyEarly. */
export function startEarly(tx: Transaction, stage: Stage, events: IngestOutcome['events'], merged: ReadonlyMap<string, string>): EarlyStep {
  const done = (async () => {
    tick(stage);
    return applyEarly(stage, events, merged);
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
