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

/** The small failing inputs handed over with the issues live in ../shared/cases; tests that need them skip without. */
export function sharedCase(name: string): string | undefined {
  const p = fileURLToPath(new URL(`../../../shared/cases/${name}`, import.meta.url));
  return existsSync(p) ? p : undefined;
}
