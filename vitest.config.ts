import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '*/src/**/*.test.ts',
      '*/test/**/*.test.ts',
      'scripts/**/*.test.ts',
      'helm/*/test/**/*.test.ts',
      'examples/connectors/*/src/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '.flowforge/**'],
    globalSetup: ['scripts/test-env/global-setup.ts'],
    pool: 'forks',
    // vitest's default is one file at a time on 2 CPUs (cores - 1); most of a file's time is waiting on
    // Temporal, PostgreSQL and child processes, so two files at a time use the machine better.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: '.flowforge/test-results.json' }]],
  },
});
