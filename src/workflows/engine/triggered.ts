import type { Store } from '../../store/db.js';
import { existingTablesOnce } from '../../store/queries/segment-state.js';
import { readCursor, writeCursor } from '../../store/queries/workflows/bookkeeping.js';
import type { StoredEvent } from '../../store/queries/workflows/customers.js';
import { activeRunsOf } from '../../store/queries/workflows/runs.js';
import { entryOf } from '../definition/program.js';
import type { MembershipChange } from '../triggers/membership.js';
import { dateEntrants, dueDates, dueFiring, scheduleEntrants } from '../triggers/dates.js';
import type { LoadedWorkflow, WorkflowCatalog } from './catalog.js';
import { Changes } from './changes.js';
import { enterRuns, type Entrant } from './entry.js';
import { ConditionEvaluator, eventPasses, propertyText } from './evaluate.js';
import { BatchReads, type BatchRun } from './reads.js';
import { runFromRow } from './run.js';
import type { EngineSettings } from './settings.js';
import { convert, eventMatchesWait, goTo } from './step.js';

// What starts runs and moves waiting ones, trigger by trigger: the workflow engine (engine.ts) calls these
// from its serial queue, so two of them never move the same run.

/** Active runs whose goals are checked on one read of their customers' states (the engine's batch of due runs). */
const GOAL_BATCH = 500;

/**
 * Acts on stored events: goals of the customers' active runs first (a run converted is not moved on
 * by the same event), then waits for these events, then event triggers. Returns the runs started.
 */
export async function enterOnEvents(store: Store, catalog: WorkflowCatalog, events: readonly StoredEvent[], customers: ReadonlySet<string>, merged: ReadonlyMap<string, string>, now: Date): Promise<number> {
  const ch = new Changes();
  const affected = new Set<string>([...customers].map((c) => merged.get(c) ?? c));
  for (const e of events) if (e.customer_id) affected.add(e.customer_id);
  const runs: BatchRun[] = [];
  for (const run of (await activeRunsOf(store, [...affected])).map(runFromRow)) {
    const wf = catalog.byId(run.workflowId);
    const program = await catalog.program(run.workflowId, run.version);
    if (wf && wf.status === 'active' && program) runs.push({ run, program });
  }
  const parsed = events.map((e) => ({ row: e, properties: e.properties === null ? {} : (JSON.parse(e.properties) as Record<string, unknown>) }));
  // Goals read the customers' states once per slice of runs (BatchReads), not once per run: nothing here
  // is written before the flush below, so each goal reads the store it read on its own before.
  const tables = existingTablesOnce(store);
  let reads: BatchReads | undefined;
  const conditions = new ConditionEvaluator(store, { stateOf: (id) => reads!.state(id), tables });
  for (const [i, { run, program }] of runs.entries()) {
    if (i % GOAL_BATCH === 0) reads = new BatchReads(store, now, runs.slice(i, i + GOAL_BATCH).filter((r) => r.program.definition.goal !== undefined), tables);
    const goal = program.definition.goal;
    if (goal && (await conditions.goalReached(run.customerId, goal, run.enteredAt, now))) {
      convert(run, now, ch);
      continue;
    }
    if (run.phase !== 'wait' || run.waitEvent === null || run.position === null) continue;
    const step = program.steps.get(run.position);
    if (step?.kind !== 'wait_event') continue;
    const hit = parsed.find(
      (p) => p.row.customer_id === run.customerId && eventMatchesWait(run, step, { name: p.row.event, timestamp: p.row.timestamp, properties: p.properties }),
    );
    if (!hit) continue;
    ch.touch(run);
    ch.note(run, now, step.id, 'event', `${step.event} (${hit.row.message_id})`);
    goTo(run, entryOf(step.onEvent, step), now);
  }
  let started = 0;
  for (const wf of catalog.workflows()) {
    const t = wf.program.definition.trigger;
    if (t.kind !== 'event' || wf.status !== 'active') continue;
    const entrants: Entrant[] = [];
    for (const p of parsed) {
      const e = p.row;
      if (e.event !== t.event || !e.customer_id) continue;
      // An event received before the workflow was active is history, not a trigger.
      if (e.received_at.getTime() < wf.activeSince.getTime()) continue;
      if (!eventPasses({ name: e.event, timestamp: e.timestamp, properties: p.properties }, t.where)) continue;
      const key = t.key === undefined ? '' : propertyText(p.properties, t.key);
      if (key === undefined) continue;
      entrants.push({
        customerId: e.customer_id,
        key,
        triggerId: `event:${e.message_id}`,
        at: e.timestamp,
        trigger: { kind: 'event', event: e.event, messageId: e.message_id, at: e.timestamp.toISOString(), properties: p.properties },
      });
    }
    started += (await enterRuns(store, wf, entrants, now, ch)).length;
  }
  await ch.flush(store, now);
  return started;
}

/** Segment triggers: runs entered for the membership changes given. Returns the runs started. */
export async function enterOnMembership(store: Store, catalog: WorkflowCatalog, changes: readonly MembershipChange[], now: Date): Promise<number> {
  const ch = new Changes();
  let started = 0;
  for (const wf of catalog.workflows()) {
    const t = wf.program.definition.trigger;
    if (t.kind !== 'segment') continue;
    const entrants: Entrant[] = changes
      .filter((c) => c.segment === t.segment && c.change === t.change)
      .map((c) => ({
        customerId: c.customerId,
        key: '',
        triggerId: `segment:${c.segmentId}:${c.customerId}:${c.change}:${c.at.toISOString()}`,
        at: c.at,
        trigger: { kind: 'segment', segment: c.segment, change: c.change, at: c.at.toISOString() },
      }));
    started += (await enterRuns(store, wf, entrants, now, ch)).length;
  }
  await ch.flush(store, now);
  return started;
}

/** A whole minute, in ms: the grain of the instants a date or schedule trigger fires at. */
const MINUTE_MS = 60_000;

/**
 * Whether the engine looks at date and schedule triggers at `now`, having last looked at `lastLook` (ms,
 * -Infinity before the first look): once in each whole UTC minute, at its first tick. A trigger fires at a
 * time of day (hours and minutes) in the workspace time zone, and every zone's offset is a whole number of
 * minutes, so each firing instant begins a whole UTC minute: the first look in that minute sees it. A clock
 * set back (a test's) looks again.
 */
export function dateLookDue(lastLook: number, now: Date): boolean {
  return Math.floor(now.getTime() / MINUTE_MS) !== Math.floor(lastLook / MINUTE_MS);
}

/**
 * How long (ms) until the engine should look at date and schedule triggers, when an active workflow has
 * one (the engine's timer wakes then, so such a run enters within a second of its time): 0 when a whole
 * minute began since the last look (`lastLook`, ms; a tick that ran past the minute), else until the next
 * whole minute. Undefined when no active workflow has one: then dates cost no wake.
 */
export function msToDateLook(catalog: WorkflowCatalog, lastLook: number, now: Date): number | undefined {
  const timed = catalog.workflows().some((wf) => wf.status === 'active' && (wf.program.definition.trigger.kind === 'date' || wf.program.definition.trigger.kind === 'schedule'));
  if (!timed) return undefined;
  if (dateLookDue(lastLook, now)) return 0;
  return MINUTE_MS - (((now.getTime() % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
}

/** Date and schedule triggers whose time has come (the engine looks at the first tick of each whole minute, dateLookDue). Returns the runs started. */
export async function enterOnDates(store: Store, catalog: WorkflowCatalog, now: Date, settings: EngineSettings): Promise<number> {
  let started = 0;
  for (const wf of catalog.workflows()) {
    const t = wf.program.definition.trigger;
    if (wf.status !== 'active' || (t.kind !== 'date' && t.kind !== 'schedule')) continue;
    const cursorName = `${t.kind}:${wf.id}`;
    const last = await readCursor(store, cursorName);
    const tz = settings.timeZone;
    if (t.kind === 'date') {
      for (const date of dueDates(last, wf.activeSince, now, t.at, tz)) {
        started += await enterInBatches(store, wf, await dateEntrants(store, t, date, tz), now);
        await writeCursor(store, cursorName, date, now);
      }
    } else {
      const at = dueFiring(t, last === undefined ? undefined : new Date(last), wf.activeSince, now, tz);
      if (!at) continue;
      started += await enterInBatches(store, wf, await scheduleEntrants(store, t, at), now);
      await writeCursor(store, cursorName, at.toISOString(), now);
    }
  }
  return started;
}

/** Enters a date or schedule trigger's entrants, 5,000 per transaction. */
async function enterInBatches(store: Store, wf: LoadedWorkflow, entrants: readonly Entrant[], now: Date): Promise<number> {
  let started = 0;
  for (let i = 0; i < entrants.length; i += 5_000) {
    const ch = new Changes();
    started += (await enterRuns(store, wf, entrants.slice(i, i + 5_000), now, ch)).length;
    await ch.flush(store, now);
  }
  return started;
}
