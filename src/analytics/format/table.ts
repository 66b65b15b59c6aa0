/**
 * A plain-text table for terminal reports: columns padded to their widest cell, numbers (and
 * anything the caller marks) right-aligned so digits line up.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], rightAlign?: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = rightAlign ?? headers.map((_, i) => i > 0);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
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
