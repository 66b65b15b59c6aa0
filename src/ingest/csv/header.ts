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

/**
 * A header's columns, looked up by name without regard to case or surrounding spaces. A name the header
 * has more than once is told apart by a suffix: `Notiz#1` is the first column named Notiz, `Notiz#2`
 * the second (docs/importing.md).
 */
export class Header {
  private readonly index = new Map<string, number>();
  private readonly all = new Map<string, number[]>();

  constructor(readonly columns: readonly string[], readonly delimiter: string) {
    columns.forEach((c, i) => {
      const key = Header.key(c);
      if (!this.index.has(key)) this.index.set(key, i);
      // In place: a header may hold a million fields of one name (the limits refuse it after this).
      const same = this.all.get(key);
      if (same) same.push(i);
      else this.all.set(key, [i]);
    });
  }

  /** Every position (0-based) of a name, in header order: more than one when the header repeats it. */
  positions(name: string): readonly number[] {
    return this.all.get(Header.key(name)) ?? [];
  }

  /**
   * The column a name addresses: `{ index }` for a name the header has once, or for `Name#k` (the k-th
   * column named Name, from 1) when the header has no column spelt `Name#k` itself; `{ ambiguous }` with
   * the positions when the name is repeated and no `#k` says which; undefined when nothing matches.
   */
  address(name: string): { index: number; spelling: string } | { ambiguous: readonly number[] } | undefined {
    const exact = this.positions(name);
    if (exact.length === 1) return { index: exact[0]!, spelling: this.columns[exact[0]!]! };
    if (exact.length > 1) return { ambiguous: exact };
    const m = /^(.*)#(\d+)$/.exec(name.trim());
    if (!m) return undefined;
    const same = this.positions(m[1]!);
    const k = Number(m[2]);
    if (k < 1 || k > same.length) return undefined;
    return { index: same[k - 1]!, spelling: same.length > 1 ? `${this.columns[same[k - 1]!]!.trim()}#${k}` : this.columns[same[k - 1]!]! };
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
