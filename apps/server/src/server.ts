import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '@choucha/db';
import {
  ensureCheckpoint,
  makeServices,
  startCheckpointTimer,
  startPlanTimer,
  type Services,
} from '@choucha/services';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openLogSink, type LogSink } from './logging.ts';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  database: Database;
  url: string;
  /** Folder of the rotated log files; undefined when logging to stdout or not at all. */
  logDir: string | undefined;
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
  let logs: LogSink | undefined;
  try {
    if (opts.prepare) await opts.prepare(services);
    // the audit chain's head is published at start unless a checkpoint is younger than a day
    await ensureCheckpoint(services, { reason: 'start' });
    // Request logs go to a rotated file, warnings also to the terminal (logging.ts).
    if (opts.logger !== false) logs = await openLogSink(config.logDir);
    app = await buildApp({
      services,
      config,
      ...(opts.logger === undefined ? {} : { logger: opts.logger }),
      ...(logs ? { logStream: logs.stream } : {}),
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app?.close().catch(() => undefined);
    await logs?.close();
    await database.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const started = app;
  // …and at least daily while the server runs (an unref'd timer, stopped by close())
  const checkpoints = startCheckpointTimer(services, {
    onError: (e) => started.log.warn({ err: e }, 'audit checkpoint failed'),
  });
  // plan batches whose window opens today become tasks (daily, services/campaigns/plans-schedule.ts)
  const planTimer = startPlanTimer(services, {
    onResult: (r) => {
      if (r.opened.length + r.failed.length > 0)
        started.log.info({ opened: r.opened, failed: r.failed, today: r.today }, 'plan batches opened');
    },
    onError: (e) => started.log.warn({ err: e }, 'opening due plan batches failed'),
  });
  let closing: Promise<void> | undefined;
  return {
    app: started,
    services,
    database,
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    logDir: logs?.dir,
    close() {
      closing ??= (async () => {
        await checkpoints.stop();
        await planTimer.stop();
        await started.close();
        await logs?.close();
        await database.close();
      })();
      return closing;
    },
  };
}
