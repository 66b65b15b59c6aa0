import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { SegmintError } from '../../domain/errors.js';

/** What an importer needs to know about a file before handing it to DuckDB. */
export interface SourceFile {
  readonly path: string;
  readonly gzip: boolean;
  readonly bytes: number;
  /** The first line of the (decompressed) text, without its line ending and byte-order mark. */
  readonly firstLine: string;
}

const HEAD_LIMIT = 1 << 20;

/**
 * Opens a .csv or .csv.gz (recognised by its magic bytes, not its name) and reads the first line.
 * Missing files, directories, empty files and broken gzip streams become SegmintErrors naming the file.
 */
export async function inspectSource(path: string): Promise<SourceFile> {
  let bytes: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new SegmintError('import_not_a_file', `${path} is not a file`, { file: path });
    bytes = st.size;
  } catch (e) {
    if (e instanceof SegmintError) throw e;
    throw new SegmintError('import_file_missing', `Cannot read ${path}: no such file`, { file: path });
  }
  if (bytes === 0) throw new SegmintError('import_empty_file', `${path} is empty`, { file: path });
  const gzip = await hasGzipMagic(path);
  const firstLine = await readFirstLine(path, gzip);
  if (firstLine.trim() === '') throw new SegmintError('import_empty_file', `${path} has no header or data on its first line`, { file: path });
  return { path, gzip, bytes, firstLine };
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
      const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
      const end = text.search(/\r?\n/);
      resolve(end >= 0 ? text.slice(0, end) : text);
    };
    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (c.includes(0x0a) || size > HEAD_LIMIT) finish();
    });
    stream.on('end', finish);
    stream.on('error', (e: Error) => {
      if (done) return;
      done = true;
      raw.destroy();
      reject(
        new SegmintError(
          gzip ? 'import_bad_gzip' : 'import_unreadable',
          gzip ? `Cannot decompress ${path}: ${e.message} (is it a complete .gz file?)` : `Cannot read ${path}: ${e.message}`,
          { file: path },
        ),
      );
    });
  });
}

/** sha256 of the file's bytes as stored (compressed or not), recorded with each import. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
