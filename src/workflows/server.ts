import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { GroupCommitter } from '../ingest/live/committer.js';
import type { Store } from '../store/db.js';
import { reachableUrl } from './channels/email/unsubscribe.js';
import { WorkflowEngine, type EngineOptions } from './engine/engine.js';

/** How the server runs workflows: engine options (a test's clock), or false for no engine at all. */
export type WorkflowServerOptions = EngineOptions | false;

declare module 'fastify' {
  interface FastifyInstance {
    /** the workflow engine running inside this server, when there is one */
    workflows: WorkflowEngine | null;
  }
}

/**
 * Puts the workflow engine into the server: it acts on every commit of live events at once, starts its
 * timer when the server starts listening (so `inject`-only tests drive it by hand with tick()), and
 * stops before the store closes. Unsubscribe links point at the listening address unless
 * server.public_url is set.
 */
export function attachWorkflows(app: FastifyInstance, store: Store, committer: GroupCommitter, options: WorkflowServerOptions | undefined): void {
  if (options === false) {
    app.decorate('workflows', null);
    return;
  }
  let listening: string | undefined;
  const engine = new WorkflowEngine(store, {
    ...options,
    publicUrl: options?.publicUrl ?? (() => listening),
    onError: options?.onError ?? ((e, what) => app.log.error({ err: e }, `workflows: ${what} failed`)),
  });
  engine.listen(committer);
  app.decorate('workflows', engine);
  app.addHook('onListen', async () => {
    const a = app.server.address() as AddressInfo | null;
    if (a && typeof a === 'object') {
      // A server listening on every interface is reached on this machine at the loopback address (reachableUrl).
      listening = reachableUrl(`http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    }
    await engine.start();
  });
  app.addHook('onClose', async () => {
    await engine.stop();
  });
}

/**
 * Runs work in line with the server's workflow engine, when it has one: between two pieces of the
 * engine's work, never while it decides or makes a send (an erasure: docs/privacy.md).
 */
export function inLineWithWorkflows(app: FastifyInstance): <T>(fn: () => Promise<T>) => Promise<T> {
  return (fn) => (app.workflows ? app.workflows.serial(fn) : fn());
}

/** Runs a change to workflows in line with the engine's own work (so it never moves a run being changed), then wakes it. */
export async function withEngine<T>(app: FastifyInstance, fn: () => Promise<T>): Promise<T> {
  const engine = app.workflows;
  if (!engine) return fn();
  const out = await engine.serial(fn);
  engine.wake();
  return out;
}
