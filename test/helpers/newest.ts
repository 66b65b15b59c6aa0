import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The latest modification time (ms) of any file below `dir`: to tell whether a build is older than its sources. */
export function newestIn(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newestIn(p) : statSync(p).mtimeMs);
  }
  return t;
}
