/**
 * Lifetime-value benchmark (issue 15 targets). Every line prints the figure, a floor measured in the same
 * run, and their ratio:
 * - fits of BG/NBD and Pareto/NBD on the CDNOW sample and on the whole CDNOW cohort (23,570 customers), in
 *   process: the median of 5 fits after one warm-up (the cold first fit is printed too), against the
 *   floor of (likelihood evaluations) × (one evaluation of the log-likelihood with its gradient), i.e. the
 *   optimiser's overhead. Targets: BG/NBD < 100 ms (sample) and < 200 ms (cohort); Pareto/NBD < 1 s (cohort).
 * - predictions for a generated base of 1,000,000 customers, end to end: `segmint clv predict` as a child
 *   process with a stored fit (target < 3 s), against DuckDB alone doing the same I/O: the per-customer
 *   summaries in one hand-written query plus writing a million keyed rows of the same shape, plus starting
 *   Node with DuckDB. The phases (read, predict, write, close) are timed in process, wall and CPU (on a
 *   shared machine the CPU time is the steadier figure), so the next bottleneck shows.
 *
 *   npx tsx bench/clv.ts                                 # needs ../shared/data for the fits
 *   npx tsx bench/clv.ts --customers 200000              # a smaller generated base
 *   npx tsx bench/clv.ts --db FILE                       # keep (or reuse) the generated base in FILE
 *   npx tsx bench/clv.ts --skip-fits | --skip-predictions
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bgNbdValueAndGradient } from '../src/predict/clv/bg-nbd/value-and-gradient.js';
import { fitPurchases } from '../src/predict/clv/fit/fit-purchases.js';
import { fitSpend } from '../src/predict/clv/fit/fit-spend.js';
import { paretoNbdValueAndGradient } from '../src/predict/clv/pareto-nbd/value-and-gradient.js';
import { predictBase } from '../src/predict/clv/predict-base.js';
import { purchaseModel } from '../src/predict/clv/purchase-model.js';
import { fitFromStore } from '../src/predict/clv/run/fit-from-store.js';
import { loadHistory } from '../src/predict/clv/run/load-history.js';
import { modelsFromRecord } from '../src/predict/clv/run/models-from-record.js';
import { savePredictions } from '../src/predict/clv/run/predict-from-store.js';
import { summariesFromHistory } from '../src/predict/clv/run/summaries-from-history.js';
import { readSummaryCsv } from '../src/predict/clv/summary-csv.js';
import { groupSummaries } from '../src/predict/clv/summary-groups.js';
import type { Summaries } from '../src/predict/clv/summary.js';
import { seededRandom } from '../src/numeric/random.js';
import { Store } from '../src/store/db.js';
import { latestClvModel } from '../src/store/queries/clv-models.js';
import { clvHistories } from '../src/store/queries/clv.js';
import { dropStaged } from '../src/store/queries/staged.js';
import { openGeneratedBase } from './lib/generated-base.js';
import { commandTimes, ensureBuilt, fmtMs, machineLoad, median, medianMs, report, root, sharedData, timed, timedCpu } from './lib/measure.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 1_000_000);
const keepDb = arg('--db');
const skipFits = process.argv.includes('--skip-fits');
const skipPredictions = process.argv.includes('--skip-predictions');

const TARGETS: Record<string, Record<string, string>> = {
  sample: { 'bg-nbd': '< 100 ms', 'pareto-nbd': '' },
  cohort: { 'bg-nbd': '< 200 ms', 'pareto-nbd': '< 1 s' },
};

async function benchFits(label: 'sample' | 'cohort', d: Summaries): Promise<void> {
  const groups = groupSummaries(d);
  console.log(`\nCDNOW ${label}: ${d.x.length.toLocaleString('en-GB')} customers, ${groups.size.toLocaleString('en-GB')} distinct (x, t_x, T); ${machineLoad()}`);
  for (const model of ['bg-nbd', 'pareto-nbd'] as const) {
    const cold = await timed(() => fitPurchases(model, d, seededRandom(1)));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await timed(() => fitPurchases(model, d, seededRandom(1)))).ms);
    const fit = cold.value;
    const v = Object.values(fit.fitted.params) as number[];
    const p = { r: v[0] as number, alpha: v[1] as number, a: v[2] as number, b: v[3] as number, s: v[2] as number, beta: v[3] as number };
    const one = await medianMs(() => (model === 'bg-nbd' ? bgNbdValueAndGradient(p, groups) : paretoNbdValueAndGradient(p, groups)), 21, 3);
    report(
      `${model} fit (cold ${fmtMs(cold.ms)})`,
      median(times),
      one * fit.convergence.evaluations,
      `${fit.convergence.evaluations} evaluations × ${fmtMs(one)}`,
      TARGETS[label]?.[model] || undefined,
    );
    console.log(
      `    LL ${fit.logLikelihood.toFixed(2)}  ${Object.entries(fit.fitted.params).map(([k, x]) => `${k} ${(x as number).toPrecision(5)}`).join(', ')}`,
    );
  }
  const spend = await timed(() => fitSpend(d, seededRandom(2)));
  const s = spend.value.fit;
  if (s) {
    console.log(
      `    gamma-gamma ${fmtMs(spend.ms)} on ${s.customers} repeat buyers: p ${s.params.p.toPrecision(4)}, q ${s.params.q.toPrecision(4)}, ` +
        `gamma ${s.params.gamma.toPrecision(4)}, LL ${s.logLikelihood.toFixed(2)} (${s.convergence.evaluations} evaluations)`,
    );
  }
}

/** The whole CDNOW cohort, read through the store (calibration to 1997-09-30, day grain, weeks). */
async function cdnowCohort(): Promise<Summaries> {
  const store = await Store.open(':memory:');
  try {
    // The master file is whitespace-aligned: read whole lines and split them.
    await store.run(
      `INSERT INTO orders
       SELECT 'm' || row_number() OVER (), 'c' || f[1], 'order', strptime(f[2], '%Y%m%d'), f[4]::DECIMAL(18,4), 'USD', NULL, 'bench'
       FROM (SELECT regexp_split_to_array(trim(line), '\\s+') AS f
             FROM read_csv($1, columns = {'line': 'VARCHAR'}, delim = '|', header = false, skip = 1, quote = '', escape = ''))`,
      [join(sharedData, 'cdnow-master.txt.gz')],
    );
    const cal = new Date('1997-10-01T00:00:00Z');
    return summariesFromHistory(await clvHistories(store, 'day', cal, cal), 'day', cal, 7);
  } finally {
    store.close();
  }
}

/**
 * DuckDB alone: the same summaries by a hand-written query, and a million keyed rows of the output's shape
 * written into a temporary table (the floor of the ratio) and into a stored table with its commit (printed
 * beside it: the part of writing that is DuckDB's own). The shape is what `clv predict` stores since
 * migration 17: the customer id and seven values, the run's as_of, model, model_id and computed_at being
 * stored once in prediction_runs. Also printed: the stored write with those four columns on every row, as
 * before migration 17 (a stored column costs DuckDB per row even when constant: statistics and compression
 * analysis), so the saving stays visible.
 */
async function ioFloorMs(store: Store): Promise<{
  read: number;
  write: number;
  writeStored: number;
  writeNarrow: number;
  readCpu: number;
  writeCpu: number;
  writeStoredCpu: number;
  writeNarrowCpu: number;
}> {
  const read = await timedCpu(() =>
    store.run(
      `CREATE OR REPLACE TEMP TABLE floor_history AS
       WITH t AS (SELECT customer_id, CAST(placed_at AS DATE) AS day, sum(revenue)::DOUBLE AS spend
                  FROM orders WHERE kind = 'order' AND customer_id IS NOT NULL GROUP BY ALL)
       SELECT customer_id, count(*) - 1 AS x, min(day) AS first_day, max(day) AS last_day,
         (sum(spend) - arg_min(spend, day)) / nullif(count(*) - 1, 0) AS mean_repeat_spend
       FROM t GROUP BY customer_id ORDER BY customer_id`,
    ),
  );
  const writeInto = (table: string, temp: boolean, constants = true) =>
    timedCpu(() =>
      store.transaction(async (tx) => {
        const withConstants = (sql: string) => (constants ? sql : '');
        await tx.run(
          `CREATE OR REPLACE ${temp ? 'TEMP ' : ''}TABLE ${table} (customer_id VARCHAR NOT NULL, ${withConstants('as_of TIMESTAMP, model VARCHAR, model_id VARCHAR,')}
             e90 DOUBLE, p_alive DOUBLE, churn DOUBLE, risk VARCHAR, spend DOUBLE, clv DOUBLE, next_order_at TIMESTAMP ${withConstants(', computed_at TIMESTAMP')})`,
        );
        await tx.run(
          `INSERT INTO ${table} SELECT customer_id, ${withConstants("now()::TIMESTAMP, 'm', 'id',")} x * 0.1, 1 / (1 + x), x / (1 + x), 'low',
             mean_repeat_spend, x * mean_repeat_spend, last_day + 30 ${withConstants(', now()::TIMESTAMP')} FROM floor_history`,
        );
      }),
    );
  const write = await writeInto('floor_predictions', true, false);
  const writeStored = await writeInto('floor_predictions_stored', false);
  const writeNarrow = await writeInto('floor_predictions_narrow', false, false);
  await store.run('DROP TABLE floor_history; DROP TABLE floor_predictions; DROP TABLE floor_predictions_stored; DROP TABLE floor_predictions_narrow');
  return {
    read: read.ms,
    write: write.ms,
    writeStored: writeStored.ms,
    writeNarrow: writeNarrow.ms,
    readCpu: read.cpuMs,
    writeCpu: write.cpuMs,
    writeStoredCpu: writeStored.cpuMs,
    writeNarrowCpu: writeNarrow.cpuMs,
  };
}

async function benchPredictions(): Promise<void> {
  ensureBuilt();
  const dir = keepDb ? undefined : mkdtempSync(join(tmpdir(), 'segmint-bench-'));
  const path = keepDb ?? join(dir as string, 'generated.duckdb');
  try {
    const store = await openGeneratedBase(path, customers);
    let record = await latestClvModel(store);
    if (!record) {
      const fit = await timed(() => fitFromStore(store, { model: 'bg-nbd', grain: 'day', timeUnit: 'week' }));
      console.log(`(setup: bg-nbd fit on the generated base in ${fmtMs(fit.ms)}, ${fit.value.report.convergence.evaluations} evaluations)`);
      record = await latestClvModel(store);
    }
    if (!record) throw new Error('no fit stored');
    const models = modelsFromRecord(record);
    console.log(`\npredictions, generated base of ${customers.toLocaleString('en-GB')} customers (${record.model}); ${machineLoad()}`);
    // Phases in process, wall and CPU (the CPU of DuckDB's threads included).
    const phase = (what: string, t: { ms: number; cpuMs: number }, note: string) =>
      console.log(`    ${what.padEnd(8)} ${fmtMs(t.ms).padStart(9)} wall ${fmtMs(t.cpuMs).padStart(9)} CPU   ${note}`);
    const read = await timedCpu(() => loadHistory(store, 'day', 'week', {}, true));
    const { data, window, staged } = read.value;
    if (!staged) throw new Error('not staged');
    const settings = { unitDays: 7, horizonDays: 365, annualDiscount: 0.1, asOf: window.calibrationEnd };
    const predict = await timedCpu(() => predictBase(purchaseModel(models.purchases), models.spend, data, settings));
    const p = predict.value;
    const write = await timedCpu(() => savePredictions(store, staged, { asOf: window.calibrationEnd, model: record.model, modelId: record.model_id }, p));
    await dropStaged(store, staged);
    const floor = await ioFloorMs(store);
    const close = await timedCpu(() => store.close());
    const groups = groupSummaries(data).size;
    phase('read', read, `summaries in one SQL aggregate, read as columns (DuckDB alone: ${fmtMs(floor.read)})`);
    phase('predict', predict, `${groups.toLocaleString('en-GB')} distinct (x, t_x, T) for ${data.x.length.toLocaleString('en-GB')} customers`);
    phase('write', write, `appender + two INSERTs + commit (DuckDB alone, INSERT … SELECT: ${fmtMs(floor.write)} into a temporary table, ${fmtMs(floor.writeNarrow)} into a stored one)`);
    console.log(
      `             DuckDB alone into a stored table: ${fmtMs(floor.writeNarrow)} wall, ${fmtMs(floor.writeNarrowCpu)} CPU; ` +
        `with the run's 4 constant columns on every row (before migration 17): ${fmtMs(floor.writeStored)} wall, ${fmtMs(floor.writeStoredCpu)} CPU`,
    );
    phase('close', close, 'closing the database (its checkpoint)');
    // End to end, as a user runs it.
    const cli = join(root, 'bin', 'segmint.js');
    const start = commandTimes(process.execPath, ['-e', "require('@duckdb/node-api')"], 3);
    const endToEnd = commandTimes(process.execPath, [cli, '--db', path, 'clv', 'predict', '--json'], 3);
    console.log(`    start    ${fmtMs(start.wallMs).padStart(9)} wall ${fmtMs(start.cpuMs).padStart(9)} CPU   Node loading DuckDB`);
    console.log(`    total    ${fmtMs(endToEnd.wallMs).padStart(9)} wall ${fmtMs(endToEnd.cpuMs).padStart(9)} CPU   segmint clv predict --json as a child process`);
    report('segmint clv predict --json (end to end, median of 3)', endToEnd.wallMs, start.wallMs + floor.read + floor.write, 'Node + DuckDB start, read, write', '< 3 s');
    // The same in CPU time, which a busy machine inflates far less than wall time (other processes' work
    // does not count), so this ratio moves less from run to run.
    report('  the same in CPU time (user + system)', endToEnd.cpuMs, start.cpuMs + floor.readCpu + floor.writeCpu, 'the same floor in CPU time');
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (!skipFits) {
  const summary = join(sharedData, 'cdnow-summary-full-precision.csv');
  if (!existsSync(summary)) console.log('fits skipped: ../shared/data not found (the CDNOW files sit beside the project)');
  else {
    await benchFits('sample', readSummaryCsv(summary, join(sharedData, 'cdnow-summary-mean-repeat-spend.csv')));
    await benchFits('cohort', await cdnowCohort());
  }
}
if (!skipPredictions) await benchPredictions();
