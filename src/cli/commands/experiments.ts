import type { Command } from 'commander';
import { readMoment } from '../../analytics/asOf.js';
import { parseAsOf } from '../../domain/as-of.js';
import { analyzeExperiment } from '../../measure/experiments/analyze.js';
import { assignmentsSummaryLine, writeAssignmentsCsv } from '../../measure/experiments/assignments.js';
import { createExperiment } from '../../measure/experiments/create.js';
import { deleteExperiment, getExperiment, listExperiments } from '../../measure/experiments/manage.js';
import { parseMde, parsePlanned, parseWindow } from '../../measure/experiments/options.js';
import { formatAnalysis, formatExperiment, formatExperimentList } from '../../measure/format/experiments.js';
import { output, withStore } from '../context.js';
import { exportSummary } from '../export-summary.js';
import { databaseFiles, openOutput } from '../output-file.js';

export function register(program: Command): void {
  const exp = program.command('experiments').description('A/B tests and holdouts: split a segment at random, then measure lift with honest intervals');

  exp
    .command('create <name>')
    .description('Split the members of a saved segment at random into groups (the first is control) and record the assignment')
    .requiredOption('--segment <name>', 'the saved segment whose members are split')
    .option('--groups <split>', 'groups and weights, control first', 'control:50,treatment:50')
    .option('--at <time>', 'assign as of this past date (midnight in the workspace time zone) or datetime (UTC unless it has an offset), for a backtest (default: now)')
    .option('--seed <text>', 'hash salt; the same salt and members give the same groups (default: random)')
    .option('--planned <n>', 'customers the experiment plans for in all (tunes the always-valid interval; default: those assigned)')
    .option('--description <text>', 'what is being tested')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { segment: string; groups: string; at?: string; seed?: string; planned?: string; description?: string; json?: boolean }, cmd: Command) => {
      if (opts.at !== undefined) parseAsOf(opts.at, '--at'); // refused before the database is opened
      const planned = parsePlanned(opts.planned);
      await withStore(cmd, async (store) => {
        const at = opts.at === undefined ? undefined : await readMoment(store, opts.at, '--at');
        const e = await createExperiment(store, {
          name,
          segment: opts.segment,
          groups: opts.groups,
          ...(at ? { at } : {}),
          ...(opts.seed !== undefined ? { salt: opts.seed } : {}),
          ...(planned !== undefined ? { plannedCustomers: planned } : {}),
          description: opts.description ?? null,
        });
        output(opts.json, e, () => `created\n${formatExperiment(e)}`);
      });
    });

  exp
    .command('list')
    .description('List experiments with their group sizes')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await listExperiments(store);
        output(opts.json, list, () => formatExperimentList(list));
      });
    });

  exp
    .command('show <name>')
    .description('Show an experiment: its segment, groups, sizes and sample-ratio check')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const e = await getExperiment(store, name);
        output(opts.json, e, () => formatExperiment(e));
      });
    });

  exp
    .command('analyze <name>')
    .description('Lift of each group against control with 95% intervals, CUPED, always-valid intervals, SRM and power, in plain words')
    .option('--metric <list>', 'comma-separated: conversion, orders, revenue, aov, email_opens, email_clicks, unsubscribes, event:NAME (default: all standard)')
    .option('--window <days>', 'days after assignment that count, e.g. 30d or 4w', '30d')
    .option('--as-of <time>', 'analyse as of this date (midnight in the workspace time zone) or datetime (UTC unless it has an offset; default: now)')
    .option('--mde <lift>', 'the relative lift to compute power and customers needed for', '10%')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { metric?: string; window: string; asOf?: string; mde: string; json?: boolean }, cmd: Command) => {
      const windowDays = parseWindow(opts.window);
      parseAsOf(opts.asOf); // refused before the database is opened
      const mde = parseMde(opts.mde);
      await withStore(cmd, async (store) => {
        const asOf = await readMoment(store, opts.asOf);
        const a = await analyzeExperiment(store, name, { ...(opts.metric !== undefined ? { metrics: opts.metric } : {}), windowDays, asOf, mde });
        output(opts.json, a, () => formatAnalysis(a));
      });
    });

  exp
    .command('assignments <name>')
    .description('Export who is in which group as CSV (campaigns and workflow splits and holdouts): customer_id, user_id, email, group, assigned_at; the email only of members with email consent granted')
    .option('--csv', 'CSV (the default and only format of the rows; accepted for clarity)')
    .option('--out <file>', 'write to this file (default: standard output); an existing file is refused unless --force')
    .option('--force', 'with --out: replace the file if it exists')
    .option('--include-unknown-consent', 'also write the email of members with no email consent decision recorded (when consent is kept elsewhere)')
    .option('--json', 'print the summary as JSON (on stdout with --out, else on stderr: stdout holds the CSV)')
    .action(async (name: string, opts: { out?: string; force?: boolean; csv?: boolean; includeUnknownConsent?: boolean; json?: boolean }, cmd: Command) => {
      // The file is opened first: an existing file, a missing folder or a permission problem is reported before any work.
      const out = await openOutput(opts.out, { force: opts.force === true, protect: databaseFiles(cmd) });
      await withStore(cmd, async (store) => {
        let summary;
        try {
          summary = await writeAssignmentsCsv(store, name, (chunk) => out.write(chunk), { unknownConsent: opts.includeUnknownConsent ? 'include' : 'exclude' });
          await out.close();
        } catch (e) {
          out.abort();
          throw e;
        }
        const done = summary;
        // The consent line is printed with or without --out, as segments export does: who was left out is never silent.
        exportSummary(
          { json: opts.json, file: opts.out, textTo: 'stderr' },
          { experiment: name, ...(opts.out !== undefined ? { file: opts.out } : {}), ...done },
          () => assignmentsSummaryLine(done, opts.out),
        );
      });
    });

  exp
    .command('delete <name>')
    .description('Delete an experiment and its recorded assignments')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        await deleteExperiment(store, name);
        output(opts.json, { deleted: name }, () => `deleted "${name}"`);
      });
    });
}
