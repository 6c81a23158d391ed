import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { acquireDataDirLock, type HeldLock, type LockOptions } from './lock.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Db | Tx;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** A description safe to print (no password). */
  readonly description: string;
  /** Raw SQL with parameters, for the few places the query builder does not fit. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** The underlying node-postgres pool (PostgreSQL only), e.g. for COPY. */
  readonly pool: pg.Pool | undefined;
  /** The underlying PGlite (embedded only). */
  readonly pglite: PGlite | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… ; when absent the embedded database in dataDir is used. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database (default ./data). */
  dataDir?: string | undefined;
  /** What is opening it, shown to a refused second opener. */
  command?: string;
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** Heartbeat and liveness settings of the embedded database's lock (see lock.ts). */
  lock?: LockOptions;
}

// Both drivers give us the same result shape for our purposes.
pg.types.setTypeParser(20, (v) => Number(v)); // int8 → number (counts); ids stay within 2^53

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const database = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      await migrateDatabase(database);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client whose connection the server ends (a restart, pg_terminate_backend, a dropped
  // test database) makes the pool emit 'error'; unhandled, that would end the process. The pool
  // drops such a client by itself and the next query opens a fresh connection.
  pool.on('error', () => undefined);
  // Fail fast with a clear message if the server cannot be reached.
  const client = await pool.connect().catch(async (e: Error) => {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${e.message}`);
  });
  client.release();
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let poolClosed = false;
  return {
    db,
    kind: 'postgres',
    description: `PostgreSQL ${redact(url)}`,
    pool,
    pglite: undefined,
    async query<T>(text: string, params: unknown[] = []) {
      const r = await pool.query(text, params);
      return r.rows as T[];
    },
    async close() {
      if (poolClosed) return;
      poolClosed = true;
      await pool.end();
    },
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const dataDir = path.resolve(opts.dataDir ?? './data');
  const lock: HeldLock = await acquireDataDirLock(
    dataDir,
    opts.command ?? process.argv.slice(1).join(' '),
    opts.lock,
  );
  let client: PGlite;
  try {
    const pgDir = path.join(dataDir, 'pg');
    fs.mkdirSync(pgDir, { recursive: true });
    client = await PGlite.create(pgDir, { extensions: { pg_trgm } });
  } catch (e) {
    lock.release();
    throw e;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    description: `embedded PGlite in ${dataDir}`,
    pool: undefined,
    pglite: client,
    async query<T>(text: string, params: unknown[] = []) {
      const r = await client.query<T>(text, params);
      return r.rows;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        lock.release();
      }
    },
  };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePg(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
