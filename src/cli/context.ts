import type { Command } from 'commander';
import { Store } from '../store/db.js';
import { resolveDbPath } from '../store/paths.js';

/** The root program's options, readable from any subcommand. */
export function globalOptions(cmd: Command): { db?: string } {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return root.opts<{ db?: string }>();
}

/**
 * Opens the store named by --db / SEGMINT_DB for the length of fn, and always closes it. Only commands
 * that bring data in or define something pass `create: true`; the others refuse a path with no database.
 */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const store = await Store.open(resolveDbPath(globalOptions(cmd).db), { create: options.create ?? false });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Prints JSON (for --json) or the human text. */
export function output(json: boolean | undefined, value: unknown, text: () => string): void {
  if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else process.stdout.write(text() + '\n');
}
