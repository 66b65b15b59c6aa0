import type { Command } from 'commander';
import { formatOverlap } from '../../analytics/overlap/format.js';
import { segmentOverlap } from '../../analytics/overlap/segmentOverlap.js';
import { readMoment } from '../../analytics/asOf.js';
import { parseAsOf } from '../../domain/as-of.js';
import { createSegment, deleteSegment, getSegment, listSegments, updateSegment, type LiveOptions } from '../../segments/manage/crud.js';
import { explainMembership, formatExplanation } from '../../segments/manage/explain.js';
import { exportSegment, exportSummaryLine } from '../../segments/manage/export.js';
import { formatHistory, formatList, formatMembers, formatPreview, formatRefresh, formatSegment, type LiveCounts } from '../../segments/manage/format.js';
import { SEGMENT_PAGE_MAX, segmentHistory, segmentMembers } from '../../segments/manage/history.js';
import { definitionFromOptions, intOption, shareOption } from '../../segments/manage/input.js';
import { PREVIEW_SAMPLE_MAX, previewSegment } from '../../segments/manage/preview.js';
import { refreshSegments, refreshWarnings } from '../../segments/manage/refresh.js';
import { segmentVocabulary } from '../../segments/manage/vocabulary.js';
import { formatVocabulary } from '../../segments/manage/format-vocabulary.js';
import { registerWatch } from './segments-watch.js';
import { explainWarnings } from './explain-warnings.js';
import { output, printErr, servedCommand, withStore } from '../context.js';
import { databaseFiles, openOutput } from '../output-file.js';
import { exportSummary } from '../export-summary.js';

interface DefOpts {
  query?: string;
  jsonDefinition?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const seg = program.command('segments').description('Create, preview, refresh, explain, export and watch segments');

  seg
    .command('overlap')
    .description('pairwise overlap of all saved segments: customers in both, Jaccard index')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const report = await segmentOverlap(store);
        output(opts.json, report, () => formatOverlap(report));
      });
    });

  seg
    .command('fields')
    .description('what a definition can name: catalog fields, event names and traits in this database, saved segments')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const v = await withStore(cmd, (store) => segmentVocabulary(store));
      output(opts.json, v, () => formatVocabulary(v));
    });

  seg
    .command('create <name>')
    .description('Save a segment definition')
    .option('-q, --query <text>', 'the definition in the segment language (docs/segment-language.md)')
    .option('--json-definition <file>', 'the definition as a JSON AST file')
    .option('--description <text>', 'what the segment is for')
    .option('--notes <text>', 'owner notes')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: DefOpts & { description?: string; notes?: string }, cmd: Command) => {
      const definition = definitionFromOptions(opts, true)!;
      await withStore(cmd, async (store) => {
        const created = await createSegment(store, { name, definition, description: opts.description ?? null, notes: opts.notes ?? null });
        const live = await liveAfterWrite();
        // Read again once live: --json then says the members a `segments show` right after says.
        const s = live ? await getSegment(store, created.name, liveOptions()) : created;
        output(opts.json, s, () => `created ${formatSegment(s, live)}`);
      }, { create: true });
    });

  seg
    .command('update <name>')
    .description('Change a saved segment: definition, name, description or notes')
    .option('-q, --query <text>', 'new definition in the segment language')
    .option('--json-definition <file>', 'new definition as a JSON AST file')
    .option('--rename <new-name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--notes <text>', 'new owner notes')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: DefOpts & { rename?: string; description?: string; notes?: string }, cmd: Command) => {
      const definition = definitionFromOptions(opts, false);
      await withStore(cmd, async (store) => {
        const updated = await updateSegment(store, name, {
          ...(opts.rename !== undefined ? { name: opts.rename } : {}),
          ...(definition ? { definition } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(opts.notes !== undefined ? { notes: opts.notes } : {}),
        });
        const live = await liveAfterWrite();
        const s = live ? await getSegment(store, updated.name, liveOptions()) : updated;
        output(opts.json, s, () => `updated ${formatSegment(s, live)}`);
      });
    });

  seg
    .command('delete <name>')
    .description('Delete a segment with its members and history')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        await deleteSegment(store, name);
        output(opts.json, { deleted: name }, () => `deleted "${name}"`);
      });
    });

  seg
    .command('list')
    .description('List saved segments with their member counts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await listSegments(store, liveOptions());
        // JSON stays the stored record (as GET /v1/segments); the text shows the live count when served
        output(opts.json, list, () => formatList(list, liveCounts()));
      });
    });

  seg
    .command('show <name>')
    .description('Show one segment')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const s = await getSegment(store, name, liveOptions());
        output(opts.json, s, () => formatSegment(s, liveCounts()));
      });
    });

  seg
    .command('preview')
    .description('Count a definition without saving it: size, share of the base, a sample, warnings')
    .option('-q, --query <text>', 'the definition in the segment language')
    .option('--json-definition <file>', 'the definition as a JSON AST file')
    .option('--as-of <time>', 'evaluate as of this date (midnight in the workspace time zone) or datetime (UTC unless it has an offset; default: now)')
    .option('--sample <n>', `how many members to show (0 to ${PREVIEW_SAMPLE_MAX})`, '10')
    .option('--min-size <n>', 'warn below this many customers', '50')
    .option('--min-share <x>', 'warn below this share of the base (0.01 or 1%)', '1%')
    .option('--json', 'print JSON')
    .action(async (opts: DefOpts & { asOf?: string; sample: string; minSize: string; minShare: string }, cmd: Command) => {
      const definition = definitionFromOptions(opts, true)!;
      parseAsOf(opts.asOf); // refused before the database is opened
      const warnings = { minSize: intOption(opts.minSize, '--min-size')!, minShare: shareOption(opts.minShare, '--min-share')! };
      await withStore(cmd, async (store) => {
        const asOf = await readMoment(store, opts.asOf);
        const p = await previewSegment(store, definition, { asOf, sampleSize: intOption(opts.sample, '--sample', 0, PREVIEW_SAMPLE_MAX)!, warnings });
        output(opts.json, p, () => formatPreview(p));
      });
    });

  seg
    .command('members <name>')
    .description('List the members of a segment: now when the running server keeps it live, else as of its last refresh')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--offset <n>', 'skip this many first', '0')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { limit: string; offset: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const kept = liveOptions().keptLive;
        const live = kept === undefined ? 'unknown' : kept(name) ? 'kept' : 'not-kept';
        const m = await segmentMembers(store, name, { limit: intOption(opts.limit, '--limit', 1, SEGMENT_PAGE_MAX)!, offset: intOption(opts.offset, '--offset')!, live });
        output(opts.json, m, () => formatMembers(m));
      });
    });

  seg
    .command('explain <name> <customer>')
    .description('Why a customer is or is not in a segment (customer: any identifier, e.g. an email or 12347)')
    .option('--as-of <time>', 'evaluate as of this date (midnight in the workspace time zone) or datetime (UTC unless it has an offset; default: now)')
    .option('--json', 'print JSON')
    .action(async (name: string, customer: string, opts: { asOf?: string; json?: boolean }, cmd: Command) => {
      parseAsOf(opts.asOf); // refused before the database is opened
      await withStore(cmd, async (store) => {
        const asOf = await readMoment(store, opts.asOf);
        // A segment the running server keeps live has nothing to refresh: no advice to (trial 7, D2); its
        // stored moment is the engine's, as once the server stops (recheck 7, N6).
        const keptLive = servedCommand()?.engine?.isLive(name) === true;
        const e = await explainMembership(store, name, customer, asOf, { keptLive });
        const warnings = await explainWarnings(store, name, asOf);
        // JSON keeps its shape (the warnings go to stderr); the text ends with them, as preview's does.
        if (opts.json) for (const w of warnings) printErr(`warning: ${w}\n`);
        output(opts.json, e, () => [formatExplanation(e, { asOfAsked: opts.asOf !== undefined, keptLive }), ...warnings.map((w) => `warning: ${w}`)].join('\n'));
      });
    });

  seg
    .command('refresh [name]')
    .description('Recompute membership in bulk (all segments, in dependency order, or one) and record entries and exits')
    .option('--as-of <time>', 'evaluate as of this date (midnight in the workspace time zone) or datetime (UTC unless it has an offset; default: now)')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { asOf?: string; json?: boolean }, cmd: Command) => {
      parseAsOf(opts.asOf); // refused before the database is opened
      await withStore(cmd, async (store) => {
        const asOf = await readMoment(store, opts.asOf);
        const engine = servedCommand()?.engine;
        const results = await refreshSegments(store, { asOf, ...(name !== undefined ? { name } : {}), ...(engine ? { keptLive: (n: string) => engine.isLive(n) } : {}) });
        // A segment the server keeps live is not recomputed: --as-of does not apply to it, and both outputs say so.
        const notApplied = opts.asOf !== undefined ? results.filter((r) => r.live).map((r) => r.name) : [];
        output(opts.json, { asOf, segments: results, warnings: refreshWarnings(results), ...(notApplied.length > 0 ? { asOfNotAppliedTo: notApplied } : {}) }, () => formatRefresh(results, asOf, opts.asOf !== undefined));
      });
    });

  seg
    .command('export <name>')
    .description('Write the members as CSV with chosen fields, or as a hashed-email ads audience')
    .option('--out <file>', 'write to this file (default: standard output); an existing file is refused unless --force')
    .option('--force', 'with --out: replace the file if it exists')
    .option('--fields <list>', 'comma-separated columns: customer_id, email, member_since, any metric (orders_count, total_spent, last_order_at, …) or a trait by name or path (country, address.city)', 'customer_id,email,orders_count,total_spent,last_order_at')
    .option('--audience', 'one column of SHA-256 hashes of the trimmed, lower-cased emails, for ad platforms (channel ads)')
    .option('--channel <channel>', 'the channel the file is for: email, sms, push, ads, or none (only for a file without contact details); the channels its contact details imply are always checked too: ads for --audience, email for email, sms for phone')
    .option('--include-unknown-consent', 'also include members with no consent decision recorded for the channel (when consent is kept elsewhere)')
    .option('--json', 'print the summary as JSON (on stdout with --out, else on stderr: stdout holds the CSV)')
    .action(async (name: string, opts: { out?: string; force?: boolean; fields: string; audience?: boolean; channel?: string; includeUnknownConsent?: boolean; json?: boolean }, cmd: Command) => {
      // The file is opened first: an existing file, a missing folder or a permission problem is reported before any work.
      const out = await openOutput(opts.out, { force: opts.force === true, protect: databaseFiles(cmd) });
      await withStore(cmd, async (store) => {
        let summary;
        try {
          summary = await exportSegment(store, name, (chunk) => out.write(chunk), {
            fields: opts.fields.split(','),
            audience: opts.audience === true,
            ...(opts.channel !== undefined ? { channel: opts.channel } : {}),
            unknownConsent: opts.includeUnknownConsent ? 'include' : 'exclude',
          });
          await out.close();
        } catch (e) {
          out.abort();
          throw e;
        }
        const done = summary;
        exportSummary({ json: opts.json, file: opts.out, textTo: 'stderr' }, { segment: name, ...(opts.out !== undefined ? { file: opts.out } : {}), ...done }, () => exportSummaryLine(done, opts.out));
      });
    });

  seg
    .command('history <name>')
    .description('Entries and exits recorded by refreshes, newest first')
    .option('--changes', 'list each entry and exit, not only one line per refresh')
    .option('--customer <id>', 'only this customer (any identifier)')
    .option('--limit <n>', 'at most this many lines', '50')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { changes?: boolean; customer?: string; limit: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const h = await segmentHistory(store, name, {
          limit: intOption(opts.limit, '--limit', 1, SEGMENT_PAGE_MAX)!,
          changes: opts.changes === true,
          ...(opts.customer !== undefined ? { customer: opts.customer } : {}),
        });
        output(opts.json, h, () => formatHistory(h));
      });
    });

  registerWatch(seg);
}

/**
 * Through a running server, after a write: the engine takes the new definition in first, so the members
 * printed are the live ones (as `segments show` prints them), not the stored ones of before the write.
 */
async function liveAfterWrite(): Promise<LiveCounts | undefined> {
  const engine = servedCommand()?.engine;
  if (!engine) return undefined;
  await engine.resync();
  return liveCounts();
}

/**
 * Who keeps a segment live, for what stored counts and members describe (membershipMoment): the running
 * server's engine when this command is carried out by it (a server without one keeps none), else the
 * store's own record of who wrote them last.
 */
function liveOptions(): LiveOptions {
  const served = servedCommand();
  if (!served) return {};
  const engine = served.engine;
  return { keptLive: (n: string) => engine?.isLive(n) === true };
}

/** Member counts of the segments the running server keeps live, when this command is carried out by it. */
function liveCounts(): LiveCounts {
  const engine = servedCommand()?.engine;
  return new Map(engine ? engine.status().segments.map((x) => [x.segmentId, x.members] as const) : []);
}
