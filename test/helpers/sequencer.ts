import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (each 15 s to 110 s of one worker, measured on 2 cores), longest first.
 * Two workers share the run: a file this long started late finishes alone after everything else, so
 * these start first. Only their place in the queue changes; every file runs as before.
 */
export const slowFirst = [
  'test/measure/workflow-holdout.test.ts',
  'test/web/dashboard.test.ts',
  'test/import/real-data.test.ts',
  'test/privacy/erase.test.ts',
  'test/segments/property/sql-vs-memory.test.ts',
  'test/workflows/engine.test.ts',
  'test/privacy/escape.test.ts',
  'test/realtime/contract/contract.property.test.ts',
  'test/server/escape-routes.test.ts',
];

/**
 * vitest's order (by project, then the longest of the last run first, or the largest file when no run
 * is cached, as in a fresh clone), except that the files of slowFirst go first, whatever their project.
 */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = slowFirst.indexOf(relative(f.project.config.root, f.moduleId));
      return i < 0 ? slowFirst.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i, r: rank(f) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map(({ f }) => f);
  }
}
