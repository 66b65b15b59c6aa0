import { readSummaryCsv } from './src/predict/clv/summary-csv.js';
import { paretoNbdLogLikelihood } from './src/predict/clv/pareto-nbd/log-likelihood.js';
import { fitPurchases } from './src/predict/clv/fit/fit-purchases.js';
import { seededRandom } from './src/predict/optim/random.js';
const d = readSummaryCsv('../shared/data/cdnow-summary-full-precision.csv');
let slow = 0;
const orig = paretoNbdLogLikelihood;
for (const p of [{ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, { r: 0.55, alpha: 1000, s: 0.6, beta: 0.01 }, { r: 0.55, alpha: 0.01, s: 0.6, beta: 1000 }, {r:1,alpha:8,s:1,beta:8}]) {
  const t = performance.now(); const v = orig(p, d); console.log(p, v, (performance.now() - t).toFixed(1), 'ms');
}
const t = Date.now(); const f = fitPurchases('pareto-nbd', d, seededRandom(1)); console.log(Date.now() - t, f.convergence);
