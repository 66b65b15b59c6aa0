import type { Command } from 'commander';
import { readMoment } from '../../analytics/asOf.js';
import { parseAsOf } from '../../domain/as-of.js';
import { renderQuality } from '../../ingest/quality/render.js';
import { qualityReport } from '../../ingest/quality/report.js';
import { output, withStore } from '../context.js';

export function register(program: Command): void {
  program
    .command('quality')
    .description('check the data before trusting segments: guest lines, duplicate customers, bad emails and prices, unmatched cancellations, future events, outliers')
    .option('--as-of <time>', 'time "in the future" is measured from: a date (midnight in the workspace time zone) or datetime (UTC unless it has an offset; default: now)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; asOf?: string }, cmd: Command) => {
      parseAsOf(opts.asOf); // refused before the database is opened
      const report = await withStore(cmd, async (store) => qualityReport(store, await readMoment(store, opts.asOf)));
      output(opts.json, report, () => renderQuality(report));
    });
}
