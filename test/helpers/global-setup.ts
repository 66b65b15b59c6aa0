import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder of this test run where shared fixtures are built once (test/helpers/fixtures.ts). */
    fixtureDir: string;
  }
}

/**
 * The run's fixture folder and how many projects use it, kept on globalThis: vitest imports this file
 * again for each project (each has a module runner of its own), all in the one main process.
 */
const shared = globalThis as typeof globalThis & { segmintFixtures?: { dir: string; projects: number } };

/**
 * Makes the run's fixture folder on the first project's call (vitest calls this once per project), gives
 * every project that one folder, and removes it when the last project ends. Builds nothing itself.
 */
export default function setup(project: TestProject): () => void {
  const run = (shared.segmintFixtures ??= { dir: mkdtempSync(join(tmpdir(), 'segmint-fixtures-')), projects: 0 });
  run.projects++;
  project.provide('fixtureDir', run.dir);
  return () => {
    if (--run.projects === 0) {
      rmSync(run.dir, { recursive: true, force: true });
      delete shared.segmintFixtures;
    }
  };
}
