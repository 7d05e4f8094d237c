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
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: '.flowforge/test-results.json' }]],
  },
});
