import { mergePatch } from '../../domain/json-merge-patch.js';
import type { CustomerState } from '../../segments/evaluator/state.js';
import type { Store } from '../../store/db.js';
import { addTags, addToLists, mergeTraits, removeFromLists, removeTags } from '../../store/queries/workflows/customers.js';
import { insertAssignments, insertTriggers, type AssignmentRow, type TriggerRow } from '../../store/queries/workflows/bookkeeping.js';
import { insertLog, insertRuns, updateRuns, type LogRow } from '../../store/queries/workflows/runs.js';
import { insertSends, recordAttempt, type SendRow } from '../../store/queries/workflows/sends.js';
import { heldWrites } from './held.js';
import { rowFromRun, type Run } from './run.js';

type Pair = { customerId: string; name: string; source: string };

/**
 * Everything a batch of engine work decided, written in one transaction: many runs move for the price
 * of one commit, and a crash leaves either all of a batch or none of it. A send is recorded here as
 * pending before it is attempted, which is what lets a restart know it may not have gone out.
 */
export class Changes {
  readonly created = new Map<string, Run>();
  readonly touched = new Map<string, Run>();
  readonly log: LogRow[] = [];
  readonly sends: SendRow[] = [];
  readonly assignments: AssignmentRow[] = [];
  readonly triggers: TriggerRow[] = [];
  readonly traits = new Map<string, Record<string, unknown>>();
  readonly tagsAdded: Pair[] = [];
  readonly tagsRemoved: Pair[] = [];
  readonly listsAdded: Pair[] = [];
  readonly listsRemoved: Pair[] = [];
  /** outcomes of send attempts (the send rows already exist) */
  readonly attempts: Parameters<typeof recordAttempt>[1][] = [];

  create(run: Run): void {
    this.created.set(run.runId, run);
  }

  touch(run: Run): void {
    if (!this.created.has(run.runId)) this.touched.set(run.runId, run);
  }

  note(run: Run, at: Date, stepId: string | null, action: string, detail?: string): void {
    this.log.push({ run_id: run.runId, logged_at: at, step_id: stepId, action, detail: detail ?? null });
  }

  setTraits(customerId: string, values: Record<string, unknown>): void {
    this.traits.set(customerId, { ...this.traits.get(customerId), ...values });
  }

  /** Takes over everything another Changes collected (one run's work, once it went well). */
  absorb(o: Changes): void {
    for (const r of o.created.values()) this.create(r);
    for (const r of o.touched.values()) this.touch(r);
    this.log.push(...o.log);
    this.sends.push(...o.sends);
    this.assignments.push(...o.assignments);
    this.triggers.push(...o.triggers);
    for (const [c, v] of o.traits) this.setTraits(c, v);
    this.tagsAdded.push(...o.tagsAdded);
    this.tagsRemoved.push(...o.tagsRemoved);
    this.listsAdded.push(...o.listsAdded);
    this.listsRemoved.push(...o.listsRemoved);
    this.attempts.push(...o.attempts);
  }

  get empty(): boolean {
    return (
      this.created.size + this.touched.size + this.log.length + this.sends.length + this.assignments.length + this.triggers.length + this.traits.size +
        this.tagsAdded.length + this.tagsRemoved.length + this.listsAdded.length + this.listsRemoved.length + this.attempts.length ===
      0
    );
  }

  async flush(store: Store, now: Date): Promise<void> {
    if (this.empty) return;
    await store.transaction(async (tx) => {
      // Merges and erasures committed since the batch read its runs are followed here (heldWrites).
      const w = await heldWrites(tx, this);
      await insertRuns(tx, [...w.created.values()].map(rowFromRun));
      await updateRuns(tx, [...w.touched.values()].map(rowFromRun));
      await insertTriggers(tx, w.triggers);
      await insertAssignments(tx, w.assignments);
      await insertSends(tx, w.sends);
      for (const a of w.attempts) await recordAttempt(tx, a);
      await insertLog(tx, w.log);
      await mergeTraits(tx, [...w.traits].map(([customerId, v]) => ({ customerId, patch: JSON.stringify(v) })), now);
      await addTags(tx, w.tagsAdded, now);
      await removeTags(tx, w.tagsRemoved);
      await addToLists(tx, w.listsAdded, now);
      await removeFromLists(tx, w.listsRemoved);
    });
  }
}

/**
 * The state a condition reads, with the traits set earlier in this batch (`batch`: runs that went well)
 * and by the run moving now (`own`) applied as the commit will store them: one patch per customer, the
 * run's over the batch's (setTraits, absorb), by JSON Merge Patch as json_merge_patch does in flush.
 * Without them a branch right after a set_trait read the customer without the trait until a later pass.
 */
export function withPendingTraits(state: CustomerState, batch: Changes, own: Changes, asked: string = state.customerId): CustomerState {
  // Traits set under the id a run carried before a merge (`asked`) are stored for the survivor whose
  // state this is (heldWrites): both apply, the survivor's own first.
  const ids = asked === state.customerId ? [asked] : [state.customerId, asked];
  const earlier = Object.assign({}, ...ids.map((id) => batch.traits.get(id))) as Record<string, unknown>;
  const mine = Object.assign({}, ...ids.map((id) => own.traits.get(id))) as Record<string, unknown>;
  if (Object.keys(earlier).length === 0 && Object.keys(mine).length === 0) return state;
  const traits = mergePatch(state.traits, { ...earlier, ...mine }) as Record<string, unknown>;
  return { ...state, traits };
}
