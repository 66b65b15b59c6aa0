/**
 * Timings of RFM, cohorts and clustering on the UCI Online Retail file and on a generated base of
 * 1,000,000 customers, each against a peer or a lower bound measured in the same run:
 * - RFM in SQL against the independent in-memory implementation (Online Retail), and against one
 *   aggregation pass over orders, the least any RFM must do (1M; target ≤ 2×);
 * - loading the clustering features of 1,000,000 customers (target < 1 s) against DuckDB computing the
 *   same features into a table;
 * - one k-means iteration against one tight typed-array pass computing the n × k distances and the
 *   nearest centre, which is the assignment step alone;
 * - the silhouette against the n² distance pass it cannot avoid.
 * Run: npx tsx bench/analytics.ts [--customers N] [--db FILE] [--skip-retail] [--skip-generated] [--skip-clustering]
 * (--db keeps, or reuses, the generated base in FILE; --skip-clustering stops the generated base after
 * RFM, cohorts and the feature load.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClusters } from '../src/analytics/clusters/runClusters.js';
import { kmeans } from '../src/analytics/clusters/numeric/kmeans.js';
import { kmeansPlusPlus } from '../src/analytics/clusters/numeric/kmeansPlusPlus.js';
import { logTransform } from '../src/analytics/clusters/numeric/logTransform.js';
import { pickRows, type Matrix } from '../src/analytics/clusters/numeric/matrix.js';
import { seededRandom } from '../src/numeric/random.js';
import { sampleIndices } from '../src/analytics/clusters/numeric/sampleIndices.js';
import { silhouette } from '../src/analytics/clusters/numeric/silhouette.js';
import { standardise } from '../src/analytics/clusters/numeric/standardise.js';
import { runCohorts } from '../src/analytics/cohorts/cohorts.js';
import { DEFAULT_GROUPS_5 } from '../src/analytics/rfm/groups.js';
import { rfmInMemory, type OrderRecord } from '../src/analytics/rfm/rfmInMemory.js';
import { runRfm } from '../src/analytics/rfm/rfm.js';
import { importFile } from '../src/ingest/import/run.js';
import { Store } from '../src/store/db.js';
import { clusterFeatureRows } from '../src/store/queries/analytics/clusters.js';
import { customerValuesSql } from '../src/store/queries/analytics/customer-values.js';
import { defaultAsOf } from '../src/store/queries/analytics/rfm.js';
import { dropStaged } from '../src/store/queries/staged.js';
import { openGeneratedBase } from './lib/generated-base.js';
import { machineLoad, median, medianMs, report as ratioLine } from './lib/measure.js';

const args = process.argv.slice(2);
const customers = Number(args[args.indexOf('--customers') + 1] ?? 0) || 1_000_000;
const skipRetail = args.includes('--skip-retail');
const skipGenerated = args.includes('--skip-generated');
const skipClustering = args.includes('--skip-clustering');
const keepDb = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const retail = new URL('../../shared/data/online-retail.csv.gz', import.meta.url).pathname;

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const lines: string[][] = [];
function report(base: string, what: string, ms: number, note = '') {
  lines.push([base, what, fmt(ms), note]);
  console.log(`${base.padEnd(14)} ${what.padEnd(44)} ${fmt(ms).padStart(10)}  ${note}`);
}

/** The assignment step alone: n × k squared distances and an argmin, in a tight typed-array loop. */
function distancePass(x: Matrix, centres: Float64Array, k: number, labels: Int32Array): number {
  const { n, d, data } = x;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - centres[c * d + t]!;
        s += diff * diff;
      }
      if (s < best) {
        best = s;
        arg = c;
      }
    }
    labels[i] = arg;
    total += best;
  }
  return total;
}

/** All n² distances of a sample once, with sqrt: what any exact silhouette must compute. */
function pairPass(x: Matrix): number {
  const { n, d, data } = x;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - data[j * d + t]!;
        s += diff * diff;
      }
      total += Math.sqrt(s);
    }
  }
  return total;
}

/** Median time of each fn over `runs` rounds that run them in turn, after one untimed round. */
async function alternatingMedians<K extends string>(fns: Record<K, () => Promise<unknown>>, runs: number): Promise<Record<K, number>> {
  const entries = Object.entries(fns) as [K, () => Promise<unknown>][];
  const times = new Map<K, number[]>(entries.map(([k]) => [k, []]));
  for (let round = 0; round <= runs; round++) {
    for (const [k, fn] of entries) {
      const t = await time(fn);
      if (round > 0) times.get(k)!.push(t.ms);
    }
  }
  return Object.fromEntries(entries.map(([k]) => [k, median(times.get(k)!)])) as Record<K, number>;
}

async function kmeansPerIteration(base: string, store: Store, asOf: Date, k: number) {
  const raw = await clusterFeatureRows(store, asOf, ['recency_days', 'frequency', 'monetary']);
  await dropStaged(store, raw.customers);
  const n = raw.customers.size;
  const { z } = standardise(logTransform(n, 3, raw.values, raw.missing).x);
  const start = kmeansPlusPlus(z, k, seededRandom(1));
  const run = await time(() => kmeans(z, start, 15));
  const perIteration = run.ms / run.value.iterations;
  const labels = new Int32Array(n);
  const passes = 5;
  const bound = await time(() => {
    let sink = 0;
    for (let p = 0; p < passes; p++) sink += distancePass(z, start, k, labels);
    return sink;
  });
  const boundMs = bound.ms / passes;
  report(base, `k-means iteration (k = ${k}, n = ${n.toLocaleString('en-GB')})`, perIteration, `${(perIteration / boundMs).toFixed(2)}× one n×k distance pass (${fmt(boundMs)})`);
  const s = pickRows(z, sampleIndices(n, 2000, seededRandom(2)));
  const sl = Int32Array.from({ length: s.n }, (_, i) => i % k);
  const sil = await time(() => silhouette(s, sl, k));
  const pairs = await time(() => pairPass(s));
  report(base, 'silhouette of a 2,000 sample', sil.ms, `${(sil.ms / pairs.ms).toFixed(2)}× the n² distance pass (${fmt(pairs.ms)})`);
}

async function onlineRetail(dir: string) {
  const store = await Store.open(join(dir, 'retail.duckdb'));
  try {
    const imp = await time(() => importFile(store, retail));
    console.log(`(setup: import of online-retail.csv.gz ${fmt(imp.ms)})`);
    const asOf = (await defaultAsOf(store))!;
    const rfm = await time(() => runRfm(store, { asOf, table: DEFAULT_GROUPS_5, save: false }));
    const orders = await store.all<{ customer_id: string; kind: 'order' | 'refund'; placed_at: Date; revenue: number }>(
      'SELECT customer_id, kind, placed_at, revenue::DOUBLE AS revenue FROM orders WHERE customer_id IS NOT NULL',
    );
    const records: OrderRecord[] = orders.map((o) => ({ customerId: o.customer_id, kind: o.kind, placedAt: o.placed_at, revenue: o.revenue }));
    const mem = await time(() => rfmInMemory(records, asOf, DEFAULT_GROUPS_5));
    report('online-retail', `RFM in SQL (${rfm.value.scored} customers)`, rfm.ms, `${(rfm.ms / mem.ms).toFixed(2)}× the in-memory implementation (${fmt(mem.ms)}, orders already loaded)`);
    const saved = await time(() => runRfm(store, { asOf, table: DEFAULT_GROUPS_5 }));
    report('online-retail', 'RFM + saving the snapshot', saved.ms);
    report('online-retail', 'cohorts by month', (await time(() => runCohorts(store, 'month'))).ms);
    report('online-retail', 'cohorts by week', (await time(() => runCohorts(store, 'week'))).ms);
    const auto = await time(() => runClusters(store, { asOf, save: false }));
    report('online-retail', `clusters --k auto (7 k × 10 restarts) → k = ${auto.value.k}`, auto.ms);
    const dbs = await time(() => runClusters(store, { asOf, method: 'dbscan', save: false }));
    report('online-retail', `clusters --method dbscan → ${dbs.value.k} clusters, ${dbs.value.outliers} outliers`, dbs.ms);
    await kmeansPerIteration('online-retail', store, asOf, 5);
  } finally {
    store.close();
  }
}

async function generated(dir: string, n: number) {
  const store = await openGeneratedBase(keepDb ?? join(dir, 'generated.duckdb'), n);
  const base = `${(n / 1e6).toString()}M generated`;
  try {
    console.log(`(${machineLoad()})`);
    const asOf = (await defaultAsOf(store))!;
    const features = ['recency_days', 'frequency', 'monetary'] as const;
    // Floors and figures alternate, three runs each (after one untimed round), so a change in the
    // machine's load hits both alike. One aggregation pass computes, per customer, the count, the net
    // revenue and the latest order, and uses them: DuckDB drops aggregates nobody reads, which leaves a
    // DISTINCT over customer ids (`ids`, the floor printed before the RFM pass counted its aggregates).
    const { scan, ids, rfm: rfmMs } = await alternatingMedians(
      {
        scan: () => store.one(`SELECT count(*), sum(c), sum(s), max(p) FROM (SELECT customer_id, count(*) AS c, sum(revenue) AS s, max(placed_at) AS p FROM orders WHERE placed_at < $1::TIMESTAMP GROUP BY customer_id)`, [asOf]),
        ids: () => store.one(`SELECT count(*) FROM (SELECT customer_id, count(*), sum(revenue), max(placed_at) FROM orders WHERE placed_at < $1::TIMESTAMP GROUP BY customer_id)`, [asOf]),
        rfm: () => runRfm(store, { asOf, table: DEFAULT_GROUPS_5, save: false }),
      },
      3,
    );
    const scored = (await runRfm(store, { asOf, table: DEFAULT_GROUPS_5, save: false })).scored;
    ratioLine(`${base}: RFM in SQL (${scored.toLocaleString('en-GB')} customers)`, rfmMs, scan, 'one aggregation pass over orders', '≤ 2×');
    ratioLine(`${base}: RFM in SQL, against the ids alone`, rfmMs, ids, 'distinct customer ids of orders');
    const saved = await medianMs(() => runRfm(store, { asOf, table: DEFAULT_GROUPS_5 }), 3);
    ratioLine(`${base}: RFM + saving the snapshot`, saved, scan, 'one aggregation pass over orders');
    report(base, 'cohorts by month', (await time(() => runCohorts(store, 'month'))).ms);
    const { sameInSql, load } = await alternatingMedians(
      {
        // The same values SQL as the load (cents rounded the same way), into a table in customer order.
        sameInSql: () =>
          store.run(
            `CREATE OR REPLACE TEMP TABLE floor_features AS
             SELECT customer_id, frequency::DOUBLE AS frequency, monetary::DOUBLE AS monetary, recency_days::DOUBLE AS recency_days
             FROM (${customerValuesSql('$1')}) ORDER BY customer_id`,
            [asOf],
          ),
        load: async () => dropStaged(store, (await clusterFeatureRows(store, asOf, features)).customers),
      },
      3,
    );
    ratioLine(`${base}: loading the clustering features`, load, sameInSql, 'DuckDB computing them into a table', '< 1 s');
    if (skipClustering) return;
    const k5 = await time(() => runClusters(store, { asOf, k: 5, save: false }));
    report(base, `clusters --k 5 (10 restarts on a 20,000 sample, refined on all; ${k5.value.iterations} final iterations)`, k5.ms);
    const auto = await time(() => runClusters(store, { asOf, sample: 2000 }));
    report(base, `clusters --k auto --sample 2000, saved → k = ${auto.value.k}`, auto.ms);
    await kmeansPerIteration(base, store, asOf, 5);
  } finally {
    store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
try {
  console.log(`${'base'.padEnd(14)} ${'what'.padEnd(44)} ${'time'.padStart(10)}  against`);
  if (!skipRetail) {
    try {
      await onlineRetail(dir);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT' || /No such file/i.test(String(e))) console.log('online-retail: ../shared/data/online-retail.csv.gz not found, skipped');
      else throw e;
    }
  }
  if (!skipGenerated) await generated(dir, customers);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
