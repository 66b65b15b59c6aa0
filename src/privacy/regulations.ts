import { randomUUID } from 'node:crypto';
import { SegmintError, isSegmintError } from '../domain/errors.js';
import type { Queryable, Store } from '../store/db.js';
import {
  insertRegulation,
  listRegulations,
  markRegulationFailed,
  markRegulationFinished,
  markRegulationRunning,
  pendingIdentifiers,
  regulationById,
  unfinishedRegulations,
  type RegulationRow,
} from '../store/queries/privacy/regulations.js';
import { checkErasureInput, erasePeople } from './erase.js';

/** An erasure request and what it did (counts only: a regulation keeps no identifier once it ran). */
export interface Regulation {
  readonly regulationId: string;
  /** pending → running → finished, or failed (error says why; nothing was erased) */
  readonly status: 'pending' | 'running' | 'finished' | 'failed';
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly reason: string | null;
  /** how many identifiers the request named */
  readonly identifiers: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** customers (profiles) erased */
  readonly customersErased: number | null;
  /** named identifiers that matched no one and no earlier erasure: suppressed all the same */
  readonly identifiersNotFound: number | null;
  /** named identifiers that matched no one because an earlier request erased them (not in identifiersNotFound) */
  readonly identifiersAlreadyErased: number | null;
  /** suppression entries added */
  readonly identifiersSuppressed: number | null;
  /** orders kept for revenue totals, linked to no one */
  readonly ordersAnonymised: number | null;
  /** rows deleted, per table */
  readonly rowsDeleted: Record<string, number> | null;
  /**
   * true once the database file was rewritten, so the bytes this request deleted are gone from disk;
   * false when it deleted nothing (a person already erased, values that matched no one) or the database
   * is in memory
   */
  readonly fileRewritten: boolean | null;
  /** saved segments whose own definition contains one of the identifiers: the shop's text to edit */
  readonly segmentsMentioning: string[] | null;
  readonly error: string | null;
}

function toRegulation(r: RegulationRow): Regulation {
  return {
    regulationId: r.regulation_id,
    status: r.status as Regulation['status'],
    requestedAt: r.requested_at.toISOString(),
    requestedBy: r.requested_by,
    reason: r.reason,
    identifiers: r.identifiers,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    customersErased: r.customers_erased,
    // The column counts every value that matched no live customer, those erased before included: the
    // answer counts each identifier once (trial 11, C6).
    identifiersNotFound: r.identifiers_not_found === null ? null : r.identifiers_not_found - (r.identifiers_already_erased ?? 0),
    identifiersAlreadyErased: r.identifiers_already_erased,
    identifiersSuppressed: r.identifiers_suppressed,
    ordersAnonymised: r.orders_anonymised,
    rowsDeleted: r.rows_deleted === null ? null : (JSON.parse(r.rows_deleted) as Record<string, number>),
    fileRewritten: r.file_rewritten,
    segmentsMentioning: r.segments_mentioning === null ? null : (JSON.parse(r.segments_mentioning) as string[]),
    error: r.error,
  };
}

export interface ErasureRequest {
  readonly identifiers: readonly unknown[];
  readonly reason?: unknown;
  /** who asks: `key:<id>` over HTTP, `cli:<user>` from the command line */
  readonly actor: string;
}

/** Checks and records an erasure request (status pending); returns its id. Nothing is erased yet. */
export async function requestErasure(db: Queryable, req: ErasureRequest, now = new Date()): Promise<string> {
  const { identifiers, reason } = checkErasureInput(req.identifiers, req.reason);
  const id = `reg_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  await insertRegulation(db, { id, requestedAt: now, requestedBy: req.actor, reason, identifiers });
  return id;
}

/** One erasure request by its id (reg_…): 400 regulation_id_missing when empty, 404 regulation_not_found when unknown. */
export async function getRegulation(db: Queryable, id: string): Promise<Regulation> {
  if (id.trim() === '') {
    throw new SegmintError('regulation_id_missing', 'Give the id of an erasure request (reg_…); GET /v1/regulations lists the recent ones.', { regulationId: id });
  }
  const row = await regulationById(db, id);
  if (!row) throw new SegmintError('regulation_not_found', `No erasure request has the id "${id}"; GET /v1/regulations lists the recent ones.`, { regulationId: id }, 404);
  return toRegulation(row);
}

export async function recentRegulations(db: Queryable, limit = 100): Promise<Regulation[]> {
  return (await listRegulations(db, limit)).map(toRegulation);
}

/**
 * Runs recorded requests: each erasure in a transaction of its own (erasePeople), then ONE rewrite of the
 * database file for them all (its cost is the size of the database, not of the request), then status
 * finished. A request interrupted by a crash runs again from where it was (the deletion is done once;
 * the rewrite again). A request refused for a user error (an ambiguous identifier, a reason naming the
 * person) is marked failed, erasing nothing; the others go on. Returns per id the finished request or
 * the error that failed it.
 *
 * `inLine` runs each deletion in line with other work on the same people: the server passes its workflow
 * engine's queue, so no run of the person is between reading its next step and sending when it goes.
 */
export async function runRegulations(
  store: Store,
  ids: readonly string[],
  now: () => Date = () => new Date(),
  inLine: InLine = (fn) => fn(),
): Promise<Map<string, Regulation | Error>> {
  const out = new Map<string, Regulation | Error>();
  const erased: string[] = [];
  for (const id of ids) {
    const before = await getRegulation(store, id);
    if (before.status === 'finished' || before.status === 'failed') {
      out.set(id, before);
      continue;
    }
    await markRegulationRunning(store, id, now());
    try {
      const identifiers = await pendingIdentifiers(store, id);
      if (identifiers.length > 0) await inLine(() => store.transaction((tx) => erasePeople(tx, id, identifiers, before.reason, now())));
      erased.push(id);
    } catch (e) {
      await fail(store, id, e, now());
      out.set(id, e instanceof Error ? e : new Error(String(e)));
    }
  }
  if (erased.length > 0) {
    // Only a request that deleted something has bytes to take out of the file (its counts are recorded,
    // so a request resumed after a crash still says so). A failed rewrite leaves the requests running:
    // their rows are deleted, and the next start (resume) rewrites the file again before they are finished.
    const deleted = new Set<string>();
    for (const id of erased) if (deletedAnything(await getRegulation(store, id))) deleted.add(id);
    const rewritten = deleted.size > 0 ? await store.rewriteFile() : false;
    for (const id of erased) await markRegulationFinished(store, id, rewritten && deleted.has(id), now());
    for (const id of erased) out.set(id, await getRegulation(store, id));
  }
  return out;
}

/** Whether a request deleted or anonymised any row (else the file holds nothing of it to rewrite). */
export function deletedAnything(r: Regulation): boolean {
  return Object.values(r.rowsDeleted ?? {}).some((n) => n > 0) || (r.ordersAnonymised ?? 0) > 0;
}

/** Runs a piece of work in line with other work on the store (default: at once). */
export type InLine = <T>(fn: () => Promise<T>) => Promise<T>;

/** Runs one recorded request (runRegulations); throws the error that failed it. */
export async function runRegulation(store: Store, id: string, now: () => Date = () => new Date(), inLine?: InLine): Promise<Regulation> {
  const r = (await runRegulations(store, [id], now, inLine)).get(id)!;
  if (r instanceof Error) throw r;
  return r;
}

async function fail(store: Store, id: string, e: unknown, at: Date): Promise<void> {
  const message = isSegmintError(e) ? e.message : `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  await markRegulationFailed(store, id, message, at, isSegmintError(e) && e.code === 'reason_names_person');
}

interface Queued {
  readonly id: string;
  readonly resolve: (r: Regulation) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Runs requests in the background of a server, in the order they come: those that arrive while a batch
 * runs form the next batch, which shares one rewrite of the file (runRegulations). run() resolves with
 * the finished request (DELETE /v1/customers/{id}); start() only queues (POST /v1/regulations, whose
 * status is polled). resume() queues the requests a previous process left unfinished.
 */
export class RegulationRunner {
  private queue: Queued[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly onError: (e: unknown, regulationId: string) => void = () => undefined,
    /** see runRegulations */
    private readonly inLine: InLine = (fn) => fn(),
  ) {}

  run(id: string): Promise<Regulation> {
    return new Promise<Regulation>((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      this.running ??= this.drain().finally(() => {
        this.running = undefined;
      });
    });
  }

  start(id: string): void {
    this.run(id).catch((e: unknown) => {
      // A user error is the request's status (failed, with its message); anything else is a bug to log.
      if (!isSegmintError(e)) this.onError(e, id);
    });
  }

  async resume(): Promise<void> {
    for (const id of await unfinishedRegulations(this.store)) this.start(id);
  }

  /** Resolves once every request queued so far has run. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Requests made in the same tick (a loop of DELETEs, a resume) join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const results = await runRegulations(this.store, batch.map((q) => q.id), undefined, this.inLine);
        for (const q of batch) {
          const r = results.get(q.id)!;
          if (r instanceof Error) q.reject(r);
          else q.resolve(r);
        }
      } catch (e) {
        for (const q of batch) q.reject(e);
      }
    }
  }
}
