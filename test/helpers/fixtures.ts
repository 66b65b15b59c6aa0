import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { Store } from '../../src/store/db.js';

/**
 * The path of a fixture file that several test files share, such as the Online Retail file imported:
 * built once per test run by `build` (given the path to write) by whichever file asks first, while a
 * lock file makes any other worker wait for it, into the run's fixture folder. Callers copy it and never
 * write to it.
 */
export async function fixtureFile(name: string, build: (path: string) => Promise<void>): Promise<string> {
  const template = join(inject('fixtureDir'), `${name}.duckdb`);
  const done = `${template}.done`;
  const failed = `${template}.failed`;
  if (!existsSync(done)) {
    let lock: number | undefined;
    try {
      lock = openSync(`${template}.lock`, 'wx');
    } catch {
      // Another worker is building it.
    }
    if (lock !== undefined) {
      try {
        await build(template);
        writeFileSync(done, '');
      } catch (e) {
        writeFileSync(failed, e instanceof Error ? (e.stack ?? e.message) : String(e));
        throw e;
      } finally {
        closeSync(lock);
      }
    } else {
      const deadline = Date.now() + 600_000;
      while (!existsSync(done)) {
        if (existsSync(failed)) throw new Error(`building the ${name} fixture failed in another worker:\n${readFileSync(failed, 'utf8')}`);
        if (Date.now() > deadline) throw new Error(`the ${name} fixture was not built within 10 minutes`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  return template;
}

/**
 * A store holding a fixture that several test files share (fixtureFile): built once per test run, then
 * copied for each file that asks, so every file gets its own database to change and nobody imports the
 * same 541,909 lines again. The copy is a plain file copy of a checkpointed DuckDB file. Call cleanup in
 * afterAll.
 */
export async function fixtureStore(
  name: string,
  build: (store: Store) => Promise<void>,
): Promise<{ store: Store; path: string; dir: string; cleanup: () => void }> {
  const template = await fixtureFile(name, async (path) => {
    const store = await Store.open(path);
    try {
      await build(store);
      await store.checkpoint();
    } finally {
      store.close();
    }
  });
  return openInOwnFolder((path) => copyFileSync(template, path));
}

/**
 * A store at test.duckdb in a new temp folder of its own, `prepare` given the path first (to copy a
 * template there); cleanup closes it, if the test did not, and removes the folder.
 */
export async function openInOwnFolder(prepare: (path: string) => void = () => undefined): Promise<{ store: Store; path: string; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-test-'));
  const path = join(dir, 'test.duckdb');
  prepare(path);
  const store = await Store.open(path);
  return {
    store,
    path,
    dir,
    cleanup: () => {
      try {
        store.close();
      } catch {
        // already closed by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ../shared/data/online-retail.csv.gz imported by `segmint import` into a store of the test's own. */
export function onlineRetailStore(file: string): Promise<{ store: Store; path: string; dir: string; cleanup: () => void }> {
  return fixtureStore('online-retail', async (store) => {
    await importFile(store, file);
  });
}
