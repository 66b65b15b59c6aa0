import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { SegmintError } from '../../domain/errors.js';

export interface Upload {
  id: string;
  /** the file name the client gave, for reports */
  name: string;
  path: string;
  bytes: number;
  receivedAt: string;
}

/** Uploads are kept this long for an import to follow; older ones are deleted. */
const KEEP_MS = 6 * 60 * 60 * 1000;

/**
 * Files uploaded for import, written to a temporary folder of this server process (created on the first
 * upload, removed on close). The importer reads them like any file given to `segmint import`, so an
 * upload is imported exactly as the CLI would import it. The name a client sends is used only in
 * reports: the file on disk is named by a random id.
 */
export class UploadStaging {
  private dir: string | undefined;
  private readonly uploads = new Map<string, Upload>();

  constructor(readonly maxBytes: number) {}

  /** Streams a request body to disk; a body over maxBytes is refused (413) and nothing is kept. */
  async save(body: Readable, name: string): Promise<Upload> {
    this.expire();
    this.dir ??= mkdtempSync(join(tmpdir(), 'segmint-uploads-'));
    const id = 'upl_' + randomBytes(8).toString('hex');
    // Each upload in a folder of its own under its own name, so importer messages name the file the user knows.
    const safeName = basename(name).replace(/[^\w.-]+/g, '_').slice(0, 120) || 'upload.csv';
    mkdirSync(join(this.dir, id));
    const path = join(this.dir, id, safeName);
    const max = this.maxBytes;
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > max) done(new SegmintError('upload_too_large', `The file is larger than the ${Math.round(max / 1048576)} MB an upload may be; import it with \`segmint import FILE\` on the server instead.`, { limit: max }, 413));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, createWriteStream(path));
    } catch (e) {
      rmSync(dirname(path), { recursive: true, force: true });
      throw e;
    }
    if (bytes === 0) {
      rmSync(dirname(path), { recursive: true, force: true });
      throw new SegmintError('upload_empty', 'The uploaded file is empty.', {}, 400);
    }
    const upload: Upload = { id, name: basename(name).slice(0, 200) || 'upload.csv', path, bytes: statSync(path).size, receivedAt: new Date().toISOString() };
    this.uploads.set(id, upload);
    return upload;
  }

  get(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw new SegmintError('upload_not_found', `No upload has the id ${id} (uploads are kept for 6 hours, and until imported); upload the file again.`, { upload: id }, 404);
    return u;
  }

  remove(id: string): void {
    const u = this.uploads.get(id);
    if (!u) return;
    this.uploads.delete(id);
    rmSync(dirname(u.path), { recursive: true, force: true });
  }

  close(): void {
    this.uploads.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private expire(): void {
    const cutoff = Date.now() - KEEP_MS;
    for (const u of [...this.uploads.values()]) if (Date.parse(u.receivedAt) < cutoff) this.remove(u.id);
  }
}
