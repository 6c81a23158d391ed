/**
 * `npm test`: the static checks, the web build, the unit/property tests and the e2e tests, in that order,
 * stopping at the first failure.
 *
 * With TEST_DATABASE_URL set (the second CI pass, on PostgreSQL) only what can differ between the two
 * databases runs again: the web build, and the tests that touch a database (vitest.config.ts and
 * vitest.e2e.config.ts leave out the pure ones: core, importer, demo generation, verifiers, web units,
 * the browser-only conformance run). Formatting, lint, type check and pure tests give the same answer
 * on any database, and the first pass (embedded) has run them; this keeps CI under ~30 minutes.
 */
import { spawnSync } from 'node:child_process';

const onPostgres = Boolean(process.env['TEST_DATABASE_URL']);
const steps = onPostgres
  ? ['build:web', 'test:unit', 'test:e2e']
  : ['format:check', 'lint', 'typecheck', 'build:web', 'test:unit', 'test:e2e'];
if (onPostgres)
  process.stdout.write(
    'TEST_DATABASE_URL is set: running the database-dependent tests (static checks and pure tests ran on the embedded pass)\n',
  );
for (const step of steps) {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', step], { stdio: 'inherit', shell: process.platform === 'win32' });
  process.stdout.write(
    `--- ${step}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)} s\n`,
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
