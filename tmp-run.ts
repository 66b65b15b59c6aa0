import { Store } from './src/store/db.js';
import { fitFromStore } from './src/predict/clv/run/fit-from-store.js';
import { predictFromStore } from './src/predict/clv/run/predict-from-store.js';
import { validateFromStore } from './src/predict/clv/run/validate-run.js';
import { fitText, predictText, validateText } from './src/predict/clv/report-text.js';
const s = await Store.open('/tmp/clv-e2e.duckdb');
const cal = new Date('1997-09-30T00:00:00Z');
for (const model of ['bg-nbd', 'pareto-nbd'] as const) {
  const t = Date.now();
  const { report } = await fitFromStore(s, { model, grain: 'day', timeUnit: 'week', calibrationEnd: cal });
  console.log(Date.now() - t, 'ms'); console.log(fitText(report)); console.log('repeat tx', report.repeat_transactions);
}
for (const model of ['bg-nbd', 'pareto-nbd'] as const) {
  const v = await validateFromStore(s, { model, grain: 'day', timeUnit: 'week', calibrationEnd: cal });
  console.log(validateText(v));
}
let t = Date.now();
const p = await predictFromStore(s, { horizonDays: 365, discount: 0.1 });
console.log(Date.now() - t, 'ms'); console.log(predictText(p));
s.close();
