import type { Command } from 'commander';
import { runCohorts } from '../../analytics/cohorts/cohorts.js';
import { formatCohorts, type CohortMetric } from '../../analytics/cohorts/format.js';
import { SegmintError } from '../../domain/errors.js';
import { output, withStore } from '../context.js';

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new SegmintError('invalid_option', `${option}: "${value}" is not one of ${allowed.join(', ')}`, { option, value });
}

export function register(program: Command): void {
  program
    .command('cohorts')
    .description('Acquisition cohorts: how customers first won in each month or week keep buying')
    .option('--by <unit>', 'month or week of the first order', 'month')
    .option('--metric <metric>', 'grid to print: customers (retention %), revenue (cumulative per customer) or orders', 'customers')
    .option('--json', 'print JSON (every metric of every cell)')
    .action(async (opts: { by: string; metric: string; json?: boolean }, cmd: Command) => {
      const unit = oneOf('--by', opts.by, ['month', 'week'] as const);
      const metric = oneOf<CohortMetric>('--metric', opts.metric, ['customers', 'revenue', 'orders']);
      await withStore(cmd, async (store) => {
        const report = await runCohorts(store, unit);
        output(opts.json, { metric, ...report }, () => formatCohorts(report, metric));
      });
    });
}
