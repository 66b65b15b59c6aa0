import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { sharedFile, skipWithoutShared } from '../helpers/shared-data.js';
import { CLI, eventually, segmint } from '../helpers/serve.js';
import { fixture } from '../import/helpers.js';

/**
 * Trial 12, L7: Ctrl-C on an import into a database file the command created left that file (2 MB, no
 * customers). docs/cli.md: a command that created its database file and then fails removes it again, and
 * an interrupt is a failure. A real child process, a real signal, sent while the import is under way.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const retail = sharedFile('online-retail.csv.gz');
if (!retail) console.log(skipWithoutShared('online-retail.csv.gz'));
const dir = mkdtempSync(join(tmpdir(), 'segmint-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = (name: string): string[] => readdirSync(dir).filter((f) => f === name || f.startsWith(`${name}.`));
/** Whether process `pid` has `file` open (Linux: its /proc/PID/fd links). */
function holdsOpen(pid: number, file: string): boolean {
  // The links name the file by its real path (../shared may itself be a link).
  const real = realpathSync(file);
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === real;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** What every table of the database holds: its rows as text, sorted, hashed; with the row count. */
async function contents(file: string): Promise<Record<string, string>> {
  const store = await Store.open(file);
  try {
    const tables = (await store.all<{ t: string }>("SELECT table_name AS t FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' ORDER BY 1")).map((r) => r.t);
    const out: Record<string, string> = {};
    for (const t of tables) {
      // Table names come from the catalogue, not from input.
      const r = (await store.one<{ n: number; h: string }>(`SELECT count(*) AS n, md5(coalesce(string_agg(x, chr(10) ORDER BY x), '')) AS h FROM (SELECT r::VARCHAR AS x FROM "${t}" r)`))!;
      out[t] = `${r.n} ${r.h}`;
    }
    return out;
  } finally {
    store.close();
  }
}

/** Starts an import of the Online Retail file into `db`, sends `signal` once `waitFor` holds, and gives the exit code as a shell reports it. */
async function interruptedImport(db: string, signal: NodeJS.Signals, waitFor: (pid: number) => boolean): Promise<number | null> {
  const child = spawn(process.execPath, [...CLI, '--db', db, 'import', retail as string], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // A process the signal itself ended has no code: the shell reports 128 + the signal's number.
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : null))));
  try {
    await eventually(async () => (waitFor(child.pid!) ? true : undefined), 'the import to start', 60_000);
    // A moment more: the import is reading rows into the new file, not opening it.
    await new Promise((r) => setTimeout(r, 400));
    expect(child.exitCode).toBeNull();
    child.kill(signal);
    return await exited;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe.skipIf(!retail)('a signal on a command that created its database removes the file', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} during an import into a new file: exit ${code}, no database file and no .wal left`, async () => {
      const db = join(dir, `new-${signal}.duckdb`);
      expect(await interruptedImport(db, signal, () => existsSync(db))).toBe(code);
      expect(onDisk(`new-${signal}.duckdb`)).toEqual([]);
    }, 120_000);
  }

  it('SIGINT during an import into a database that existed: the file stays, every table as it was', async () => {
    const db = join(dir, 'kept.duckdb');
    expect((await segmint(['--db', db, 'import', fixture('retail-small.csv')])).code).toBe(0);
    const before = await contents(db);
    // The import has begun once the command holds the file it imports open (it takes seconds more to end:
    // a wait by time let a fast machine finish it before the signal).
    expect(await interruptedImport(db, 'SIGINT', (pid) => holdsOpen(pid, retail as string))).toBe(130);
    expect(existsSync(db)).toBe(true);
    // Not its bytes: DuckDB may already have written blocks of the rolled-back transaction into the file,
    // where they are free space (a faster machine reached the writing phase before the signal).
    expect(await contents(db)).toEqual(before);
    expect(onDisk('kept.duckdb')).toEqual(['kept.duckdb']);
  }, 120_000);
});

// Recheck 12, N2: through a symlink that pointed at no file yet, the file the command created is the
// link's target; it is removed and the user's link is left (it used to be the other way round).
describe('a command that created its database through a symlink and failed', () => {
  it('removes the file the link points at, and leaves the link', async () => {
    const target = join(dir, 'target.duckdb');
    const link = join(dir, 'lk.duckdb');
    symlinkSync(target, link);
    const bad = join(dir, 'not-a-shop.csv');
    writeFileSync(bad, 'hello\nworld\n');
    const r = await segmint(['--db', link, 'import', bad]);
    expect(r.code).toBe(2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(target)).toBe(false);
    expect(onDisk('target.duckdb')).toEqual([]);
    expect(onDisk('lk.duckdb')).toEqual(['lk.duckdb']);
  }, 60_000);
});
