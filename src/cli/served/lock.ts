import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

export function readLock(db: string): ServeLock | undefined {
  try {
    const v = JSON.parse(readFileSync(lockPathOf(db), 'utf8')) as Partial<ServeLock>;
    if (typeof v.pid === 'number' && typeof v.socket === 'string' && typeof v.url === 'string') return v as ServeLock;
  } catch {
    // no lock, or one being written: not served
  }
  return undefined;
}

/** Writes the lock atomically (a reader never sees half of it), mode 0600. */
export function writeLock(lock: ServeLock): void {
  const path = lockPathOf(lock.db);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(lock, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** Removes the lock if it is this process's. */
export function removeLock(db: string): void {
  if (readLock(db)?.pid === process.pid) rmSync(lockPathOf(db), { force: true });
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
  const uid = process.getuid?.() ?? 0;
  const candidates = [process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'segmint') : undefined, join(tmpdir(), `segmint-${uid}`), `/tmp/segmint-${uid}`];
  for (const dir of candidates) {
    if (!dir || join(dir, name).length > MAX_SOCKET_PATH) continue;
    if (privateDir(dir, uid)) return join(dir, name);
  }
  throw new Error(`no private directory for the command socket (tried ${candidates.filter(Boolean).join(', ')})`);
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
