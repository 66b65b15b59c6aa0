import { countOf } from '../../domain/words.js';
import type { ClvFitReport } from './fit/fit-report.js';
import type { PredictReport, PredictionOut } from './run/predict-from-store.js';
import type { NextOrderCheck } from './next-order-check.js';
import type { ValidateReport } from './run/validate-run.js';

const num = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(digits)).toString();
const money = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));
const pad = (s: string, n: number): string => s.padStart(n);

/** The human form of `segmint clv fit`. */
export function fitText(r: ClvFitReport & { calibration_end?: string; time_unit?: string; grain?: string }): string {
  const lines = [
    `${r.model} fitted on ${r.customers} customers (${r.repeat_buyers} repeat buyers)` +
      (r.calibration_end ? `, calibration to ${r.calibration_end}, ${r.grain} grain, time unit ${r.time_unit}` : ''),
    '  parameter      estimate   std.error   95% interval',
  ];
  for (const [name, v] of Object.entries(r.params)) {
    const [lo, hi] = r.intervals_95[name] ?? [NaN, NaN];
    lines.push(`  ${name.padEnd(12)} ${pad(num(v), 10)} ${pad(num(r.standard_errors[name]), 11)}   [${num(lo)}, ${num(hi)}]`);
  }
  lines.push(`  log-likelihood ${r.log_likelihood.toFixed(2)}`);
  const c = r.convergence;
  lines.push(`  convergence: ${c.converged ? 'converged' : 'NOT converged'} after ${c.iterations} iterations, gradient norm ${c.gradient_norm.toExponential(1)}`);
  if (r.spend) {
    const s = r.spend;
    lines.push(
      `gamma-gamma spend on ${s.customers} repeat buyers: p ${num(s.p)} (±${num(s.standard_errors.p, 2)}), ` +
        `q ${num(s.q)} (±${num(s.standard_errors.q, 2)}), gamma ${num(s.gamma)} (±${num(s.standard_errors.gamma, 2)}), ` +
        `log-likelihood ${s.log_likelihood.toFixed(2)}`,
      `  frequency–spend correlation ${num(s.frequency_spend_correlation, 2)} (the model assumes ≈ 0)`,
    );
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

function customerLine(p: PredictionOut): string {
  return (
    `${p.customer_id.padEnd(24)} ${pad(num(p.expected_purchases_horizon, 3), 7)} ${pad(num(p.p_alive, 3), 7)} ${p.churn_risk.padEnd(6)} ` +
    `${pad(money(p.expected_spend), 9)} ${pad(money(p.predicted_clv), 10)}  ${p.next_order_at ?? '—'}`
  );
}

/** The human form of `segmint clv predict`. */
export function predictText(r: PredictReport): string {
  const head = `customer                 purchases p_alive  risk    spend/tx        CLV  next order`;
  if (r.customer) return [head, customerLine(r.customer)].join('\n');
  return [
    `${countOf(r.customers, 'customer')} predicted as of ${r.as_of} with ${r.model}${r.fitted_now ? ` (fitted now${r.fit_calibration_end && r.fit_calibration_end !== r.as_of ? `, on the orders up to ${r.fit_calibration_end}` : ''})` : ''}; ` +
      `horizon ${r.horizon_days} days, discount ${(r.discount * 100).toFixed(1)}% a year; saved to customer_predictions.`,
    `churn risk: ${r.churn_risk.low} low, ${r.churn_risk.medium} medium, ${r.churn_risk.high} high`,
    `expected purchases in the horizon: ${r.totals.expected_purchases_horizon.toFixed(1)}; predicted CLV: ${money(r.totals.predicted_clv)}`,
    'top customers by predicted CLV:',
    head,
    ...r.top.map(customerLine),
  ].join('\n');
}

/** The human form of `segmint clv validate`. */
export function validateText(r: ValidateReport): string {
  const lines = [
    `${r.model} calibrated${r.calibration_end ? ` to ${r.calibration_end}` : ''}, holdout of ${num(r.holdout_length)} ${r.time_unit ? `${r.time_unit}s` : "time units"}` +
      `${r.holdout_end ? ` to ${r.holdout_end}` : ''}, ${countOf(r.customers, 'customer')}`,
    '  x (calib.)  customers     actual      model      naive',
  ];
  for (const row of r.by_frequency) {
    lines.push(`  ${row.x.padEnd(10)} ${pad(String(row.customers), 10)} ${pad(row.actual.toFixed(0), 10)} ${pad(row.model.toFixed(1), 10)} ${pad(row.naive.toFixed(1), 10)}`);
  }
  lines.push(
    `  total      ${pad(String(r.customers), 10)} ${pad(r.totals.actual.toFixed(0), 10)} ${pad(r.totals.model.toFixed(1), 10)} ${pad(r.totals.naive.toFixed(1), 10)}`,
    r.total_error.model === null || r.total_error.naive === null
      ? '  total error: none (no purchases in the holdout to compare with)'
      : `  total error: model ${pct(r.total_error.model)}, naive ${pct(r.total_error.naive)}`,
    `  mean absolute error per customer: model ${r.mean_absolute_error.model.toFixed(3)}, naive ${r.mean_absolute_error.naive.toFixed(3)}`,
  );
  const n = r.next_order;
  if (n) lines.push(...nextOrderLines(n, r.time_unit));
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const w of r.fit.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** The next-order-date check in words; a share over no customers is not printed as a number. */
export function nextOrderLines(n: NextOrderCheck, timeUnit: string | undefined): string[] {
  const within =
    n.dated_within_holdout === 0 || n.bought_by_date === null
      ? 'no customer dated within the holdout'
      : `${n.dated_within_holdout} customer${n.dated_within_holdout === 1 ? '' : 's'} dated within the holdout, ${pct(n.bought_by_date)} of them bought by the date (≈ 50% expected)`;
  const undated =
    n.undated === 0 || n.undated_bought === null
      ? 'none undated'
      : `${n.undated} undated, of whom ${pct(n.undated_bought)} bought in the holdout`;
  const error = n.median_absolute_error === null ? 'no dated customer bought in the holdout' : `median |date error| ${num(n.median_absolute_error, 3)}${timeUnit ? ` ${timeUnit}s` : ''}`;
  return [`next order date: ${within};`, `  ${n.dated_beyond_holdout} dated beyond it; ${undated}; ${error}`];
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
