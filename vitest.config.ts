import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/helpers/sequencer.js';

// Results never depend on the process's time zone (docs/api.md, "Timestamps"): the suites that read,
// store and compare times (ingestion, import, segments, identity, reports in the workspace zone) run again under two zones far from UTC
// and from each other. The real-data files import whole data sets and test no time arithmetic of their
// own, so they run once.
const zoneSensitive = [
  'test/domain/**/*.test.ts',
  'test/analytics/time-zone.test.ts',
  'test/measure/time-zone.test.ts',
  'test/identity/**/*.test.ts',
  'test/import/**/*.test.ts',
  'test/segments/**/*.test.ts',
  'test/server/{cases,ingest-rules,ingest,validation,normalise,takeover}.test.ts',
];
const onceOnly = ['test/**/real-data*.test.ts', 'test/segments/real-data/**'];

// Folders whose files leave no state behind but the segment field catalog (reset before each file by
// test/helpers/shared-modules.ts) run with the modules of their worker shared (isolate: false): each
// file would otherwise import the several hundred source modules again, half a second to a second of
// CPU a file (the server's the most). The folders of live engines, workflows, browsers and whole-process
// checks (cli, demo, privacy, realtime, workflows, web) stay isolated: work of theirs still under way
// when a file ends (timers, engines) must not land in the next file.
const sharedModules = [
  'test/analytics/**/*.test.ts',
  'test/csv/**/*.test.ts',
  'test/domain/**/*.test.ts',
  'test/identity/**/*.test.ts',
  'test/import/**/*.test.ts',
  'test/measure/**/*.test.ts',
  'test/predict/**/*.test.ts',
  'test/quality/**/*.test.ts',
  'test/profiles/**/*.test.ts',
  'test/segments/**/*.test.ts',
  'test/server/**/*.test.ts',
  'test/store/**/*.test.ts',
  'test/text/**/*.test.ts',
  'test/webhooks/**/*.test.ts',
  'test/*.test.ts',
];
const shared = { isolate: false, setupFiles: ['test/helpers/shared-modules.ts'] };

export default defineConfig({
  test: {
    // A folder per run for fixtures several files share, built on first use (test/helpers/fixtures.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 120_000,
    // Real-data files import a whole data set in beforeAll; two of them at once on a busy machine take minutes.
    hookTimeout: 300_000,
    // The longest files start first (test/helpers/sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    pool: 'forks',
    // Two cores: more workers only fight over them, and DuckDB uses threads of its own.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'], exclude: sharedModules } },
      { extends: true, test: { name: 'shared', include: sharedModules, ...shared } },
      ...['America/New_York', 'Asia/Tokyo'].map((zone) => ({
        extends: true as const,
        // three projects share two cores, so a long property test gets more time here
        test: { name: `TZ=${zone}`, include: zoneSensitive, exclude: onceOnly, env: { TZ: zone }, testTimeout: 300_000, ...shared },
      })),
    ],
  },
});
