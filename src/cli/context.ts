import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SegmintError, isSegmintError } from '../domain/errors.js';
import { Store } from '../store/db.js';
import { resolveDbPath } from '../store/paths.js';
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
 * command leaves the disk as it found it.
 */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const opened = await openStore(resolveDbPath(globalOptions(cmd).db), { create: options.create ?? false });
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
 */
export async function openStore(path: string, opts: { forServer?: boolean; create?: boolean } = {}): Promise<OpenedStore> {
  const ctx = servedCommand();
  if (ctx) {
    if (opts.forServer) throw alreadyServed(path, ctx.server.pid, ctx.server.url);
    return { store: ctx.store, created: false, release: () => undefined, discard: () => undefined };
  }
  // An empty path is not resolved to the current folder: Store.open says it is empty.
  const absolute = path === ':memory:' || path.trim() === '' ? path : resolve(path);
  const deadline = Date.now() + WAIT_FOR_LOCK_MS;
  for (;;) {
    // Looked at before each attempt: a file another command created while this one waited is not ours.
    const created = absolute !== ':memory:' && !existsSync(absolute);
    try {
      const store = await Store.open(absolute, { create: opts.create ?? true });
      let closed = false;
      const release = (): void => {
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

/** Removes a database file this process created, with what DuckDB keeps beside it. */
function removeDatabaseFiles(path: string): void {
  for (const f of [path, `${path}.wal`, `${path}.tmp`]) rmSync(f, { recursive: true, force: true });
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
