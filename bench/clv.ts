/**
 * Lifetime-value benchmark: fit times of BG/NBD, Pareto/NBD and Gamma-Gamma on the CDNOW sample and on
 * the whole CDNOW cohort, and predictions per second on 1,000,000 synthetic customers. Each time is shown
 * with a ratio to a lower bound measured in the same run:
 * - a fit against (its likelihood evaluations) × (the time of one evaluation): the optimiser's overhead;
 * - predictions against a loop making only one conditional expectation (one ₂F₁ or closed form) and one
 *   P(alive) per customer: what segmint adds on top (90-day and horizon purchases, monthly discounting,
 *   spend, next order date).
 * Run: npx tsx bench/clv.ts   (needs ../shared/data)
 */
import { existsSync } from 'node:fs';
import { bgNbdLogLikelihood } from '../src/predict/clv/bg-nbd/log-likelihood.js';
import { compressSummaries } from '../src/predict/clv/fit/compress.js';
import { fitPurchases } from '../src/predict/clv/fit/fit-purchases.js';
import { fitSpend } from '../src/predict/clv/fit/fit-spend.js';
import type { PurchaseParams } from '../src/predict/clv/models.js';
import { paretoNbdLogLikelihood } from '../src/predict/clv/pareto-nbd/log-likelihood.js';
import { predictCustomer } from '../src/predict/clv/predict-customer.js';
import { purchaseModel } from '../src/predict/clv/purchase-model.js';
import { summariesFromHistory } from '../src/predict/clv/run/summaries-from-history.js';
import { readSummaryCsv } from '../src/predict/clv/summary-csv.js';
import type { Summaries } from '../src/predict/clv/summary.js';
import { seededRandom } from '../src/numeric/random.js';
import { Store } from '../src/store/db.js';
import { clvHistories } from '../src/store/queries/clv.js';

const data = new URL('../../shared/data/', import.meta.url).pathname;
const summaryFile = `${data}cdnow-summary-full-precision.csv`;
if (!existsSync(summaryFile)) {
  console.log('skipped: ../shared/data not found (the CDNOW files sit beside the project)');
  process.exit(0);
}

const ms = (t0: number) => performance.now() - t0;
const fmt = (v: number, d = 1) => v.toFixed(d);

/** Median time of fn over k runs, in ms. */
function timeOf(fn: () => void, k: number): number {
  const times: number[] = [];
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    fn();
    times.push(ms(t0));
  }
  return times.sort((a, b) => a - b)[k >> 1] as number;
}

function benchFit(label: string, d: Summaries): void {
  const rows = compressSummaries(d);
  console.log(`\n${label}: ${d.x.length} customers (${rows.x.length} distinct (x, t_x, T))`);
  for (const model of ['bg-nbd', 'pareto-nbd'] as const) {
    const t0 = performance.now();
    const fit = fitPurchases(model, d, seededRandom(1));
    const total = ms(t0);
    const p = fit.fitted.params as unknown as Record<string, number>;
    const eval1 =
      model === 'bg-nbd'
        ? timeOf(() => bgNbdLogLikelihood(fit.fitted.params as never, rows), 15)
        : timeOf(() => paretoNbdLogLikelihood(fit.fitted.params as never, rows), 15);
    const bound = eval1 * fit.convergence.evaluations;
    console.log(
      `  ${model.padEnd(10)} fit ${fmt(total, 0)} ms  LL ${fmt(fit.logLikelihood, 2)}  ` +
        `params ${Object.entries(p).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}`,
    );
    console.log(
      `             ${fit.convergence.evaluations} evaluations × ${fmt(eval1, 3)} ms = ${fmt(bound, 0)} ms lower bound; ` +
        `fit / bound = ${fmt(total / bound, 2)}`,
    );
  }
  let withSpend = 0;
  for (let i = 0; i < d.x.length; i++) if ((d.x[i] as number) > 0 && (d.mx[i] as number) > 0) withSpend++;
  if (withSpend > 0) {
    const t0 = performance.now();
    const s = fitSpend(d, seededRandom(2)).fit;
    if (s) {
      console.log(
        `  gamma-gamma fit ${fmt(ms(t0), 0)} ms on ${s.customers} repeat buyers: p ${s.params.p.toPrecision(4)}, ` +
          `q ${s.params.q.toPrecision(4)}, gamma ${s.params.gamma.toPrecision(4)}, LL ${fmt(s.logLikelihood, 2)}, corr(x, m_x) ${fmt(s.frequencySpendCorrelation, 3)}`,
      );
    }
  }
}

async function masterCohort(): Promise<Summaries> {
  const store = await Store.open(':memory:');
  try {
    // The master file is whitespace-aligned: read whole lines and split them.
    await store.run(
      `INSERT INTO orders
       SELECT 'm' || row_number() OVER (), 'c' || f[1], 'order', strptime(f[2], '%Y%m%d'), f[4]::DECIMAL(18,4), 'USD', NULL, 'bench'
       FROM (SELECT regexp_split_to_array(trim(line), '\\s+') AS f
             FROM read_csv($1, columns = {'line': 'VARCHAR'}, delim = '|', header = false, skip = 1, quote = '', escape = ''))`,
      [`${data}cdnow-master.txt.gz`],
    );
    const calExclusive = new Date('1997-10-01T00:00:00Z');
    const rows = await clvHistories(store, 'day', calExclusive, calExclusive);
    return summariesFromHistory(rows, 'day', calExclusive, 7);
  } finally {
    store.close();
  }
}

function synthetic(n: number): Summaries {
  const random = seededRandom(99);
  const d = {
    ids: [] as string[],
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    mx: new Float64Array(n),
    xStar: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const T = 1 + 77 * random();
    const x = random() < 0.6 ? 0 : Math.floor(-Math.log(1 - random()) * 4) + 1;
    d.x[i] = x;
    d.T[i] = T;
    d.tx[i] = x > 0 ? T * random() : 0;
    d.mx[i] = x > 0 ? 5 + 80 * random() : NaN;
  }
  return d;
}

function benchPredict(fitted: PurchaseParams, spend: { p: number; q: number; gamma: number }, d: Summaries): void {
  const model = purchaseModel(fitted);
  const n = d.x.length;
  const settings = { unitDays: 7, horizonDays: 365, annualDiscount: 0.1, asOf: new Date('1997-10-01T00:00:00Z') };
  let sink = 0;
  let t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const c = { x: d.x[i] as number, tx: d.tx[i] as number, T: d.T[i] as number };
    const p = predictCustomer(model, spend, c, d.mx[i] as number, settings);
    sink += p.predictedClv365d ?? 0;
  }
  const full = ms(t0);
  t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const c = { x: d.x[i] as number, tx: d.tx[i] as number, T: d.T[i] as number };
    sink += model.conditionalExpected(c, 52) + model.pAlive(c);
  }
  const bound = ms(t0);
  console.log(
    `  ${fitted.model.padEnd(10)} ${fmt(n / (full / 1000), 0)} predictions/s (${fmt(full / 1000, 2)} s for ${n}); ` +
      `lower bound (one E[Y(t)] + P(alive) each) ${fmt(n / (bound / 1000), 0)}/s; full / bound = ${fmt(full / bound, 1)}` +
      (Number.isFinite(sink) ? '' : ' (non-finite result!)'),
  );
}

const sample = readSummaryCsv(summaryFile, `${data}cdnow-summary-mean-repeat-spend.csv`);
benchFit('CDNOW sample (../shared/data/cdnow-summary-full-precision.csv, weeks)', sample);

const t0 = performance.now();
const master = await masterCohort();
console.log(`\nread ../shared/data/cdnow-master.txt.gz through DuckDB read_csv and the store's summary query: ${fmt(ms(t0), 0)} ms`);
benchFit('whole CDNOW cohort (calibration to 1997-09-30, day grain, weeks)', master);

console.log('\npredictions for 1,000,000 synthetic customers (BG/NBD and Pareto/NBD at the published CDNOW parameters):');
const many = synthetic(1_000_000);
const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
benchPredict({ model: 'bg-nbd', params: { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.4262 } }, spend, many);
benchPredict({ model: 'pareto-nbd', params: { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 } }, spend, many);
