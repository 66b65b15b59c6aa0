/**
 * Real-time segments on a generated shop (the demo generator), through the real HTTP server:
 *   - sustained events per second with 20 segments of every kind kept live, against the same ingestion
 *     with no real-time engine on a copy of the same database (the ratio is the engine's cost; target ≥ 70%);
 *   - at a steady 5,000 events/s (requests of 250 events): request latency, and from the 200 answer to
 *     the membership change being recorded (it is recorded in the same transaction, so before the answer)
 *     and published (Server-Sent Events); target p99 < 50 ms;
 *   - lateness of time-based changes (recorded_at − the instant they came true); target p99 < 1 s;
 *   - memory per customer (V8 heap with the engine loaded, minus without, over customers; and the
 *     engine's own estimate); start-up (bulk load and catch-up);
 *   - one bulk refresh of all 20 segments: what real time replaces.
 *
 *   node --expose-gc --import tsx bench/realtime.ts                    # 100,000 customers
 *   node --expose-gc --import tsx bench/realtime.ts --customers 20000  # quicker
 *   ... --db FILE                                                       # keep (or reuse) the generated shop
 *   ... --rounds 5                                                      # alone/live measured in turns, 3 times by default
 *   ... --steady-batch 50                                               # events per request at the steady rate (default 250)
 *   ... --batch 1000                                                    # events per request in the alone/live rounds (default 50)
 *   ... --steady-rate 5000                                              # the steady phase at this rate, whatever was sustained
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { refreshRfmSnapshot } from '../src/analytics/rfm/rfm.js';
import { generateDemo } from '../src/demo/generate.js';
import { IdentityMap } from '../src/ingest/identity/identity-map.js';
import { demoOptions, todayMidnightUtc } from '../src/demo/options.js';
import { registerAllFields } from '../src/fields.js';
import { createSegment } from '../src/segments/manage/crud.js';
import { refreshSegments } from '../src/segments/manage/refresh.js';
import { startServer, type RunningServer } from '../src/server/app.js';
import { createApiKey } from '../src/server/keys.js';
import { Store } from '../src/store/db.js';
import type { RealtimeEngine } from '../src/realtime/index.js';
import { UNLIMITED } from '../test/fixtures/limits.js';
import { timeStatements } from './lib/statement-timings.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 100_000);
const seconds = Number(arg('--seconds') ?? 15);
/** events per request in the steady phase */
const steadyBatch = Number(arg('--steady-batch') ?? 250);
/** events per second in the steady phase, when given (default: 5,000, or 60% of what the machine sustained if less) */
const steadyRate = arg('--steady-rate') === undefined ? undefined : Number(arg('--steady-rate'));
/** events per request in the throughput rounds (ingestion alone, then with segments live) */
const roundBatch = Number(arg('--batch') ?? 50);
/** how many times ingestion alone and with segments live are measured, in turns */
const rounds = Number(arg('--rounds') ?? 3);
const keep = arg('--db');
const gc = (globalThis as { gc?: () => void }).gc;

registerAllFields();

// Twenty saved segments, every kind of the language; two with windows of seconds so that time alone
// changes memberships during the run.
const SEGMENTS: Record<string, string> = {
  browsers: 'performed "Product Viewed" at least 3 times within 7d',
  buyers_30d: 'performed "Order Completed" within 30d',
  lapsed: 'orders_count >= 1 and not performed "Order Completed" within 90d',
  big_spenders_90d: 'sum of revenue in "Order Completed" within 90d > 300',
  high_basket: 'avg of revenue in "Order Completed" >= 120',
  readers: 'count of "Email Opened" within 30d >= 2',
  new_members: 'first performed "Signed Up" within 30d',
  abandoned_checkout: 'performed "Checkout Started" within 7d then not "Order Completed" within 1h',
  added_then_checked_out: 'performed "Product Added" within 7d then "Checkout Started" within 1d',
  loyal: 'orders_count >= 3 and total_spent > 200',
  dormant: 'last_order_at < -90d',
  due_again: 'days_since_last_order between 30 and 60',
  dach: 'traits.country in ("DE", "AT", "CH")',
  emailable_members: 'traits.plan = "member" and consent email = granted',
  sms_ok: 'consent sms = granted',
  champions: 'rfm.group = "Champions"',
  dach_buyers: 'in segment "buyers_30d" and traits.country in ("DE", "AT", "CH")',
  dress_lovers: 'performed "Product Viewed" where category = "Dresses" within 14d',
  browsing_now: 'performed "Product Viewed" within 60s',
  checkout_stalled: 'performed "Checkout Started" within 1d then not "Order Completed" within 30s',
};

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
/** The median, the mean of the middle two for an even count (pct's nearest rank would take the higher of two rounds). */
const middle = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length / 2;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[Math.floor(h)]! : (s[h - 1]! + s[h]!) / 2;
};
/**
 * Where a commit of live events spends its time on the live server (statement-timings, every transaction of
 * its store while resumed): ingestion (the body before the engine's hook), the engine's hook (its JavaScript
 * and statements), and the COMMIT, in ms per commit, with the engine's statements. The engine's hook is
 * re-registered inside a timer: GroupCommitter.withinCommit's remover takes the first registration of a
 * function, so two calls of it take the server's own and the copy, leaving the timed one alone; the
 * same for its beforeWrites (GroupCommitter.whenResolved).
 */
function timeLiveCommits(server: RunningServer, engine: RealtimeEngine): { resume(): void; pause(): void; stop(): string } {
  const committer = server.app.segmint.committer;
  let inHook = false;
  let live = false;
  let paused = true;
  let engineMs = 0;
  let commits = 0;
  let events = 0;
  committer.withinCommit(async (tx, outcome) => {
    inHook = true;
    live = true;
    const t = performance.now();
    try {
      await engine.withinCommit(tx, outcome);
    } finally {
      inHook = false;
      if (!paused) {
        engineMs += performance.now() - t;
        commits++;
        events += outcome.events.length;
      }
      tx.afterCommit(() => void (live = false));
    }
  });
  const removeServers = committer.withinCommit(engine.withinCommit);
  removeServers();
  removeServers();
  // The evaluation the engine starts once a commit's events are resolved (beforeWrites), timed from its
  // start to its end: it runs beside ingestion's statements, so it is not part of the commit's length.
  let earlyMs = 0;
  committer.whenResolved(async (tx, events, merged) => {
    const t = performance.now();
    await engine.beforeWrites(tx, events, merged);
    if (!paused) earlyMs += performance.now() - t;
  });
  const removeEarly = committer.whenResolved(engine.beforeWrites);
  removeEarly();
  removeEarly();
  const stopTiming = timeStatements(server.app.segmint.store, { label: () => (paused ? 'paused' : inHook ? 'engine' : live ? 'live commit' : 'other') });
  return {
    resume: () => void (paused = false),
    pause: () => void (paused = true),
    stop: () => {
      const timings = stopTiming();
      const per = (ms: number): string => fmt(ms / Math.max(1, commits), 1);
      const total = (what: string): number => timings.find((t) => t.what === what)?.ms ?? 0;
      const body = total('live commit: (transaction body: statements, JavaScript and event-loop waits)');
      // By the statement's first words: a DELETE of 3 customers and one of 5 are one kind.
      const kinds = new Map<string, { ms: number; calls: number }>();
      for (const t of timings) {
        if (!t.what.startsWith('engine: ')) continue;
        const kind = t.what.slice('engine: '.length, 'engine: '.length + 48);
        const k = kinds.get(kind) ?? { ms: 0, calls: 0 };
        k.ms += t.ms;
        k.calls += t.calls;
        kinds.set(kind, k);
      }
      const statements = [...kinds]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([kind, k]) => `${per(k.ms)} ${kind}… (${fmt(k.calls)}×)`);
      return (
        `a live commit (${fmt(commits)}, ${fmt(events / Math.max(1, commits))} events each): ingestion ${per(body - engineMs)} ms, ` +
        `engine ${per(engineMs)} ms, COMMIT ${per(total('live commit: (COMMIT)'))} ms; ` +
        `the evaluation started once the events were resolved, beside ingestion's statements (not counted above): ${per(earlyMs)} ms from its start to its end; the engine's statements, ms per commit ` +
        `(the watermark's UPDATE runs during the engine's JavaScript and is timed until the step takes its answer): ${statements.join('; ')}`
      );
    },
  };
}

const basic = (key: string): string => 'Basic ' + Buffer.from(`${key}:`).toString('base64');

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-rt-'));
const base = keep ?? join(dir, 'shop.duckdb');
try {
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${customers.toLocaleString('en-US')} customers)`);
  // 1. The shop, generated once; scores for the rfm fields; the segments (not refreshed yet).
  let t = performance.now();
  const store = await Store.open(base);
  // A shop kept with --db is reused with the end day it was generated with (on another day, today's end
  // would make it another demo, which generateDemo refuses to mix with the one there).
  const kept = await store.one<{ end: string | null }>(
    "SELECT json_extract_string(report, '$.parameters.end') AS end FROM imports WHERE format = 'demo' AND finished_at IS NOT NULL LIMIT 1",
  );
  const end = kept?.end ?? todayMidnightUtc().toISOString().slice(0, 10);
  await generateDemo(store, { ...demoOptions({ customers, end }), tmpDir: dir });
  await refreshRfmSnapshot(store, new Date());
  for (const [name, query] of Object.entries(SEGMENTS)) {
    if (!(await store.one('SELECT 1 AS x FROM segments WHERE name = $1', [name]))) await createSegment(store, { name, definition: { query } });
  }
  const events = (await store.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n;
  const users = (await store.all<{ value: string }>("SELECT value FROM identities WHERE kind = 'user_id'")).map((r) => r.value);
  const key = (await createApiKey(store, ['admin'], 'bench')).key;
  await store.checkpoint();
  store.close();
  console.log(`shop: ${fmt(customers)} people, ${fmt(users.length)} with a user id, ${fmt(events)} events; ready in ${fmt((performance.now() - t) / 1000, 1)} s`);

  // 2. What real time replaces: one bulk refresh of all 20 segments (on a copy).
  const bulkFile = join(dir, 'bulk.duckdb');
  copyFileSync(base, bulkFile);
  const bulkStore = await Store.open(bulkFile);
  t = performance.now();
  await refreshSegments(bulkStore, { asOf: new Date() });
  const bulkMs = performance.now() - t;
  bulkStore.close();
  console.log(`bulk refresh of all 20 segments: ${fmt(bulkMs)} ms`);

  // 3. Ingestion alone (no real-time engine), then with the 20 segments live, each on its own copy.
  let seq = 0;
  const message = (i: number): Record<string, unknown> => {
    const userId = users[(i * 7919) % users.length]!;
    // Random UUIDs, as the SDKs send: ids that sort apart from the stored ones would let the messageId
    // dedupe skip most of the events table by its min/max, which real traffic never does.
    const base = { userId, messageId: `${randomUUID()}-${seq++}`, timestamp: new Date().toISOString() };
    const k = i % 20;
    if (k < 12) return { ...base, type: 'track', event: 'Product Viewed', properties: { product_id: `p${i % 300}`, category: k % 3 === 0 ? 'Dresses' : 'Tops', price: 39 } };
    if (k < 15) return { ...base, type: 'track', event: 'Product Added', properties: { product_id: `p${i % 300}`, quantity: 1 } };
    if (k < 17) return { ...base, type: 'track', event: 'Checkout Started', properties: { checkout_id: `c${i}`, revenue: 80 } };
    if (k < 18) return { ...base, type: 'track', event: 'Order Completed', properties: { order_id: `bench-o${seq}`, revenue: 80, products: [{ product_id: 'p1', price: 80, quantity: 1, category: 'Dresses' }] } };
    if (k < 19) return { ...base, type: 'track', event: 'Email Opened', properties: { campaign_id: 'c1' } };
    return { ...base, type: 'identify', traits: { plan: 'member' } };
  };
  const post = async (url: string, batch: Record<string, unknown>[]): Promise<void> => {
    const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(key) }, body: JSON.stringify({ batch }) });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  };
  /** Events per second with `clients` senders posting batches of `size` back to back for `forSeconds`. */
  const sustained = async (url: string, clients = 16, size = 50, forSeconds = seconds): Promise<number> => {
    let sent = 0;
    const until = performance.now() + forSeconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        while (performance.now() < until) {
          await post(url, Array.from({ length: size }, (_, j) => message(sent + c * size + j)));
          sent += size;
        }
      }),
    );
    return sent / ((performance.now() - t0) / 1000);
  };
  const serveCopy = async (name: string, realtime: boolean): Promise<{ server: RunningServer; store: Store; startMs: number; heapBefore: number }> => {
    const file = join(dir, `${name}.duckdb`);
    copyFileSync(base, file);
    const s = await Store.open(file);
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    // One loopback address sends everything: the per-address rate limit would answer much of it 429.
    const server = await startServer({ store: s, port: 0, host: '127.0.0.1', limits: UNLIMITED, ...(realtime ? {} : { realtime: false }) });
    return { server, store: s, startMs: performance.now() - t0, heapBefore };
  };

  // Both servers stay up and are measured in turns, `rounds` times: on a shared machine the load moves
  // during a run, and alternating puts each pair of measurements under the same conditions.
  const plain = await serveCopy('plain', false);
  const live = await serveCopy('live', true);
  gc?.();
  const heapLive = process.memoryUsage().heapUsed;
  const engine = live.server.app.segmint.realtime!;
  const status0 = engine.status();
  // The identity map each server's committer keeps (src/ingest/identity/identity-map.ts), with or without
  // the engine: one more is built here, to measure what it costs to read and to hold. The live server's
  // start-up built its own, so its heap growth less the map is the engine's.
  let mapBytes = 0;
  {
    const map = new IdentityMap();
    gc?.();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await live.store.transaction((tx) => map.current(tx));
    const ms = performance.now() - t0;
    gc?.();
    mapBytes = process.memoryUsage().heapUsed - h0;
    console.log(
      `identity map of live ingestion (every server, engine or not): ${fmt(map.size)} identities read in ${fmt(ms)} ms, ` +
        `${fmt(mapBytes / customers)} bytes per customer of V8 heap`,
    );
  }
  console.log(
    `engine start-up (bulk load of ${fmt(status0.customers)} customers, 20 segments, catch-up): ${fmt(live.startMs)} ms; ` +
      `memory ${fmt((heapLive - live.heapBefore - mapBytes) / status0.customers)} bytes per customer (V8 heap, less the identity map), ` +
      `${fmt(status0.memory.bytesPerCustomer)} by the engine's estimate, ${fmt(status0.memory.heldEvents)} events held; refused: ${status0.refused.length}`,
  );
  // A short warm-up of each, not counted: the first seconds after start-up pay for compilation and the
  // database's caches, more so on the server that has just loaded the engine.
  await sustained(plain.server.url, 16, roundBatch, 3);
  await sustained(live.server.url, 16, roundBatch, 3);
  const ratios: number[] = [];
  let withEngine = 0;
  const phases = timeLiveCommits(live.server, engine);
  for (let r = 1; r <= rounds; r++) {
    const alone = await sustained(plain.server.url, 16, roundBatch);
    phases.resume();
    const live1 = await sustained(live.server.url, 16, roundBatch);
    phases.pause();
    withEngine = Math.max(withEngine, live1);
    ratios.push(live1 / alone);
    console.log(
      `round ${r}: ingestion alone (no real-time engine) ${fmt(alone)} events/s; with 20 segments live ${fmt(live1)} events/s = ${fmt(100 * ratios.at(-1)!)}% (16 clients, batches of ${fmt(roundBatch)}; load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  console.log(`with segments live, median of ${rounds} rounds: ${fmt(100 * middle(ratios))}% of ingestion alone (target ≥ 70%)`);
  console.log(phases.stop());
  await plain.server.close();
  plain.store.close();

  // 4. A steady rate for `seconds` in requests of `steadyBatch` events (5,000 events/s, or less when this
  // machine cannot sustain that: then 60% of what it sustained with the engine at that size, so that
  // latency is not queueing): latency of the answer, and from the answer to the change.
  const segmentId = (await live.store.one<{ segment_id: string }>("SELECT segment_id FROM segments WHERE name = 'browsing_now'"))!.segment_id;
  const published = new Map<string, number>();
  engine.subscribe((c) => {
    if (c.segmentId === segmentId && c.change === 'entered') published.set(c.customerId, performance.now());
  });
  // Every transaction on the live server's connection from here on (commits of events, the engine's
  // timer steps): when it started and ended (epoch ms), to say what held the connection when a
  // time-based change was recorded late.
  // The write-ahead log's size after each: when it shrank, DuckDB checkpointed inside that commit.
  const held: { from: number; to: number; checkpoint: boolean }[] = [];
  {
    const original = live.store.transaction.bind(live.store);
    const wal = (): number => (existsSync(`${live.store.path}.wal`) ? statSync(`${live.store.path}.wal`).size : 0);
    let walBytes = wal();
    live.store.transaction = (<T>(fn: Parameters<typeof original<T>>[0]): Promise<T> => {
      let from = 0;
      return original(async (tx) => {
        from = Date.now();
        return fn(tx);
      }).finally(() => {
        const now = wal();
        held.push({ from, to: Date.now(), checkpoint: now < walBytes });
        walBytes = now;
      });
    }) as typeof live.store.transaction;
  }
  /** each fresh visitor's 200: performance.now() for the published change, the epoch for the recorded one (recorded_at) */
  const answered: { user: string; at: number; epoch: number }[] = [];
  const requestMs: number[] = [];
  const startedAt = new Date();
  const capacity = steadyBatch === roundBatch ? withEngine : await sustained(live.server.url, 16, steadyBatch);
  if (steadyBatch !== roundBatch) console.log(`ingestion with 20 segments live, batches of ${fmt(steadyBatch)}: ${fmt(capacity)} events/s`);
  const target = steadyRate ?? Math.min(5000, Math.round(0.6 * capacity));
  const perTick = steadyBatch;
  const interval = (1000 * perTick) / target; // ms between requests
  const ticks = Math.floor((seconds * 1000) / interval);
  const t1 = performance.now();
  const inflight: Promise<void>[] = [];
  let failed = 0;
  let skipped = 0;
  let open = 0;
  for (let i = 0; i < ticks; i++) {
    const due = t1 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // An open-loop load, but not an unbounded one: past 200 requests in flight the server is saturated.
    if (open >= 200) {
      skipped++;
      continue;
    }
    const batch = Array.from({ length: perTick }, (_, j) => message(i * perTick + j));
    // fresh visitors in each request (one in 50 events): their entering browsing_now is certain
    const fresh: string[] = [];
    for (let j = 0; j < perTick; j += 50) {
      fresh.push(`fresh-${i}-${j}`);
      batch[j] = { type: 'track', userId: fresh.at(-1), event: 'Product Viewed', messageId: `fresh-${i}-${j}`, timestamp: new Date().toISOString(), properties: { category: 'Tops' } };
    }
    const sent = performance.now();
    open++;
    inflight.push(
      post(live.server.url, batch)
        .then(() => {
          const now = performance.now();
          requestMs.push(now - sent);
          const epoch = Date.now();
          for (const user of fresh) answered.push({ user, at: now, epoch });
        })
        .catch(() => void failed++)
        .finally(() => void open--),
    );
  }
  await Promise.all(inflight);
  const rate = (requestMs.length * perTick) / ((performance.now() - t1) / 1000);
  await engine.idle();
  const ids = new Map(
    (await live.store.all<{ value: string; customer_id: string }>("SELECT value, customer_id FROM identities WHERE kind = 'user_id' AND value LIKE 'fresh-%'")).map((r) => [r.value, r.customer_id]),
  );
  const sinceAnswer = answered.map((a) => (published.get(ids.get(a.user) ?? '') ?? NaN) - a.at).filter((x) => !Number.isNaN(x));
  // The entry's recorded_at (the engine's clock when it wrote the row, inside the commit) against the
  // epoch at which the client had the 200: negative when the change was recorded before the answer.
  const recordedAt = new Map(
    (
      await live.store.all<{ customer_id: string; at: number }>(
        `SELECT h.customer_id, epoch_ms(h.recorded_at) AS at FROM segment_history h
         WHERE h.segment_id = $1 AND h.change = 'entered' AND h.recorded_at >= $2::TIMESTAMP`,
        [segmentId, startedAt],
      )
    ).map((r) => [r.customer_id, Number(r.at)]),
  );
  const toRecorded = answered.map((a) => (recordedAt.get(ids.get(a.user) ?? '') ?? NaN) - a.epoch).filter((x) => !Number.isNaN(x));
  console.log(
    `${steadyRate === undefined && target < 5000 ? `this machine sustains less than 5,000 events/s, so a steady ${fmt(target)}: ` : ''}at ${fmt(rate)} events/s in requests of ${fmt(perTick)}: request p50 ${fmt(pct(requestMs, 50), 1)} ms, p99 ${fmt(pct(requestMs, 99), 1)} ms; ` +
      `from the 200 to the change recorded (recorded_at − the client's clock at the answer): p50 ${fmt(pct(toRecorded, 50), 1)} ms, p99 ${fmt(pct(toRecorded, 99), 1)} ms, max ${fmt(toRecorded.reduce((m, x) => Math.max(m, x), -Infinity), 1)} ms over ${fmt(toRecorded.length)} entries (negative: recorded before the answer; the same transaction); ` +
      `to the change published in-process: p50 ${fmt(pct(sinceAnswer, 50), 1)} ms, p99 ${fmt(pct(sinceAnswer, 99), 1)} ms ` +
      `(negative: before the client had the answer) over ${fmt(sinceAnswer.length)} entries (target p99 < 50 ms)` +
      (failed + skipped > 0 ? `; ${fmt(failed)} requests failed and ${fmt(skipped)} were not sent (over 200 in flight): the server was saturated` : ''),
  );

  // 5. Time-based changes: let the short windows close, then read how late each exit was recorded.
  await new Promise((r) => setTimeout(r, 65_000));
  await engine.idle();
  const late = (
    await live.store.all<{ late: number }>(
      `SELECT epoch_ms(h.recorded_at) - epoch_ms(h.changed_at) AS late FROM segment_history h JOIN segments s USING (segment_id)
       WHERE s.name IN ('browsing_now', 'checkout_stalled') AND h.recorded_at >= $1::TIMESTAMP AND h.recorded_at > h.changed_at`,
      [startedAt],
    )
  ).map((r) => r.late);
  console.log(`time-based changes: ${fmt(late.length)}, lateness p50 ${fmt(pct(late, 50))} ms, p99 ${fmt(pct(late, 99))} ms, max ${fmt(late.reduce((m, x) => Math.max(m, x), -Infinity))} ms (target p99 < 1,000 ms)`);
  // What made the latest ones late: the steps that recorded them, and the longest transaction that held
  // the connection in the second before each (its body; COMMIT included).
  const steps = await live.store.all<{ at: number; n: number; worst: number }>(
    `SELECT epoch_ms(h.recorded_at) AS at, count(*) AS n, max(epoch_ms(h.recorded_at) - epoch_ms(h.changed_at)) AS worst
     FROM segment_history h JOIN segments s USING (segment_id)
     WHERE s.name IN ('browsing_now', 'checkout_stalled') AND h.recorded_at >= $1::TIMESTAMP AND h.recorded_at > h.changed_at
     GROUP BY 1 ORDER BY worst DESC LIMIT 5`,
    [startedAt],
  );
  const spans = held.map((h) => h.to - h.from).sort((a, b) => a - b);
  console.log(
    `transactions on the live server's connection since the steady phase: ${fmt(spans.length)}, p50 ${fmt(pct(spans, 50))} ms, p99 ${fmt(pct(spans, 99))} ms, max ${fmt(spans.at(-1) ?? NaN)} ms; ` +
      `checkpoints: ${held.filter((h) => h.checkpoint).map((h) => `${fmt(h.to - h.from)} ms`).join(', ') || 'none'}`,
  );
  for (const st of steps) {
    const before = held.filter((h) => h.to >= st.at - 2000 && h.from <= st.at);
    const longest = before.reduce((m, h) => Math.max(m, h.to - h.from), 0);
    console.log(
      `  a step recording ${fmt(st.n)} of them, the latest ${fmt(st.worst)} ms late; the longest transaction in the 2 s before it held the connection ${fmt(longest)} ms` +
        (before.some((h) => h.checkpoint) ? ' (a checkpoint among them)' : ''),
    );
  }
  const status = engine.status();
  console.log(`memory after the run: ${fmt(status.memory.bytesPerCustomer)} bytes per customer (engine's estimate), heap ${fmt(status.memory.heapUsed / 1e6)} MB, ${fmt(status.customers)} customers`);
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  await live.server.close();
  live.store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
