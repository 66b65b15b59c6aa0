import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { SegmintError, isSegmintError } from '../domain/errors.js';
import { Store } from '../store/db.js';
import { dbFilePath, realDbPath, resolveDbPath } from '../store/paths.js';
import { withImportHint } from './import-hint.js';
import { readLock } from './served/lock.js';

/** The root program's options, readable from any subcommand. */
export function globalOptions(cmd: Command): { db?: string } {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return root.opts<{ db?: string }>();
}

// The served command's state lives in served/current.ts, which loads no database code: program.ts and
// the error reporter read it on every start.
import { printOut, servedCommand } from './served/current.js';

export { cliStderr, cliStdout, printErr, printOut, runServed, servedCommand, type OutStream, type ServedCommand } from './served/current.js';

/**
 * Opens the store named by --db / SEGMINT_DB for the length of fn, and always closes it. Only commands
 * that bring data in or define something pass `create: true`; the others refuse a path with no database.
 * When fn fails on a database this command created, the new file is removed again (`discard`): a failed
 * command leaves the disk as it found it. So does one stopped by a signal (Ctrl-C, SIGTERM, SIGHUP: trial
 * 12, L7 left a 2 MB empty database after Ctrl-C on an import into a new file): it exits as the signal
 * would (130, 143, 129) with the new file and what DuckDB keeps beside it removed.
 */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const opened = await openStore(resolveDbPath(globalOptions(cmd).db), { create: options.create ?? false, removeOnSignal: true });
  let result: T;
  try {
    result = await fn(opened.store);
  } catch (e) {
    opened.discard();
    throw e;
  }
  opened.release();
  return result;
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Until the returned function is called, a SIGINT, SIGTERM or SIGHUP removes the database `file` this
 * process created (with its .wal and .tmp) and exits with 128 + the signal's number, as a process the
 * signal ended would. The store is not closed first: a statement may be running in DuckDB, and the
 * process ends at once; whatever it held in the file goes with the file.
 */
function removeOnSignal(file: string): () => void {
  const handlers = Object.entries(SIGNALS).map(([signal, code]) => {
    const onSignal = (): void => {
      removeDatabaseFiles(file);
      process.exit(code);
    };
    process.once(signal, onSignal);
    return [signal, onSignal] as const;
  });
  return () => {
    for (const [signal, onSignal] of handlers) process.off(signal, onSignal);
  };
}

/** A store opened for one command. */
export interface OpenedStore {
  readonly store: Store;
  /** Whether this command created the database file (it did not exist when the store was opened). */
  readonly created: boolean;
  /** Closes the store (not the server's, for a served command). */
  release(): void;
  /**
   * For a command that failed: closes the store and, when this command created the file, removes it and
   * the files DuckDB keeps beside it (.wal, .tmp). A file that existed before is never removed.
   */
  discard(): void;
}

// How long a command waits for another command (not a server) to finish with the database.
const WAIT_FOR_LOCK_MS = 10 * 60_000;

/**
 * The database for a command. Run by a server for the CLI: the server's own store (release does not
 * close it). Else the file is opened; while another short-lived command holds it, this one waits its
 * turn without a word. The only message about the lock is for a second server on the same file
 * (`forServer`): then it names the server that holds it. `create: false` refuses a path with no database.
 * With `removeOnSignal`, a file this command creates is removed if a signal ends the process before
 * release or discard (from before the file is made: opening and migrating it take a while).
 */
export async function openStore(path: string, opts: { forServer?: boolean; create?: boolean; removeOnSignal?: boolean } = {}): Promise<OpenedStore> {
  const ctx = servedCommand();
  if (ctx) {
    if (opts.forServer) throw alreadyServed(path, ctx.server.pid, ctx.server.url);
    return { store: ctx.store, created: false, release: () => undefined, discard: () => undefined };
  }
  // An empty path is not resolved to the current folder: Store.open says it is empty.
  // dbFilePath, not resolve: `link/../db` is the file the system opens, not `db` beside the link.
  const absolute = path === ':memory:' || path.trim() === '' ? path : dbFilePath(path);
  const deadline = Date.now() + WAIT_FOR_LOCK_MS;
  for (;;) {
    // Looked at before each attempt: a file another command created while this one waited is not ours.
    const created = absolute !== ':memory:' && !existsSync(absolute);
    const forget = created && opts.removeOnSignal ? removeOnSignal(absolute) : () => undefined;
    try {
      const store = await Store.open(absolute, { create: opts.create ?? true });
      let closed = false;
      const release = (): void => {
        forget();
        if (closed) return;
        closed = true;
        store.close();
      };
      return {
        store,
        created,
        release,
        discard: () => {
          release();
          if (created) removeDatabaseFiles(absolute);
        },
      };
    } catch (e) {
      forget();
      if (!isSegmintError(e) || e.code !== 'store_locked') throw await withImportHint(e);
      const lock = readLock(absolute);
      if (lock && lock.pid !== process.pid && alive(lock.pid)) {
        if (opts.forServer) throw alreadyServed(absolute, lock.pid, lock.url);
        throw new SegmintError(
          'served_meanwhile',
          `segmint serve started on ${absolute} while this command waited for it; run the command again and the server carries it out.`,
          { path: absolute },
          409,
        );
      }
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Removes a database file this process created, with what DuckDB keeps beside it. Through a symlink that
 * pointed at no file yet (recheck 12, N2), the file created is the link's target (realDbPath): that is
 * removed and the user's link is left; the .wal and .tmp are named after the path opened, beside the link.
 */
function removeDatabaseFiles(path: string): void {
  for (const f of [realDbPath(path), `${path}.wal`, `${path}.tmp`]) rmSync(f, { recursive: true, force: true });
}

function alreadyServed(path: string, pid: number, url: string): SegmintError {
  return new SegmintError(
    'already_served',
    `${path} is already served by segmint serve (PID ${pid}) at ${url}. One database has one server: stop that one first, ` +
      'or use another file with --db. Every other command on this database is carried out by that server.',
    { path, pid, url },
    409,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Prints JSON (for --json) or the human text, through printOut: control and bidi characters of stored
 * values are escaped (terminal-text.ts), in JSON as the same \uXXXX escapes JSON itself uses.
 */
export function output(json: boolean | undefined, value: unknown, text: () => string): void {
  printOut(json ? JSON.stringify(value, null, 2) + '\n' : text() + '\n');
}
