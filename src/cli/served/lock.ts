import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realDbPath } from '../../store/paths.js';

/**
 * The lock file a running server writes beside its database: `<db>.serve.lock`, JSON naming the
 * process, its HTTP address and the Unix socket CLI commands on that database are sent to. Readable
 * by the owner only. A lock whose server died (kill -9) is stale: nothing answers on its socket.
 */
export interface ServeLock {
  readonly pid: number;
  readonly socket: string;
  readonly url: string;
  readonly startedAt: string;
  readonly db: string;
}

/** `<db>.serve.lock` beside the real file (realDbPath): every spelling of one database finds one lock. */
export function lockPathOf(db: string): string {
  return `${realDbPath(db)}.serve.lock`;
}

/**
 * The lock of the server holding `db`, if any: the one beside it, else (for a file with more than one
 * name, a hard link) the one beside the name the server opened, found through the note it keeps by the
 * file's identity (identityNoteOf; recheck 12, N3: a hard link of a served database waited ten minutes).
 */
export function readLock(db: string): ServeLock | undefined {
  return readLockAt(lockPathOf(db)) ?? readLockByIdentity(db);
}

function readLockAt(path: string): ServeLock | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServeLock>;
    if (typeof v.pid === 'number' && typeof v.socket === 'string' && typeof v.url === 'string') return v as ServeLock;
  } catch {
    // no lock, or one being written: not served
  }
  return undefined;
}

function readLockByIdentity(db: string): ServeLock | undefined {
  const id = fileIdentity(db);
  if (!id || id.links < 2) return undefined;
  const note = existingRuntimeFile(id.name);
  if (!note) return undefined;
  try {
    const held = readFileSync(note, 'utf8').trim();
    const other = fileIdentity(held);
    return other?.name === id.name ? readLockAt(lockPathOf(held)) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the lock atomically (a reader never sees half of it), mode 0600, and the note of the file's identity. */
export function writeLock(lock: ServeLock): void {
  const path = lockPathOf(lock.db);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(lock, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
  const id = fileIdentity(lock.db);
  if (id) writeFileSync(join(runtimeDir(id.name), id.name), realDbPath(lock.db) + '\n', { mode: 0o600 });
}

/** Removes the lock if it is this process's, with its note. */
export function removeLock(db: string): void {
  if (readLockAt(lockPathOf(db))?.pid !== process.pid) return;
  rmSync(lockPathOf(db), { force: true });
  const id = fileIdentity(db);
  const note = id ? existingRuntimeFile(id.name) : undefined;
  if (note) rmSync(note, { force: true });
}

/** A file's identity (device and inode: every name of one file has the same) as a note's name, and how many names it has. */
function fileIdentity(db: string): { name: string; links: number } | undefined {
  try {
    const st = statSync(realDbPath(db));
    return { name: `${st.dev}-${st.ino}.db`, links: st.nlink };
  } catch {
    return undefined;
  }
}

// Unix socket paths are limited to 104 (macOS) or 108 (Linux) bytes, the terminating NUL included.
const MAX_SOCKET_PATH = 100;

/**
 * Where the server's socket lives: in a directory only this user can enter (0700, owned by us, not a
 * link), so only the owner can connect; the socket itself is 0600 too. $XDG_RUNTIME_DIR is preferred
 * (made for this), then the temp directory; /tmp when either would make the path too long. The name
 * is a hash of the database's real path (realDbPath), so two databases never share a socket and two
 * spellings of one database share one.
 */
export function socketPathFor(db: string): string {
  const name = `${createHash('sha256').update(realDbPath(db)).digest('hex').slice(0, 20)}.sock`;
  return join(runtimeDir(name), name);
}

/** This user's private directories for sockets and notes, in the order of preference (socketPathFor). */
function runtimeCandidates(): string[] {
  const uid = process.getuid?.() ?? 0;
  return [process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'segmint') : undefined, join(tmpdir(), `segmint-${uid}`), `/tmp/segmint-${uid}`].filter(
    (d): d is string => d !== undefined,
  );
}

/** The first private directory (made if needed) in which `name` fits a socket path. */
function runtimeDir(name: string): string {
  const uid = process.getuid?.() ?? 0;
  const candidates = runtimeCandidates();
  for (const dir of candidates) {
    if (join(dir, name).length > MAX_SOCKET_PATH) continue;
    if (privateDir(dir, uid)) return dir;
  }
  throw new Error(`no private directory for the command socket (tried ${candidates.join(', ')})`);
}

/** `name` in the first of this user's private directories that holds it, without making any. */
function existingRuntimeFile(name: string): string | undefined {
  const uid = process.getuid?.() ?? 0;
  for (const dir of runtimeCandidates()) {
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (process.getuid && st.uid !== uid) || (st.mode & 0o077) !== 0) continue;
      lstatSync(join(dir, name));
      return join(dir, name);
    } catch {
      // not there
    }
  }
  return undefined;
}

function privateDir(dir: string, uid: number): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.isSymbolicLink() || (process.getuid && st.uid !== uid)) return false;
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return (lstatSync(dir).mode & 0o077) === 0;
  } catch {
    return false;
  }
}
