/**
 * The workflow engine: how many steps a second it moves, and how late due waits run when 100,000 runs
 * are waiting. Each figure is printed beside a floor measured in the same run on the same file:
 *
 * - steps/s: N runs take four steps each (tag, wait, add to a list, exit) on a simulated clock; the
 *   floor is DuckDB updating the same N run rows in one statement per batch (the least any engine
 *   keeping runs in the database must write).
 * - steps/s reading the customer: N runs (other customers, each with traits, consent and events) take
 *   four steps that read the store, under a goal (checked at each pass): a branch on a trait, an email
 *   (skipped at the end of the rules, as no SMTP server is set) or a tag, a wait for an event (none
 *   comes: it times out), an exit. The floor adds to the run-row UPDATEs one read per batch of 1,000 of
 *   what the runs read (the customers' traits, consent, events and recent sends), at each of the two
 *   passes: the least an engine that reads by batch must read.
 * - runs started/s: N events stored while the engine was down start N runs at its first tick, each of
 *   their customers having a waiting run whose goal the events make the engine check; each new run takes
 *   its first steps (its goal, a wait). The floor is one pass of the floor above (what an engine that
 *   reads by batch must read and write per batch of 1,000 runs).
 * - lateness: 100,000 runs wait, 1,000 of them falling due over the next 10 s; the engine runs with
 *   its timer on the system clock, and each due run's lateness is when it moved minus when it was due.
 *   The floor is one scan for due runs over the 100,000 rows (an engine that polls cannot notice sooner).
 *
 *   npx tsx bench/workflows.ts                 # 20,000 runs for steps/s (each case), 100,000 waiting
 *   npx tsx bench/workflows.ts --runs 50000 --waiting 200000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSetting } from '../src/config/settings.js';
import { Store } from '../src/store/db.js';
import { dueRuns, insertRuns, type RunRow } from '../src/store/queries/workflows/runs.js';
import { findWorkflow } from '../src/store/queries/workflows/definitions.js';
import { ManualClock } from '../src/workflows/engine/clock.js';
import { WorkflowEngine } from '../src/workflows/engine/engine.js';
import { createWorkflow } from '../src/workflows/manage/crud.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 20_000);
const WAITING = arg('--waiting', 100_000);
const DUE = 1_000;
const DUE_OVER_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-wf-'));
const store = await Store.open(join(dir, 'bench.duckdb'));

function run(workflowId: string, name: string, i: number, at: Date, over: Partial<RunRow>): RunRow {
  return {
    run_id: `${name}-${i}`,
    workflow_id: workflowId,
    workflow_name: name,
    version: 1,
    customer_id: `c${i}`,
    run_key: '',
    trigger_id: `bench:${i}`,
    context: JSON.stringify({ trigger: { kind: 'date', date: '2025-01-01' }, holdout: false }),
    status: 'active',
    phase: 'ready',
    position: null,
    wake_at: at,
    wait_event: null,
    step_started_at: at,
    entered_at: at,
    updated_at: at,
    ended_at: null,
    end_reason: null,
    converted_at: null,
    ...over,
  };
}

async function insertMany(rows: RunRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 20_000) await store.transaction((tx) => insertRuns(tx, rows.slice(i, i + 20_000)));
}

try {
  // 1. Steps per second.
  const start = new Date('2025-01-06T00:00:00Z');
  const clock = new ManualClock(start);
  await createWorkflow(store, 'steps', { text: 'trigger: { event: Bench }\nsteps:\n  - id: t\n    tag: bench\n  - id: w\n    wait: 1h\n  - id: l\n    list: { add: benched }\n  - id: x\n    exit: done\n' }, { now: start });
  const steps = (await findWorkflow(store, 'steps'))!;
  await insertMany(Array.from({ length: RUNS }, (_, i) => run(steps.workflow_id, 'steps', i, start, { position: 't' })));
  const engine = new WorkflowEngine(store, { clock, polledSources: [], batchSize: 1_000 });
  let t = performance.now();
  await engine.tick(); // tag, then wait
  clock.advance(3_600_000);
  await engine.tick(); // wait ends, list, exit
  const engineMs = performance.now() - t;
  const moved = (await store.one<{ n: number }>("SELECT count(*) AS n FROM workflow_runs WHERE workflow_name = 'steps' AND status = 'exited'"))!.n;
  if (moved !== RUNS) throw new Error(`only ${moved} of ${RUNS} runs finished`);
  t = performance.now();
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < RUNS; i += 1_000) {
      await store.transaction((tx) =>
        tx.run("UPDATE workflow_runs SET updated_at = updated_at + INTERVAL 1 SECOND, position = 'x' WHERE run_id IN (SELECT 'steps-' || range FROM range($1, $2))", [i, Math.min(RUNS, i + 1_000)]),
      );
    }
  }
  const floorMs = performance.now() - t;
  const stepCount = RUNS * 4;
  console.log(`steps: ${RUNS.toLocaleString('en')} runs × 4 steps`);
  console.log(`  engine      ${(engineMs / 1000).toFixed(2)} s   ${Math.round(stepCount / (engineMs / 1000)).toLocaleString('en')} steps/s`);
  console.log(`  floor       ${(floorMs / 1000).toFixed(2)} s   (two batched UPDATEs of every run row, 1,000 per transaction)`);
  console.log(`  ratio engine / floor: ${(engineMs / floorMs).toFixed(2)}×`);

  // 2. Steps per second when each step reads the customer (goal, branch, email rules, stored events).
  const customers = `SELECT 'r' || range AS id, range AS i FROM range($1)`;
  await store.run(
    `INSERT INTO customers (customer_id, created_at, updated_at, traits)
     SELECT id, $2, $2, json_object('email', id || '@example.com', 'plan', CASE WHEN i % 2 = 0 THEN 'vip' ELSE 'basic' END) FROM (${customers})`,
    [RUNS, start],
  );
  await store.run(`INSERT INTO consent (customer_id, channel, status, updated_at, source) SELECT id, 'email', 'granted', $2, 'bench' FROM (${customers})`, [RUNS, start]);
  await store.run(
    `INSERT INTO events (message_id, type, event, customer_id, timestamp, received_at, properties, source)
     SELECT id || '-' || k, 'track', 'Page Viewed', id, $2::TIMESTAMP - INTERVAL (k) HOUR, $2, json_object('page', k), 'bench' FROM (${customers}), range(5) AS t(k)`,
    [RUNS, start],
  );
  await setSetting(store, 'email.frequency_cap', '1/1d');
  await setSetting(store, 'email.from', 'Bench <bench@example.com>');
  await createWorkflow(
    store,
    'reads',
    {
      text: `trigger: { event: Bench }
goal: performed "Order Completed"
steps:
  - id: b
    branch:
      if: traits.plan = "vip"
      then: [ { id: e, email: { subject: "Hi", text: "x" } } ]
      else: [ { id: t, tag: regular } ]
  - id: w
    wait: { event: "Order Completed", timeout: 1h }
  - id: x
    exit: done
`,
    },
    { now: start },
  );
  const reads = (await findWorkflow(store, 'reads'))!;
  await insertMany(Array.from({ length: RUNS }, (_, i) => run(reads.workflow_id, 'reads', i, clock.now(), { position: 'b', customer_id: `r${i}` })));
  t = performance.now();
  await engine.tick(); // goal, branch, email (skipped) or tag, wait for the event
  clock.advance(3_600_000);
  await engine.tick(); // goal, the wait times out, exit
  const readsMs = performance.now() - t;
  const readsDone = (await store.one<{ n: number }>("SELECT count(*) AS n FROM workflow_runs WHERE workflow_name = 'reads' AND status = 'exited'"))!.n;
  if (readsDone !== RUNS) throw new Error(`only ${readsDone} of ${RUNS} reading runs finished`);
  t = performance.now();
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < RUNS; i += 1_000) {
      const ids = Array.from({ length: Math.min(RUNS, i + 1_000) - i }, (_, k) => `r${i + k}`);
      const list = 'customer_id IN (SELECT unnest($1::VARCHAR[]))';
      await store.all(`SELECT customer_id, traits FROM customers WHERE ${list}`, [ids]);
      await store.all(`SELECT customer_id, channel, status FROM consent WHERE ${list}`, [ids]);
      await store.all(`SELECT customer_id, event, timestamp, properties FROM events WHERE ${list} ORDER BY customer_id, timestamp, message_id`, [ids]);
      await store.all(`SELECT customer_id, count(*) AS n FROM workflow_sends WHERE ${list} GROUP BY customer_id`, [ids]);
      await store.transaction((tx) =>
        tx.run("UPDATE workflow_runs SET updated_at = updated_at + INTERVAL 1 SECOND, position = 'x' WHERE run_id IN (SELECT 'reads-' || range FROM range($1, $2))", [i, Math.min(RUNS, i + 1_000)]),
      );
    }
  }
  const readsFloorMs = performance.now() - t;
  console.log(`steps reading the customer: ${RUNS.toLocaleString('en')} runs × 4 steps (branch, email or tag, wait for an event, exit; the goal checked at each pass)`);
  console.log(`  engine      ${(readsMs / 1000).toFixed(2)} s   ${Math.round(stepCount / (readsMs / 1000)).toLocaleString('en')} steps/s`);
  console.log(`  floor       ${(readsFloorMs / 1000).toFixed(2)} s   (per pass and 1,000 runs: one read of traits, consent, events, sends; one UPDATE of the run rows)`);
  console.log(`  ratio engine / floor: ${(readsMs / readsFloorMs).toFixed(2)}×`);

  // 3. Runs started per second, when the customers the events are about have runs whose goal is checked.
  // Each of the N customers above has a run of `member` waiting (with a goal); N `Bench Visit` events were
  // stored while the engine was down. A new engine's first tick acts on them as a commit notice would
  // (enterOnEvents, 5,000 events at a time): the goals of the member runs are checked, N `welcome` runs
  // start (entry rules, trigger log) and take their first steps (the goal, then a wait).
  await createWorkflow(store, 'member', { text: 'trigger: { event: Member }\ngoal: performed "Order Completed"\nsteps:\n  - id: w\n    wait: 30d\n' }, { now: start });
  await createWorkflow(store, 'welcome', { text: 'trigger: { event: Bench Visit }\ngoal: performed "Order Completed"\nsteps:\n  - id: w\n    wait: 1d\n  - id: x\n    exit: done\n' }, { now: start });
  const member = (await findWorkflow(store, 'member'))!;
  const visitAt = clock.now();
  const memberWake = new Date(visitAt.getTime() + 30 * 86_400_000);
  await insertMany(Array.from({ length: RUNS }, (_, i) => run(member.workflow_id, 'member', i, visitAt, { phase: 'wait', position: 'w', wake_at: memberWake, customer_id: `r${i}` })));
  // Received a millisecond apart, after the events cursor (the engine acts on what it has not seen).
  await store.run(
    `INSERT INTO events (message_id, type, event, customer_id, timestamp, received_at, properties, source)
     SELECT 'visit-' || id, 'track', 'Bench Visit', id, $2::TIMESTAMP + to_milliseconds(i), $2::TIMESTAMP + to_milliseconds(i), NULL, 'bench' FROM (${customers})`,
    [RUNS, visitAt],
  );
  const starter = new WorkflowEngine(store, { clock, polledSources: [], batchSize: 1_000 });
  t = performance.now();
  const cpu = process.cpuUsage();
  const startTick = await starter.tick();
  const startMs = performance.now() - t;
  const startCpu = process.cpuUsage(cpu);
  if (startTick.started !== RUNS) throw new Error(`started ${startTick.started} of ${RUNS} runs`);
  const welcomeWaiting = (await store.one<{ n: number }>("SELECT count(*) AS n FROM workflow_runs WHERE workflow_name = 'welcome' AND phase = 'wait'"))!.n;
  if (welcomeWaiting !== RUNS) throw new Error(`only ${welcomeWaiting} of ${RUNS} started runs took their first steps`);
  const passFloorMs = readsFloorMs / 2;
  console.log(`starts: ${RUNS.toLocaleString('en')} runs started by stored events (each customer's waiting run with a goal checked, the goal and a wait of the new run)`);
  console.log(`  engine      ${(startMs / 1000).toFixed(2)} s   ${Math.round(RUNS / (startMs / 1000)).toLocaleString('en')} runs started/s   (CPU of the process, DuckDB's threads too: ${((startCpu.user + startCpu.system) / 1e6).toFixed(2)} s)`);
  console.log(`  floor       ${(passFloorMs / 1000).toFixed(2)} s   (one pass of the floor above: per 1,000 runs one read of traits, consent, events, sends; one UPDATE)`);
  console.log(`  ratio engine / floor: ${(startMs / passFloorMs).toFixed(2)}×`);
  // The live engine below runs on the system clock, to which these runs would all be due.
  await store.run("DELETE FROM workflow_runs WHERE workflow_name IN ('member', 'welcome')");

  // 4. Lateness with 100,000 runs waiting.
  await createWorkflow(store, 'waits', { text: 'trigger: { event: Wait }\nsteps:\n  - id: w\n    wait: 1d\n  - id: x\n    exit: done\n' });
  const waits = (await findWorkflow(store, 'waits'))!;
  // Every run waits a day; then, just before the engine starts, 1,000 of them are made due over 10 s.
  const later = new Date(Date.now() + 86_400_000);
  await insertMany(Array.from({ length: WAITING }, (_, i) => run(waits.workflow_id, 'waits', i, new Date(), { phase: 'wait', position: 'w', wake_at: later })));
  const now = Date.now();
  await store.run(
    `UPDATE workflow_runs SET wake_at = make_timestamp(($1::BIGINT + 2000 + floor(CAST(split_part(run_id, '-', 2) AS INTEGER) / ${DUE}.0 * ${DUE_OVER_MS}))::BIGINT * 1000)
     WHERE workflow_name = 'waits' AND CAST(split_part(run_id, '-', 2) AS INTEGER) < ${DUE}`,
    [now],
  );
  t = performance.now();
  for (let r = 0; r < 5; r++) await dueRuns(store, new Date(), 500);
  const scanMs = (performance.now() - t) / 5;
  const live = new WorkflowEngine(store, { polledSources: [], pollMs: 1_000 });
  await live.start();
  await new Promise((r) => setTimeout(r, 2_000 + DUE_OVER_MS + 3_000));
  await live.stop();
  const lateness = (
    await store.all<{ ms: number }>(
      `SELECT epoch_ms(ended_at) - ($1::BIGINT + 2000 + floor(CAST(split_part(run_id, '-', 2) AS INTEGER) / ${DUE}.0 * ${DUE_OVER_MS})) AS ms
       FROM workflow_runs WHERE workflow_name = 'waits' AND status = 'exited'`,
      [now],
    )
  )
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const q = (p: number) => lateness[Math.min(lateness.length - 1, Math.floor(p * lateness.length))] ?? NaN;
  console.log(`lateness: ${WAITING.toLocaleString('en')} runs waiting, ${DUE.toLocaleString('en')} falling due over ${DUE_OVER_MS / 1000} s`);
  console.log(`  moved on time or late: ${lateness.length.toLocaleString('en')} of ${DUE.toLocaleString('en')}`);
  console.log(`  lateness    p50 ${q(0.5)} ms   p95 ${q(0.95)} ms   max ${lateness[lateness.length - 1]} ms`);
  console.log(`  floor       ${scanMs.toFixed(1)} ms   (one scan for due runs over ${WAITING.toLocaleString('en')} rows)`);
  console.log(`  ratio p95 lateness / floor: ${(q(0.95) / scanMs).toFixed(1)}×`);
  const rss = process.memoryUsage().rss;
  console.log(`  process memory (RSS) with ${WAITING.toLocaleString('en')} runs waiting: ${Math.round(rss / 1e6)} MB`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
