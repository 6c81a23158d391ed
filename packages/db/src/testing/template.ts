/**
 * Test support: a migrated embedded database to copy from. Opening a fresh PGlite directory and
 * applying every migration takes about 2 s; copying the directory of one that is already migrated
 * and opening it takes about 0.35 s (measured on the 2-core CI machine class, 14 migrations). The
 * unit tests open a fresh database per file (often several), the e2e tests one per server start.
 *
 * The template lives in the system's temp directory under a name that hashes the migration files
 * and the PGlite version, so a changed migration builds a new one; it is built once per machine
 * (several test processes may build at the same moment: each builds its own and the first rename
 * wins). Only the PGlite data (`pg/`) is copied: never a lock file or a socket. The database opened
 * on the copy still runs its migrations, which finds nothing to do, so a wrong template cannot
 * hide a migration.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR, openDatabase } from '../database.ts';

const PREFIX = 'choucha-migrated-';

function templateKey(): string {
  const h = createHash('sha256');
  // the PGlite build (its package.json is not exported: found above its entry point)
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  h.update(fs.readFileSync(path.join(dir, 'package.json')));
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(`${path.relative(MIGRATIONS_DIR, p)}\n`).update(fs.readFileSync(p));
    }
  };
  walk(MIGRATIONS_DIR);
  return h.digest('hex').slice(0, 16);
}

let ready: Promise<string> | undefined;

/** The directory of a migrated, closed PGlite database (its `pg/` folder), built on first use. */
export function migratedTemplate(): Promise<string> {
  ready ??= (async () => {
    const dir = path.join(os.tmpdir(), `${PREFIX}${templateKey()}`);
    if (fs.existsSync(path.join(dir, 'pg', 'PG_VERSION'))) return dir;
    const build = path.join(os.tmpdir(), `${PREFIX}build-${randomBytes(6).toString('hex')}`);
    const database = await openDatabase({ dataDir: build, command: 'test template' });
    await database.close();
    try {
      fs.renameSync(build, dir);
    } catch {
      // another process renamed its build first: use that one
      fs.rmSync(build, { recursive: true, force: true });
    }
    // templates of other migration sets, untouched for a day, are left from earlier runs: remove
    // them (not younger ones: another checkout's tests may be copying from theirs right now)
    for (const name of fs.readdirSync(os.tmpdir())) {
      const p = path.join(os.tmpdir(), name);
      if (!name.startsWith(PREFIX) || p === dir) continue;
      const stat = fs.statSync(p, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 86_400_000) fs.rmSync(p, { recursive: true, force: true });
    }
    return dir;
  })();
  return ready;
}

/** Fills an empty data directory with a copy of the migrated template (embedded database only). */
export async function seedMigratedDataDir(dataDir: string): Promise<void> {
  const template = await migratedTemplate();
  fs.cpSync(path.join(template, 'pg'), path.join(dataDir, 'pg'), { recursive: true });
}
