import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A folder per run for fixtures several files share, built on first use (test/helpers/fixtures.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 120_000,
    // Real-data files import a whole data set in beforeAll; two of them at once on a busy machine take minutes.
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: more workers only fight over them, and DuckDB uses threads of its own.
    maxWorkers: 2,
  },
});
