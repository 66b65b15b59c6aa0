import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { createWorkflow, deleteWorkflow, getWorkflow, listWorkflows, pauseWorkflow, resumeWorkflow, updateWorkflow } from '../../workflows/manage/crud.js';
import { formatPreview, formatRun, formatRuns, formatStepCounts, formatTemplates, formatWorkflow, formatWorkflowList } from '../../workflows/manage/format.js';
import { previewEmail } from '../../workflows/manage/preview.js';
import { runDetail, RUNS_PAGE_MAX, workflowRuns } from '../../workflows/manage/runs.js';
import { workflowStepCounts } from '../../workflows/manage/steps.js';
import { installTemplate, listTemplates } from '../../workflows/templates/install.js';
import { intOption } from '../../segments/manage/input.js';
import { output, servedCommand, withStore } from '../context.js';

function readFile(file: string): { text: string; origin: string } {
  try {
    return { text: readFileSync(file, 'utf8'), origin: file };
  } catch (e) {
    throw new SegmintError('file_unreadable', `Cannot read ${file}: ${(e as Error).message}`, { file });
  }
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function register(program: Command): void {
  const wf = program.command('workflows').description('Durable workflows: triggers, waits, branches, emails and webhooks (docs/workflows.md)');

  wf.command('templates')
    .description('List the ready-made workflows and their parameters')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const list = listTemplates();
      output(opts.json, list, () => formatTemplates(list));
    });

  wf.command('create <name>')
    .description('Save a workflow from a JSON or YAML file, or from a template')
    .option('-f, --file <file>', 'the definition, JSON or YAML')
    .option('-t, --template <template>', 'a ready-made workflow (segmint workflows templates)')
    .option('-p, --param <key=value>', 'a template parameter, e.g. delay=1h (repeatable)', collect, [])
    .option('--paused', 'save it paused')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { file?: string; template?: string; param: string[]; paused?: boolean; json?: boolean }, cmd: Command) => {
      if ((opts.file === undefined) === (opts.template === undefined)) {
        throw new SegmintError('invalid_option', 'Give either --file FILE or --template TEMPLATE.', { field: '--file' });
      }
      if (opts.file !== undefined && opts.param.length > 0) throw new SegmintError('invalid_option', '--param goes with --template.', { field: '--param' });
      await withStore(cmd, async (store) => {
        const flags = opts.paused ? { paused: true } : {};
        const w = opts.template !== undefined ? await installTemplate(store, name, opts.template, opts.param, flags) : await createWorkflow(store, name, readFile(opts.file!), flags);
        const made = 'createdSegment' in w && w.createdSegment ? `\n(made the segment "${w.createdSegment}"; run \`segmint rfm\` and \`segmint segments refresh\` to fill it)` : '';
        output(opts.json, w, () => `created ${formatWorkflow(w)}${made}`);
      });
    });

  wf.command('update <name>')
    .description('Save a new version; runs under way stay on the version they started with')
    .requiredOption('-f, --file <file>', 'the new definition, JSON or YAML')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { file: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const w = await updateWorkflow(store, name, readFile(opts.file));
        output(opts.json, w, () => `updated ${formatWorkflow(w)}`);
      });
    });

  wf.command('list')
    .description('Workflows with their runs and messages')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await listWorkflows(store);
        output(opts.json, list, () => formatWorkflowList(list));
      });
    });

  wf.command('show <name>')
    .description('One workflow: its definition, counts, skipped sends by reason')
    .option('--version <n>', 'an earlier version')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { version?: string; json?: boolean }, cmd: Command) => {
      const version = intOption(opts.version, '--version', 1);
      await withStore(cmd, async (store) => {
        const w = await getWorkflow(store, name, version);
        output(opts.json, w, () => formatWorkflow(w));
      });
    });

  for (const [verb, fn, what] of [
    ['pause', pauseWorkflow, 'Pause: no run starts or moves until resumed'],
    ['resume', resumeWorkflow, 'Resume: waits that fell due run, new triggers start runs'],
  ] as const) {
    wf.command(`${verb} <name>`)
      .description(what)
      .option('--json', 'print JSON')
      .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
        await withStore(cmd, async (store) => {
          const w = await fn(store, name);
          output(opts.json, w, () => `${name} is ${w.status}`);
        });
      });
  }

  wf.command('delete <name>')
    .description('Delete a workflow; its active runs are cancelled, runs and sends stay as history')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const r = await deleteWorkflow(store, name);
        output(opts.json, r, () => `deleted "${name}" (${r.cancelledRuns} active runs cancelled)`);
      });
    });

  wf.command('runs [name]')
    .description('Runs, newest first (of one workflow, or of all)')
    .option('--status <status>', 'active, completed, exited, converted, cancelled or failed')
    .option('--customer <id>', 'one customer (any identifier)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { status?: string; customer?: string; limit: string; json?: boolean }, cmd: Command) => {
      const limit = intOption(opts.limit, '--limit', 1, RUNS_PAGE_MAX)!;
      await withStore(cmd, async (store) => {
        const runs = await workflowRuns(store, { ...(name ? { workflow: name } : {}), ...(opts.status ? { status: opts.status } : {}), ...(opts.customer ? { customer: opts.customer } : {}), limit });
        output(opts.json, runs, () => formatRuns(runs));
      });
    });

  wf.command('steps <name>')
    .description('Per-step counts: runs at each step now, what each step did, sends by status and skip reason')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const c = await workflowStepCounts(store, name);
        output(opts.json, c, () => formatStepCounts(c));
      });
    });

  wf.command('run-show <run-id>')
    .description('One run: every step it took, its emails and webhooks, its split and holdout assignments')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const r = await runDetail(store, id);
        output(opts.json, r, () => formatRun(r));
      });
    });

  wf.command('preview <name>')
    .description('Render an email of a workflow for a customer, as it would be sent now (nothing is sent)')
    .requiredOption('--customer <id>', 'the customer (any identifier)')
    .option('--step <id>', 'the email step (default: the first)')
    .option('--html', 'show the HTML part instead of the text part')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { customer: string; step?: string; html?: boolean; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        // Carried out by a running server: its address, as the emails it sends carry it.
        const listening = servedCommand()?.server.url;
        const p = await previewEmail(store, name, opts.customer, { ...(opts.step ? { step: opts.step } : {}), ...(listening !== undefined ? { listening } : {}) });
        output(opts.json, p, () => formatPreview(p, opts.html === true));
      });
    });
}
