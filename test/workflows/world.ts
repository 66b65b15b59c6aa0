import { randomUUID } from 'node:crypto';
import { setSetting } from '../../src/config/settings.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { GroupCommitter } from '../../src/ingest/live/committer.js';
import type { Store } from '../../src/store/db.js';
import { ManualClock } from '../../src/workflows/engine/clock.js';
import { WorkflowEngine, type EngineOptions } from '../../src/workflows/engine/engine.js';
import { createWorkflow } from '../../src/workflows/manage/crud.js';
import { tempStore } from '../helpers/store.js';
import { smtpCapture } from './helpers.js';

/**
 * A store, a committer (the live ingestion path), an engine on a ManualClock and a real SMTP server:
 * what the engine tests share. Events go in through the committer as the HTTP API would put them.
 */
export async function workflowWorld(start = new Date('2025-03-03T08:00:00Z'), opts: Partial<EngineOptions> = {}, prepare?: (store: Store) => Promise<void>) {
  const t = await tempStore();
  const store: Store = t.store;
  if (prepare) await prepare(store);
  const clock = new ManualClock(start);
  const smtp = await smtpCapture();
  await setSetting(store, 'smtp.url', smtp.url);
  await setSetting(store, 'email.from', 'Shop <shop@example.com>');
  await setSetting(store, 'server.public_url', 'http://shop.example.test');
  const committer = new GroupCommitter(store, { source: 'test' });
  const errors: unknown[] = [];
  const engine = new WorkflowEngine(store, { clock, onError: (e) => errors.push(e), ...opts });
  engine.listen(committer);

  const send = async (e: Partial<IncomingEvent> & { userId: string }): Promise<void> => {
    const at = e.timestamp ?? clock.now();
    await committer.submit([{ messageId: randomUUID(), type: 'track', receivedAt: at, ...e, timestamp: at } as IncomingEvent]);
    await engine.idle();
  };
  return {
    store,
    /** the database file (for the CLI once the store is closed) */
    path: t.path,
    clock,
    smtp,
    engine,
    committer,
    errors,
    send,
    /** a customer with an email address and the given email consent (none: no decision recorded) */
    async customer(userId: string, consent: 'granted' | 'denied' | 'none' = 'granted', traits: Record<string, unknown> = {}): Promise<string> {
      await send({ userId, type: 'identify', traits: { email: `${userId}@example.com`, first_name: userId, ...(consent === 'none' ? {} : { email_consent: consent }), ...traits } });
      return (await store.one<{ customer_id: string }>("SELECT customer_id FROM identities WHERE kind = 'user_id' AND value = $1", [userId]))!.customer_id;
    },
    track: (userId: string, event: string, properties: Record<string, unknown> = {}) => send({ userId, event, properties }),
    /** saves a workflow; `id` fixes its id, on which its holdout and splits hash (else a random one) */
    workflow: (name: string, yaml: string, id?: string) => createWorkflow(store, name, { text: yaml, origin: `${name}.yaml` }, { now: clock.now(), ...(id ? { id } : {}) }),
    /** moves the clock and runs everything due */
    async after(ms: number): Promise<void> {
      clock.advance(ms);
      await engine.tick();
    },
    to: (userId: string) => smtp.received.filter((m) => m.to === `${userId}@example.com`),
    /** stops the engine and closes the store, keeping the file */
    async stop(): Promise<void> {
      await engine.stop();
      await committer.idle();
      store.close();
    },
    async close(): Promise<void> {
      await engine.stop();
      await committer.idle();
      await smtp.close();
      t.cleanup();
    },
  };
}

/**
 * Two marketing workflows that each email a customer once on a `Promo` event (steps `a` and `b`): two
 * emails decided at once, what frequency-cap tests need.
 */
export async function addPromoWorkflows(w: { workflow(name: string, yaml: string): Promise<unknown> }): Promise<void> {
  await w.workflow('promo-a', 'trigger: { event: Promo }\nsteps:\n  - id: a\n    email: { subject: "Promo A", text: "a" }\n');
  await w.workflow('promo-b', 'trigger: { event: Promo }\nsteps:\n  - id: b\n    email: { subject: "Promo B", text: "b" }\n');
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
