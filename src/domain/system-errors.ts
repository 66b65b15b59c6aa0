import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SegmintError } from './errors.js';
import { shellQuote } from './words.js';

/** The fields Node puts on the errors of system calls (fs, net). */
interface SystemErrorLike {
  readonly code?: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly address?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly message?: string;
}

/** What the user was doing when the call failed, so the sentence can say it ("write the export"). */
export interface SystemErrorContext {
  /** The file or folder involved, when the error does not carry it. */
  readonly path?: string;
  /** A short verb phrase: "read the group table", "write the export". */
  readonly doing?: string;
}

const DISK_FULL = /No space left on device|ENOSPC|disk is full/i;

/**
 * Turns an error a user can cause through the system (a missing folder, a permission, a full disk, a
 * port in use, a locked file) into a SegmintError whose message is one sentence saying what happened
 * and what to do. Returns undefined for anything else: a bug stays a bug.
 *
 * Node system errors are recognised by their `code` (ENOENT, EACCES, EADDRINUSE, ...); a database
 * engine error is recognised only for a full disk, by its message. details carries the code, syscall,
 * path and port for scripts (`--json`).
 */
export function userErrorFromSystem(e: unknown, context: SystemErrorContext = {}): SegmintError | undefined {
  if (e instanceof SegmintError) return e;
  if (e === null || typeof e !== 'object') return undefined;
  const err = e as SystemErrorLike;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const path = err.path ?? context.path;
  const doing = context.doing ?? verbOf(err.syscall);
  const details = {
    ...(code ? { code } : {}),
    ...(err.syscall ? { syscall: err.syscall } : {}),
    ...(path ? { path } : {}),
    ...(err.port !== undefined ? { port: err.port } : {}),
    ...(err.address ? { address: err.address } : {}),
  };
  const make = (id: string, message: string, status = 400) => new SegmintError(id, message, details, status);
  const file = path ? ` ${path}` : '';
  switch (code) {
    case 'ENOENT': {
      if (path && !isFolder(dirname(resolve(path)))) {
        return make(
          'folder_missing',
          `Cannot ${doing}${file}: the folder ${dirname(path)} does not exist; create it (mkdir -p ${shellQuote(dirname(path))}) or choose another path.`,
          404,
        );
      }
      return make('file_missing', `Cannot ${doing}${file}: there is no such file; check the name and the folder.`, 404);
    }
    case 'ENOTDIR':
      return make('not_a_folder', `Cannot ${doing}${file}: a part of that path is a file, not a folder; choose another path.`);
    case 'EISDIR':
      return make('is_a_folder', `Cannot ${doing}${file}: it is a folder; give the name of a file inside it.`);
    case 'EACCES':
    case 'EPERM':
      if (err.syscall === 'listen' || err.syscall === 'bind') {
        return make(
          'port_not_allowed',
          `Not allowed to listen on port ${err.port ?? '?'}${err.address ? ` of ${err.address}` : ''}: ports below 1024 need administrator rights; use a port such as 3000 (--port 3000).`,
          403,
        );
      }
      return make(
        'permission_denied',
        `Cannot ${doing}${file}: permission denied; check who may ${doing.startsWith('write') || doing.startsWith('create') ? 'write' : 'read'} it (ls -l) or choose another path.`,
        403,
      );
    case 'EROFS':
      return make('read_only', `Cannot ${doing}${file}: the file system is read-only; choose a path on a writable disk.`, 403);
    case 'ENOSPC':
    case 'EDQUOT':
      return make('disk_full', `Cannot ${doing}${file}: the disk is full (or your quota is used up); free some space and run the command again.`, 507);
    case 'EMFILE':
    case 'ENFILE':
      return make('too_many_open_files', `Cannot ${doing}${file}: too many files are open; close other programs or raise the limit (ulimit -n) and try again.`, 503);
    case 'EBUSY':
    case 'ETXTBSY':
      return make('file_locked', `Cannot ${doing}${file}: another program holds it locked; close that program and try again.`, 409);
    case 'EADDRINUSE':
      return make(
        'port_in_use',
        `Port ${err.port ?? '?'}${err.address ? ` on ${err.address}` : ''} is already in use (another segmint serve or another server); stop that program or pass another --port (0 picks a free one).`,
        409,
      );
    case 'EADDRNOTAVAIL':
      return make(
        'address_unavailable',
        `Cannot listen on ${err.address ?? 'that address'}: no network interface of this machine has it; use --host 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('unknown_host', `The host name ${err.hostname ?? err.address ?? ''} is unknown; check --host (127.0.0.1 or 0.0.0.0 work everywhere).`);
    default:
      if (typeof err.message === 'string' && DISK_FULL.test(err.message)) {
        return make('disk_full', `Cannot ${context.doing ?? 'write to the database'}${file}: the disk is full; free some space and run the command again.`, 507);
      }
      return undefined;
  }
}

function verbOf(syscall: string | undefined): string {
  switch (syscall) {
    case 'open':
      return 'open';
    case 'read':
      return 'read';
    case 'write':
      return 'write';
    case 'mkdir':
      return 'create the folder';
    case 'scandir':
      return 'list the folder';
    case 'unlink':
    case 'rmdir':
      return 'remove';
    default:
      return 'use';
  }
}

/** Whether path names an existing folder (false for a file, a missing path or one that cannot be read). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads a text file the user named (`what` says which, e.g. "the group table --groups"); a missing
 * file, a folder or a permission problem becomes a SegmintError saying so and what to do.
 */
export function readUserFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw userErrorFromSystem(e, { path: file, doing: `read ${what}` }) ?? e;
  }
}
