import { createWriteStream, existsSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { userErrorFromSystem } from '../domain/system-errors.js';
import { cliStdout } from './context.js';

/** Where a command writes its output: a file named by --out, or standard output. */
export interface Output {
  /** Writes a chunk, waiting when the file is slower than the producer. */
  write(chunk: string): Promise<void>;
  /** Finishes the file; on failure a file this command created is removed, so no half export is left behind. */
  close(): Promise<void>;
  /** Removes the partial file after a failure elsewhere (a file only). */
  abort(): void;
}

/**
 * Opens --out for writing before any work, so a missing folder or a permission problem is reported in
 * one sentence at once; an error while writing (a full disk) rejects the pending write with the same
 * kind of sentence instead of surfacing as an unhandled stream event.
 */
export async function openOutput(path: string | undefined, what = 'write the export'): Promise<Output> {
  if (path === undefined) {
    // The command's standard output: for a command served by `segmint serve`, the CLI's.
    const stdout = cliStdout();
    return {
      write: async (chunk) => {
        if (!stdout.write(chunk)) await once(stdout, 'drain');
      },
      close: async () => undefined,
      abort: () => undefined,
    };
  }
  // Only a regular file this command created is ever removed; a device (/dev/full), a pipe or a file
  // that was there before is left where it was.
  const existed = existsSync(path);
  const stream: WriteStream = createWriteStream(path);
  let failure: unknown;
  let created = false;
  stream.once('open', () => (created = !existed));
  stream.on('error', (e) => {
    failure ??= userErrorFromSystem(e, { path, doing: what }) ?? e;
  });
  const abort = () => {
    stream.destroy();
    if (created && isFile(path)) rmSync(path, { force: true });
  };
  const check = () => {
    if (failure !== undefined) {
      abort();
      throw failure;
    }
  };
  // once() rejects when 'error' comes first; the listener above has kept the error.
  await once(stream, 'open').catch(() => undefined);
  check();
  return {
    async write(chunk) {
      check();
      if (!stream.write(chunk)) await once(stream, 'drain').catch(() => undefined);
      check();
    },
    async close() {
      check();
      stream.end();
      await once(stream, 'finish').catch(() => undefined);
      check();
    },
    abort,
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
