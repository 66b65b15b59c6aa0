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
  events_new: number;
  traits_updated: number;
  consent_updated: number;
  errors: ImportError[];
  errors_total: number;
  seconds: number;
}

export interface ImportError {
  line: number;
  reason: string;
}

export const ERROR_LIMIT = 100;

export function formatReport(r: ImportReport): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `Imported ${r.file} as ${r.format} in ${r.seconds.toFixed(1)} s`,
    `  rows read               ${n(r.rows)}`,
    `  imported                ${n(r.imported)}`,
    `  skipped (malformed)     ${n(r.skipped)}`,
    ...(r.erased_skipped > 0 ? [`  ${n(r.erased_skipped)} row${r.erased_skipped === 1 ? '' : 's'} of erased customers skipped`] : []),
    `  lines without customer  ${n(r.lines_without_customer)}`,
    `  customers               ${n(r.customers)}`,
    `  orders                  ${n(r.orders)} (+ ${n(r.refunds)} cancellations/refunds)`,
    `  new in the store        ${n(r.orders_new)} orders/refunds, ${n(r.events_new)} events; ${n(r.orders_already_present)} already present`,
    `  profiles updated        ${n(r.traits_updated)} traits, ${n(r.consent_updated)} consent`,
  ];
  if (r.errors_total > 0) {
    lines.push(`  errors (${n(r.errors_total)}${r.errors_total > r.errors.length ? `, first ${r.errors.length} shown` : ''}):`);
    for (const e of r.errors.slice(0, 20)) lines.push(`    line ${e.line}: ${e.reason}`);
    if (r.errors.length > 20) lines.push(`    ... (--json lists ${r.errors.length})`);
  }
  return lines.join('\n');
}
