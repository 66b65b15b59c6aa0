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
  /** the chunk nextQuote was searched in, and the index of its next quote (-1: none) */
  private quoteChunk: Uint8Array | undefined;
  private nextQuote = -1;

  /**
   * @param plainRecords whether a record that is plain (the sum of its bytes and cells within the
   * limits, no quote when quotes count, its line end in the same chunk) is taken in one step (see
   * plainRecord). The result is the same either way: false is for the tests that prove it.
   */
  constructor(
    private readonly shape: RecordShape,
    private readonly plainRecords = true,
  ) {
    this.delimiter = shape.kind === 'delimited' ? shape.delimiter.charCodeAt(0) : -1;
  }

  /** Feeds the next bytes; returns the first problem, or undefined. */
  feed(buf: Uint8Array): ShapeProblem | undefined {
    let i = 0;
    while (i < buf.length) {
      // At a record's start (no byte of it seen yet), a plain record is taken whole.
      if (this.plainRecords && this.bytes === 0) {
        const next = this.plainRecord(buf, i);
        if (next > i) {
          i = next;
          continue;
        }
      }
      const next = this.byBytes(buf, i);
      if (typeof next !== 'number') return next;
      i = next;
    }
    return undefined;
  }

  /**
   * Takes the record starting at `from` in one step when it is plain: its line end is in this chunk,
   * it is within the byte and cell limits, and it has no quote (where quotes count). Such a record
   * changes nothing but the counts, so counting its delimiters and seeing whether it has a value is
   * all byBytes would do with it; the line end, quotes and delimiters are searched natively (indexOf)
   * instead of byte by byte, which was most of the scan's time on a large file. Returns the index
   * after its line end, or `from` when it is not plain (byBytes then follows it, and reports any
   * problem exactly where it is).
   */
  private plainRecord(buf: Uint8Array, from: number): number {
    const lf = buf.indexOf(LF, from);
    if (lf < 0 || lf - from + 1 > CSV_LIMITS.lineBytes) return from;
    if (this.shape.kind === 'delimited') {
      // The next quote of the chunk, searched again only once passed: each byte is searched once.
      if (this.quoteChunk !== buf || (this.nextQuote >= 0 && this.nextQuote < from)) {
        this.quoteChunk = buf;
        this.nextQuote = buf.indexOf(QUOTE, from);
      }
      if (this.nextQuote >= 0 && this.nextQuote < lf) return from;
    }
    let cells = 1;
    if (this.delimiter >= 0) {
      for (let i = buf.indexOf(this.delimiter, from); i >= 0 && i < lf; i = buf.indexOf(this.delimiter, i + 1)) {
        if (++cells > CSV_LIMITS.fieldsPerLine) return from;
      }
    }
    if (cells > 1 || hasValue(buf, from, lf)) this.records++;
    this.line++;
    this.recordLine = this.line;
    return lf + 1;
  }

  /**
   * Follows the bytes from `from` one by one until a record ends (the index after its line end, when
   * plain records are taken whole) or the chunk does; returns where it stopped, or the first problem.
   */
  private byBytes(buf: Uint8Array, from: number): ShapeProblem | number {
    const max = CSV_LIMITS.lineBytes;
    const quotes = this.shape.kind === 'delimited';
    for (let i = from; i < buf.length; i++) {
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
        if (this.plainRecords) return i + 1;
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
    return buf.length;
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

/** Whether buf[from, to) holds anything but spaces, tabs and carriage returns (a value, as byBytes counts tokens). */
function hasValue(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b !== SPACE && b !== TAB && b !== CR) return true;
  }
  return false;
}
