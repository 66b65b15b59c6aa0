import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { SegmintError, isSegmintError } from '../../domain/errors.js';
import { userErrorFromSystem } from '../../domain/system-errors.js';
import { shellQuote } from '../../domain/words.js';
import { absoluteAsWritten, realDbPath } from '../../store/paths.js';

/** How a user-named output file is written. */
export interface FileTargetOptions {
  /** replace a file that is already there (--force); without it an existing file is refused */
  readonly force?: boolean;
  /** permission bits of a new file before the umask (default 0o666; 0o600 for personal data) */
  readonly mode?: number;
  /** a short verb phrase for messages: "write the export" */
  readonly what?: string;
  /** the option that replaces an existing file, named in the refusal (default --force) */
  readonly forceOption?: string;
  /**
   * Files that are never written, even with force, each with what it is ("the database", "its
   * write-ahead log"): the command's own database and the files beside it. Compared by real path, so
   * a symlink or another spelling of one is refused too.
   */
  readonly protect?: readonly { readonly path: string; readonly what: string }[];
}

/**
 * A file the user named (--out FILE), written so that nothing is lost:
 *
 * - an existing file is refused (`file_exists`, naming it and --force) unless `force` is given;
 * - a folder, a missing folder, a path through a file or a folder without permission is refused at
 *   open, before any work, in one sentence naming the path (system-errors.ts);
 * - the data goes to a temporary file in the same folder (".NAME.segmint-XXXX.tmp"), which becomes
 *   FILE only at `commit`, by one rename (or a hard link, which refuses to replace a file created
 *   meanwhile): an interrupted or failed export never leaves half a file and never destroys the old one;
 * - a device or a pipe that exists (/dev/null, a named pipe) is written in place, as the shell's `>`
 *   would: there is no file to lose and it cannot be renamed onto;
 * - a symbolic link is kept: what is written is the file it leads to (followed to the end, as the shell's
 *   `>` does), by the same temporary file beside that file and rename onto it, so every rule above (and
 *   the database protection) applies to the link's target; a dangling link's target is created. Messages
 *   name the link and its target (`out.csv (a dangling link to /data/x.csv)`) (trial 13, L2).
 *
 * Synchronous on purpose: it runs in the CLI's own process (also for a command a server carries out,
 * see served/host.ts), one file at a time, and a synchronous commit leaves no moment where the process
 * could exit between the data and the rename.
 */
export class FileTarget {
  private fd: number | undefined;
  private readonly temp: string | undefined;
  private done = false;

  private constructor(
    /** the path as the user gave it, for messages */
    readonly path: string,
    /** the file written: the path made absolute, or a link's final target */
    private readonly absolute: string,
    private readonly options: FileTargetOptions,
    inPlace: boolean,
    /** the link the user named, when `path` is one (messages then name both) */
    private readonly link?: LinkInfo,
  ) {
    const what = options.what ?? 'write the export';
    const target = inPlace ? absolute : join(dirname(absolute), `.${basename(absolute)}.segmint-${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(target, inPlace ? 'w' : 'wx', options.mode ?? 0o666);
    } catch (e) {
      throw named(e, path, what, link);
    }
    this.temp = inPlace ? undefined : target;
    if (this.temp !== undefined) live.add(this.temp);
  }

  /**
   * Checks the path and opens the temporary file beside it; throws a SegmintError for every refusal
   * (file_exists, is_a_folder, folder_missing, not_a_folder, permission_denied, read_only, ...).
   * `path` is resolved against the current working directory.
   */
  static open(path: string, options: FileTargetOptions = {}): FileTarget {
    const what = options.what ?? 'write the export';
    if (path.trim() === '') throw new SegmintError('file_name_empty', `Cannot ${what}: the file name is empty; give the file to write.`, { path });
    // As the system reads the path (`link/../x` is beside the link's target, not beside the link), and
    // compared by its one spelling (realDbPath), so no symlink or `..` hides the database.
    const written = absoluteAsWritten(path);
    const real = realDbPath(written);
    const guarded = options.protect?.find((p) => realDbPath(p.path) === real);
    if (guarded) {
      throw new SegmintError(
        'out_is_database',
        `Cannot ${what} ${path}: it is ${guarded.what} (${guarded.path}), which the export would destroy; choose another file (--force does not change this).`,
        { path, database: guarded.path },
      );
    }
    // A link is kept and its target written: every check below is of the file the link leads to.
    const link = statOrUndefined(written, false)?.isSymbolicLink() ? { target: real, dangling: statOrUndefined(written, true) === undefined } : undefined;
    const absolute = link ? real : written;
    if (link && statOrUndefined(absolute, false)?.isSymbolicLink()) {
      throw new SegmintError('not_a_file', `Cannot ${what} ${path}: it is a link that leads to no file (links in a loop, or too many in a row); choose another path.`, { path });
    }
    const existing = statOrUndefined(absolute, true) ?? statOrUndefined(absolute, false);
    if (existing?.isDirectory()) throw named({ code: 'EISDIR' }, path, what, link);
    const inPlace = existing !== undefined && (existing.isCharacterDevice() || existing.isFIFO());
    if (existing !== undefined && (existing.isBlockDevice() || existing.isSocket())) {
      throw new SegmintError('not_a_file', `Cannot ${what} ${path}: it is a ${existing.isSocket() ? 'socket' : 'disk device'}, not a file; choose another path.`, { path });
    }
    if (existing !== undefined && !inPlace && options.force !== true) throw fileExists(path, what, options.forceOption, link);
    return new FileTarget(path, absolute, options, inPlace, link);
  }

  /** Appends a chunk; a full disk or another system error becomes a SegmintError naming the file. */
  write(chunk: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`write after the end of ${this.path}`);
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    try {
      for (let at = 0; at < buffer.length; ) at += writeSync(this.fd, buffer, at, buffer.length - at);
    } catch (e) {
      this.discard();
      throw named(e, this.path, this.options.what ?? 'write the export', this.link);
    }
  }

  /**
   * Makes the written data FILE: flushed to disk, then renamed over it (--force) or linked to it (which
   * fails if a file of that name appeared meanwhile: then nothing is replaced and file_exists is thrown).
   */
  commit(): void {
    if (this.done) return;
    const what = this.options.what ?? 'write the export';
    try {
      if (this.temp !== undefined) fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = undefined;
      if (this.temp === undefined) {
        this.done = true;
        return;
      }
      if (this.options.force === true) renameSync(this.temp, this.absolute);
      else placeWithoutReplacing(this.temp, this.absolute);
      this.forget();
    } catch (e) {
      this.discard();
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw fileExists(this.path, what, this.options.forceOption, this.link);
      throw named(e, this.path, what, this.link);
    }
  }

  /** Removes the temporary file; FILE (and any file that was there before) is left as it was. */
  discard(): void {
    if (this.done) return;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed by the system: nothing to keep
      }
      this.fd = undefined;
    }
    if (this.temp !== undefined) removeQuietly(this.temp);
    this.forget();
  }

  private forget(): void {
    this.done = true;
    if (this.temp !== undefined) live.delete(this.temp);
  }
}

/** A symbolic link named as the output: its final target (real path) and whether that file exists yet. */
interface LinkInfo {
  readonly target: string;
  readonly dangling: boolean;
}

/** How a message names the output: the path as given, and for a link what it leads to. */
function shown(path: string, link?: LinkInfo): string {
  return link ? `${path} (a ${link.dangling ? 'dangling ' : ''}link to ${link.target})` : path;
}

/**
 * A system error as a sentence naming the file the user gave, never the temporary file the call was
 * made on (its name means nothing to the user and is gone by then). For a link, the sentence is made
 * about its target (whose folder is the one that matters) and then names the link as given.
 */
function named(e: unknown, path: string, what: string, link?: LinkInfo): unknown {
  const { code, syscall, message } = e as NodeJS.ErrnoException;
  const made = userErrorFromSystem({ code, syscall, message }, { path: link ? link.target : path, doing: what });
  if (!made || !link || !isSegmintError(made)) return made ?? e;
  const head = `Cannot ${what} ${link.target}`;
  const text = made.message.startsWith(head) ? `Cannot ${what} ${shown(path, link)}${made.message.slice(head.length)}` : made.message;
  return new SegmintError(made.code, text, { ...made.details, path, target: link.target }, made.httpStatus);
}

/** The refusal of an existing file: names it (a link with its target) and says how to replace it. */
function fileExists(path: string, what: string, forceOption = '--force', link?: LinkInfo): SegmintError {
  const replaced = link ? `${forceOption} to replace the file it leads to (the link is kept)` : `${forceOption} to replace it`;
  return new SegmintError(
    'file_exists',
    `Cannot ${what} ${shown(path, link)}: the file already exists and is left as it is; pass ${replaced}, or choose another name (rm ${shellQuote(link ? link.target : path)} removes it).`,
    { path, ...(link ? { target: link.target } : {}) },
    409,
  );
}

/** link + unlink: the one way to give a file a name that refuses to replace another (EEXIST). */
function placeWithoutReplacing(temp: string, target: string): void {
  try {
    linkSync(temp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // File systems without hard links (some network and FAT mounts): a rename after a last look.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    if (statOrUndefined(target, false) !== undefined) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    renameSync(temp, target);
    return;
  }
  unlinkSync(temp);
}

function statOrUndefined(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

// Temporary files still open: removed when the process exits (a second Ctrl-C, process.exit in an error).
const live = new Set<string>();
process.on('exit', () => {
  for (const t of live) removeQuietly(t);
});
