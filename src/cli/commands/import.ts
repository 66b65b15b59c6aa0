import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parsePastTime } from '../../domain/as-of.js';
import { inspectSource } from '../../ingest/csv/source.js';
import { FORMAT_NAMES } from '../../ingest/import/formats/types.js';
import { formatReport } from '../../ingest/import/report.js';
import { IMPORT_PHASES, importFile, type ImportPhase } from '../../ingest/import/run.js';
import { cliStderr, output, servedCommand, withStore } from '../context.js';

interface ImportCliOptions {
  format: string;
  map: string[];
  currency?: string;
  decimal: string[];
  dateFormat: string[];
  lineKind: string[];
  exportedAt?: string;
  replaceDiffering?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('import orders or customers from a CSV or CSV.GZ export (Online Retail, Shopify, CDNOW, or any CSV with --map)')
    .argument('<file>', '.csv or .csv.gz file')
    .option('--format <format>', `auto | ${FORMAT_NAMES.join(' | ')}`, 'auto')
    .option('--map <column=field>', 'map a column to a field (generic format; repeatable), e.g. --map "Order=order_id"', collect, [])
    .option('--currency <code>', 'currency of the amounts when the file does not say (e.g. EUR)')
    .option('--decimal <layout>', 'decimal separator: point or comma, for every number column or one ("Betrag=comma"); default: detected per column (repeatable)', collect, [])
    .option('--date-format <layout>', 'dates: dmy, mdy, ymd or a strptime format ("%d.%m.%Y %H:%M"), for every date column or one ("Datum=dmy"); default: detected per column (repeatable)', collect, [])
    .option('--line-kind <match=kind>', 'lines whose product id or name is MATCH (a trailing * matches a prefix) are of this kind: product, shipping, fee, discount, adjustment, gift_card (repeatable)', collect, [])
    .option('--exported-at <time>', 'when the export was made: the time of traits and consent in rows without a time of their own (default: the file modification time)')
    .option('--replace-differing', 'replace orders already stored by an import of this format whose content in the file differs (default: leave them and count them in orders_differing)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  segmint import online-retail.csv.gz\n  segmint import orders_export.csv --format shopify-orders --json\n' +
        '  segmint import sales.csv --map "Order=order_id" --map "Date=placed_at" --map "Total=amount" --map "E-mail=email"\n' +
        '  segmint import bestellungen.csv --map "Bestellnr=order_id" --map "Datum=placed_at" --map "Betrag=amount" --decimal comma --date-format dmy\n',
    )
    .action(async (file: string, opts: ImportCliOptions, cmd: Command) => {
      // A missing or unreadable input is reported before a new database file is created for it.
      await inspectSource(file);
      const progress = !opts.json && cliStderr().isTTY ? phaseBar() : undefined;
      try {
        const report = await withStore(
          cmd,
          (store) =>
            importFile(store, file, {
              format: opts.format,
              map: opts.map,
              currency: opts.currency,
              decimal: opts.decimal,
              dateFormat: opts.dateFormat,
              lineKind: opts.lineKind,
              replaceDiffering: opts.replaceDiffering === true,
              ...(opts.exportedAt !== undefined ? { exportedAt: parsePastTime(opts.exportedAt, '--exported-at') } : {}),
              onPhase: progress?.update,
              // Ctrl-C on the CLI that sent this command to a server rolls the import back (served/client.ts).
              signal: servedCommand()?.signal,
              // 0 of N rows stored is a failure: a script sees it in the exit code, and a new database is removed.
              refuseEmpty: true,
            }),
          { create: true },
        );
        progress?.stop();
        output(opts.json, report, () => formatReport(report));
      } finally {
        progress?.stop();
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** One bar over the import's phases on stderr; DuckDB reads the file in one call, so phases are the unit. */
function phaseBar(): { update: (phase: ImportPhase, index: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { stream: cliStderr() as NodeJS.WriteStream, format: 'importing [{bar}] {value}/{total} {phase}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update: (phase, index) => {
      if (!started) {
        bar.start(IMPORT_PHASES.length, index, { phase });
        started = true;
      } else bar.update(index, { phase });
    },
    stop: () => {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
