import type { CustomerState } from '../../segments/evaluator/state.js';
import type { Store } from '../../store/db.js';
import { loadCustomerStates, type TablesOf } from '../../store/queries/segment-state.js';
import { contactsOf, customerEventsBetween, customerEventsBetweenInOneScan, type ContactRow, type EventsBetweenQuery, type StoredEvent } from '../../store/queries/workflows/customers.js';
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

  /** The customer's whole state (loadCustomerState), for a goal or a branch. */
  async state(customerId: string): Promise<CustomerState> {
    this.states ??= loadCustomerStates(this.store, this.stateIds, { tables: this.tables });
    return (await this.states).get(customerId) ?? (await loadCustomerStates(this.store, [customerId], { tables: this.tables })).get(customerId)!;
  }

  /** contactsOf for one customer (undefined: erased or merged away). */
  async contact(customerId: string): Promise<ContactRow | undefined> {
    if (!this.emailIds.has(customerId)) return (await contactsOf(this.store, [customerId])).get(customerId);
    this.contacts ??= contactsOf(this.store, [...this.emailIds]);
    return (await this.contacts).get(customerId);
  }

  /** marketingEmailsSince for one customer (0 when none). */
  async marketingEmailsSince(customerId: string, since: Date): Promise<number> {
    if (!this.emailIds.has(customerId)) return (await marketingEmailsSince(this.store, [customerId], since)).get(customerId) ?? 0;
    let counts = this.sentSince.get(since.getTime());
    if (!counts) this.sentSince.set(since.getTime(), (counts = marketingEmailsSince(this.store, [...this.emailIds], since)));
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
