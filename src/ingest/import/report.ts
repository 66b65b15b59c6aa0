import type { DifferingOrder } from '../../store/queries/import/changed-orders.js';
import type { LayoutNote } from './layouts/types.js';

/** What an import did, printed by `segmint import` and stored with the import in the imports table. */
export interface ImportReport {
  file: string;
  format: string;
  sha256: string;
  /** data rows in the file (header excluded) */
  rows: number;
  /** rows taken in */
  imported: number;
  /** malformed rows left out (each listed in errors, up to the cap) */
  skipped: number;
  /** rows of erased customers (a suppressed identifier) left out, with the other lines of their orders */
  erased_skipped: number;
  /** imported order lines with no customer identifier (guest checkouts) */
  lines_without_customer: number;
  /** distinct customers the file's rows belong to */
  customers: number;
  /** distinct orders in the file (cancellations/refunds counted apart in refunds) */
  orders: number;
  refunds: number;
  /** orders and refunds written now; the others were already in the store (same order id) */
  orders_new: number;
  orders_already_present: number;
  /** orders an earlier import stored in part (a file cut at a line end), now written whole */
  orders_repaired: number;
  /**
   * stored refunds the file raised (Shopify's Refunded Amount is the refunds so far): rewritten with the
   * file's amount (not counted in orders_new or orders_already_present)
   */
  refunds_updated: number;
  /** already-present orders (counted in orders_already_present) whose content in the file differs, left as stored */
  orders_differing: number;
  /** the first of them (up to 10), by their first line in the file */
  orders_differing_examples: DifferingOrder[];
  /** differing orders replaced by the file's (--replace-differing; not counted in orders_new) */
  orders_replaced: number;
  events_new: number;
  traits_updated: number;
  consent_updated: number;
  /** rows whose traits or consent had no time of their own, and the time they were given */
  undated_rows_at: { at: string; rows: number; from: string } | null;
  /** how each number and date column was read (decimal separator, date order) and what decided it */
  columns: LayoutNote[];
  /** things worth a look that did not stop the import (a column mixing decimal comma and point) */
  warnings: string[];
  errors: ImportError[];
  errors_total: number;
  seconds: number;
}

export interface ImportError {
  line: number;
  reason: string;
}

export const ERROR_LIMIT = 100;

// Per type: a number column and a date column share the words `mixed` and `unknown` but not their meaning.
const LAYOUT_WORDS: Readonly<Record<LayoutNote['type'], Readonly<Record<string, string>>>> = {
  number: { point: 'decimal point', comma: 'decimal comma', mixed: 'decimal comma and point mixed', unknown: 'not decided' },
  date: { dmy: 'day first', mdy: 'month first', ymd: 'year first', mixed: 'day first and month first mixed', unknown: 'not decided' },
};

/** How a column was read, in words: `decimal comma`, `day first`, or a --date-format as given (`format %d.%m.%Y`). */
export function layoutWords(c: Pick<LayoutNote, 'type' | 'layout'>): string {
  return LAYOUT_WORDS[c.type][c.layout] ?? (c.type === 'date' ? `format ${c.layout}` : c.layout);
}

/**
 * The rows of erased customers an import left out, in the words every import text uses (the report,
 * the refusal of an import that stores nothing, docs/privacy.md): `3 rows of erased customers skipped`.
 */
export function erasedRowsWords(rows: number): string {
  return `${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'} of erased customers skipped`;
}

/** The import's report as `segmint import` prints it: counts (erased rows on a line of their own when any), columns, errors. */
export function formatReport(r: ImportReport): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `Imported ${r.file} as ${r.format} in ${r.seconds.toFixed(1)} s`,
    `  rows read               ${n(r.rows)}`,
    `  imported                ${n(r.imported)}`,
    `  skipped (malformed)     ${n(r.skipped)}`,
    ...(r.erased_skipped > 0 ? [`  ${erasedRowsWords(r.erased_skipped)}`] : []),
    `  lines without customer  ${n(r.lines_without_customer)}`,
    `  customers               ${n(r.customers)}`,
    `  orders                  ${n(r.orders)} (+ ${n(r.refunds)} cancellations/refunds)`,
    `  new in the store        ${n(r.orders_new)} orders/refunds, ${n(r.events_new)} events; ${n(r.orders_already_present)} already present` +
      (r.orders_repaired > 0 ? `; ${n(r.orders_repaired)} stored in part before, now whole` : ''),
    ...(r.refunds_updated > 0 ? [`  refunds updated         ${n(r.refunds_updated)} (the file's refunded amount so far is larger than the stored one)`] : []),
    ...(r.orders_replaced > 0 ? [`  orders replaced         ${n(r.orders_replaced)} (they differed from the file; --replace-differing)`] : []),
    `  profiles updated        ${n(r.traits_updated)} traits, ${n(r.consent_updated)} consent`,
  ];
  const read = r.columns.filter((c) => c.layout !== 'ymd' && c.layout !== 'unknown' || c.source !== 'detected');
  if (read.length > 0) {
    lines.push(`  read                    ${read.map((c) => `${c.column}: ${layoutWords(c)}${c.source === 'detected' ? '' : c.source === 'file' ? ' (as the rest of the file)' : ' (as asked)'}`).join('; ')}`);
  }
  if (r.undated_rows_at) {
    const u = r.undated_rows_at;
    const hint = u.from === '--exported-at' ? u.from : `${u.from}; --exported-at to say otherwise`;
    lines.push(`  dated                   ${n(u.rows)} rows without a time of their own at ${u.at} (${hint})`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (r.orders_differing > 0) lines.push(...differingLines(r));
  if (r.errors_total > 0) {
    lines.push(`  errors (${n(r.errors_total)}${r.errors_total > r.errors.length ? `, first ${r.errors.length} shown` : ''}):`);
    for (const e of r.errors.slice(0, 20)) lines.push(`    line ${e.line}: ${e.reason}`);
    if (r.errors.length > 20) lines.push(`    ... (--json lists ${r.errors.length})`);
  }
  return lines.join('\n');
}

/**
 * The already-present orders whose content differs from the file, as the text report says it: a warning
 * (they were left as stored), how to replace them, and the first examples with their lines in the file.
 */
function differingLines(r: ImportReport): string[] {
  const n = (x: number): string => x.toLocaleString('en-US');
  const one = r.orders_differing === 1;
  const out = [
    `  warning: ${n(r.orders_differing)} order${one ? '' : 's'} already present ${one ? 'differs' : 'differ'} from the file and ${one ? 'was' : 'were'} left as stored ` +
      `(--replace-differing replaces those an import of ${r.format} stored; docs/importing.md):`,
  ];
  for (const e of r.orders_differing_examples.slice(0, 5)) {
    const where = e.first_line === e.last_line ? `line ${e.first_line}` : `lines ${e.first_line}-${e.last_line}`;
    out.push(`    order ${e.order_id} (${where}): ${e.differs.join(', ')} differ${e.differs.length === 1 ? 's' : ''}${e.stored_source.startsWith('import:') ? '' : ` (stored by ${e.stored_source})`}`);
  }
  if (r.orders_differing > 5) out.push(`    ... (--json lists ${Math.min(r.orders_differing, r.orders_differing_examples.length)})`);
  return out;
}
