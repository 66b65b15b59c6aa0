import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { isSegmintError } from '../../domain/errors.js';
import { excerpt } from '../../domain/excerpt.js';
import { withScratchDatabase } from '../../store/db.js';
import { compressionOf, rawColumn, readDelimited } from '../../store/queries/import/stage.js';
import { Header, splitCsvLine } from '../csv/header.js';
import { RecordScanner, type RecordShape } from '../csv/records.js';
import { inspectSource } from '../csv/source.js';
import { chooseFormat } from './formats/index.js';
import type { FormatName } from './formats/types.js';

export const PREVIEW_ROWS = 10;

export interface ImportPreview {
  bytes: number;
  gzip: boolean;
  /** the format the import would use (asked for, or detected from the first line); null when none fits */
  format: FormatName | null;
  /** true when `format` was detected rather than asked for */
  detected: boolean;
  /** why the file cannot be imported as it stands (unknown header, a mapping needed, …), in the import's own words */
  problem: { code: string; message: string } | null;
  /** the header's columns, or column 1..n for files without a header */
  columns: string[];
  /** the first data rows, split as the import splits them */
  rows: string[][];
}

/**
 * What importing a file would do, before doing it: the format the importer picks (the same decision as
 * `segmint import`), and the first rows as it will split them. A file the importer would refuse gets
 * its refusal in `problem` and the rows split on the header's delimiter, so the user sees what is wrong.
 */
export async function previewImport(path: string, opts: { format?: string; map?: readonly string[] } = {}): Promise<ImportPreview> {
  const source = await inspectSource(path);
  const header = Header.parse(source.firstLine);
  const requested = opts.format ?? 'auto';
  let format: FormatName | null = null;
  let problem: ImportPreview['problem'] = null;
  let staging: { kind: 'delimited'; delimiter: string } | { kind: 'lines'; skip: number } = { kind: 'delimited', delimiter: header.delimiter };
  try {
    const chosen = chooseFormat(requested, source, header, (opts.map?.length ?? 0) > 0);
    format = chosen.name;
    const plan = chosen.plan(source, header, { map: opts.map ?? [] });
    staging = plan.staging.kind === 'lines' ? { kind: 'lines', skip: plan.staging.skip } : { kind: 'delimited', delimiter: plan.staging.delimiter };
  } catch (e) {
    if (!isSegmintError(e)) throw e;
    problem = { code: e.code, message: e.message };
  }
  const lines = await firstLines(path, source.gzip, PREVIEW_ROWS + 1);
  let columns: string[];
  let rows: string[][];
  if (staging.kind === 'lines') {
    const split = (l: string) => l.trim().split(/\s+/);
    const data = lines.slice(staging.skip).map(split);
    columns = staging.skip > 0 ? split(lines[0] ?? '') : (data[0] ?? []).map((_, i) => `column ${i + 1}`);
    rows = data;
  } else {
    columns = splitCsvLine(lines[0] ?? '', staging.delimiter);
    // Split by the importer's own reader (quoted line breaks, CRLF, a BOM, `;`), not a second splitter.
    rows = await firstRecords(path, staging.delimiter, columns.length, source.gzip, PREVIEW_ROWS);
  }
  // A cell is shown as a message quotes a value: a 200,000-character one is cut, with its length.
  const cut = (cells: string[]) => cells.map((c) => excerpt(c, PREVIEW_CELL_CHARACTERS));
  return { bytes: source.bytes, gzip: source.gzip, format, detected: requested === 'auto' && format !== null, problem, columns: cut(columns), rows: rows.slice(0, PREVIEW_ROWS).map(cut) };
}

/** Characters of a cell the preview shows (more than a message quotes: an address or a note should read whole). */
export const PREVIEW_CELL_CHARACTERS = 200;

/**
 * The first `n` data records of a delimited file as the import reads them (readDelimited: DuckDB's CSV
 * reader with the import's options), each cell as text ('' for an empty one). A record the reader
 * refuses is left out, as the import leaves it out (listed in its errors). Only the file's head is
 * read: the bytes up to the end of record n + 1 (the header too), found by the importer's RecordScanner,
 * so a 1 GB upload is previewed as fast as a small one (DuckDB would read far ahead of a LIMIT).
 */
async function firstRecords(path: string, delimiter: string, columnCount: number, gzip: boolean, n: number): Promise<string[][]> {
  const head = await headRecords(path, gzip, { kind: 'delimited', delimiter, columns: columnCount }, n + 1);
  const dir = mkdtempSync(join(tmpdir(), 'segmint-preview-'));
  try {
    const file = join(dir, 'head.csv');
    writeFileSync(file, head);
    return await withScratchDatabase(async (db) => {
      const rows = await db.all<Record<string, string | null>>(`SELECT * FROM ${readDelimited(columnCount)} LIMIT ${Math.trunc(n)}`, [file, delimiter, compressionOf(false)]);
      return rows.map((r) => Array.from({ length: columnCount }, (_, i) => r[rawColumn(i)] ?? ''));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The (decompressed) bytes of a file from its start to at least the end of its first `records` records
 * as RecordScanner follows them (the whole file when it has fewer, or up to a record past the limits).
 */
function headRecords(path: string, gzip: boolean, shape: RecordShape, records: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const raw = createReadStream(path);
    const stream = gzip ? raw.pipe(createGunzip()) : raw;
    const scanner = new RecordScanner(shape);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      raw.destroy();
      resolve(Buffer.concat(chunks));
    };
    stream.on('data', (c: Buffer) => {
      if (done) return;
      chunks.push(c);
      if (scanner.feed(c) !== undefined || scanner.records >= records) finish();
    });
    stream.on('end', finish);
    stream.on('error', (e: Error) => (done ? undefined : reject(e)));
  });
}

/** The first n non-empty lines of the (decompressed) text, reading no more than needed. */
function firstLines(path: string, gzip: boolean, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const raw = createReadStream(path);
    const stream = gzip ? raw.pipe(createGunzip()) : raw;
    let text = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      raw.destroy();
      resolve(
        text
          .replace(/^\uFEFF/, '')
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .slice(0, n),
      );
    };
    stream.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      if (text.split('\n').length > n + 1 || text.length > 1 << 20) finish();
    });
    stream.on('end', finish);
    stream.on('error', (e: Error) => (done ? undefined : reject(e)));
  });
}
