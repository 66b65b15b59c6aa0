import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf, socketPathFor } from '../../src/cli/served/lock.js';
import { realDbPath } from '../../src/store/paths.js';
import { fixture } from '../import/helpers.js';
import { segmint, startServe } from '../helpers/serve.js';

/**
 * Trial 12, L4: `--db` as a symlink to a database `segmint serve` holds was not carried out by the server
 * (its lock was looked up by the path as written): the command waited ten minutes, then said store_locked.
 * Every spelling of the file (a symlink, a symlinked folder, `dir/../`) now finds the server at once.
 */
const dir = mkdtempSync(join(tmpdir(), 'segmint-spelling-'));
const home = join(dir, 'a');
const db = join(home, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A second name of the served file (made once the server holds it). */
const hardLink = (): string => {
  const other = join(dir, 'hard.duckdb');
  try {
    linkSync(db, other);
  } catch {
    // made by an earlier call
  }
  return other;
};

describe('a served database named another way', () => {
  it('realDbPath: one spelling for a symlink, a symlinked folder, `..`, and a file not yet created', () => {
    mkdirSync(join(home, 'sub'), { recursive: true });
    symlinkSync(home, join(dir, 'folder-link'));
    symlinkSync(db, join(dir, 'link.duckdb'));
    // `..` after a symlinked folder is the parent of its target (a), not the folder the link sits in.
    symlinkSync(join(home, 'sub'), join(dir, 'sub-link'));
    const real = realDbPath(db);
    for (const p of [join(dir, 'link.duckdb'), `${home}/sub/../shop.duckdb`, `${dir}/sub-link/../shop.duckdb`, join(dir, 'folder-link', 'shop.duckdb'), `${home}/./shop.duckdb`]) {
      expect(realDbPath(p)).toBe(real);
      expect(lockPathOf(p)).toBe(lockPathOf(db));
      expect(socketPathFor(p)).toBe(socketPathFor(db));
    }
    expect(realDbPath(join(dir, 'folder-link', 'new.duckdb'))).toBe(join(realDbPath(home), 'new.duckdb'));
    // The database does not exist yet: the symlink names the file it will create.
    expect(realDbPath(join(dir, 'link.duckdb'))).toBe(join(realDbPath(home), 'shop.duckdb'));
  });

  describe('against a running server', () => {
    let stop: () => void = () => undefined;
    let plain = '';
    beforeAll(async () => {
      expect((await segmint(['--db', db, 'import', fixture('retail-small.csv')])).code).toBe(0);
      const { child } = await startServe(db);
      stop = () => child.kill('SIGTERM');
      const r = await segmint(['--db', db, 'customers', 'stats']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      plain = r.stdout;
    }, 120_000);
    afterAll(() => stop());

    // Each would wait for the server's hold on the file (ten minutes) if it were not sent to the server.
    for (const [what, path] of [
      ['a symlink to the file', () => join(dir, 'link.duckdb')],
      ['dir/../file', () => `${home}/sub/../shop.duckdb`],
      ['link-to-dir/../file', () => `${dir}/sub-link/../shop.duckdb`],
      ['a symlinked folder', () => join(dir, 'folder-link', 'shop.duckdb')],
      // Recheck 12, N3: another name of the same file, with no lock beside it, found by the file's identity.
      ['a hard link to the file', () => hardLink()],
    ] as const) {
      it(`${what}: carried out by the server, the same output as the plain path`, async () => {
        const r = await segmint(['--db', path(), 'customers', 'stats']);
        expect(r).toEqual({ code: 0, stdout: plain, stderr: '' });
      }, 60_000);
    }
  });
});
