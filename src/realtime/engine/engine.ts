import { canonicalText } from '../../domain/identifiers.js';
import type { IngestOutcome } from '../../ingest/live/ingest.js';
import { defaultCatalog, type Catalog } from '../../segments/catalog/catalog.js';
import type { Store, Transaction } from '../../store/db.js';
import { dataFingerprints } from '../../store/queries/realtime/fingerprint.js';
import { historyNumbers } from '../../store/queries/realtime/history-numbers.js';
import { readWatermark, writeMembership, writeWatermark } from '../../store/queries/realtime/record.js';
import { markSegmentsCurrent } from '../../store/queries/segments/definitions.js';
import { systemClock, type Clock } from '../clock.js';
import type { GroupCommitter } from '../../ingest/live/committer.js';
import { applyCommit } from './apply-commit.js';
import { earlyHandled, startEarly, type EarlyStep } from './apply-early.js';
import { membersOf, membershipsOf } from './memberships.js';
import { ChangeFeed, type MembershipChange, type RecordedChange } from './change-feed.js';
import { Background } from './background.js';
import { DEFAULT_MAX_HELD_EVENTS } from './definitions.js';
import { EngineModel, type RefusedSegment } from './model.js';
import { NotLiveMembers, type NotLiveSegment } from './not-live.js';
import { applyExternalChanges } from './resync.js';
import { Stage } from './stage.js';
import { asRow, orderChanges } from './transition-order.js';
import { finishCatchUp, loadModel, type CatchUp } from './start.js';
import { engineStatus, type EngineStatus } from './status.js';
import { tick } from './steps.js';

export type { MembershipChange, RecordedChange } from './change-feed.js';
export type { NotLiveSegment } from './not-live.js';

export interface EngineLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silent: EngineLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface EngineOptions {
  readonly store: Store;
  /** default: the machine's clock */
  readonly clock?: Clock;
  /** default: the process-wide catalog (register analytics and prediction fields first) */
  readonly catalog?: Catalog;
  /** per segment: the most events its state may hold before it is refused for real time */
  readonly maxHeldEvents?: number;
  readonly log?: EngineLog;
  /**
   * Milliseconds (clock time) the timer leaves after the end of any step before it runs a step of its
   * own; default 0 (a change is applied at its instant). Every step applies what came due first, so
   * while live commits come more often than this, time-based changes ride on them and no transaction
   * of the timer's own competes with ingestion; when none comes, a change is applied at most this late.
   * It is always recorded at the instant it came true.
   */
  readonly timerGapMs?: number;
}

export type DataFingerprints = Readonly<Record<string, string>>;

/**
 * The real-time segment engine: keeps every saved segment's membership exact at every moment, while
 * the server runs.
 *
 * - Live events: `withinCommit` runs inside each ingestion commit; the changes the events cause are
 *   recorded in the same transaction (so a 200 means the membership change is recorded too).
 * - Time: each customer's next instant of change is planned ahead; a timer on the injected clock wakes
 *   the engine then, and the change is recorded at that exact instant.
 * - Other writes (imports, recomputed scores, segment definitions): `resync` compares fingerprints of
 *   the data and reloads only what changed.
 * - Restarts: `start` walks from the watermark to now, recording each change that came due meanwhile.
 *
 * Every step runs inside a database transaction and changes the in-memory model only once it commits,
 * so memory and the tables never disagree. Steps are serialised by the store's single connection.
 */
export class RealtimeEngine {
  readonly clock: Clock;
  private model: EngineModel;
  private readonly maxHeldEvents: number;
  private readonly log: EngineLog;
  private running = false;
  private open: Stage | undefined;
  /** the step a commit's resolved events started (beforeWrites), for withinCommit of the same transaction */
  private early: EarlyStep | undefined;
  private chain: Promise<void> = Promise.resolve();
  private tickQueued = false;
  private armedAt = Infinity;
  private cancelTimer: (() => void) | undefined;
  private fingerprints: DataFingerprints = {};
  private readonly feed: ChangeFeed;
  private readonly notLive: NotLiveMembers;
  private startedAt = 0;
  private lastStep = { at: 0, millis: 0, changes: 0, early: 0 };
  /** clock time the last step committed (the timer's gap counts from it) */
  private lastStepEnded = -Infinity;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxHeldEvents = options.maxHeldEvents ?? DEFAULT_MAX_HELD_EVENTS;
    this.log = options.log ?? silent;
    this.model = new EngineModel(options.catalog ?? defaultCatalog);
    this.feed = new ChangeFeed((e) => this.log.error({ err: e }, 'a membership change listener failed'));
    this.notLive = new NotLiveMembers(options.store, () => this.model.refused);
  }

  get store(): Store {
    return this.options.store;
  }

  /**
   * Loads the state of every live segment in bulk and catches up: every change that came due since
   * the engine last ran is recorded once, at its own instant. Then keeps time.
   */
  async start(): Promise<void> {
    if (this.running) return;
    const t0 = performance.now();
    this.model = new EngineModel(this.model.catalog);
    let catchUp: CatchUp | undefined;
    await this.store.transaction(async (tx) => {
      const now = this.clock.now();
      const watermark = await readWatermark(tx);
      catchUp = await loadModel(tx, this.model, watermark, now, this.maxHeldEvents);
      this.fingerprints = await dataFingerprints(tx, this.model.reads.tables);
    });
    this.notLive.invalidate();
    this.running = true;
    this.startedAt = this.clock.now();
    await this.step((stage) => finishCatchUp(stage, catchUp!));
    await this.markCurrent();
    for (const r of this.model.refused.values()) this.log.warn({ segment: r.name }, `segment "${r.name}" ${r.reason}`);
    this.log.info(
      { customers: this.model.customers.size, segments: this.model.plans.size, millis: Math.round(performance.now() - t0) },
      'real-time segments loaded',
    );
  }

  /** Stops keeping time; steps already queued finish first. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = Infinity;
    await this.idle();
    try {
      await this.markCurrent();
    } catch (e) {
      this.log.error({ err: e }, 'could not mark the live segments current on stopping');
    }
  }

  /**
   * Records in each live segment's row that its stored members are current as of the watermark: once
   * the server stops, `segments list|show|audit` read them as a refresh of that moment. Done on start
   * (after the catch-up) and on stop; a process killed in between leaves the start's, an older moment.
   */
  private async markCurrent(): Promise<void> {
    const w = this.model.watermark;
    if (!Number.isFinite(w)) return;
    const ids = [...this.model.plans.values()].map((e) => e.plan.segmentId);
    await markSegmentsCurrent(this.store, ids, new Date(w), new Date(this.clock.now()));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Keeps the segments live through a committer: beforeWrites when a commit's events are resolved,
   * withinCommit once they are written. Returns a function that detaches both.
   */
  attach(committer: GroupCommitter): () => void {
    const removeEarly = committer.whenResolved(this.beforeWrites);
    const removeHook = committer.withinCommit(this.withinCommit);
    return () => {
      removeEarly();
      removeHook();
    };
  }

  /**
   * For GroupCommitter.whenResolved: opens the commit's step as soon as its events and customers are
   * known and evaluates there, while ingestion writes them, what the events alone decide (applyEarly:
   * the evaluation's JavaScript runs beside ingestion's statements instead of after them). Makes no
   * statement; never rejects (a failure is thrown by withinCommit, inside the step).
   */
  readonly beforeWrites = (tx: Transaction, events: IngestOutcome['events'], merged: ReadonlyMap<string, string>): Promise<void> => {
    if (!this.running) return Promise.resolve();
    this.abandonOpen();
    const stage = new Stage(this.model, Math.max(this.clock.now(), this.model.watermark));
    this.open = stage;
    this.early = startEarly(tx, stage, events, merged);
    return this.early.done.then(() => undefined);
  };

  /** For GroupCommitter.withinCommit: records what a commit of live events changes, in its transaction. */
  readonly withinCommit = async (tx: Transaction, outcome: IngestOutcome): Promise<void> => {
    // A merge moves the absorbed customer's stored rows, those of segments not kept live too.
    if (outcome.merged.size > 0) tx.afterCommit(() => this.notLive.merged(outcome.merged.keys()));
    const early = this.early?.tx === tx ? this.early : undefined;
    this.early = undefined;
    if (!this.running) {
      if (early && this.open === early.stage) this.abandonOpen();
      return;
    }
    await this.step(
      async (stage, t, readsDone) => {
        const handled = early && (await earlyHandled(early, stage));
        stage.early = handled?.size ?? 0;
        await applyCommit(t, stage, outcome, readsDone, handled);
      },
      tx,
      false,
      early?.stage,
    );
  };

  /** Resolves once every step queued so far has finished. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.chain) {
      seen = this.chain;
      await seen;
    }
  }

  /** Applies every time-based change due by now (the timer does this by itself). */
  tick(): Promise<void> {
    return this.enqueue(() => this.timerStep());
  }

  /** The fingerprints of the data now, to pass to resync after a command that may write. */
  async fingerprint(): Promise<DataFingerprints> {
    return dataFingerprints(this.store, this.model.reads.tables);
  }

  /**
   * Brings the engine up to date with writes it did not see (an import, recomputed RFM, clusters, CLV
   * or propensity scores, segments created, changed or deleted): what differs from `since` (default:
   * what the engine last saw) is reloaded, and memberships that change are recorded now.
   */
  resync(since?: DataFingerprints): Promise<void> {
    return this.enqueue(() =>
      this.step(async (stage, tx) => {
        const now = await dataFingerprints(tx, stage.reads.tables);
        const before = since ?? this.fingerprints;
        const known = this.fingerprints;
        // Besides what changed since `before`, what live ingestion never writes is also compared with
        // what the engine last saw: a write made in between (by another path) is not missed.
        const changed = new Set(
          Object.keys(now).filter(
            (k) => (before[k] !== undefined && before[k] !== now[k]) || (!LIVE_WRITES.has(k) && known[k] !== undefined && known[k] !== now[k]),
          ),
        );
        if (changed.size > 0) await applyExternalChanges(tx, stage, changed, this.maxHeldEvents);
        const after = changed.has('segments') ? await dataFingerprints(tx, stage.reads.tables) : now;
        tx.afterCommit(() => {
          this.fingerprints = after;
          // A write the engine did not make (a bulk refresh among them) may have changed refused segments' rows.
          this.notLive.invalidate();
        });
      }),
    );
  }

  /** Calls fn (asynchronously, in order) for every membership change once recorded (ChangeFeed). */
  onMembershipChange(fn: (change: MembershipChange) => void): () => void {
    return this.feed.onMembershipChange(fn);
  }

  /** Like onMembershipChange, with the change's seq (the cursor of the change stream). */
  subscribe(fn: (change: RecordedChange) => void): () => void {
    return this.feed.subscribe(fn);
  }

  /** The live segments a customer is in now, with since when; undefined for an unknown customer id. */
  membershipsOf(customerId: string): { segmentId: string; name: string; since: Date }[] | undefined {
    return membershipsOf(this.model, customerId);
  }

  /** Whether a change of this segment writes webhook deliveries (the segment has a webhook). */
  hasWebhooks(segmentId: string): boolean {
    return this.model.webhookSegments.has(segmentId);
  }

  /** How many segments are kept live (saved and not refused). */
  get liveSegments(): number {
    return this.model.plans.size;
  }

  /** Whether the named segment is kept live (saved and not refused); the name in any Unicode form (names are NFC). */
  isLive(name: string): boolean {
    const nfc = canonicalText(name);
    return [...this.model.plans.values()].some((e) => e.plan.name === nfc);
  }

  /** The members of a live segment now (customer id → since), or undefined when it is not live. */
  members(name: string): Map<string, Date> | undefined {
    return membersOf(this.model, name);
  }

  refused(): RefusedSegment[] {
    return [...this.model.refused.values()];
  }

  /**
   * Every saved segment not kept live (refused), by name, with why and the customer's stored membership
   * in it from the last bulk refresh (NotLiveMembers: held in memory, read again only after a write that
   * can change it; nothing is read while every segment is live).
   */
  notLiveOf(customerId: string): Promise<NotLiveSegment[]> {
    return this.notLive.of(customerId);
  }

  status(): EngineStatus {
    return engineStatus(this.model, { running: this.running, startedAt: this.startedAt, lastStep: this.lastStep });
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(fn);
    this.chain = run.catch((e: unknown) => this.log.error({ err: e }, 'real-time engine step failed'));
    return run;
  }

  /**
   * One step: apply what came due, then `work`, write the changes, and make them the model's once
   * the transaction commits. Inside an ingestion commit (tx given) a failure of the engine's own logic
   * must not fail the events: the step is dropped and a resync of everything follows.
   *
   * The watermark's UPDATE depends only on the step's clock, so it can run in the background while the
   * step's JavaScript evaluates (Background): `work` calls `readsDone` once it will make no more
   * statements (a live commit, after its reads), and a step of the timer (`watermarkFirst`) starts it
   * before its tick. A dropped step puts the watermark back where it was, so that the catch-up after the
   * reload still walks every change that came due since (docs/realtime.md, "Restart and catch-up").
   */
  private async step(
    work: (stage: Stage, tx: Transaction, readsDone: () => void) => void | Promise<void>,
    within?: Transaction,
    watermarkFirst = false,
    opened?: Stage,
  ): Promise<void> {
    const run = async (base: Transaction): Promise<void> => {
      // A stage opened by beforeWrites has ticked already; any other open one is of a step that never finished.
      const started = performance.now();
      const resumed = opened !== undefined && this.open === opened;
      if (!resumed) this.abandonOpen();
      const stage = resumed ? opened : new Stage(this.model, Math.max(this.clock.now(), this.model.watermark));
      this.open = stage;
      const before = this.model.watermark;
      // Only an UPDATE of the stored row goes in the background; the first step's upsert stays at the end.
      const stored = Number.isFinite(before);
      const bg = new Background(base);
      const tx = bg.tx;
      const readsDone = (): void => {
        if (stored && !bg.started) bg.start((t) => writeWatermark(t, new Date(stage.now), new Date(this.clock.now()), true));
      };
      try {
        if (watermarkFirst) readsDone();
        if (!resumed) tick(stage);
        await work(stage, tx, readsDone);
      } catch (e) {
        // Nothing of the step may still run on the connection when it rolls back or carries on.
        await bg.settle().catch(() => undefined);
        if (!within) throw e;
        if (bg.started) await writeWatermark(base, new Date(before), new Date(this.clock.now()), true);
        this.abandonOpen();
        this.log.error({ err: e }, 'real-time engine could not apply a commit; reloading');
        void this.enqueue(() => this.reload());
        return;
      }
      const changes = orderChanges(stage.transitions);
      const recordedAt = new Date(this.clock.now());
      const { removals, upserts, inserts } = stage.memberRows(changes);
      const write = {
        transitions: changes.map(asRow),
        removals,
        upserts,
        inserts,
        recordedAt,
        appliedUntil: new Date(stage.now),
        watermarkStored: stored,
        watermarkWritten: bg.started,
      };
      let seqs: number[];
      try {
        seqs = await writeMembership(tx, write, stage.webhookSegments, historyNumbers(this.store));
      } finally {
        await bg.settle().catch(() => undefined);
      }
      await bg.settle();
      tx.afterCommit(() => {
        this.open = undefined;
        stage.commit();
        this.lastStep = { at: stage.now, millis: performance.now() - started, changes: changes.length, early: stage.early };
        this.lastStepEnded = this.clock.now();
        this.feed.publish(changes, seqs, recordedAt);
        this.arm();
      });
    };
    try {
      if (within) await run(within);
      else await this.store.transaction(run);
    } catch (e) {
      this.abandonOpen();
      throw e;
    }
  }

  /** A step of time alone: what came due, with the watermark's write overlapping the tick (step). */
  private timerStep(): Promise<void> {
    return this.step(() => undefined, undefined, true);
  }

  /** After a failed step: rebuilds the model from the store (it may have missed a commit). */
  private async reload(): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    this.armedAt = Infinity;
    await this.start();
  }

  private abandonOpen(): void {
    if (this.open) this.open.rollback();
    this.open = undefined;
  }

  /** Sets the timer for the earliest planned look ahead. */
  private arm(): void {
    if (!this.running) return;
    // Entries at or before the last step are stale (the step took every due one): drop them.
    const heap = this.model.heap;
    while (heap.peek() <= this.model.watermark) heap.pop();
    const due = heap.peek();
    const next = Number.isFinite(due) ? Math.max(due, this.lastStepEnded + (this.options.timerGapMs ?? 0)) : due;
    if (next === this.armedAt) return;
    this.cancelTimer?.();
    this.armedAt = next;
    this.cancelTimer = Number.isFinite(next) ? this.clock.at(next, () => this.onTimer()) : undefined;
  }

  private onTimer(): void {
    this.armedAt = Infinity;
    this.cancelTimer = undefined;
    if (!this.running || this.tickQueued) return;
    this.tickQueued = true;
    void this.enqueue(async () => {
      this.tickQueued = false;
      if (this.running) await this.timerStep();
    });
  }
}

/** Fingerprints that live ingestion changes (the engine applies those writes as they commit). */
const LIVE_WRITES = new Set(['customers', 'consent', 'table:customer_metrics']);
