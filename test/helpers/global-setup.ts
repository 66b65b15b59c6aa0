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

/** Makes the run's fixture folder, and removes it when the run ends. Builds nothing itself. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'segmint-fixtures-'));
  project.provide('fixtureDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
