import { displayWidth, padEndDisplay, padStartDisplay } from '../../domain/display-width.js';

/**
 * A plain-text table for terminal reports, the one printer of the CLI's tables: columns padded to their
 * widest cell in terminal columns (displayWidth: a CJK character or an emoji takes two, a combining mark
 * none), numbers (and anything the caller marks) right-aligned so digits line up. Without `rightAlign`
 * the first column is left-aligned and the others right-aligned. A header line and a rule come first.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], rightAlign?: readonly boolean[]): string {
  const right = rightAlign ?? headers.map((_, i) => i > 0);
  const [head = '', ...body] = alignColumns([headers, ...rows], right);
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [head, rule, ...body].join('\n');
}

/**
 * Rows of cells as lines with their columns aligned (renderTable without its header): each column
 * padded to its widest cell in terminal columns (displayWidth), right-aligned where `right` says, two
 * spaces between columns, no trailing spaces.
 */
export function alignColumns(rows: readonly (readonly string[])[], right: readonly boolean[] = []): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((cells) =>
    widths
      .map((w, i) => (right[i] ? padStartDisplay(cells[i] ?? '', w) : padEndDisplay(cells[i] ?? '', w)))
      .join('  ')
      .trimEnd(),
  );
}

/** 1234567.891 → "1,234,567.89". */
export function money(x: number): string {
  return x.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function int(x: number): string {
  return x.toLocaleString('en-GB', { maximumFractionDigits: 0 });
}

/** 0.1234 → "12.3%". */
export function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}
