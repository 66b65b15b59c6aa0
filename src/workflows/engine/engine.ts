import type { CommitNotice } from '../../ingest/live/committer.js';
import type { Store } from '../../store/db.js';
import { existingTablesOnce } from '../../store/queries/segment-state.js';
import { readCursor, writeCursor } from '../../store/queries/workflows/bookkeeping.js';
import { eventsById, eventsReceivedSince } from '../../store/queries/workflows/customers.js';
import { dueRuns, nextWake } from '../../store/queries/workflows/runs.js';
import { SmtpMailer } from '../channels/email/smtp.js';
import { unsubscribeSecretOnce, type SecretOf } from '../channels/email/unsubscribe.js';
import { SegmentHistorySource, type MembershipChange, type MembershipSource, type PolledMembershipSource } from '../triggers/membership.js';
import { recordSegmentUses } from '../measure.js';
import { WorkflowCatalog } from './catalog.js';
import { Changes, withPendingTraits } from './changes.js';
import { systemClock, type Clock } from './clock.js';
import { deliver } from './deliver.js';
import { ConditionEvaluator } from './evaluate.js';
import { endRun, runFromRow, type Run } from './run.js';
import { loadEngineSettings, type EngineSettings } from './settings.js';
import { BatchReads, type BatchRun } from './reads.js';
import { advance, type StepContext } from './step.js';
import { dateLookDue, enterOnDates, enterOnEvents, enterOnMembership, msToDateLook } from './triggered.js';
import { DAY_MS } from '../../domain/days.js';

export interface EngineOptions {
  /** where the engine reads the time (default: the system clock); tests pass a ManualClock */
  readonly clock?: Clock;
  /** membership sources asked on every tick (default: segment_history, written by `segments refresh`) */
  readonly polledSources?: readonly PolledMembershipSource[];
  /** runs moved per transaction (default 500) */
  readonly batchSize?: number;
  /** the longest the engine sleeps between looks at the store, in ms (default 1000) */
  readonly pollMs?: number;
  /** the server's own address, for unsubscribe links when server.public_url is not set */
  readonly publicUrl?: () => string | undefined;
  /** where failures of the engine itself are reported (default: stderr) */
  readonly onError?: (e: unknown, what: string) => void;
  /** events read per statement when catching up after a stop (default 5,000) */
  readonly recoveryPage?: number;
}

/** What one tick did. */
export interface TickReport {
  started: number;
  advanced: number;
  delivered: number;
}

const EVENTS_CURSOR = 'events';

/**
 * The workflow engine: a plain object with start/stop and an injected clock. All state lives in the
 * store (runs, their positions and timers, sends), so memory holds one batch at a time and a restart
 * (even after kill -9) carries on where the store says. One timer serves every run: it is set for the
 * earliest wake_at, or pollMs, whichever comes first. Work is serial: ticks, commit notices and
 * membership changes queue behind each other, so two of them never move the same run.
 *
 * Tests drive it without the timer: `await engine.tick()` after moving a ManualClock runs everything due
 * at the clock's time; `await engine.idle()` waits for notices already queued.
 */
export class WorkflowEngine {
  readonly clock: Clock;
  readonly catalog: WorkflowCatalog;
  private readonly mailer = new SmtpMailer();
  /** The store's unsubscribe key, read at the first email and kept: it never changes once made (unsubscribeSecretOnce). */
  private readonly unsubscribeSecret: SecretOf;
  private readonly polled: readonly PolledMembershipSource[];
  private readonly unsubscribe: (() => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Set by stop(): no send starts after the one under way; what is left stays due in the store. */
  private stopping = false;
  private recovered = false;
  private lastDateScan = -Infinity;
  private lastUseDay = -Infinity;
  private pendingChanges: MembershipChange[] = [];
  /** receivedAt (ms) of the latest live event acted on, not yet written to the events cursor */
  private handledUpTo = 0;
  private writtenUpTo = 0;

  constructor(
    readonly store: Store,
    private readonly opts: EngineOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.catalog = new WorkflowCatalog(store);
    this.unsubscribeSecret = unsubscribeSecretOnce(store);
    this.polled = opts.polledSources ?? [new SegmentHistorySource(store)];
  }

  /** The server's own address its sends' unsubscribe links use when server.public_url is not set (previews ask it too). */
  listeningUrl(): string | undefined {
    return this.opts.publicUrl?.();
  }

  /** Acts on live events: the ingestion committer's notices (event triggers, waits for events, goals). */
  listen(committer: { onCommit(fn: (n: CommitNotice) => void | Promise<void>): () => void }): void {
    this.unsubscribe.push(committer.onCommit((n) => this.notice(n)));
  }

  /** Acts on a live membership source (the real-time segment engine). */
  addMembershipSource(source: MembershipSource): void {
    this.unsubscribe.push(
      source.onMembershipChange((c) => {
        this.pendingChanges.push(c);
        if (this.pendingChanges.length === 1) void this.serial(() => this.drainChanges()).catch((e) => this.report(e, 'membership change'));
      }),
    );
  }

  /** Starts the timer: due work runs now, then whenever it falls due. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    await this.tick();
    await this.arm();
  }

  /**
   * Stops the timer and waits for work under way, which ends after the send or batch in progress: runs
   * still due (a send, or the step after one) stay due in the store and are carried on by the next start,
   * as after a crash. So a stop takes about one send, not the whole backlog. The store stays open.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const u of this.unsubscribe.splice(0)) u();
    await this.idle();
    if (this.handledUpTo > this.writtenUpTo) {
      const upTo = this.handledUpTo;
      await this.serial(() => writeCursor(this.store, EVENTS_CURSOR, new Date(upTo).toISOString(), this.clock.now()));
      this.writtenUpTo = upTo;
    }
    this.mailer.close();
  }

  /** Runs everything due at the clock's time: triggers from sources, dates and schedules, due runs. */
  tick(): Promise<TickReport> {
    return this.serial(() => this.work());
  }

  /** Resolves when every queued piece of work is done. */
  async idle(): Promise<void> {
    let q: Promise<unknown>;
    do {
      q = this.queue;
      await q.catch(() => undefined);
    } while (q !== this.queue);
  }

  /** Looks at the store again soon (after a workflow was created or resumed). */
  wake(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), 0);
  }

  /** Runs fn after the work queued before it and before the work queued after it. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private notice(n: CommitNotice): void {
    void this.serial(() => this.handleNotice(n)).catch((e) => this.report(e, 'commit notice'));
  }

  private async loop(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    try {
      await this.tick();
    } catch (e) {
      this.report(e, 'tick');
    }
    await this.arm().catch((e) => this.report(e, 'timer'));
  }

  private async arm(): Promise<void> {
    if (!this.running) return;
    const poll = this.opts.pollMs ?? 1_000;
    const next = await this.serial(() => nextWake(this.store));
    const now = this.clock.now();
    const delay = Math.min(
      next === null ? poll : Math.max(0, next.getTime() - now.getTime()),
      poll,
      // A date or schedule trigger fires on a whole minute: the timer is set for it, so a run enters within
      // a second of its time, not up to a poll later (trial 11, L3). None of them: no extra wake.
      msToDateLook(this.catalog, this.lastDateScan, now) ?? Infinity,
    );
    if (this.timer) clearTimeout(this.timer);
    if (this.running) this.timer = setTimeout(() => void this.loop(), delay);
  }

  private report(e: unknown, what: string): void {
    if (this.opts.onError) this.opts.onError(e, what);
    else process.stderr.write(`segmint workflows: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  }

  private async work(): Promise<TickReport> {
    const now = this.clock.now();
    const settings = await loadEngineSettings(this.store);
    await this.catalog.refresh();
    const report: TickReport = { started: 0, advanced: 0, delivered: 0 };
    if (!this.recovered) {
      await this.recover(now, report);
      this.recovered = true;
    }
    if (this.handledUpTo > this.writtenUpTo) {
      await writeCursor(this.store, EVENTS_CURSOR, new Date(this.handledUpTo).toISOString(), now);
      this.writtenUpTo = this.handledUpTo;
    }
    for (const source of this.polled) await source.poll(now, async (changes) => void (report.started += await enterOnMembership(this.store, this.catalog, changes, now)));
    if (dateLookDue(this.lastDateScan, now)) {
      report.started += await enterOnDates(this.store, this.catalog, now, settings);
      this.lastDateScan = now.getTime();
    }
    await this.processDue(now, settings, report);
    await this.recordUses(now);
    return report;
  }

  /** Once a UTC day (and at start), each active workflow's segments are recorded as used by it (segment health). */
  private async recordUses(now: Date): Promise<void> {
    const day = Math.floor(now.getTime() / DAY_MS);
    if (day === this.lastUseDay) return;
    this.lastUseDay = day;
    const active = this.catalog.workflows().filter((wf) => wf.status === 'active');
    if (active.length === 0) return;
    await this.store.transaction(async (tx) => {
      for (const wf of active) await recordSegmentUses(tx, { name: wf.name, definition: wf.program.definition }, now);
    });
  }

  /**
   * Events stored but not yet acted on when the server stopped (even by kill -9) are acted on now, a page
   * at a time. Pages follow (received_at, message_id), not received_at alone: every event of one request
   * or one import shares its received_at, and a page boundary inside such a group must not skip the rest
   * of it. The stored cursor stays a time, read inclusively, as the live path writes it.
   */
  private async recover(now: Date, report: TickReport): Promise<void> {
    const cursor = await readCursor(this.store, EVENTS_CURSOR);
    if (cursor === undefined) {
      await writeCursor(this.store, EVENTS_CURSOR, now.toISOString(), now);
      return;
    }
    const page = this.opts.recoveryPage ?? 5_000;
    let after: { at: Date; messageId?: string } = { at: new Date(cursor) };
    for (;;) {
      const names = this.eventNames();
      const events = await eventsReceivedSince(this.store, names, after, page);
      if (events.length === 0) return;
      report.started += await enterOnEvents(this.store, this.catalog, events, new Set(events.map((e) => e.customer_id!)), new Map(), now);
      const last = events[events.length - 1]!;
      await writeCursor(this.store, EVENTS_CURSOR, last.received_at.toISOString(), now);
      if (events.length < page) return;
      after = { at: last.received_at, messageId: last.message_id };
    }
  }

  /** Every event name a workflow triggers on or a run may wait for. */
  private eventNames(): string[] {
    const names = new Set<string>();
    for (const wf of this.catalog.workflows()) {
      if (wf.program.definition.trigger.kind === 'event') names.add(wf.program.definition.trigger.event);
      for (const s of wf.program.steps.values()) if (s.kind === 'wait_event') names.add(s.event);
    }
    return [...names];
  }

  private async handleNotice(n: CommitNotice): Promise<void> {
    await this.catalog.refresh();
    // Without workflows there is nothing to act on (and no run to move): ingestion pays one small query.
    if (this.catalog.workflows().length === 0) return;
    const now = this.clock.now();
    const settings = await loadEngineSettings(this.store);
    // Runs of customers merged away were moved to the survivor by the merge itself (repointAbsorbed).
    const ids = n.events.filter((e) => e.type === 'track' && e.event !== undefined).map((e) => e.messageId);
    const events = await eventsById(this.store, ids);
    const report: TickReport = { started: 0, advanced: 0, delivered: 0 };
    report.started += await enterOnEvents(this.store, this.catalog, events, n.customers, n.merged, now);
    // The cursor is written on the next tick, not per commit: after a crash, at most the events of the
    // last moments are acted on again, and doing so twice changes nothing.
    this.handledUpTo = n.events.reduce((t, e) => Math.max(t, e.receivedAt.getTime()), this.handledUpTo);
    await this.processDue(now, settings, report);
  }

  private async drainChanges(): Promise<void> {
    const changes = this.pendingChanges.splice(0);
    if (changes.length === 0) return;
    const now = this.clock.now();
    await this.catalog.refresh();
    // Without a workflow triggered by a segment there is nothing to start: live segments then cost
    // ingestion one small query per change batch, not the settings and due-run reads as well.
    if (!this.catalog.workflows().some((wf) => wf.program.definition.trigger.kind === 'segment')) return;
    await enterOnMembership(this.store, this.catalog, changes, now);
    await this.processDue(now, await loadEngineSettings(this.store), { started: 0, advanced: 0, delivered: 0 });
  }

  /**
   * Moves every run due at `now`, a batch per transaction, until none is due: new runs take their first
   * steps, waits that fell due end, pending sends are attempted (each on its own, after the batch that
   * recorded it committed). A run whose step fails unexpectedly is ended as failed (and reported), so
   * one bad run cannot hold up the others.
   */
  private async processDue(now: Date, settings: EngineSettings, report: TickReport): Promise<void> {
    const batchSize = this.opts.batchSize ?? 500;
    // Which tables exist is read once per pass (existingTablesOnce), for the steps and the sends alike.
    const tables = existingTablesOnce(this.store);
    const deliverCtx = { store: this.store, now, settings, mailer: this.mailer, publicUrl: this.listeningUrl(), tables, unsubscribeSecret: this.unsubscribeSecret };
    for (;;) {
      // Stopping: no more batches (moving a batch of runs on takes seconds), no send after the one under way.
      if (this.stopping) return;
      const rows = await dueRuns(this.store, now, batchSize);
      if (rows.length === 0) return;
      const batch = new Changes();
      const sends: Run[] = [];
      const moving: BatchRun[] = [];
      for (const row of rows) {
        const run = runFromRow(row);
        const program = await this.catalog.program(run.workflowId, run.version);
        if (!program) {
          this.fail(run, `version ${run.version} of the workflow cannot be read`, now, batch);
          continue;
        }
        if (run.phase === 'send') sends.push(run);
        else moving.push({ run, program });
      }
      // The batch's reads (states, contacts, counts, stored events) are made once for all its runs.
      const reads = new BatchReads(this.store, now, moving, tables);
      // The run moving now: its own changes are absorbed into the batch only once it went well.
      let own = new Changes();
      const ctx: StepContext = {
        store: this.store,
        now,
        settings,
        conditions: new ConditionEvaluator(this.store, { stateOf: async (id) => withPendingTraits(await reads.state(id), batch, own, id) }),
        reads,
        capUsed: new Map(),
      };
      for (const { run, program } of moving) {
        // Stopping: the runs moved on so far are flushed below; the others stay due.
        if (this.stopping) break;
        own = new Changes();
        try {
          await advance(run, program, ctx, own);
          batch.absorb(own);
          report.advanced++;
        } catch (e) {
          this.report(e, `run ${run.runId} of ${run.workflowName}`);
          this.fail(run, `error: ${e instanceof Error ? e.message : String(e)}`, now, batch);
        }
      }
      await batch.flush(this.store, now);
      for (const run of sends) {
        if (this.stopping) break;
        const program = (await this.catalog.program(run.workflowId, run.version))!;
        try {
          await deliver(run, program, deliverCtx);
          report.delivered++;
        } catch (e) {
          this.report(e, `send of run ${run.runId} of ${run.workflowName}`);
          const failed = new Changes();
          this.fail(run, `error: ${e instanceof Error ? e.message : String(e)}`, now, failed);
          await failed.flush(this.store, now);
        }
      }
      // The batch held every run due (fewer than a batch were): unless one of them is due again (a send
      // attempted, or one stopped short by MAX_STEPS), the store has nothing more due at `now`, and the
      // look that would say so is saved. Work of others (a resume) is seen by the next tick, as before.
      if (rows.length < batchSize && !moving.some((m) => dueAgain(m.run, now)) && !sends.some((r) => dueAgain(r, now))) return;
    }
  }

  private fail(run: Run, reason: string, now: Date, ch: Changes): void {
    ch.touch(run);
    ch.note(run, now, run.position, 'failed', reason);
    endRun(run, 'failed', reason, now);
  }
}

/** Whether dueRuns at `now` would return the run as it now is (its workflow active, as it was when read). */
function dueAgain(run: Run, now: Date): boolean {
  return run.status === 'active' && run.wakeAt !== null && run.wakeAt.getTime() <= now.getTime();
}
