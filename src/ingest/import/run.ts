import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { stoppingServer } from '../../domain/cancel.js';
import { SegmintError, isSegmintError } from '../../domain/errors.js';
import type { Identifier } from '../../domain/identifiers.js';
import type { Queryable, Store, Transaction } from '../../store/db.js';
import { writeConsent, writeTraits } from '../../store/queries/import/customers.js';
import { removeRepairableOrders, skipPartialOrders } from '../../store/queries/import/whole-orders.js';
import { settleChangedOrders } from '../../store/queries/import/changed-orders.js';
import { dateRows } from '../../store/queries/import/rows/dates.js';
import { fillRows } from '../../store/queries/import/rows/schema.js';
import { attachRowsDatabase, compressRows, keepRowsForWriting } from '../../store/queries/import/rows/staged.js';
import { countEvidence, ValueReader } from '../../store/queries/import/rows/values.js';
import { dropStaging, stageDelimited, stageLines, type RejectedLine, type StagedFile } from '../../store/queries/import/stage.js';
import { giveBackMemory } from '../../store/queries/import/threads.js';
import { dropImportTables, recordImport, rowCounts, rowErrors } from '../../store/queries/import/summary.js';
import { attachCustomers, buildOrders, identityTuples, writeOrders, type IdentityTuple } from '../../store/queries/import/write.js';
import { refreshCustomerMetrics } from '../../store/queries/metrics.js';
import { Header, splitCsvLine } from '../csv/header.js';
import { CSV_LIMITS } from '../csv/limits.js';
import type { RecordShape } from '../csv/records.js';
import { scanFile, type ScanResult } from '../csv/scan.js';
import { inspectSource, type SourceFile } from '../csv/source.js';
import { resolveIdentifierSetsDetailed, type IdentifierSet } from '../identity/resolve.js';
import { dropSuppressedImportRows } from '../../store/queries/privacy/suppressed-rows.js';
import { chooseFormat } from './formats/index.js';
import type { ImportPlan } from './formats/types.js';
import { parseLineKindOverrides } from './line-kind-options.js';
import { decideLayouts, type Decisions, type LayoutOptions } from './layouts/decide.js';
import { ERROR_LIMIT, erasedRowsWords, type ImportError, type ImportReport } from './report.js';

export const IMPORT_PHASES = ['checking the file', 'reading the file', 'checking rows', 'resolving identities', 'writing orders and events', 'updating profiles', 'computing metrics'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export interface ImportOptions {
  /** auto (default) or a format name */
  readonly format?: string;
  readonly map?: readonly string[];
  readonly currency?: string;
  /** --decimal: `point`, `comma`, or `Column=point|comma` (repeatable); default: detected per column */
  readonly decimal?: readonly string[];
  /** --date-format: `dmy`, `mdy`, `ymd`, a strptime format, or `Column=...` (repeatable) */
  readonly dateFormat?: readonly string[];
  /** --line-kind: `PRODUCT_ID_OR_NAME=kind` (repeatable), over the format's own rules */
  readonly lineKind?: readonly string[];
  /**
   * --exported-at: when the file's data was current, for rows without a time of their own (a customers
   * export); default: the file's modification time (a download's time, about when it was exported)
   */
  readonly exportedAt?: Date;
  /** called as each phase starts, for progress display */
  readonly onPhase?: (phase: ImportPhase, index: number) => void;
  readonly now?: () => Date;
  /** how the file is named in the report and the imports table (default: its path), e.g. an upload's own name */
  readonly name?: string;
  /**
   * Cancels the import (the CLI's Ctrl-C on a command a server carries out, or that server stopping):
   * the statement under way is interrupted, the file's check stops, and the phases and the moment just
   * before the commit check it; the transaction rolls back and the import throws `interrupted` (Ctrl-C)
   * or, when the reason is a ServerStopping (domain/cancel.ts), `server_stopped`.
   */
  readonly signal?: AbortSignal;
  /**
   * Refuses an import that stores none of its rows when some were skipped (the CLI): it throws
   * `import_nothing_stored`, naming the first reasons, and the transaction rolls back.
   */
  readonly refuseEmpty?: boolean;
  /**
   * --replace-differing: already-present orders that an import of the same format stored, whose content
   * in the file differs (customer, time, amount or lines), are replaced by the file's (default: left as
   * stored and counted in `orders_differing`). Orders other sources stored are never replaced.
   */
  readonly replaceDiffering?: boolean;
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
  checkHeaderWidth(source, header);
  const format = chooseFormat(options.format ?? 'auto', source, header, (options.map?.length ?? 0) > 0);
  const plan = format.plan(source, header, { map: options.map ?? [], currency: options.currency });
  const overrides = parseLineKindOverrides(source.path, options.lineKind ?? []);
  const phase = (p: ImportPhase): void => {
    checkNotAborted(source.path, options.signal);
    options.onPhase?.(p, IMPORT_PHASES.indexOf(p));
  };
  const sourceName = `import:${plan.format}`;
  // The whole file is checked before anything is written: a broken file is refused whole. The check
  // (Node: gzip, UTF-8, record shapes, sha256) runs while DuckDB reads the file into temporary tables,
  // which write nothing to the store; nothing else happens before the check has passed.
  phase('checking the file');
  const scanning = scanFile(source, recordShape(plan, header, source), options.signal);
  scanning.catch(() => undefined);

  // The file is read into temporary tables outside the transaction, which only writes: a table dropped
  // outside a transaction gives its memory back at once (the file's text, once its rows are parsed).
  const work = store.session(async (session) => {
    try {
      phase('reading the file');
      let staged: Staged;
      try {
        staged = await stage(session, plan, source);
      } catch (e) {
        // A broken file is named by the check (what and where), not by DuckDB's reader.
        if (!options.signal?.aborted) await scanning;
        throw e;
      }
      const scan = await scanning;
      phase('checking rows');
      const { rejects } = staged;
      const decisions = await decide(session, source, plan, options, staged.evidence);
      const fields = new Map(plan.typed.map((f) => [f.key, f]));
      // What reading the file left in the allocator is given back before the rows are built next to it
      // (threads.ts): 50–120 MiB on Online Retail, which the fill otherwise adds to.
      await giveBackMemory(session);
      await attachRowsDatabase(session);
      await fillRows(session, plan.rows((binds) => new ValueReader(fields, decisions.layouts, binds, started)), plan.lineRules, overrides);
      const valueWarnings = plan.valueWarnings ? await plan.valueWarnings(session) : [];
      await dropStaging(session);
      // Every change to the rows that depends on the file alone is made before they are compressed,
      // and before the transaction, which writes only the store (rows/staged.ts).
      await skipPartialOrders(session, unreadableOrders(plan, rejects));
      // A file modified (or said to be exported) after the import started has a wrong time: rows without
      // their own time are dated no later than the import's run time, like every row (values.ts).
      const given = options.exportedAt ?? source.modifiedAt;
      const dataTime = given.getTime() > started.getTime() ? started : given;
      const undated = await dateRows(session, dataTime);
      await compressRows(session);
      // The uncompressed rows, freed by the compression, are given back before the transaction builds
      // its orders and events (about 200 MiB for Online Retail).
      await giveBackMemory(session);
      const dated = { at: dataTime, rows: undated };
      return await session.transaction((tx) => writeImport(tx, { file, options, plan, rejects, scan, decisions, valueWarnings, dated, started, t0, sourceName, phase, now }));
    } finally {
      await dropImportTables(session.cleanup).catch(() => undefined);
    }
  }, options.signal ? { signal: options.signal } : {});
  // Whatever failed once the signal fired (an interrupted statement, the stopped check) failed for it.
  return work.catch((e: unknown) => {
    if (options.signal?.aborted) checkNotAborted(options.name ?? source.path, options.signal);
    throw e;
  });
}

/** What importFile found before writing: the file, its plan and checks, and the rows in imp_rows. */
interface Prepared {
  readonly file: string;
  readonly options: ImportOptions;
  readonly plan: ImportPlan;
  readonly rejects: readonly RejectedLine[];
  readonly scan: ScanResult;
  readonly decisions: Decisions;
  /** the plan's warnings about values read (ImportPlan.valueWarnings) */
  readonly valueWarnings: readonly string[];
  /** the time given to rows without a time of their own, and how many good rows with traits or consent got it */
  readonly dated: { readonly at: Date; readonly rows: number };
  readonly started: Date;
  readonly t0: number;
  readonly sourceName: string;
  readonly phase: (p: ImportPhase) => void;
  /** the clock of the import (options.now, else the machine's) */
  readonly now: () => Date;
}

/** The import's one transaction: everything it adds appears together, or nothing does. */
async function writeImport(tx: Transaction, p: Prepared): Promise<ImportReport> {
  const { file, options, plan, rejects, scan, decisions, valueWarnings, dated, started, t0, sourceName, phase, now } = p;
  phase('resolving identities');
  const tuples = await identityTuples(tx);
  const resolved = await resolveIdentifierSetsDetailed(tx, tuples.map((t) => identifierSet(t, started)));
  const ids = resolved.customers;
  // Rows of erased people (docs/privacy.md) are dropped here, before anything is written.
  const suppressed = tuples.filter((_, i) => resolved.suppressed[i]).map((t) => t.key);
  if (suppressed.length > 0) await keepRowsForWriting(tx);
  const erasedRows = await dropSuppressedImportRows(tx, suppressed);
  await attachCustomers(tx, tuples.map((t) => t.key), ids);
  phase('writing orders and events');
  const repaired = await removeRepairableOrders(tx, sourceName);
  // Orders the store has that the file says otherwise: a grown Shopify refund is rewritten, the others
  // counted (or replaced when asked). Before buildOrders, which then writes the removed ones anew.
  const changed = await settleChangedOrders(tx, sourceName, options.replaceDiffering ?? false);
  await buildOrders(tx, plan.format);
  const writes = await writeOrders(tx, sourceName);
  phase('updating profiles');
  // Traits and consent are decided by the time of the data that carries them, whatever the order of
  // arrival: the history names the file they came from.
  const dataSource = `${sourceName}:${basename(options.name ?? file)}`;
  const traitsUpdated = await writeTraits(tx, started, dataSource);
  const consentUpdated = await writeConsent(tx, dataSource, now());
  const counts = await rowCounts(tx);
  const errors = mergeErrors(rejects, await rowErrors(tx, ERROR_LIMIT));
  phase('computing metrics');
  if (writes.orders_new > 0) await refreshCustomerMetrics(tx);
  const rows = counts.kept + rejects.length + erasedRows;
  const skipped = counts.invalid + rejects.length;
  const report: ImportReport = {
    file: basename(options.name ?? file),
    format: plan.format,
    sha256: scan.sha256,
    rows,
    imported: rows - skipped - erasedRows,
    skipped,
    erased_skipped: erasedRows,
    lines_without_customer: counts.lines_without_customer,
    customers: counts.customers,
    orders: writes.orders,
    refunds: writes.refunds,
    orders_new: writes.orders_new - repaired - changed.refunds_updated - changed.replaced,
    orders_already_present: writes.orders_already_present,
    orders_repaired: repaired,
    refunds_updated: changed.refunds_updated,
    orders_differing: changed.differing,
    orders_differing_examples: changed.examples,
    orders_replaced: changed.replaced,
    events_new: writes.events_new - changed.events_removed,
    traits_updated: traitsUpdated,
    consent_updated: consentUpdated,
    undated_rows_at: dated.rows > 0 ? { at: dated.at.toISOString(), rows: dated.rows, from: options.exportedAt ? '--exported-at' : 'the file modification time' } : null,
    columns: [...decisions.notes],
    warnings: [...decisions.warnings, ...valueWarnings],
    errors,
    errors_total: skipped,
    seconds: (performance.now() - t0) / 1000,
  };
  await recordImport(tx, {
    importId: `imp_${randomUUID()}`,
    file: options.name ?? file,
    sha256: report.sha256,
    format: plan.format,
    startedAt: started,
    finishedAt: now(),
    report,
  });
  if (options.refuseEmpty && report.imported === 0 && report.skipped > 0) throw nothingStored(options.name ?? file, report);
  // The last moment a Ctrl-C can still undo the import: after this the transaction commits.
  checkNotAborted(options.name ?? file, options.signal);
  return report;
}

/**
 * Throws when the signal has fired, and the caller's transaction rolls back: `server_stopped` (exit 2 in
 * the CLI) when the server carrying out the import is stopping (domain/cancel.ts), else `interrupted`
 * (exit 130: a Ctrl-C).
 */
function checkNotAborted(file: string, signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const server = stoppingServer(signal);
  if (server) {
    throw new SegmintError(
      'server_stopped',
      `The import of ${file} was rolled back because the server (PID ${server.pid}) carrying it out stopped: nothing from it was imported. ` +
        'Run it again: with no server on the database it runs here, or start `segmint serve` first.',
      { file, pid: server.pid },
      503,
    );
  }
  throw new SegmintError('interrupted', `The import of ${file} was interrupted (Ctrl-C) and rolled back: nothing from it was kept.`, { file });
}

/**
 * The failure of an import none of whose rows was stored, with at least one malformed: what the first
 * malformed rows had wrong, and, when some rows were of erased customers, every row counted (recheck12
 * N6: `none of its 4 rows was stored: 3 rows of erased customers skipped …, 1 malformed (line 6: …)`).
 */
function nothingStored(file: string, report: ImportReport): SegmintError {
  const n = (x: number): string => x.toLocaleString('en-US');
  const first = report.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.reason}`);
  const more = report.errors_total > first.length ? `; ${n(report.errors_total - first.length)} more` : '';
  const reasons = `(${first.join('; ')}${more})`;
  const what =
    report.erased_skipped > 0
      ? `none of its ${n(report.rows)} rows was stored: ${erasedRowsWords(report.erased_skipped)}, ${n(report.skipped)} malformed ${reasons}`
      : `${report.skipped === 1 ? 'its one row was' : `all ${n(report.skipped)} of its rows were`} skipped ${reasons}`;
  return new SegmintError(
    'import_nothing_stored',
    `Nothing was imported from ${file}: ${what}. Fix the file or the options (--map, --decimal, --date-format) and import it again.`,
    { file, rows: report.rows, skipped: report.skipped, erased_skipped: report.erased_skipped, errors: report.errors },
    400,
  );
}

/** The file's first read (stage.ts): its rejected lines, and the layout evidence when counted on the way. */
type Staged = Pick<StagedFile, 'rejects'> & { readonly evidence?: StagedFile['evidence'] };

async function stage(tx: Queryable, plan: ImportPlan, source: SourceFile): Promise<Staged> {
  try {
    return plan.staging.kind === 'delimited'
      ? await stageDelimited(tx, source.path, plan.staging.delimiter, plan.staging.columns, source.gzip, plan.typed)
      : { rejects: await stageLines(tx, source.path, plan.staging.skip, source.gzip) };
  } catch (e) {
    if (isSegmintError(e)) throw e;
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new SegmintError('import_unreadable', `Nothing was imported from ${source.path}: cannot read it (${msg}).`, { file: source.path }, 400);
  }
}

/**
 * How each number and date column is read: options first, else what the whole staged file shows
 * (`evidence` when the read counted it, else counted now over imp_raw).
 */
async function decide(tx: Queryable, source: SourceFile, plan: ImportPlan, options: LayoutOptions, evidence?: StagedFile['evidence']): Promise<Decisions> {
  // Options are checked on their own first, so a mistyped option is named whatever the file's values show.
  decideLayouts(source.path, plan.typed, new Map(), options);
  return decideLayouts(source.path, plan.typed, evidence ?? (await countEvidence(tx, plan.typed)), options);
}

/** The orders of the lines the reader could not split, when the format names its order column. */
function unreadableOrders(plan: ImportPlan, rejects: readonly RejectedLine[]): { orderId: string; line: number }[] {
  const col = plan.orderColumn;
  if (col === undefined || plan.staging.kind !== 'delimited') return [];
  const delimiter = plan.staging.delimiter;
  return rejects.flatMap((r) => {
    const id = r.text ? splitCsvLine(r.text, delimiter)[col]?.trim() : undefined;
    return id ? [{ orderId: id, line: r.line }] : [];
  });
}

/** A header wider than the limit is refused before its columns are set up (the cost grows with them). */
function checkHeaderWidth(source: SourceFile, header: Header): void {
  if (header.columns.length > CSV_LIMITS.fieldsPerLine) {
    throw new SegmintError(
      'import_broken_file',
      `Nothing was imported from ${source.path}: line 1 has ${header.columns.length.toLocaleString('en-US')} fields, more than the limit of ${CSV_LIMITS.fieldsPerLine.toLocaleString('en-US')}.`,
      { file: source.path, line: 1 },
    );
  }
}

/** How the scan should see the file's records: the header's cells, or the first line's values. */
function recordShape(plan: ImportPlan, header: Header, source: SourceFile): RecordShape {
  return plan.staging.kind === 'delimited'
    ? { kind: 'delimited', delimiter: plan.staging.delimiter, columns: header.columns.length }
    : { kind: 'lines', tokens: source.firstLine.trim().split(/\s+/).length };
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
  return [...rejects.map((r) => ({ line: r.line, reason: r.reason })), ...invalid].sort((a, b) => a.line - b.line).slice(0, ERROR_LIMIT);
}
