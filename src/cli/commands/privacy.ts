import type { Command } from 'commander';
import { parseAsOf } from '../../domain/as-of.js';
import { isSegmintError } from '../../domain/errors.js';
import { auditLog, cliActor, formatAudit, MAX_AUDIT_ROWS, recordAudit } from '../../privacy/audit.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { formatRegulation } from '../../privacy/format.js';
import { requestErasure, runRegulation } from '../../privacy/regulations.js';
import { formatRetention, RETENTION_SETTING, runRetention } from '../../privacy/retention.js';
import type { Store } from '../../store/db.js';
import { output, servedCommand, withStore } from '../context.js';
import { attachedGroup } from './attach.js';
import { exportSummary } from '../export-summary.js';
import { databaseFiles, openOutput } from '../output-file.js';

/**
 * The privacy commands (docs/privacy.md): `customers erase` and `customers export`, attached to the
 * customers command (so registered after it); `retention run` and `audit` are registerRetention and
 * registerAudit below.
 */
export function registerCustomerPrivacy(program: Command): void {
  const customers = attachedGroup(program, 'customers', 'privacy');

  customers
    .command('erase')
    .description(
      'Erase people for good: delete every row about them, keep their orders anonymised for revenue totals, suppress their ' +
        'identifiers so later imports and events skip them, and rewrite the database file so the bytes are gone',
    )
    .argument('<ids...>', 'customer ids, emails, user ids or external ids (one person each)')
    .option('--reason <text>', 'why (e.g. a ticket number); kept, so it must not name the person')
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: { reason?: string; json?: boolean }, cmd: Command) => {
      const actor = cliActor();
      const reg = await withStore(cmd, (store) =>
        audited(store, actor, 'customers erase', async () => {
          const id = await requestErasure(store, { identifiers: ids, reason: opts.reason, actor });
          // Served by a running server: in line with its workflow engine, as an erasure over HTTP.
          const done = await runRegulation(store, id, undefined, servedCommand()?.inLine);
          return { result: done, target: done.regulationId, details: { customersErased: done.customersErased, identifiers: done.identifiers } };
        }),
      );
      output(opts.json, reg, () => formatRegulation(reg));
    });

  customers
    .command('export')
    .description('Everything held about one person, as JSON (subject access): every row of theirs, score and segment explanations')
    .argument('<id>', 'customer id, email, user id or external id')
    .option('--out <file>', 'write to this file (created readable by you only) instead of printing; an existing file is refused unless --force')
    .option('--force', 'with --out: replace the file if it exists')
    .option('--as-of <time>', 'moment segment memberships are explained at (default: now)')
    .option('--json', 'the export is JSON already; with --out, print the summary as JSON too')
    .action(async (ref: string, opts: { out?: string; force?: boolean; asOf?: string; json?: boolean }, cmd: Command) => {
      const actor = cliActor();
      const now = parseAsOf(opts.asOf);
      // Opened before any work, as every export is (output-file.ts); personal data: readable by the owner only.
      const out = await openOutput(opts.out, { force: opts.force === true, protect: databaseFiles(cmd), mode: 0o600 });
      let data;
      try {
        data = await withStore(cmd, (store) =>
          audited(store, actor, 'customers export', async () => {
            // Imported here: it explains segments and scores, which `customers show` and the rest of the group do not need.
            const { subjectExport } = await import('../../privacy/export.js');
            const e = await subjectExport(store, ref, now);
            return { result: e, target: e.customerId, details: { tables: Object.keys(e.tables).length } };
          }),
        );
        await out.write(JSON.stringify(data, null, 2) + '\n');
        await out.close();
      } catch (e) {
        out.abort();
        throw e;
      }
      if (opts.out === undefined) return;
      const tables = Object.keys(data.tables).length;
      exportSummary({ json: opts.json, file: opts.out, textTo: 'stdout' }, { customerId: data.customerId, file: opts.out, tables }, () => `Wrote everything held about ${data.customerId} to ${opts.out} (${tables} tables).`);
    });
}

/** `segmint retention run`: the retention setting applied now. */
export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description(`Delete raw events older than the ${RETENTION_SETTING} setting (aggregates stay); \`segmint serve\` does it daily`)
    .command('run')
    .description('Apply the retention setting now')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const actor = cliActor();
      const r = await withStore(cmd, (store) =>
        audited(store, actor, 'retention run', async () => {
          const result = await runRetention(store);
          return { result, target: null, details: { eventsDeleted: result.eventsDeleted, days: result.days } };
        }),
      );
      output(opts.json, r, () => formatRetention(r));
    });
}

/** `segmint audit`: the log of admin actions. */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('The audit log of admin actions (keys, erasure, subject exports, settings, retention): who, what, when')
    .option('--limit <n>', 'how many entries, newest first', '100')
    .option('--since <time>', 'only entries from this moment on, UTC')
    .option('--actor <who>', 'only this actor, e.g. key:key_ab12cd or cli:alice')
    .option('--action <text>', 'only actions containing this text, e.g. erase')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; since?: string; actor?: string; action?: string; json?: boolean }, cmd: Command) => {
      const limit = wholeNumberIn(opts.limit, '--limit', 1, MAX_AUDIT_ROWS);
      const since = opts.since === undefined ? undefined : parseAsOf(opts.since, '--since');
      const entries = await withStore(cmd, (store) => auditLog(store, { limit, since, actor: opts.actor, action: opts.action }));
      output(opts.json, entries, () => formatAudit(entries));
    });
}

/**
 * Runs an admin action of the CLI and records it in the audit log, refused or not: status 200 when it
 * succeeded, else the HTTP status its error would have over the API.
 */
export async function audited<T>(
  store: Store,
  actor: string,
  action: string,
  fn: () => Promise<{ result: T; target: string | null; details?: unknown }>,
): Promise<T> {
  try {
    const r = await fn();
    await recordAudit(store, { actor, action, target: r.target, status: 200, details: r.details });
    return r.result;
  } catch (e) {
    await recordAudit(store, { actor, action, status: isSegmintError(e) ? e.httpStatus : 500, details: { error: isSegmintError(e) ? e.code : 'internal' } });
    throw e;
  }
}
