import { once } from 'node:events';
import type { Command } from 'commander';
import { realDbPath, resolveDbPath } from '../store/paths.js';
import { cliStdout, globalOptions, servedCommand } from './context.js';
import { FileTarget, type FileTargetOptions } from './out/file-target.js';
import { lockPathOf } from './served/lock.js';

/**
 * The files of the command's database that an export must never write (FileTargetOptions.protect): the
 * database (--db / SEGMINT_DB), what DuckDB keeps beside it, and the lock file of a server running on it.
 */
export function databaseFiles(cmd: Command): NonNullable<FileTargetOptions['protect']> {
  const db = resolveDbPath(globalOptions(cmd).db);
  if (db === ':memory:' || db.trim() === '') return [];
  // DuckDB names the write-ahead log and the temporary folder after the path it opens: the path as typed
  // for a command run here (a symlink keeps its name), the real path for a server. Both are protected.
  const spellings = [...new Set([db, realDbPath(db)])];
  return [
    { path: db, what: 'the database itself' },
    ...spellings.flatMap((base) => [
      { path: `${base}.wal`, what: "the database's write-ahead log" },
      { path: `${base}.tmp`, what: "the database's temporary folder" },
    ]),
    { path: lockPathOf(db), what: "the lock file of the database's server" },
  ];
}

/** Where a command writes its output: a file named by --out, or standard output. */
export interface Output {
  /** Writes a chunk, waiting when the file is slower than the producer. */
  write(chunk: string): Promise<void>;
  /** Finishes the file: only now does FILE appear (or replace the old one, with --force). */
  close(): Promise<void>;
  /** Drops what was written after a failure elsewhere; FILE, and any file there before, are left as they were. */
  abort(): void;
}

/**
 * Opens --out for writing before any work, so an existing file (without --force), a folder, a missing
 * folder or a permission problem is reported in one sentence at once (out/file-target.ts says how the
 * file is written: a temporary file beside it, put in place by `close`). An error while writing (a full
 * disk) rejects the pending write with the same kind of sentence. For a command a running server
 * carries out, the CLI writes the file, as its user, at its path (served/files.ts).
 */
export async function openOutput(path: string | undefined, options: FileTargetOptions = {}): Promise<Output> {
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
  const channel = servedCommand()?.files;
  if (channel) {
    await channel.ask({ op: 'open', path, ...options });
    return {
      write: (chunk) => channel.send({ op: 'write', chunk }),
      close: () => channel.ask({ op: 'close' }),
      abort: () => void channel.send({ op: 'abort' }).catch(() => undefined),
    };
  }
  const target = FileTarget.open(path, options);
  // Ctrl-C while writing: the temporary file goes, FILE stays as it was (the process's default would
  // end it without removing anything).
  const interrupted = (): void => {
    target.discard();
    process.stderr.write(`\nsegmint: interrupted (Ctrl-C); ${path} was not written.\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  const done = (): void => void process.off('SIGINT', interrupted);
  return {
    write: async (chunk) => {
      try {
        target.write(chunk);
      } catch (e) {
        done();
        throw e;
      }
    },
    close: async () => {
      done();
      target.commit();
    },
    abort: () => {
      done();
      target.discard();
    },
  };
}
