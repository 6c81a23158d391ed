import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes from the environment and is validated at start-up: each bad setting gets
 * its own message naming the variable, what it holds and what is expected.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  CHOUCHA_DATA_DIR: z.string().min(1).default('./data'),
  CHOUCHA_MODE: z.enum(['production', 'development', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the rotated request log (default <CHOUCHA_DATA_DIR>/logs); "-" logs to stdout. */
  CHOUCHA_LOG_DIR: z.string().min(1).optional(),
  CHOUCHA_COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  CHOUCHA_WEB_DIST: z.string().optional(),
  CHOUCHA_UPLOAD_LIMIT_MB: z.coerce.number().positive().max(1024).default(50),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  mode: 'production' | 'development' | 'test';
  logLevel: string;
  /** Folder of the rotated log files, or "-" for JSON lines on stdout (see logging.ts). */
  logDir: string;
  cookieSecure: boolean;
  webDist: string | undefined;
  uploadLimitBytes: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = Env.safeParse(cleaned);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        return `${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
      }),
    );
  }
  const e = r.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.CHOUCHA_DATA_DIR),
    mode: e.CHOUCHA_MODE,
    logLevel: e.LOG_LEVEL,
    logDir:
      e.CHOUCHA_LOG_DIR === '-'
        ? '-'
        : path.resolve(e.CHOUCHA_LOG_DIR ?? path.join(e.CHOUCHA_DATA_DIR, 'logs')),
    cookieSecure: e.CHOUCHA_COOKIE_SECURE === 'true',
    webDist: e.CHOUCHA_WEB_DIST,
    uploadLimitBytes: Math.round(e.CHOUCHA_UPLOAD_LIMIT_MB * 1024 * 1024),
  };
}
