import { afterAll, afterEach, beforeAll } from 'vitest';
import { Store } from '../../src/store/db.js';
import { fixtureStore, openInOwnFolder } from './fixtures.js';

/**
 * A fresh store in its own temp folder; call the returned cleanup in afterEach/afterAll. It is a copy of
 * an empty store migrated once per test run (fixtureStore), which is several times cheaper than
 * migrating a new file for every test; `{ migrate: true }` makes a new file migrate itself instead.
 */
export async function tempStore(options: { migrate?: boolean } = {}): Promise<{ store: Store; path: string; dir: string; cleanup: () => void }> {
  if (!options.migrate) return fixtureStore('empty', async () => undefined);
  return openInOwnFolder();
}

/**
 * A fresh store for each test that asks for one: call at the top of a test file, then `await store()`
 * inside a test. The store is closed and its folder removed after the test.
 */
export function storePerTest(): () => Promise<Store> {
  let cleanup: () => void = () => undefined;
  afterEach(() => {
    cleanup();
    cleanup = () => undefined;
  });
  return async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    return t.store;
  };
}

/**
 * Fresh stores for tests that would open `':memory:'` ones: call at the top of a test file, then `await
 * scratch()` inside a test as often as it needs a store. Each is a copy of the empty store migrated once
 * per test run (tempStore): a new `':memory:'` database migrates the schema anew, about three times the
 * CPU of the copy (0.3 s against 0.1 s a store on two cores), and for a small test that is most of its
 * time. Every store a test opened is closed and its folder removed after it.
 */
export function scratchStores(): () => Promise<Store> {
  const opened: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of opened.splice(0)) cleanup();
  });
  return async () => {
    const t = await tempStore();
    opened.push(t.cleanup);
    return t.store;
  };
}

/**
 * One store shared by the tests of a file: opened (and filled by `setup`) in beforeAll, closed and
 * removed in afterAll. Call at the top of a file; read `.store` / `.path` inside tests.
 */
export function storePerFile(setup: (store: Store) => Promise<void> = async () => undefined): { store: Store; path: string } {
  const handle = {} as { store: Store; path: string };
  let cleanup: () => void = () => undefined;
  beforeAll(async () => {
    const t = await tempStore();
    handle.store = t.store;
    handle.path = t.path;
    cleanup = t.cleanup;
    await setup(t.store);
  }, 300_000);
  afterAll(() => cleanup());
  return handle;
}

/** Opens the database file at `path`, runs fn on it and closes it again, whatever fn does: a reopen as after a restart. */
export async function withReopened<T>(path: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(path);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
