/**
 * Splits one CSV line into fields (RFC 4180 quoting: "a ""b""" is `a "b"`). Only the header line goes
 * through here; the rows themselves are read by DuckDB with the same delimiter and quote.
 */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

const CANDIDATES = [',', ';', '\t', '|'];

/** The delimiter of a header line: the candidate that splits it into the most fields (comma on a tie). */
export function detectDelimiter(line: string): string {
  let best = ',';
  let bestCount = 1;
  for (const d of CANDIDATES) {
    const n = splitCsvLine(line, d).length;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** A header's columns, looked up by name without regard to case or surrounding spaces. */
export class Header {
  private readonly index = new Map<string, number>();

  constructor(readonly columns: readonly string[], readonly delimiter: string) {
    columns.forEach((c, i) => {
      const key = Header.key(c);
      if (!this.index.has(key)) this.index.set(key, i);
    });
  }

  static parse(line: string): Header {
    const delimiter = detectDelimiter(line);
    return new Header(splitCsvLine(line, delimiter), delimiter);
  }

  static key(name: string): string {
    return name.trim().toLowerCase();
  }

  has(name: string): boolean {
    return this.index.has(Header.key(name));
  }

  /** Position of the first of the names present, or undefined. */
  find(...names: string[]): number | undefined {
    for (const n of names) {
      const i = this.index.get(Header.key(n));
      if (i !== undefined) return i;
    }
    return undefined;
  }

  hasAll(names: readonly string[]): boolean {
    return names.every((n) => this.has(n));
  }
}
