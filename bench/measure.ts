/**
 * Experiment analysis at scale: every standard metric (conversion, orders, revenue, AOV, email opens
 * and clicks, unsubscribes) with lifts, CUPED, sequential intervals, SRM and power, for an experiment
 * with 1,000,000 assigned customers, against the floor of one aggregation pass over their orders
 * (orders joined to the assignments, summed per customer, then per group) measured in the same run.
 * Also times creating the experiment (the random split) against evaluating its segment as of the same moment.
 *
 *   npx tsx bench/measure.ts                      # 1,000,000 customers
 *   npx tsx bench/measure.ts --customers 100000   # smaller
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeExperiment } from '../src/measure/experiments/analyze.js';
import { createExperiment } from '../src/measure/experiments/create.js';
import { deleteExperiment } from '../src/measure/experiments/manage.js';
import { compileSegment, parseSegment } from '../src/segments/index.js';
import { createSegment } from '../src/segments/manage/crud.js';
import { membersAsOf } from '../src/store/queries/measure/members-as-of.js';
import { Store } from '../src/store/db.js';
import { medianMs } from './timing.js';
import { refreshCustomerMetrics } from '../src/store/queries/metrics.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 1_000_000);
const T0 = new Date('2024-03-01T00:00:00Z');
const NOW = new Date('2024-04-15T00:00:00Z');
const RUNS = 3;

const median = (fn: () => Promise<unknown>): Promise<number> => medianMs(fn, RUNS);

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-measure-'));
const store = await Store.open(join(dir, 'bench.duckdb'));
try {
  const t0 = performance.now();
  // Deterministic pseudo-random numbers in [0, 1) from md5, so every run builds the same shop.
  const u = (salt: string) => `(('0x' || substr(md5('${salt}' || i), 1, 8))::UBIGINT / 4294967296.0)`;
  await store.run(
    `INSERT INTO customers (customer_id, created_at, updated_at, traits)
     SELECT 'c' || i, TIMESTAMP '2023-01-01', TIMESTAMP '2023-01-01', '{}' FROM range($1) t(i)`,
    [customers],
  );
  // Everyone bought once in 2023; 40% before assignment; 22% after (a little more in half the base).
  await store.run(
    `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, source)
     SELECT 'first' || i, 'c' || i, 'order', TIMESTAMP '2023-06-01', 25, 'bench' FROM range($1) t(i)
     UNION ALL
     SELECT 'pre' || i, 'c' || i, 'order', TIMESTAMP '2024-02-10' + to_minutes((${u('m')} * 20000)::BIGINT), round(20 + 80 * ${u('r')}, 2), 'bench'
     FROM range($1) t(i) WHERE ${u('p')} < 0.4
     UNION ALL
     SELECT 'post' || i, 'c' || i, 'order', TIMESTAMP '2024-03-02' + to_minutes((${u('n')} * 40000)::BIGINT), round(20 + 80 * ${u('s')}, 2), 'bench'
     FROM range($1) t(i) WHERE ${u('q')} < 0.22`,
    [customers],
  );
  await store.run(
    `INSERT INTO events (message_id, type, event, customer_id, timestamp, received_at, source)
     SELECT 'e' || i, 'track', CASE WHEN ${u('k')} < 0.2 THEN 'Email Link Clicked' ELSE 'Email Opened' END, 'c' || i,
       TIMESTAMP '2024-02-15' + to_minutes((${u('t')} * 60000)::BIGINT), TIMESTAMP '2024-02-15', 'bench'
     FROM range($1) t(i) WHERE ${u('o')} < 0.5`,
    [customers],
  );
  await refreshCustomerMetrics(store);
  await createSegment(store, { name: 'everyone', definition: { query: 'orders_count >= 1' } });
  const orders = (await store.one<{ n: number }>('SELECT count(*) AS n FROM orders'))!.n;
  const events = (await store.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n;
  console.log(`generated ${customers.toLocaleString('en-US')} customers, ${orders.toLocaleString('en-US')} orders, ${events.toLocaleString('en-US')} email events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let n = 0;
  const create = await median(async () => {
    if (n > 0) await deleteExperiment(store, `e${n - 1}`);
    await createExperiment(store, { name: `e${n++}`, segment: 'everyone', groups: 'control:50,treatment:50', at: T0, salt: 'bench' }, NOW);
  });
  // Floor of creating: evaluating the same segment as of T0 (with the metrics of that moment) and keeping its members.
  const compiled = compileSegment(parseSegment('orders_count >= 1').ast!, { asOf: T0 });
  const members = membersAsOf(compiled, T0);
  const copy = await median(async () => {
    await store.run(`CREATE OR REPLACE TEMP TABLE members_floor AS ${members.sql}`, members.params);
  });
  const name = `e${n - 1}`;
  const assigned = (await store.one<{ n: number }>('SELECT count(*) AS n FROM experiment_assignments'))!.n;
  const analysis = await median(() => analyzeExperiment(store, name, { asOf: NOW, windowDays: 30 }));
  const floor = await median(() =>
    store.all(
      `SELECT group_name, count(*) AS n, avg(revenue) AS revenue FROM (
         SELECT a.customer_id, a.group_name, coalesce(sum(o.revenue), 0) AS revenue
         FROM experiment_assignments a LEFT JOIN orders o ON o.customer_id = a.customer_id
           AND o.placed_at > a.assigned_at AND o.placed_at <= a.assigned_at + INTERVAL 30 DAY
         GROUP BY a.customer_id, a.group_name
       ) GROUP BY group_name`,
    ),
  );
  const a = await analyzeExperiment(store, name, { asOf: NOW, windowDays: 30 });
  console.log(`assigned customers: ${assigned.toLocaleString('en-US')}; SRM p = ${a.srm_p_value?.toFixed(3)}`);
  console.log(`analysis, 7 metrics with CUPED, sequential, SRM, power: ${analysis.toFixed(0)} ms`);
  console.log(`floor, one aggregation pass over their orders:          ${floor.toFixed(0)} ms`);
  console.log(`ratio analysis / floor: ${(analysis / floor).toFixed(2)}×`);
  console.log(`create (evaluate segment + md5 split + write): ${create.toFixed(0)} ms; evaluating the segment as of then and keeping its members: ${copy.toFixed(0)} ms; ratio ${(create / copy).toFixed(2)}×`);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
