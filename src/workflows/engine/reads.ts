import type { CustomerState } from '../../segments/evaluator/state.js';
import type { Queryable, Store } from '../../store/db.js';
import { loadCustomerStates, type TablesOf } from '../../store/queries/segment-state.js';
import { contactsOf, customerEventsBetween, customerEventsBetweenInOneScan, survivorsOf, type ContactRow, type EventsBetweenQuery, type StoredEvent } from '../../store/queries/workflows/customers.js';
import { marketingEmailsSince } from '../../store/queries/workflows/sends.js';
import type { Program } from '../definition/program.js';
import type { WaitEventStep } from '../definition/types.js';
import type { Run } from './run.js';

/** What a batch's runs may read: each run with the program of its version. */
export interface BatchRun {
  readonly run: Run;
  readonly program: Program;
}

/**
 * The store reads of one batch of due runs (or of the active runs whose goals a commit of events checks,
 * triggered.ts), each made once for the whole batch on its first use instead of once per run: customer
 * states (goals, branches), contacts and marketing-email counts (email steps), stored events a wait for
 * an event accepts (wait_event steps). Only customers whose run's program can ask (has a goal, a branch,
 * an email or a wait for an event) are read.
 *
 * Exact as per-run reads: nothing the engine decides is written before the batch commits (Changes.flush),
 * so the store a batch reads is the one each of its runs read one by one before, and what a run's own
 * earlier steps decided (a trait set, an email counted against the frequency cap) reaches later steps the
 * way it always did: through the batch's capUsed, and for traits and tags after the commit. Use one per
 * batch, never across a flush. A question about a customer or a moment the batch did not plan for (none
 * today) is read on its own.
 */
export class BatchReads {
  private states: Promise<Map<string, CustomerState>> | undefined;
  private contacts: Promise<Map<string, ContactRow>> | undefined;
  private readonly sentSince = new Map<number, Promise<Map<string, number>>>();
  private matches: Promise<Map<string, StoredEvent[]> | undefined> | undefined;
  /** customers whose run's program has a goal or a branch / an email step */
  private readonly stateIds: readonly string[];
  private readonly emailIds: ReadonlySet<string>;
  private readonly planned: ReadonlySet<Run>;

  constructor(
    private readonly store: Store,
    private readonly now: Date,
    private readonly runs: readonly BatchRun[],
    private readonly tables: TablesOf,
  ) {
    this.stateIds = customersWhere(runs, (p) => p.definition.goal !== undefined || has(p, 'branch'));
    this.emailIds = new Set(customersWhere(runs, (p) => has(p, 'email')));
    this.planned = new Set(runs.map((r) => r.run));
  }

  /**
   * The whole state (loadCustomerState) of the customer holding the run's person when it is read, for a
   * goal or a branch: a run read before a merge committed still carries the absorbed id (the merge moved
   * its row, repointAbsorbed, not this copy), and the absorbed customer's own state is a shell whose
   * events, orders and metrics went to the survivor. The state is then the survivor's (its customerId
   * says so); heldStates reads both in one transaction, so a merge cannot fall between them.
   */
  async state(customerId: string): Promise<CustomerState> {
    this.states ??= heldStates(this.store, this.stateIds, this.tables);
    return (await this.states).get(customerId) ?? (await heldStates(this.store, [customerId], this.tables)).get(customerId)!;
  }

  /**
   * contactsOf for one customer (undefined: erased or merged away), read in one transaction: its rows and
   * the consent in force are two statements, and a merge committing between them (it moves the consent
   * to the survivor) left a contact with no consent (a marketing email skipped as consent_missing).
   */
  async contact(customerId: string): Promise<ContactRow | undefined> {
    if (!this.emailIds.has(customerId)) return (await this.store.transaction((tx) => contactsOf(tx, [customerId]))).get(customerId);
    this.contacts ??= this.store.transaction((tx) => contactsOf(tx, [...this.emailIds]));
    return (await this.contacts).get(customerId);
  }

  /**
   * marketingEmailsSince of the person (0 when none): the customer holding them when it is read, as
   * state() does. A merge moves the absorbed customer's sends to the survivor, so counting under the id a
   * run still carries after a merge would find none and let the frequency cap be passed.
   */
  async marketingEmailsSince(customerId: string, since: Date): Promise<number> {
    if (!this.emailIds.has(customerId)) return (await heldCounts(this.store, [customerId], since)).get(customerId) ?? 0;
    let counts = this.sentSince.get(since.getTime());
    if (!counts) this.sentSince.set(since.getTime(), (counts = heldCounts(this.store, [...this.emailIds], since)));
    return (await counts).get(customerId) ?? 0;
  }

  /**
   * customerEventsBetween for a run's wait (the candidates storedMatch filters), up to `until`: asked
   * for every wait for an event of every run of the batch at once, the first time one is needed, when
   * one scan of the events costs less than a point query per wait (customerEventsBetweenInOneScan);
   * otherwise each wait asks when it is reached.
   */
  async waitCandidates(run: Run, step: WaitEventStep, until: Date): Promise<StoredEvent[]> {
    const query = waitQuery(run, step, until);
    if (until.getTime() === this.now.getTime() && this.planned.has(run)) {
      this.matches ??= this.loadMatches();
      const found = (await this.matches)?.get(`${run.runId}\u0000${step.id}`);
      if (found) return found;
    }
    return customerEventsBetween(this.store, query);
  }

  private async loadMatches(): Promise<Map<string, StoredEvent[]> | undefined> {
    const keys: string[] = [];
    const queries: EventsBetweenQuery[] = [];
    for (const { run, program } of this.runs) {
      for (const step of program.steps.values()) {
        if (step.kind !== 'wait_event' || (step.key !== undefined && run.runKey === '')) continue;
        keys.push(`${run.runId}\u0000${step.id}`);
        queries.push(waitQuery(run, step, this.now));
      }
    }
    const answers = await customerEventsBetweenInOneScan(this.store, queries);
    return answers && new Map(keys.map((k, i) => [k, answers[i]!]));
  }

}

/**
 * `read` of the customers holding these ids now (survivorsOf: an id merged away reads as its survivor;
 * one no longer held, erased, as itself), keyed by the id asked for. The survivors and the read are in
 * one transaction, so a merge cannot fall between them.
 */
async function readAsHeld<T>(store: Store, ids: readonly string[], read: (tx: Queryable, holders: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
  return store.transaction(async (tx) => {
    const held = await survivorsOf(tx, ids);
    const holder = (id: string): string => held.get(id) ?? id;
    const values = await read(tx, [...new Set(ids.map(holder))]);
    const out = new Map<string, T>();
    for (const id of ids) {
      const v = values.get(holder(id));
      if (v !== undefined) out.set(id, v);
    }
    return out;
  });
}

/** The states (loadCustomerStates) of the customers holding these ids now (readAsHeld). */
async function heldStates(store: Store, ids: readonly string[], tables: TablesOf): Promise<Map<string, CustomerState>> {
  // Read before the transaction: the remembered read of the catalog uses the store, not the transaction.
  const known = await tables();
  return readAsHeld(store, ids, (tx, holders) => loadCustomerStates(tx, holders, { tables: async () => known }));
}

/** marketingEmailsSince of the customers holding these ids now (readAsHeld). */
function heldCounts(store: Store, ids: readonly string[], since: Date): Promise<Map<string, number>> {
  return readAsHeld(store, ids, (tx, holders) => marketingEmailsSince(tx, holders, since));
}

function customersWhere(runs: readonly BatchRun[], needs: (p: Program) => boolean): string[] {
  const programs = new Map<Program, boolean>();
  const ids = new Set<string>();
  for (const { run, program } of runs) {
    let yes = programs.get(program);
    if (yes === undefined) programs.set(program, (yes = needs(program)));
    if (yes) ids.add(run.customerId);
  }
  return [...ids];
}

/** What a wait for an event asks the store: the customer's events of the name since entry, with the run's key. */
function waitQuery(run: Run, step: WaitEventStep, until: Date): EventsBetweenQuery {
  return {
    customerId: run.customerId,
    event: step.event,
    from: run.enteredAt,
    to: until,
    ...(step.key !== undefined ? { keyPath: step.key, key: run.runKey } : {}),
  };
}

function has(p: Program, kind: 'branch' | 'email'): boolean {
  for (const s of p.steps.values()) if (s.kind === kind) return true;
  return false;
}
