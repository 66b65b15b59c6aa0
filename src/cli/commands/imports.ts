import type { Command } from 'commander';
import { utcTimeText } from '../../domain/time-zone.js';
import { renderTable } from '../../analytics/format/table.js';
import { IMPORTS_PAGE_MAX, listImports } from '../../ingest/import/history.js';
import { intOption } from '../../segments/manage/input.js';
import { output, withStore } from '../context.js';

export function register(program: Command): void {
  program
    .command('imports')
    .description('Imports and demo loads in the database, newest first, with what each reported')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON (every report in full)')
    .action(async (opts: { limit: string; json?: boolean }, cmd: Command) => {
      const list = await withStore(cmd, (store) => listImports(store, { limit: intOption(opts.limit, '--limit', 1, IMPORTS_PAGE_MAX)! }));
      output(opts.json, { imports: list }, () => {
        if (list.length === 0) return 'Nothing imported yet: `segmint import FILE`.';
        const n = (r: unknown, k: string) => {
          const v = (r as Record<string, unknown> | null)?.[k];
          return typeof v === 'number' ? v.toLocaleString('en-US') : '-';
        };
        return renderTable(
          // "left out": malformed rows; "erased": rows of erased customers skipped. With the rows taken in
          // they add up to the rows read, as the import's own report says them.
          ['started', 'file', 'format', 'rows', 'left out', 'erased', 'new orders', 'finished'],
          list.map((i) => [utcTimeText(i.startedAt), i.file, i.format, n(i.report, 'rows'), n(i.report, 'skipped'), n(i.report, 'erased_skipped'), n(i.report, 'orders_new'), i.finishedAt ? 'yes' : 'no']),
          [false, false, false, true, true, true, true, false],
        );
      });
    });
}
