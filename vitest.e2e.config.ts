import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    // the conformance run checks the browser verifier on files alone (no database): embedded pass only
    exclude: ['**/node_modules/**', ...(process.env['TEST_DATABASE_URL'] ? ['e2e/conformance.e2e.ts'] : [])],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // vitest's default poll gives up after 1 s; a page that fetches a dashboard on CI's 2 cores with
    // PostgreSQL took longer (year-joint's joint-objects KPI read 0 before the data came). A poll
    // that passes sooner stops sooner, so a wide timeout costs nothing when the product works.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    fileParallelism: false,
    pool: 'forks',
  },
});
