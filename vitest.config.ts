import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real DuckDB files and child processes: keep the 2-core machine from thrashing.
    pool: 'forks',
    maxWorkers: 2,
  },
});
