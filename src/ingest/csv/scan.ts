import { isUtf8 } from 'node:buffer';
import { utf16Mark } from '../../domain/text-encoding.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { SegmintError } from '../../domain/errors.js';
import { RecordScanner, type RecordShape, type ShapeProblem } from './records.js';
import type { SourceFile } from './source.js';

/** What a whole pass over the file found, when it is importable. */
export interface ScanResult {
  /** sha256 of the file's bytes as stored (compressed or not), recorded with the import */
  readonly sha256: string;
  /** records (non-empty lines, a quoted value's line breaks included), the header too */
  readonly records: number;
}

/**
 * Reads the whole file once before anything is imported, so that a broken file is refused whole with
 * one message instead of being half imported: a gzip stream that is cut short or damaged, bytes that
 * are not UTF-8 text (NUL bytes, another encoding, UTF-16), a record past the limits (CSV_LIMITS), or a
 * text cut short (inside a quoted value, or a last line without its line end and missing cells).
 * Computes the file's sha256 on the way. Every problem is a SegmintError naming the file and the line.
 * When `signal` fires (a cancelled import), reading stops and its reason is thrown.
 */
export async function scanFile(source: SourceFile, shape: RecordShape, signal?: AbortSignal): Promise<ScanResult> {
  const hash = createHash('sha256');
  const scanner = new RecordScanner(shape);
  const text = new TextChecks();
  const raw = createReadStream(source.path);
  let stream: NodeJS.ReadableStream = raw;
  if (source.gzip) {
    const gunzip = createGunzip();
    raw.on('data', (c) => void hash.update(c));
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // A cancelled import stops reading the file (its reason is thrown, and the caller names it).
      if (signal?.aborted) throw signal.reason;
      if (!source.gzip) hash.update(chunk);
      const problem = text.check(chunk, scanner.line) ?? scanner.feed(chunk);
      if (problem) throw broken(source, problem);
    }
  } catch (e) {
    raw.destroy();
    if (e instanceof SegmintError || (signal?.aborted && e === signal.reason)) throw e;
    throw unreadable(source, e);
  }
  const last = text.end(scanner.line) ?? scanner.end();
  if (last) throw broken(source, last);
  return { sha256: hash.digest('hex'), records: scanner.records };
}

/**
 * UTF-8 text checks chunk by chunk: no NUL byte, valid UTF-8 (a character split between two chunks is
 * carried over), and no UTF-16 byte-order mark.
 */
class TextChecks {
  private carry: Buffer = Buffer.alloc(0);
  private first = true;

  check(chunk: Buffer, lineAtStart: number): ShapeProblem | undefined {
    if (this.first) {
      this.first = false;
      if (utf16Mark(chunk)) {
        return { line: 1, reason: 'it is UTF-16 text; save it as UTF-8 (in a spreadsheet: "CSV UTF-8") and import that' };
      }
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      const line = lineAtStart + countLf(chunk, nul);
      return { line, reason: `it is not a text file (a zero byte on line ${line})` };
    }
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(bytes);
    const whole = bytes.subarray(0, bytes.length - cut);
    this.carry = Buffer.from(bytes.subarray(bytes.length - cut));
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole);
      const line = lineAtStart + countLf(whole, at);
      return {
        line,
        reason:
          `it is not UTF-8 text (byte 0x${whole[at]!.toString(16).padStart(2, '0')} on line ${line}). If it was saved as ` +
          'Latin-1 or Windows-1252, convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv',
      };
    }
    return undefined;
  }

  end(line: number): ShapeProblem | undefined {
    if (this.carry.length === 0) return undefined;
    return { line, reason: `it is not UTF-8 text (it ends inside a character on line ${line}): it looks cut short` };
  }
}

/** How many bytes at the end start a UTF-8 character that continues in the next chunk. */
function incompleteTail(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const x = b[b.length - back]!;
    if ((x & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte that breaks UTF-8 (only called once isUtf8 said there is one). */
function firstInvalidUtf8(b: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = b.length;
  // The shortest prefix that fails to decode ends at the bad byte (give or take a character).
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(b.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  for (let i = lo; i < hi; i++) {
    try {
      decoder.decode(b.subarray(0, i + 1), { stream: true });
      decoder.decode();
    } catch {
      return i;
    }
  }
  return lo;
}

function countLf(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0 && i < end; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

function broken(source: SourceFile, p: ShapeProblem): SegmintError {
  return new SegmintError('import_broken_file', `Nothing was imported from ${source.path}: ${p.reason}.`, { file: source.path, line: p.line }, 400);
}

/** A read or decompression error (zlib's messages made plain). */
function unreadable(source: SourceFile, e: unknown): SegmintError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = e instanceof Error ? e.message : String(e);
  if (source.gzip) {
    const why =
      code === 'Z_BUF_ERROR' || /unexpected end/i.test(message)
        ? 'it is not a complete gzip file (the compressed data stops before its end: cut short while downloading or copying?)'
        : `its gzip data is damaged (${message})`;
    return new SegmintError('import_bad_gzip', `Nothing was imported from ${source.path}: ${why}.`, { file: source.path }, 400);
  }
  return new SegmintError('import_unreadable', `Nothing was imported from ${source.path}: cannot read it (${message}).`, { file: source.path }, 400);
}
