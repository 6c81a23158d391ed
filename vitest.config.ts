import { defineConfig } from 'vitest/config';

/**
 * On the PostgreSQL pass (TEST_DATABASE_URL set) the tests that never open a database are left out:
 * they ran on the embedded pass and cannot differ (scripts/test.mjs).
 */
const pureOnly = [
  'packages/core/**',
  'packages/importer/**',
  'packages/demo/**',
  'verifier/**',
  'apps/web/**',
];

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'verifier/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(process.env['TEST_DATABASE_URL'] ? pureOnly : [])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
