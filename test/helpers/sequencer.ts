import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (each 15 s to 170 s of one worker in a whole run on 2 busy cores, measured
 * after issue 15's changes), longest first. Two workers share the run: a file this long started late
 * finishes alone after everything else, so these start first. The two that read the demo shop (built once
 * per run by whichever asks first) are apart, so the second does not start while the first still builds
 * it and leave a worker waiting. Only their place in the queue changes; every file runs as before.
 */
export const slowFirst = [
  'test/web/dashboard.test.ts',
  'test/measure/workflow-holdout.test.ts',
  'test/server/fuzz.test.ts',
  'test/import/real-data.test.ts',
  'test/predict/propensity/online-retail.test.ts',
  'test/server/read-api.test.ts',
  'test/privacy/erase.test.ts',
  'test/server/slow-clients.test.ts',
  'test/segments/property/sql-vs-memory.test.ts',
  'test/workflows/kill.test.ts',
  'test/import/real-data-line-kinds.test.ts',
  'test/demo/cli.test.ts',
  'test/privacy/fairness.test.ts',
  'test/privacy/escape.test.ts',
  'test/server/escape-routes.test.ts',
  'test/import/layouts.test.ts',
  'test/realtime/crash.test.ts',
  'test/realtime/contract/contract.property.test.ts',
  'test/workflows/engine.test.ts',
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
