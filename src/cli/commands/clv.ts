import type { Command } from 'commander';
import { SegmintError, isSegmintError } from '../../domain/errors.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { daysAfterData } from '../../predict/clv/run/data-window.js';
import { orderTimeRange } from '../../store/queries/clv.js';
import { fitClv } from '../../predict/clv/fit/fit-report.js';
import { fitFromStore } from '../../predict/clv/run/fit-from-store.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { parseDay, parseGrain, parseModel, parseNumber, parseTimeUnit } from '../../predict/clv/run/options.js';
import { predictFromStore } from '../../predict/clv/run/predict-from-store.js';
import { validateFromStore, validateSummaries } from '../../predict/clv/run/validate-run.js';
import { readSummaryCsv } from '../../predict/clv/summary-csv.js';
import { output, printErr, withStore } from '../context.js';
import { fitText, predictText, validateText } from '../../predict/clv/report-text.js';
import { predictionDistribution } from '../../predict/clv/distribution.js';
import { distributionText } from '../../predict/clv/distribution-text.js';

interface DataFlags {
  model: string;
  grain: string;
  timeUnit: string;
  calibrationEnd?: string;
  summary?: string;
  spend?: string;
  seed: string;
  json?: boolean;
}

const dataOptions = (c: Command): Command =>
  c
    .option('--model <name>', 'bg-nbd or pareto-nbd', 'bg-nbd')
    .option('--grain <grain>', 'a transaction is a purchase day per customer (day) or an order (order)', 'day')
    .option('--time-unit <unit>', 'day or week: the unit of the model parameters', 'week')
    .option('--calibration-end <date>', 'last day (YYYY-MM-DD, inclusive) of the period the model learns from; default: the day of the latest order')
    .option('--summary <file>', 'fit per-customer summaries from a CSV (cust,x,t.x,T.cal[,x.star]) instead of the store')
    .option('--spend <file>', 'with --summary: mean repeat spend per customer (cust,m.x)')
    .option('--seed <n>', 'seed of the optimiser restarts', '1')
    .option('--json', 'print JSON');

export function register(program: Command): void {
  const clv = program
    .command('clv')
    .description('Customer lifetime value: BG/NBD or Pareto/NBD for purchases, Gamma-Gamma for spend (docs/predictions.md)');

  dataOptions(clv.command('fit').description('fit the lifetime-value models and save the fit')).action(async (o: DataFlags, cmd: Command) => {
    const model = parseModel(o.model);
    const seed = wholeNumberIn(o.seed, '--seed', 0, 2 ** 31);
    if (o.summary) {
      const { report } = fitClv(model, readSummaryCsv(o.summary, o.spend), seed);
      output(o.json, report, () => fitText(report));
      return;
    }
    const grain = parseGrain(o.grain);
    const timeUnit = parseTimeUnit(o.timeUnit);
    const calibrationEnd = o.calibrationEnd !== undefined ? parseDay(o.calibrationEnd, '--calibration-end') : undefined;
    await withStore(cmd, async (store) => {
      const { report } = await fitFromStore(store, { model, grain, timeUnit, seed, ...(calibrationEnd ? { calibrationEnd } : {}) });
      output(o.json, report, () => fitText(report));
    });
  });

  clv
    .command('predict')
    .description('predict purchases, P(alive), churn risk, spend, CLV and next order date per customer, and store them')
    .option('--as-of <date>', 'day (YYYY-MM-DD) to predict from; default: the day of the latest order')
    .option('--horizon <days>', 'CLV horizon in days', '365')
    .option('--discount <rate>', 'yearly discount rate for CLV', '0.10')
    .option('--customer <id>', 'show this customer (any identifier: customer id, email, user id, e.g. the CustomerID 12347)')
    .option('--model <name>', 'use the latest fit of this model (bg-nbd or pareto-nbd)')
    .option('--json', 'print JSON')
    .action(async (o: { asOf?: string; horizon: string; discount: string; customer?: string; model?: string; json?: boolean }, cmd: Command) => {
      const asOf = o.asOf !== undefined ? parseDay(o.asOf, '--as-of') : undefined;
      const horizonDays = parseNumber(o.horizon, '--horizon', 1, 36_525);
      const discount = parseNumber(o.discount, '--discount', 0, 10);
      const model = o.model ? parseModel(o.model) : undefined;
      await withStore(cmd, async (store) => {
        // Any identifier a customer is known by, through the one resolver every command uses.
        const customerId = o.customer === undefined ? undefined : await resolveCustomer(store, o.customer);
        // Predicting as of a later day is right for a live shop with a quiet spell, wrong for an old
        // export: say what the model will assume rather than guess which one it is. (Without --as-of the
        // latest order's day is used, so there is nothing to warn about and no need to scan the orders.)
        const range = asOf ? await orderTimeRange(store) : undefined;
        const late = asOf && range ? daysAfterData(asOf, range) : 0;
        if (late > 0) {
          printErr(asOfAfterDataWarning(o.asOf!, late, range!.last));
        }
        const report = await predictFromStore(store, {
          horizonDays,
          discount,
          ...(asOf ? { asOf } : {}),
          ...(customerId !== undefined ? { customer: customerId } : {}),
          ...(model ? { model } : {}),
        }).catch((e: unknown) => {
          if (isSegmintError(e) && e.code === 'clv_unknown_customer' && o.customer !== undefined) {
            const who = o.customer === customerId ? o.customer : `${o.customer} (${customerId})`;
            throw new SegmintError('clv_customer_no_orders', `Customer ${who} has no order on or before ${String(e.details?.asOf)}, so there is no history to predict from.`, e.details, 404);
          }
          throw e;
        });
        output(o.json, o.customer !== undefined ? report.customer : report, () => predictText(report));
      });
    });

  clv
    .command('show')
    .description('the stored predictions: churn-risk bands, P(alive) and 365-day CLV distributions, totals')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const d = await withStore(cmd, (store) => predictionDistribution(store));
      output(o.json, d, () => distributionText(d));
    });

  dataOptions(clv.command('validate').description('fit on a calibration period and compare with the holdout that follows'))
    .option('--holdout-end <date>', 'last day of the holdout (default: the day of the latest order)')
    .option('--holdout-length <n>', 'with --summary: holdout length in the file\'s time unit')
    .action(async (o: DataFlags & { holdoutEnd?: string; holdoutLength?: string }, cmd: Command) => {
      const model = parseModel(o.model);
      const seed = wholeNumberIn(o.seed, '--seed', 0, 2 ** 31);
      if (o.summary) {
        if (!o.holdoutLength) {
          throw new SegmintError('clv_missing_option', '--holdout-length is needed with --summary (e.g. 39 for the CDNOW weeks).', {});
        }
        const report = validateSummaries(model, readSummaryCsv(o.summary, o.spend), parseNumber(o.holdoutLength, '--holdout-length', 0, 1e6), seed);
        output(o.json, report, () => validateText(report));
        return;
      }
      const calibrationEnd = o.calibrationEnd !== undefined ? parseDay(o.calibrationEnd, '--calibration-end') : undefined;
      const holdoutEnd = o.holdoutEnd !== undefined ? parseDay(o.holdoutEnd, '--holdout-end') : undefined;
      await withStore(cmd, async (store) => {
        const report = await validateFromStore(store, {
          model,
          grain: parseGrain(o.grain),
          timeUnit: parseTimeUnit(o.timeUnit),
          seed,
          ...(calibrationEnd ? { calibrationEnd } : {}),
          ...(holdoutEnd ? { holdoutEnd } : {}),
        });
        output(o.json, report, () => validateText(report));
      });
    });
}

/**
 * The warning of `clv predict --as-of DAY` after the day of the latest order: names the option and day
 * given, what the model does with the days between, and what to give instead. `--as-of` is a day that
 * is included, so the moment right after the data (what the describing commands call as of 2011-12-10)
 * is the latest order's day, the default.
 */
export function asOfAfterDataWarning(given: string, late: number, lastOrder: Date): string {
  const lastDay = lastOrder.toISOString().slice(0, 10);
  return (
    `warning: --as-of ${given} is ${late} day${late === 1 ? '' : 's'} after the day of the latest order (${lastDay}); the model reads ` +
    `${late === 1 ? 'that day as a day' : 'those days as days'} without purchases. --as-of is a day, included: for the moment right after ` +
    `the data, give --as-of ${lastDay} (the default); if newer orders exist, import them first.\n`
  );
}
