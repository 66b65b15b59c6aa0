import { countOf } from '../../domain/words.js';
import type { Command } from 'commander';
import { scorePropensity } from '../../predict/propensity/score.js';
import { HORIZON_MAX_DAYS, purchaseTarget } from '../../predict/propensity/targets.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { reportTimeZone } from '../../analytics/asOf.js';
import type { Store } from '../../store/db.js';
import { parseCutoff, readCutoff } from '../../predict/propensity/time.js';
import { localDate } from '../../domain/time-zone.js';
import { trainPropensity } from '../../predict/propensity/train.js';
import { validatePropensity, type TargetValidation } from '../../predict/propensity/validate.js';
import { output, withStore } from '../context.js';

interface Opts {
  cutoff?: string;
  horizon?: string;
  json?: boolean;
}

function horizonOf(o: Opts): number | undefined {
  if (o.horizon === undefined) return undefined;
  return wholeNumberIn(o.horizon, '--horizon', 1, HORIZON_MAX_DAYS);
}
/** --cutoff: a date is the end of that day in the workspace time zone (parseCutoff). */
const cutoffOf = (store: Store, o: Opts): Promise<Date | undefined> => readCutoff(store, o.cutoff, 'cutoff');
/** A bad --cutoff is refused before the database is opened. */
const checkCutoff = (o: Opts): void => void (o.cutoff === undefined ? undefined : parseCutoff(o.cutoff, 'cutoff'));

export function register(program: Command): void {
  const cmd = program
    .command('propensity')
    .description('Supervised purchase and churn propensity: "will this customer order in the next 30 days?"');

  cmd
    .command('train')
    .description('Train purchase_<horizon>d and churn_90d models on features at a cutoff and what happened after it')
    .option('--cutoff <date>', 'training cutoff: a date is the end of that day in the workspace time zone (default: the last order minus the horizon)')
    .option('--horizon <days>', 'purchase horizon in days', '30')
    .option('--json', 'print JSON')
    .action(async (o: Opts, c: Command) => {
      checkCutoff(o);
      const [trained, tz] = await withStore(c, async (store) => [await trainPropensity(store, { cutoff: await cutoffOf(store, o), horizonDays: horizonOf(o) }), await reportTimeZone(store)] as const);
      output(o.json, trained, () =>
        trained
          .map(
            ({ modelId, model }) =>
              `${model.target}: trained at cutoff ${localDate(new Date(model.cutoff), tz)} on ${model.trainedOn} customers ` +
              `(${model.positives} positive, ${((100 * model.positives) / model.trainedOn).toFixed(1)}%), ` +
              `${model.iterations} Newton steps${model.converged ? '' : ' (not converged)'}; stored as ${modelId}`,
          )
          .join('\n'),
      );
    });

  cmd
    .command('score')
    .description('Score every customer with the latest trained models and store the scores (segment fields propensity.*)')
    .option('--cutoff <date>', 'score as of this time (default: the last order in the store)')
    .option('--horizon <days>', 'score only purchase_<days>d and churn_90d (default: every trained target)')
    .option('--json', 'print JSON')
    .action(async (o: Opts, c: Command) => {
      const h = horizonOf(o);
      const targets = h === undefined ? undefined : [purchaseTarget(h).name, 'churn_90d'];
      checkCutoff(o);
      const [results, tz] = await withStore(c, async (store) => [await scorePropensity(store, { asOf: await cutoffOf(store, o), targets }), await reportTimeZone(store)] as const);
      output(o.json, results, () =>
        results
          .map((r) => `${r.target}: scored ${r.customers} customers as of ${localDate(new Date(r.asOf), tz)}, mean ${r.meanProbability.toFixed(3)} (model ${r.modelId})`)
          .join('\n'),
      );
    });

  cmd
    .command('validate')
    .description('Train at a cutoff, test on the next window, and compare with recency and BG/NBD rankings')
    .option('--cutoff <date>', 'training cutoff; the test cutoff is one horizon later (default: last order minus two horizons)')
    .option('--horizon <days>', 'purchase horizon in days', '30')
    .option('--json', 'print JSON')
    .action(async (o: Opts, c: Command) => {
      checkCutoff(o);
      const [results, tz] = await withStore(c, async (store) => [await validatePropensity(store, { cutoff: await cutoffOf(store, o), horizonDays: horizonOf(o) }), await reportTimeZone(store)] as const);
      output(o.json, results, () => results.map((v) => validationText(v, tz)).join('\n\n'));
    });
}

function validationText(v: TargetValidation, tz: string): string {
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '   n/a' : x.toFixed(3).padStart(6));
  const lines = [
    `${v.target}: trained at ${localDate(new Date(v.trainCutoff), tz)} (${v.train.customers} customers), ` +
      `tested at ${localDate(new Date(v.testCutoff), tz)} on the next ${countOf(v.horizonDays, 'day')} ` +
      `(${v.test.customers} customers, ${(100 * v.test.baseRate).toFixed(1)}% positive)`,
    `  ranking            AUC  precision@top10%`,
    `  model           ${f(v.model.auc)}  ${f(v.model.precisionTop10)}`,
    ...v.baselines.map((b) =>
      b.unavailable ? `  ${b.name.padEnd(14)} unavailable: ${b.unavailable}` : `  ${b.name.padEnd(14)} ${f(b.auc)}  ${f(b.precisionTop10)}`,
    ),
    `  calibration (decile: mean predicted / observed)`,
    ...v.calibration.map((b) => `  ${String(b.bin).padStart(4)}  ${b.meanPredicted.toFixed(3)} / ${b.observedRate.toFixed(3)}  (n=${b.count})`),
    ...v.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n');
}
