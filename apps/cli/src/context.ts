import { openDatabase, type Database } from '@choucha/db';
import { makeServices, type Services } from '@choucha/services';
import { loadConfig, type Config } from '@choucha/server';

export function config(): Config {
  return loadConfig(process.env);
}

/** Open the database for one command (taking the embedded database's lock), run, close. */
export async function withServices<T>(
  command: string,
  fn: (svc: Services, db: Database) => Promise<T>,
): Promise<T> {
  const c = config();
  const database = await openDatabase({
    databaseUrl: c.databaseUrl,
    dataDir: c.dataDir,
    command: `choucha ${command}`,
  });
  try {
    return await fn(makeServices(database, { mode: c.mode }), database);
  } finally {
    await database.close();
  }
}
