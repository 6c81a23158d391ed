import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '@choucha/db';
import { makeServices, type Services } from '@choucha/services';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/**
 * Open the database (embedded with its lock, or PostgreSQL), apply migrations, start listening.
 * `prepare` runs between migration and listening (demo data, production checks).
 */
export async function startServer(
  config: Config,
  opts: { prepare?: (services: Services) => Promise<void>; logger?: boolean } = {},
): Promise<RunningServer> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    command: 'choucha start',
  });
  const services = makeServices(database, { mode: config.mode });
  let app: FastifyInstance | undefined;
  try {
    if (opts.prepare) await opts.prepare(services);
    app = await buildApp({ services, config, ...(opts.logger === undefined ? {} : { logger: opts.logger }) });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const started = app;
  let closing: Promise<void> | undefined;
  return {
    app: started,
    services,
    database,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    close() {
      closing ??= (async () => {
        await started.close();
        await database.close();
      })();
      return closing;
    },
  };
}
