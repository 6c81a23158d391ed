/**
 * `npm run bench [-- NAME…]` runs every bench/*.bench.ts (or those whose names are given) one
 * after another, each in its own process so that one's memory does not weigh on the next.
 * Each bench prints one JSON object per line: {"bench": NAME, …figures…}. Nothing else goes to
 * stdout; progress and diagnostics go to stderr.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
let failed = 0;
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  if (wanted.length > 0 && !wanted.some((w) => name === w || name.startsWith(`${w}`))) continue;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(dir, f), ...wanted], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench ${name} failed with exit code ${r.status}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
