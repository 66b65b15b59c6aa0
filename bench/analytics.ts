/**
 * Timings of RFM, cohorts and clustering on the UCI Online Retail file and on a generated base of
 * 1,000,000 customers, each against a peer or a lower bound measured in the same run:
 * - RFM in SQL against the independent in-memory implementation (Online Retail), and against one
 *   aggregation pass over orders, the least any RFM must do (1M);
 * - one k-means iteration against one tight typed-array pass computing the n × k distances and the
 *   nearest centre, which is the assignment step alone;
 * - the silhouette against the n² distance pass it cannot avoid.
 * Run: npx tsx bench/analytics.ts [--customers N] [--skip-retail] [--skip-generated]
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
import { defaultAsOf } from '../src/store/queries/analytics/rfm.js';

const args = process.argv.slice(2);
const customers = Number(args[args.indexOf('--customers') + 1] ?? 0) || 1_000_000;
const skipRetail = args.includes('--skip-retail');
const skipGenerated = args.includes('--skip-generated');
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

async function kmeansPerIteration(base: string, store: Store, asOf: Date, k: number) {
  const raw = await clusterFeatureRows(store, asOf, ['recency_days', 'frequency', 'monetary']);
  const n = raw.ids.length;
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
  const store = await Store.open(join(dir, 'generated.duckdb'));
  const base = `${(n / 1e6).toString()}M generated`;
  try {
    // Deterministic pseudo-random inputs from hash(): 1 + geometric orders per customer (mean ≈ 3),
    // last order 0..729 days before 2024-01-01, gaps of 10..69 days, log-normal-ish order values.
    const gen = await time(async () => {
      await store.run(
        `INSERT INTO orders
         SELECT 'g' || c || '_' || j, 'cus_g' || c, 'order',
           TIMESTAMP '2024-01-01' - to_days((last_days + j * gap)::INTEGER) - to_seconds((hash(c, j, 's') % 86400)::BIGINT),
           round(exp(1 + (hash(c, j, 'v') % 4000) / 1000.0), 2), 'GBP', NULL, 'bench'
         FROM (
           SELECT c, unnest(range(n_orders)) AS j, last_days, gap FROM (
             SELECT range AS c,
               (1 + floor(-ln(1 - (hash(range, 'n') % 1000000) / 1000000.0) * 2.0))::INTEGER AS n_orders,
               (hash(range, 'r') % 730)::INTEGER AS last_days,
               (10 + hash(range, 'g') % 60)::INTEGER AS gap
             FROM range($1::BIGINT)
           )
         )`,
        [n],
      );
      return (await store.one<{ n: number }>('SELECT count(*) AS n FROM orders'))!.n;
    });
    console.log(`(setup: ${gen.value.toLocaleString('en-GB')} orders of ${n.toLocaleString('en-GB')} customers generated in ${fmt(gen.ms)})`);
    const asOf = (await defaultAsOf(store))!;
    const scan = await time(() =>
      store.one(`SELECT count(*) FROM (SELECT customer_id, count(*), sum(revenue), max(placed_at) FROM orders WHERE placed_at < $1::TIMESTAMP GROUP BY customer_id)`, [asOf]),
    );
    const rfm = await time(() => runRfm(store, { asOf, table: DEFAULT_GROUPS_5, save: false }));
    report(base, `RFM in SQL (${rfm.value.scored.toLocaleString('en-GB')} customers)`, rfm.ms, `${(rfm.ms / scan.ms).toFixed(2)}× one aggregation pass over orders (${fmt(scan.ms)})`);
    report(base, 'RFM + saving the snapshot', (await time(() => runRfm(store, { asOf, table: DEFAULT_GROUPS_5 }))).ms);
    report(base, 'cohorts by month', (await time(() => runCohorts(store, 'month'))).ms);
    const load = await time(() => clusterFeatureRows(store, asOf, ['recency_days', 'frequency', 'monetary']));
    report(base, 'loading the clustering features', load.ms);
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
