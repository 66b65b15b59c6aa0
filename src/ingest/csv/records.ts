import { CSV_LIMITS } from './limits.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;

/** Why a file cannot be imported at all, with the physical line it was found on. */
export interface ShapeProblem {
  readonly line: number;
  readonly reason: string;
}

/** What the file should look like record by record: delimited cells, or whitespace-separated tokens. */
export type RecordShape =
  | { readonly kind: 'delimited'; readonly delimiter: string; readonly columns: number }
  | { readonly kind: 'lines'; readonly tokens: number };

/**
 * Follows the records of a file byte by byte, as the CSV reader will split them (RFC 4180: a quote
 * opens a quoted value only at the start of a cell, `""` inside is a quote), and reports the first
 * record past the limits (CSV_LIMITS) the moment it is seen, and at the end a file cut short: inside a
 * quoted value, or a last record without a line end that has fewer cells than the header.
 */
export class RecordScanner {
  /** physical line (1-based) at the current position */
  line = 1;
  records = 0;
  private recordLine = 1;
  private cells = 1;
  private tokens = 0;
  private inToken = false;
  private bytes = 0;
  private inQuotes = false;
  private quoteSeen = false;
  private atCellStart = true;
  private readonly delimiter: number;

  constructor(private readonly shape: RecordShape) {
    this.delimiter = shape.kind === 'delimited' ? shape.delimiter.charCodeAt(0) : -1;
  }

  /** Feeds the next bytes; returns the first problem, or undefined. */
  feed(buf: Uint8Array): ShapeProblem | undefined {
    const max = CSV_LIMITS.lineBytes;
    const quotes = this.shape.kind === 'delimited';
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (++this.bytes > max) return this.tooLong();
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (b === QUOTE) continue; // "" inside a quoted value
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (b === QUOTE) this.quoteSeen = true;
        else if (b === LF) this.line++;
        continue;
      }
      if (b === LF) {
        this.endRecord();
        continue;
      }
      if (b === this.delimiter) {
        if (++this.cells > CSV_LIMITS.fieldsPerLine) return this.tooWide();
        this.atCellStart = true;
        continue;
      }
      if (quotes && b === QUOTE && this.atCellStart) {
        this.inQuotes = true;
        this.atCellStart = false;
        this.tokens++;
        continue;
      }
      if (b === SPACE || b === TAB || b === CR) {
        this.inToken = false;
        continue;
      }
      this.atCellStart = false;
      if (!this.inToken) {
        this.inToken = true;
        this.tokens++;
      }
    }
    return undefined;
  }

  /** At the end of the file: a file cut short inside a quoted value or inside its last record. */
  end(): ShapeProblem | undefined {
    if (this.quoteSeen) this.inQuotes = false;
    if (this.inQuotes) {
      return { line: this.recordLine, reason: `the file ends inside a quoted value that opens on line ${this.recordLine}: it looks cut short` };
    }
    if (this.bytes === 0 || this.tokens === 0) return undefined;
    const [found, expected, what] =
      this.shape.kind === 'delimited' ? [this.cells, this.shape.columns, 'cells'] : [this.tokens, this.shape.tokens, 'values'];
    if (found < expected) {
      return {
        line: this.recordLine,
        reason: `the last line (${this.recordLine}) has ${found} of ${expected} ${what} and no line end: the file looks cut short`,
      };
    }
    this.records++;
    return undefined;
  }

  private endRecord(): void {
    if (this.tokens > 0 || this.cells > 1) this.records++;
    this.line++;
    this.recordLine = this.line;
    this.cells = 1;
    this.tokens = 0;
    this.inToken = false;
    this.bytes = 0;
    this.atCellStart = true;
  }

  private tooLong(): ShapeProblem {
    return {
      line: this.recordLine,
      reason: `line ${this.recordLine} is longer than the limit of ${CSV_LIMITS.lineBytes.toLocaleString('en-US')} bytes per record`,
    };
  }

  private tooWide(): ShapeProblem {
    return {
      line: this.recordLine,
      reason: `line ${this.recordLine} has more than the limit of ${CSV_LIMITS.fieldsPerLine.toLocaleString('en-US')} fields`,
    };
  }
}
