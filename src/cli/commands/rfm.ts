import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { parseReportMoment, reportTimeZone, resolveAsOf } from '../../analytics/asOf.js';
import { warnOrdersAfter } from '../as-of-warning.js';
import { parseAsOf } from '../../domain/as-of.js';
import { formatMovement, formatRfm } from '../../analytics/rfm/format.js';
import { defaultGroupTable, type Bins, type RfmGroupTable } from '../../analytics/rfm/groups.js';
import { loadGroupTable } from '../../analytics/rfm/loadGroupTable.js';
import { rfmMovementReport } from '../../analytics/rfm/movement.js';
import { runRfm } from '../../analytics/rfm/rfm.js';
import { formatGrid } from '../../analytics/rfm/format-grid.js';
import { rfmGrid } from '../../analytics/rfm/grid.js';
import { output, withStore } from '../context.js';

interface TableOpts {
  bins?: string;
  groups?: string;
}

function groupTable(opts: TableOpts): RfmGroupTable {
  const bins = parseBins(opts.bins);
  return opts.groups ? loadGroupTable(opts.groups, bins) : defaultGroupTable(bins);
}

function parseBins(text: string | undefined): Bins {
  if (text === undefined || text === '5') return 5;
  if (text === '3') return 3;
  throw new SegmintError('invalid_option', `--bins: "${text}" is not 5 or 3`, { option: '--bins', value: text });
}

/**
 * Unless the root program uses positional options, `rfm movement --bins 3 --json` hands --bins and
 * --json to `rfm` (it knows them too); options set on either level count for movement.
 */
function withParentOptions<T extends object>(own: T, cmd: Command): T {
  const parent = cmd.parent?.opts<Record<string, unknown>>() ?? {};
  const picked = Object.fromEntries(Object.entries(parent).filter(([k]) => cmd.parent?.getOptionValueSource(k) === 'cli'));
  const mine = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  return { ...picked, ...mine } as T;
}

export function register(program: Command): void {
  const rfm = program
    .command('rfm')
    .description('Score customers by recency, frequency and monetary value and put them in RFM groups')
    .option('--as-of <time>', 'moment of the scores; a date alone is midnight in the workspace time zone (default: midnight after the last order day there)')
    .option('--bins <n>', 'score bins: 5 or 3', '5')
    .option('--groups <file>', 'JSON table of groups replacing the default (see docs/analytics.md)')
    .option('--customer <id>', 'also show one customer (any identifier: customer id, email, CustomerID)')
    .option('--no-save', 'do not replace the saved snapshot used by rfm.* segment fields')
    .option('--json', 'print JSON')
    .action(async (opts: TableOpts & { asOf?: string; customer?: string; save: boolean; json?: boolean }, cmd: Command) => {
      const table = groupTable(opts);
      await withStore(cmd, async (store) => {
        const asOf = await resolveAsOf(store, opts.asOf);
        if (opts.asOf === undefined) await warnOrdersAfter(store, asOf);
        const report = await runRfm(store, { asOf, table, save: opts.save, customer: opts.customer });
        output(opts.json, report, () => formatRfm(report));
      });
    });

  rfm
    .command('grid')
    .description('Recency × frequency grid of the saved snapshot: customers and mean monetary value per cell')
    .option('--json', 'print JSON')
    .action(async (own: { json?: boolean }, cmd: Command) => {
      const opts = withParentOptions(own, cmd);
      const grid = await withStore(cmd, (store) => rfmGrid(store));
      output(opts.json, grid, () => formatGrid(grid));
    });

  rfm
    .command('movement')
    .description('How many customers moved from each RFM group to each other between two moments')
    .requiredOption('--from <time>', 'first moment (a date alone is midnight in the workspace time zone)')
    .requiredOption('--to <time>', 'second moment (a date alone is midnight in the workspace time zone)')
    .option('--bins <n>', 'score bins: 5 or 3 (default 5)')
    .option('--groups <file>', 'JSON table of groups replacing the default')
    .option('--json', 'print JSON')
    .action(async (own: TableOpts & { from: string; to: string; json?: boolean }, cmd: Command) => {
      const opts = withParentOptions(own, cmd);
      const table = groupTable(opts);
      // Checked before the store opens; read again in the workspace zone (a date alone is its midnight).
      parseAsOf(opts.from, '--from');
      parseAsOf(opts.to, '--to');
      await withStore(cmd, async (store) => {
        const tz = await reportTimeZone(store);
        const [from, to] = [parseReportMoment(opts.from, tz, '--from'), parseReportMoment(opts.to, tz, '--to')];
        const mv = await rfmMovementReport(store, from, to, table);
        output(opts.json, mv, () => formatMovement(mv));
      });
    });
}
