import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { renderQuality } from '../../ingest/quality/render.js';
import { qualityReport } from '../../ingest/quality/report.js';
import { output, withStore } from '../context.js';

export function register(program: Command): void {
  program
    .command('quality')
    .description('check the data before trusting segments: guest lines, duplicate customers, bad emails and prices, unmatched cancellations, future events, outliers')
    .option('--as-of <time>', 'time "in the future" is measured from (default: now)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; asOf?: string }, cmd: Command) => {
      const asOf = opts.asOf === undefined ? new Date() : new Date(opts.asOf);
      if (Number.isNaN(asOf.getTime())) throw new SegmintError('bad_option', `--as-of ${opts.asOf}: not a date or time`);
      const report = await withStore(cmd, (store) => qualityReport(store, asOf));
      output(opts.json, report, () => renderQuality(report));
    });
}
