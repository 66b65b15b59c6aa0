import { setImmediate as nextTurn } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SegmintError } from '../domain/errors.js';
import type { Store } from '../store/db.js';
import { loadDemoChunk } from '../store/queries/demo/load.js';
import { demoLoadState, demoSalt, ensureApiKey, markDemoFinished, markDemoStarted } from '../store/queries/demo/state.js';
import { demoCounts, type DemoCounts } from '../store/queries/demo/summary.js';
import { refreshCustomerMetrics } from '../store/queries/metrics.js';
import { adoptConsentRows } from '../store/queries/privacy/consent.js';
import { demoAdminKey, demoKey, newDemoSalt, type DemoKey } from './key.js';
import { simulatePerson } from './life/person.js';
import { demoId, type DemoOptions } from './options.js';
import { Shop } from './shop/shop.js';
import { ChunkFiles, DEMO_TABLES } from './sink.js';

export interface DemoProgress {
  phase: 'generate' | 'metrics' | 'done';
  people: number;
  total: number;
  events: number;
}

export interface DemoRunOptions extends DemoOptions {
  /** People per chunk: each chunk is generated to temporary files and loaded in one transaction. */
  chunkSize?: number;
  onProgress?: (p: DemoProgress) => void;
  /** Where the chunk files go (default: a new folder in the OS temp dir, removed afterwards). */
  tmpDir?: string;
}

export interface DemoResult {
  demoId: string;
  /** The store already held this exact demo: nothing was generated. */
  alreadyLoaded: boolean;
  counts: DemoCounts;
  key: DemoKey;
  /** An admin key for the segment endpoints (see demoAdminKey: salted per database, not guessable). */
  adminKey: DemoKey;
  generateMs: number;
  totalMs: number;
}

/**
 * Generates the demo shop into an empty store (or completes/repeats the same demo: every id is derived
 * from the seed and every insert skips rows already there), refreshes customer metrics and adds the demo
 * write key and admin key. A store that holds any other data is refused rather than mixed with made-up customers.
 */
export async function generateDemo(store: Store, options: DemoRunOptions): Promise<DemoResult> {
  const started = performance.now();
  const id = demoId(options);
  const key = demoKey(options.seed);
  const state = await demoLoadState(store, id);
  // Before the demo is loaded, any other data is refused; once it is, data imported since (a file the
  // user brought into the demo's database) is too: the demo's summary would count it as the demo's.
  if (!state.finished || state.other.imports > 0) refuseOtherData(store.path, state);

  let generateMs = 0;
  if (!state.finished) {
    await markDemoStarted(store, id, describe(options));
    const t0 = performance.now();
    // A demo started before and interrupted is completed: rows already loaded are skipped.
    const events = await generateChunks(store, options, state.started);
    generateMs = performance.now() - t0;
    options.onProgress?.({ phase: 'metrics', people: options.customers, total: options.customers, events });
    await refreshCustomerMetrics(store);
    await store.transaction((tx) => adoptConsentRows(tx));
  }
  await ensureApiKey(store, { ...key, createdAt: options.end });
  const adminKey = demoAdminKey(options.seed, await demoSalt(store, id, newDemoSalt));
  await ensureApiKey(store, { ...adminKey, createdAt: options.end });
  const counts = await demoCounts(store);
  if (!state.finished) await markDemoFinished(store, id, { parameters: describe(options), counts });
  options.onProgress?.({ phase: 'done', people: options.customers, total: options.customers, events: counts.events });
  return { demoId: id, alreadyLoaded: state.finished, counts, key, adminKey, generateMs, totalMs: performance.now() - started };
}

function refuseOtherData(path: string, state: Awaited<ReturnType<typeof demoLoadState>>): void {
  const o = state.other;
  const foreign = o.imports > 0 || o.events > 0 || o.orders > 0 || (!state.started && (o.customers > 0 || o.demo_events > 0));
  if (!foreign) return;
  const parts = [
    !state.started && o.customers > 0 ? `${o.customers} customers` : '',
    o.events + (state.started ? 0 : o.demo_events) > 0 ? `${o.events + (state.started ? 0 : o.demo_events)} events` : '',
    o.orders > 0 ? `${o.orders} orders` : '',
    o.imports > 0 ? `${o.imports} ${o.imports === 1 ? 'import or demo' : 'imports or demos'} with other options` : '',
  ].filter(Boolean);
  throw new SegmintError(
    'demo_store_not_empty',
    `The database ${path} already holds other data (${parts.join(', ')}). The demo only loads into an empty ` +
      'database, or one holding the same demo (same --seed, --customers, --days and --end). Use another file, ' +
      'for example `segmint --db demo.duckdb demo`.',
    { path, customers: o.customers, events: o.events, orders: o.orders, imports: o.imports },
    409,
  );
}

function describe(o: DemoOptions) {
  return { customers: o.customers, days: o.days, seed: o.seed, end: o.end.toISOString().slice(0, 10) };
}

/**
 * People are simulated chunk by chunk into temporary files; while the store loads one chunk, the next is
 * being generated (the generator yields to the event loop now and then so the load can progress).
 * Returns the number of events generated.
 */
async function generateChunks(store: Store, o: DemoRunOptions, resume: boolean): Promise<number> {
  const endSec = Math.floor(o.end.getTime() / 1000);
  const shop = new Shop(o.seed, endSec - o.days * 86400, endSec);
  const chunkSize = o.chunkSize ?? 25_000;
  const dir = o.tmpDir ?? mkdtempSync(join(tmpdir(), 'segmint-demo-'));
  let pending: Promise<void> = Promise.resolve();
  let events = 0;
  try {
    for (let from = 0, chunk = 0; from < o.customers; from += chunkSize, chunk++) {
      const to = Math.min(o.customers, from + chunkSize);
      const files = new ChunkFiles(dir, chunk);
      for (let i = from; i < to; i++) {
        simulatePerson(shop, i, files);
        if ((i + 1) % 500 === 0) {
          o.onProgress?.({ phase: 'generate', people: i + 1, total: o.customers, events: events + files.rows.events });
          await nextTurn();
        }
      }
      files.close();
      events += files.rows.events;
      await pending;
      pending = loadDemoChunk(store, DEMO_TABLES.map((t) => [t, files.path(t)] as const), shop.contexts, resume).then(() => {
        for (const t of DEMO_TABLES) rmSync(files.path(t), { force: true });
      });
      // Marks the load as handled now; its error, if any, is thrown at the next await of pending.
      pending.catch(() => undefined);
    }
    await pending;
    o.onProgress?.({ phase: 'generate', people: o.customers, total: o.customers, events });
    return events;
  } finally {
    await pending.catch(() => undefined);
    if (o.tmpDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
