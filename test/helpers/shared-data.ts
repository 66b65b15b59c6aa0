import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real public data sets live beside the project in ../shared/data; tests that need them skip without. */
export const sharedDataDir = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export function sharedFile(name: string): string | undefined {
  const p = sharedDataDir + name;
  return existsSync(p) ? p : undefined;
}

export const skipWithoutShared = (name: string): string =>
  `skipped: ${name} not found in ../shared/data (the real data sets sit beside the project)`;
