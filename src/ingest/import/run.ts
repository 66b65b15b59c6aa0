import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { SegmintError, isSegmintError } from '../../domain/errors.js';
import type { Identifier } from '../../domain/identifiers.js';
import type { Queryable, Store } from '../../store/db.js';
import { writeConsent, writeTraits } from '../../store/queries/import/customers.js';
import { createRowsTable, fillRows } from '../../store/queries/import/rows/schema.js';
import { stageDelimited, stageLines, type RejectedLine } from '../../store/queries/import/stage.js';
import { dropImportTables, recordImport, rowCounts, rowErrors } from '../../store/queries/import/summary.js';
import { attachCustomers, buildOrders, identityTuples, writeOrders, type IdentityTuple } from '../../store/queries/import/write.js';
import { refreshCustomerMetrics } from '../../store/queries/metrics.js';
import { Header } from '../csv/header.js';
import { inspectSource, sha256File } from '../csv/source.js';
import { resolveIdentifierSetsDetailed, type IdentifierSet } from '../identity/resolve.js';
import { dropSuppressedImportRows } from '../../store/queries/privacy/suppressed-rows.js';
import { chooseFormat } from './formats/index.js';
import type { ImportPlan } from './formats/types.js';
import { ERROR_LIMIT, type ImportError, type ImportReport } from './report.js';

export const IMPORT_PHASES = ['reading the file', 'checking rows', 'resolving identities', 'writing orders and events', 'updating profiles', 'computing metrics'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export interface ImportOptions {
  /** auto (default) or a format name */
  readonly format?: string;
  readonly map?: readonly string[];
  readonly currency?: string;
  /** called as each phase starts, for progress display */
  readonly onPhase?: (phase: ImportPhase, index: number) => void;
  readonly now?: () => Date;
}

/**
 * Imports one CSV/CSV.GZ file in one transaction: everything it adds appears together, or nothing
 * does. Orders and events are keyed by id, so importing the same file again adds nothing; traits and
 * consent converge on the file's latest values. Malformed rows are skipped and reported by line.
 */
export async function importFile(store: Store, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const t0 = performance.now();
  const source = await inspectSource(file);
  const header = Header.parse(source.firstLine);
  const format = chooseFormat(options.format ?? 'auto', source, header, (options.map?.length ?? 0) > 0);
  const plan = format.plan(source, header, { map: options.map ?? [], currency: options.currency });
  const sha = sha256File(file);
  sha.catch(() => undefined); // awaited inside the transaction; this only keeps a failed import from leaving it unhandled
  const phase = (p: ImportPhase): void => options.onPhase?.(p, IMPORT_PHASES.indexOf(p));
  const sourceName = `import:${plan.format}`;

  return store.transaction(async (tx) => {
    phase('reading the file');
    const rejects = await stage(tx, plan, file);
    phase('checking rows');
    await createRowsTable(tx);
    await fillRows(tx, plan.rows);
    phase('resolving identities');
    const tuples = await identityTuples(tx);
    const resolved = await resolveIdentifierSetsDetailed(tx, tuples.map((t) => identifierSet(t, started)));
    const ids = resolved.customers;
    // Rows of erased people (docs/privacy.md) are dropped here, before anything is written.
    const erasedRows = await dropSuppressedImportRows(tx, tuples.filter((_, i) => resolved.suppressed[i]).map((t) => t.key));
    await attachCustomers(tx, tuples.map((t) => t.key), ids);
    phase('writing orders and events');
    await buildOrders(tx, plan.format);
    const writes = await writeOrders(tx, sourceName);
    phase('updating profiles');
    const traitsUpdated = await writeTraits(tx, started);
    const consentUpdated = await writeConsent(tx, sourceName, started);
    const counts = await rowCounts(tx);
    const errors = mergeErrors(rejects, await rowErrors(tx, ERROR_LIMIT));
    phase('computing metrics');
    if (writes.orders_new > 0) await refreshCustomerMetrics(tx);
    const rows = counts.kept + rejects.length + erasedRows;
    const skipped = counts.invalid + rejects.length;
    const report: ImportReport = {
      file: basename(file),
      format: plan.format,
      sha256: await sha,
      rows,
      imported: rows - skipped - erasedRows,
      skipped,
      erased_skipped: erasedRows,
      lines_without_customer: counts.lines_without_customer,
      customers: counts.customers,
      orders: writes.orders,
      refunds: writes.refunds,
      orders_new: writes.orders_new,
      orders_already_present: writes.orders_already_present,
      events_new: writes.events_new,
      traits_updated: traitsUpdated,
      consent_updated: consentUpdated,
      errors,
      errors_total: skipped,
      seconds: (performance.now() - t0) / 1000,
    };
    await recordImport(tx, {
      importId: `imp_${randomUUID()}`,
      file,
      sha256: report.sha256,
      format: plan.format,
      startedAt: started,
      finishedAt: now(),
      report,
    });
    await dropImportTables(tx);
    return report;
  });
}

async function stage(tx: Queryable, plan: ImportPlan, file: string): Promise<RejectedLine[]> {
  try {
    return plan.staging.kind === 'delimited'
      ? await stageDelimited(tx, file, plan.staging.delimiter, plan.staging.columns)
      : await stageLines(tx, file, plan.staging.skip);
  } catch (e) {
    if (isSegmintError(e)) throw e;
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new SegmintError('import_unreadable', `Cannot read ${file}: ${msg}`, { file }, 400);
  }
}

/** The identifiers of one tuple, user_id first: it anchors the customer when several are present. */
function identifierSet(t: IdentityTuple, fallback: Date): IdentifierSet {
  const ids: Identifier[] = [];
  if (t.user_id !== null) ids.push({ kind: 'user_id', value: t.user_id });
  if (t.ext_kind !== null && t.ext_value !== null) ids.push({ kind: t.ext_kind, value: t.ext_value });
  if (t.email !== null) ids.push({ kind: 'email', value: t.email });
  if (t.anonymous_id !== null) ids.push({ kind: 'anonymous_id', value: t.anonymous_id });
  return { identifiers: ids, at: t.first_at ?? fallback, reason: 'import' };
}

function mergeErrors(rejects: readonly RejectedLine[], invalid: readonly ImportError[]): ImportError[] {
  return [...rejects, ...invalid].sort((a, b) => a.line - b.line).slice(0, ERROR_LIMIT);
}
