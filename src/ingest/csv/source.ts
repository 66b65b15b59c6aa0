import { isUtf8 } from 'node:buffer';
import { utf16Mark } from '../../domain/text-encoding.js';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { SegmintError } from '../../domain/errors.js';
import { CSV_LIMITS } from './limits.js';

/** What an importer needs to know about a file before handing it to DuckDB. */
export interface SourceFile {
  readonly path: string;
  readonly gzip: boolean;
  readonly bytes: number;
  /** when the file was last written: the time of an export's data that carries no time of its own */
  readonly modifiedAt: Date;
  /** The first line of the (decompressed) text, without its line ending and byte-order mark. */
  readonly firstLine: string;
}

/**
 * Opens a .csv or .csv.gz (recognised by its magic bytes, not its name) and reads the first line.
 * Missing files, directories, empty files and broken gzip streams become SegmintErrors naming the file.
 */
export async function inspectSource(path: string): Promise<SourceFile> {
  let bytes: number;
  let modifiedAt: Date;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new SegmintError('import_not_a_file', `${path} is not a file`, { file: path });
    bytes = st.size;
    modifiedAt = st.mtime;
  } catch (e) {
    if (e instanceof SegmintError) throw e;
    throw new SegmintError('import_file_missing', `Cannot read ${path}: no such file`, { file: path });
  }
  if (bytes === 0) throw new SegmintError('import_empty_file', `${path} is empty`, { file: path });
  const gzip = await hasGzipMagic(path);
  const firstLine = await readFirstLine(path, gzip);
  if (firstLine.trim() === '') throw new SegmintError('import_empty_file', `${path} has no header or data on its first line`, { file: path });
  return { path, gzip, bytes, modifiedAt, firstLine };
}

async function hasGzipMagic(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function readFirstLine(path: string, gzip: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const raw = createReadStream(path);
    const stream = gzip ? raw.pipe(createGunzip()) : raw;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      raw.destroy();
      const head = Buffer.concat(chunks);
      const end = head.indexOf(0x0a);
      if (end < 0 && size > CSV_LIMITS.lineBytes) {
        reject(notImportable(path, `line 1 is longer than the limit of ${CSV_LIMITS.lineBytes.toLocaleString('en-US')} bytes per record`));
        return;
      }
      const line = end >= 0 ? head.subarray(0, end) : head;
      const why = notText(line);
      if (why) {
        reject(notImportable(path, why));
        return;
      }
      resolve(line.toString('utf8').replace(/^\uFEFF/, '').replace(/\r$/, ''));
    };
    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (c.includes(0x0a) || size > CSV_LIMITS.lineBytes) finish();
    });
    stream.on('end', finish);
    stream.on('error', (e: Error) => {
      if (done) return;
      done = true;
      raw.destroy();
      reject(
        gzip
          ? new SegmintError('import_bad_gzip', `Nothing was imported from ${path}: it is not a complete or valid gzip file (${e.message}).`, { file: path })
          : new SegmintError('import_unreadable', `Cannot read ${path}: ${e.message}`, { file: path }),
      );
    });
  });
}

/** Why the first line is not UTF-8 text, or undefined when it is. */
function notText(line: Buffer): string | undefined {
  if (utf16Mark(line)) {
    return 'it is UTF-16 text; save it as UTF-8 (in a spreadsheet: "CSV UTF-8") and import that';
  }
  if (line.includes(0)) return 'it is not a text file (a zero byte on line 1)';
  // A character cut by the 1 MiB head limit is not an error; the whole-file scan checks the rest.
  if (!isUtf8(line) && line.length <= CSV_LIMITS.lineBytes) return 'it is not UTF-8 text (line 1)';
  return undefined;
}

function notImportable(path: string, reason: string): SegmintError {
  return new SegmintError('import_broken_file', `Nothing was imported from ${path}: ${reason}.`, { file: path, line: 1 });
}
