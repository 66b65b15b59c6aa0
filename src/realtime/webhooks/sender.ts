import type { Store } from '../../store/db.js';
import { dueDeliveries, nextDeliveryAt, recordAttempt, type DeliveryRow } from '../../store/queries/realtime/webhooks.js';
import { systemClock, type Clock } from '../clock.js';
import type { EngineLog } from '../engine/engine.js';
import { signPayload } from './signature.js';

export interface SenderOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly log?: EngineLog;
  /** delay before the first retry; doubled after each failure (default 10 s) */
  readonly baseDelayMs?: number;
  /** longest delay between two attempts (default 1 h) */
  readonly maxDelayMs?: number;
  /** after this long since the change was recorded, a delivery that still fails is marked failed (default 24 h) */
  readonly giveUpAfterMs?: number;
  /** how long one POST may take (default 10 s) */
  readonly timeoutMs?: number;
  /** POSTs in flight at once, each for a different customer (default 8) */
  readonly concurrency?: number;
}

/** The JSON body of a webhook POST. */
export interface WebhookPayload {
  readonly id: string;
  readonly type: 'segment.entered' | 'segment.exited';
  readonly segment: { readonly id: string; readonly name: string | null };
  readonly customerId: string;
  readonly change: 'entered' | 'exited';
  /** the instant the change came true (ISO 8601, UTC) */
  readonly at: string;
  readonly attempt: number;
}

/**
 * Sends the outbox of webhook deliveries (written with the membership changes, see
 * writeMembership): each POST signed (signature.ts), retried with exponential backoff (base × 2^(n−1),
 * capped) until 24 hours after the change was recorded, then marked failed and left visible. A
 * customer's deliveries to one webhook go one at a time, in the order the changes happened; an
 * attempt cut short by a crash is made again after the restart, so delivery is at least once.
 */
export class WebhookSender {
  private readonly clock: Clock;
  private running = false;
  private looping: Promise<void> | undefined;
  private again = false;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly options: SenderOptions) {
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer?.();
    await this.looping;
  }

  /** Looks for due deliveries now (new changes were recorded, or a retry came due). */
  wake(): void {
    if (!this.running) return;
    if (this.looping) {
      this.again = true;
      return;
    }
    this.looping = this.loop().finally(() => {
      this.looping = undefined;
      if (this.again && this.running) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves once the sender has nothing left to do before its next timer. */
  async idle(): Promise<void> {
    while (this.looping) await this.looping;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        const due = await dueDeliveries(this.options.store, new Date(this.clock.now()), 64);
        if (due.length === 0 || !this.running) break;
        await inBatches(due, this.options.concurrency ?? 8, (d) => this.attempt(d));
      }
      if (!this.running) return;
      const next = await nextDeliveryAt(this.options.store);
      this.cancelTimer?.();
      // A head already due was just found not due (a race with a new change): look again in a second, not at once.
      const at = next !== undefined && next <= this.clock.now() ? this.clock.now() + 1000 : next;
      this.cancelTimer = at === undefined ? undefined : this.clock.at(at, () => this.wake());
    } catch (e) {
      this.options.log?.error({ err: e }, 'webhook sender failed; retrying in a minute');
      this.cancelTimer = this.clock.at(this.clock.now() + 60_000, () => this.wake());
    }
  }

  private async attempt(d: DeliveryRow): Promise<void> {
    const payload: WebhookPayload = {
      id: d.delivery_id,
      type: d.change === 'entered' ? 'segment.entered' : 'segment.exited',
      segment: { id: d.segment_id, name: d.segment },
      customerId: d.customer_id,
      change: d.change,
      at: d.changed_at.toISOString(),
      attempt: d.attempts + 1,
    };
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(this.clock.now() / 1000);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'segmint-webhooks',
          'segmint-delivery': d.delivery_id,
          'segmint-timestamp': String(timestamp),
          'segmint-signature': signPayload(d.secret, timestamp, body),
        },
        body,
      });
      status = res.status;
      await res.body?.cancel();
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    }
    const at = this.clock.now();
    if (error === undefined) {
      await recordAttempt(this.options.store, d.delivery_id, { status: 'delivered', at: new Date(at), ...(status ? { httpStatus: status } : {}) });
      return;
    }
    const base = this.options.baseDelayMs ?? 10_000;
    const delay = Math.min(base * 2 ** d.attempts, this.options.maxDelayMs ?? 3_600_000);
    const giveUp = d.created_at.getTime() + (this.options.giveUpAfterMs ?? 24 * 3_600_000);
    const failed = at + delay > giveUp;
    await recordAttempt(this.options.store, d.delivery_id, {
      status: failed ? 'failed' : 'pending',
      at: new Date(at),
      ...(failed ? {} : { next: new Date(at + delay) }),
      ...(status ? { httpStatus: status } : {}),
      error,
    });
  }
}

async function inBatches<T>(items: readonly T[], size: number, fn: (x: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
