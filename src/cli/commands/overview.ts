import type { Command } from 'commander';
import { formatOverview } from '../../analytics/overview/format.js';
import { overview } from '../../analytics/overview/overview.js';
import { parseReportMoment, readReportMoment } from '../../analytics/asOf.js';
import { warnOrdersAfter } from '../as-of-warning.js';
import { output, withStore } from '../context.js';

export function register(program: Command): void {
  program
    .command('overview')
    .description('The shop at a glance (the dashboard\'s first page): counts, revenue in the last 30 and 90 days against the period before, segment sizes, quality warnings')
    .option('--as-of <time>', 'end of the revenue windows (default: midnight after the day of the latest order; a date alone is midnight in the workspace time zone)')
    .option('--no-quality', 'leave out the data-quality checks (the slow part on a large base)')
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; quality: boolean; json?: boolean }, cmd: Command) => {
      const report = await withStore(cmd, async (store) => {
        const r = await overview(store, await readReportMoment(store, opts.asOf), { quality: opts.quality });
        if (opts.asOf === undefined && r.as_of !== null) await warnOrdersAfter(store, parseReportMoment(r.as_of, r.time_zone));
        return r;
      });
      output(opts.json, report, () => formatOverview(report));
    });
}
