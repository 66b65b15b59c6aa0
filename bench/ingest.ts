/**
 * Live ingestion throughput: events per second over HTTP (loopback, durable acknowledgement: a 200 means
 * committed), at batch sizes 1, 100 and 1,000, against two references measured in the same run on the
 * same events and a fresh database file each:
 *   - raw:    a plain insert of the event rows alone (the store's appender), one transaction per batch,
 *             one writer (no identity, no HTTP): the floor of issue 15;
 *   - direct: the whole ingestion (dedupe, identity, events, traits, orders) per batch, without HTTP.
 * HTTP is run with 1 client and with 16 concurrent clients, which group commit lets share a commit; the
 * clients run in a process of their own, as real clients do, so this process is the server alone.
 * The last lines give the target of issue 15: 16 clients at batches of 1,000, at least 20,000 events/s
 * and at least the plain insert of the same rows (ratio >= 1), the CPU each costs per 1,000 events (steadier
 * than a rate on a shared machine), how many commits the 16 clients' requests took and their sizes (group
 * commit at work), and the load average of the machine.
 *
 *   npx tsx bench/ingest.ts            (SEGMINT_BENCH_SCALE=0.2 for a quicker run;
 *                                       SEGMINT_BENCH_SIZES=1000 for the target alone;
 *                                       SEGMINT_BENCH_DIGEST=1 to print what the last HTTP run stored;
 *                                       SEGMINT_BENCH_STATEMENTS=1 for where its commits spent their time;
 *                                       SEGMINT_BENCH_STORED=2000000 to run every part on a database that
 *                                       already holds that many events, as a shop's does after a while;
 *                                       SEGMINT_BENCH_PAIRS=5 for more pairs of the target, 3 by default)
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance as nodePerformance } from 'node:perf_hooks';
import type { IncomingEvent } from '../src/ingest/events/message.js';
import { ingestEvents } from '../src/ingest/live/ingest.js';
import { startServer } from '../src/server/app.js';
import { createApiKey } from '../src/server/keys.js';
import { Store, type Transaction } from '../src/store/db.js';
import { insertEvents, type EventRow } from '../src/store/queries/events.js';
import { packRows } from '../src/store/queries/identity-columns.js';
import { sendFromClients } from './lib/http-clients.js';
import { machineLoad } from './lib/measure.js';
import { timeStatements, type Timing } from './lib/statement-timings.js';
import { UNLIMITED } from '../test/fixtures/limits.js';

const eventLoopUtilization = nodePerformance.eventLoopUtilization.bind(nodePerformance);
const scale = Number(process.env.SEGMINT_BENCH_SCALE ?? '1');
const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
let fileNo = 0;
const stored = Number(process.env.SEGMINT_BENCH_STORED ?? '0');
const template = join(dir, 'stored.duckdb');
/** A fresh database file: empty, or a copy of the one holding SEGMINT_BENCH_STORED events (storedTemplate). */
const freshStore = () => {
  const path = join(dir, `b${fileNo++}.duckdb`);
  if (stored > 0) copyFileSync(template, path);
  return Store.open(path);
};

/**
 * The database every run starts from when SEGMINT_BENCH_STORED is set: that many events of earlier days,
 * with message ids spread as real ones are (hex of a hash, so the dedupe cannot skip the table by its
 * min/max), checkpointed, so each run's file starts with them on disk and indexed.
 */
async function storedTemplate(): Promise<void> {
  const store = await Store.open(template);
  // In parts of 250,000: one INSERT of 2,000,000 rows with their primary-key index passed the store's
  // memory budget for a statement.
  const part = 250_000;
  for (let from = 0; from < stored; from += part) {
    await store.run(
      `INSERT INTO events
       SELECT md5(i::VARCHAR), 'track', 'Product Viewed', NULL, 'old-' || (i % 50000), NULL,
         make_timestamp(1600000000000000 + i * 1000000), make_timestamp(1600000000000000 + i * 1000000),
         '{"product_id":"p' || (i % 300) || '","price":19.9}', NULL, NULL, 'bench'
       FROM range($1::BIGINT, $2::BIGINT) t(i)`,
      [from, Math.min(stored, from + part)],
    );
  }
  await store.checkpoint();
  store.close();
}

let seq = 0;
function message(): Record<string, unknown> {
  const i = seq++;
  const user = i % 5000;
  const base = { userId: `user-${user}`, anonymousId: `anon-${user}`, messageId: `bench-${i}`, timestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString() };
  if (i % 50 === 0) return { ...base, type: 'identify', traits: { email: `user-${user}@example.com`, plan: i % 3 ? 'pro' : 'free' } };
  if (i % 20 === 0) {
    return { ...base, type: 'track', event: 'Order Completed', properties: { order_id: `o-${i}`, products: [{ product_id: `p${i % 300}`, price: 19.9, quantity: 2, category: 'c' + (i % 7) }] } };
  }
  return { ...base, type: 'track', event: 'Product Viewed', properties: { product_id: `p${i % 300}`, price: 19.9 }, context: { page: { path: '/p' } } };
}
function asEvent(m: Record<string, unknown>): IncomingEvent {
  const ts = new Date(m.timestamp as string);
  return {
    messageId: m.messageId as string,
    type: m.type as IncomingEvent['type'],
    event: m.event as string | undefined,
    userId: m.userId as string,
    anonymousId: m.anonymousId as string,
    timestamp: ts,
    receivedAt: ts,
    properties: m.properties as Record<string, unknown> | undefined,
    traits: m.traits as Record<string, unknown> | undefined,
    context: m.context as Record<string, unknown> | undefined,
  };
}

type Batch = Record<string, unknown>[];
const batchesOf = (batchSize: number, batches: number): Batch[] => Array.from({ length: batches }, () => Array.from({ length: batchSize }, () => message()));

/**
 * The plain insert of the rows, one transaction per batch: by the appender (how ingestion writes events
 * now), or by the one INSERT … SELECT statement over columns packed as text that ingestion ran before
 * (the floor issue 15 measured against).
 */
async function raw(messages: readonly Batch[], how: 'append' | 'statement' = 'append'): Promise<number> {
  const store = await freshStore();
  const work = messages.map((b) => b.map(asEvent));
  const t = performance.now();
  for (const b of work) {
    const rows = b.map((e) => ({ ...e, customerId: null, source: 'bench' }));
    await store.transaction((tx) => (how === 'append' ? insertEvents(tx, rows) : insertStatement(tx, rows)));
  }
  const s = (performance.now() - t) / 1000;
  store.close();
  return count(work) / s;
}
/**
 * The plain INSERT statement of the same rows: a frozen copy of how the store wrote events before it used
 * the appender (one parameterised INSERT … SELECT over unnested columns). It is kept here, unchanged, as
 * the "plain insert" floor that issue 15 measured its 0.67× against, so the ratio stays comparable.
 */
async function insertStatement(tx: Transaction, rows: readonly EventRow[]): Promise<void> {
  const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
  const q = packRows([
    { name: 'message_id', type: 'text', values: rows.map((r) => r.messageId) },
    { name: 'type', type: 'text', values: rows.map((r) => r.type) },
    { name: 'event', type: 'text', values: rows.map((r) => r.event) },
    { name: 'customer_id', type: 'text', values: rows.map((r) => r.customerId) },
    { name: 'user_id', type: 'text', values: rows.map((r) => r.userId) },
    { name: 'anonymous_id', type: 'text', values: rows.map((r) => r.anonymousId) },
    { name: 'ts', type: 'time', values: rows.map((r) => r.timestamp) },
    { name: 'received_at', type: 'time', values: rows.map((r) => r.receivedAt) },
    { name: 'properties', type: 'json', values: rows.map((r) => json(r.properties)) },
    { name: 'traits', type: 'json', values: rows.map((r) => json(r.traits)) },
    { name: 'context', type: 'json', values: rows.map((r) => json(r.context)) },
    { name: 'source', type: 'text', values: rows.map((r) => r.source) },
  ]);
  await tx.run(
    `INSERT INTO events (message_id, type, event, customer_id, user_id, anonymous_id, timestamp, received_at, properties, traits, context, source)
     SELECT message_id, type, event, customer_id, user_id, anonymous_id, ts, received_at, properties, traits, context, source
     FROM (${q.select}) ON CONFLICT (message_id) DO NOTHING`,
    q.params,
  );
}
const count = (batches: readonly unknown[][]): number => batches.reduce((n, b) => n + b.length, 0);

/**
 * fn's rate, with the CPU time this process spent (all its threads: Node's and DuckDB's) per 1,000 events:
 * on a shared machine the CPU a run costs moves far less with the load than its rate does.
 */
async function withCpu(events: number, fn: () => Promise<number>): Promise<{ rate: number; cpuMs: number }> {
  const before = process.cpuUsage();
  const rate = await fn();
  const used = process.cpuUsage(before);
  return { rate, cpuMs: ((used.user + used.system) / 1000 / events) * 1000 };
}

async function direct(messages: readonly Batch[]): Promise<number> {
  const store = await freshStore();
  const work = messages.map((b) => b.map(asEvent));
  const t = performance.now();
  for (const b of work) await store.transaction((tx) => ingestEvents(tx, b, 'bench'));
  const s = (performance.now() - t) / 1000;
  store.close();
  return count(work) / s;
}

/**
 * The batches sent by `clients` concurrent clients, each sending its share one request after another,
 * from a process of their own (bench/lib/http-clients.ts): this process is the server alone, so the CPU
 * it spends while they send is the server's (left in lastServerCpuMs); what the clients spent per 1,000
 * events is left in lastClientCpuMs.
 */
async function http(messages: readonly Batch[], clients: number): Promise<number> {
  const store = await freshStore();
  const { key } = await createApiKey(store, ['write']);
  // one loopback client sends everything: the per-address and per-key rate limits would stop it
  const server = await startServer({ store, port: 0, host: '127.0.0.1', limits: UNLIMITED });
  const auth = 'Basic ' + Buffer.from(`${key}:`).toString('base64');
  const bodies = Array.from({ length: clients }, (_, c) => messages.filter((_, i) => i % clients === c).map((batch) => JSON.stringify({ batch })));
  const stopTiming = process.env.SEGMINT_BENCH_STATEMENTS && clients > 1 ? timeStatements(store) : undefined;
  const commits: number[] = [];
  server.app.segmint.committer.onCommit((n) => void commits.push(n.events.length));
  const loop = eventLoopUtilization();
  const mainCpu = mainThreadCpuMs();
  const cpu = process.cpuUsage();
  const run = await sendFromClients(`${server.url}/v1/batch`, auth, bodies);
  const used = process.cpuUsage(cpu);
  lastServerCpuMs = ((used.user + used.system) / 1000 / count(messages)) * 1000;
  lastMainMs = (eventLoopUtilization(loop).active / count(messages)) * 1000;
  const mainCpuAfter = mainThreadCpuMs();
  lastMainCpuMs = mainCpu === undefined || mainCpuAfter === undefined ? undefined : ((mainCpuAfter - mainCpu) / count(messages)) * 1000;
  if (stopTiming) {
    lastTimings = stopTiming();
    lastTimedEvents = count(messages);
  }
  const held = (await store.one<{ n: number }>('SELECT count(*) n FROM events'))?.n;
  if (held !== count(messages) + stored) throw new Error(`stored ${held} events, sent ${count(messages)} to ${stored}`);
  if (process.env.SEGMINT_BENCH_DIGEST) lastDigest = await tableDigests(store);
  await server.close();
  store.close();
  lastClientCpuMs = (run.cpuMs / count(messages)) * 1000;
  lastCommits = commits;
  return count(messages) / run.seconds;
}
let lastClientCpuMs = 0;
// The server's CPU (all threads of this process) per 1,000 events while the clients sent, start-up aside
// (reading a large shop's identities and message ids at start-up costs a second or more per million).
let lastServerCpuMs = 0;
// The wall time per 1,000 events the event loop was not waiting in the last HTTP run (event-loop
// utilisation: the JavaScript thread's work, and on a loaded machine the time it waited for a core).
let lastMainMs = 0;
// The CPU per 1,000 events of the main thread alone (JavaScript, HTTP, the commits' calls into DuckDB) in the
// last HTTP run; the rest of the process's CPU is DuckDB's threads and the body reader's (Linux only).
let lastMainCpuMs: number | undefined;

/**
 * CPU time of this process's main thread so far, in ms, from /proc (its thread id is the process id);
 * undefined where /proc is not there. Counted in clock ticks of 10 ms: fine over a run of seconds.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, so 11 and 12 after the name (USER_HZ = 100)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
// SEGMINT_BENCH_STATEMENTS=1: where the last 16-client run's commits spent their time, and over how many events.
let lastTimings: Timing[] = [];
let lastTimedEvents = 0;
let lastDigest = '';
// The events each commit of the last HTTP run stored, in order: how requests were grouped.
let lastCommits: number[] = [];

/**
 * What the ingestion stored, as one line per table: its rows and an md5 of them in a fixed order, leaving
 * out the columns that hold the time of the run (received_at, created_at, updated_at, recorded_at). Two
 * versions of the code that store the same input alike print the same lines (SEGMINT_BENCH_DIGEST=1): the
 * check that a faster ingestion changed nothing in what is stored.
 */
async function tableDigests(store: Store): Promise<string> {
  const tables: [string, string][] = [
    ['events', 'received_at'],
    ['customers', 'created_at, updated_at'],
    ['identities', ''],
    ['trait_times', ''],
    ['consent', ''],
    ['consent_history', ''],
    ['order_claims', ''],
    ['orders', ''],
    ['order_lines', ''],
    ['order_conflicts', 'recorded_at'],
    ['customer_metrics', 'updated_at'],
    ['merges', 'merged_at'],
  ];
  const lines: string[] = [];
  for (const [table, timeOfRun] of tables) {
    // Table and column names are this list's own, never input.
    const r = await store.one<{ n: number; h: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(r, chr(10) ORDER BY r)) AS h FROM (SELECT t::VARCHAR AS r FROM (SELECT * ${timeOfRun ? `EXCLUDE (${timeOfRun})` : ''} FROM ${table}) t)`,
    );
    lines.push(`${table.padEnd(17)} ${String(r?.n ?? 0).padStart(7)} rows  md5 ${r?.h ?? '-'}`);
  }
  return lines.join('\n');
}

const n = (x: number) => Math.max(1, Math.round(x * scale));
const fmt = (x: number) => x.toFixed(0).padStart(8);
const sizes = (process.env.SEGMINT_BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const rows: string[] = [];
/**
 * The target's ratio is measured in pairs taken in turns (16 clients over HTTP, then the INSERT statement on
 * the same rows), and the median pair is the figure: one pair of runs of a few seconds each moved 0.76 → 1.16
 * between two runs a minute apart on an idle machine.
 */
const pairs = Math.max(1, Number(process.env.SEGMINT_BENCH_PAIRS ?? '3'));
const pairRatios: { many: number; statement: number }[] = [];
let target: { raw: number; statement: number; many: number; commits: number[]; cpu: { many: number; main: number; mainCpu: number | undefined; clients: number; raw: number; statement: number } } | undefined;
const loadBefore = machineLoad();
try {
  if (stored > 0) await storedTemplate();
  for (const size of sizes) {
    const batches = n(size === 1 ? 400 : size === 100 ? 60 : 12);
    const rawRate = await raw(batchesOf(size, batches));
    const directRate = await direct(batchesOf(size, batches));
    const one = await http(batchesOf(size, batches), 1);
    const same = batchesOf(size, 16 * n(size === 1 ? 50 : size === 100 ? 6 : 4));
    const sameEvents = count(same);
    const many = await http(same, 16);
    const manyCpu = lastServerCpuMs;
    const manyClientCpu = lastClientCpuMs;
    const manyMain = lastMainMs;
    const manyMainCpu = lastMainCpuMs;
    const manyCommits = lastCommits;
    // The floor of the target is the plain insert of exactly these rows (same ids, another file).
    const { rate: rawSame, cpuMs: rawCpu } = await withCpu(sameEvents, () => raw(same));
    if (size === 1000) {
      const statement = await withCpu(sameEvents, () => raw(same, 'statement'));
      target = { raw: rawSame, statement: statement.rate, many, commits: manyCommits, cpu: { many: manyCpu, main: manyMain, mainCpu: manyMainCpu, clients: manyClientCpu, raw: rawCpu, statement: statement.cpuMs } };
      pairRatios.push({ many, statement: statement.rate });
      for (let p = 1; p < pairs; p++) {
        const rows = batchesOf(size, 16 * n(4));
        const m = await http(rows, 16);
        pairRatios.push({ many: m, statement: (await withCpu(count(rows), () => raw(rows, 'statement'))).rate });
      }
    }
    rows.push(
      `${String(size).padStart(5)} ${fmt(rawRate)} ${fmt(directRate)} ${fmt(one)} ${fmt(many)}   ` +
        `${(one / directRate).toFixed(2).padStart(6)} ${(many / directRate).toFixed(2).padStart(6)} ${(many / rawSame).toFixed(2).padStart(6)}`,
    );
  }
  console.log(
    `events/s, durable (a commit per batch; HTTP answers after its commit), loopback, fresh database file each` +
      (stored > 0 ? ` holding ${stored.toLocaleString('en-GB')} events already` : ''),
  );
  console.log(' size      raw   direct   http×1  http×16   http1/direct http16/direct http16/raw');
  for (const r of rows) console.log(r);
  if (target) {
    console.log(
      `issue 15 target, 16 clients at batches of 1,000: ${target.many.toFixed(0)} events/s (target >= 20,000); ` +
        `plain insert of the same rows, one writer, by the appender: ${target.raw.toFixed(0)} events/s, ratio ${(target.many / target.raw).toFixed(2)}; ` +
        `by the INSERT statement the issue measured: ${target.statement.toFixed(0)} events/s, ratio ${(target.many / target.statement).toFixed(2)} (target >= 1.0)`,
    );
    console.log(
      `CPU per 1,000 events (all threads of the process): the HTTP server ${target.cpu.many.toFixed(0)} ms while its clients sent (start-up aside)` +
        (target.cpu.mainCpu === undefined ? '' : `, of which its main thread ${target.cpu.mainCpu.toFixed(0)} ms`) +
        `, its event loop busy ` +
        `${target.cpu.main.toFixed(0)} ms of wall time (its 16 clients, in their own ` +
        `process, ${target.cpu.clients.toFixed(0)} ms more), appender ${target.cpu.raw.toFixed(0)} ms, INSERT statement ${target.cpu.statement.toFixed(0)} ms`,
    );
    const ratios = pairRatios.map((p) => p.many / p.statement).sort((a, b) => a - b);
    const mid = ratios.length % 2 === 1 ? ratios[(ratios.length - 1) / 2]! : (ratios[ratios.length / 2 - 1]! + ratios[ratios.length / 2]!) / 2;
    console.log(
      `the same in ${pairRatios.length} pairs taken in turns (HTTP ×16 / INSERT statement, events/s): ` +
        pairRatios.map((p) => `${p.many.toFixed(0)} / ${p.statement.toFixed(0)} = ${(p.many / p.statement).toFixed(2)}`).join('; ') +
        `; median ratio ${mid.toFixed(2)} (target >= 1.0), median HTTP ×16 ${[...pairRatios.map((p) => p.many)].sort((a, b) => a - b)[Math.floor(pairRatios.length / 2)]!.toFixed(0)} events/s (target >= 20,000)`,
    );
    // Group commit at work: how many commits the 16 clients' requests took, and their sizes in order.
    const sizes = target.commits;
    console.log(
      `commits of the 16-client run: ${sizes.length}, ${sizes.length > 0 ? (sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(0) : 0} events each on average, ` +
        `in order: ${sizes.slice(0, 24).join(' ')}${sizes.length > 24 ? ' …' : ''}`,
    );
  }
  if (lastTimings.length > 0) {
    console.log(`Where the commits of the last 16-client run spent their time (wall ms per 1,000 events, calls):`);
    for (const t of lastTimings.slice(0, 25)) console.log(`${((t.ms / lastTimedEvents) * 1000).toFixed(2).padStart(8)} ms ${String(t.calls).padStart(5)}  ${t.what}`);
  }
  if (lastDigest) console.log(`What the last HTTP run stored (16 clients, batches of ${sizes.at(-1)}):\n${lastDigest}`);
  console.log(`${loadBefore} at start; ${machineLoad()} at end`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
