import { isIP } from 'node:net';
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
  /** Default: true in production mode, false otherwise. */
  CHOUCHA_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  CHOUCHA_TRUST_PROXY: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const r = parseTrustProxy(v);
      if ('problem' in r) ctx.addIssue({ code: 'custom', message: r.problem });
    }),
  CHOUCHA_WEB_DIST: z.string().optional(),
  /**
   * The hard ceiling of an upload. The limit in effect is the district's rule (settings, default
   * 50 MB, at most 500 MB) and never above this ceiling.
   */
  CHOUCHA_UPLOAD_LIMIT_MB: z.coerce.number().positive().max(1024).default(500),
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
  /**
   * Which reverse proxies may set X-Forwarded-For (Fastify's trustProxy): false (none, the
   * default) or a list of addresses / CIDR ranges / proxy-addr names.
   */
  trustProxy: TrustProxy;
  webDist: string | undefined;
  /** Hard ceiling of an upload; the district rules' uploadLimitMb applies below it. */
  uploadLimitBytes: number;
};

export type TrustProxy = false | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of CHOUCHA_TRUST_PROXY: an IP, a CIDR (10.0.0.0/8, fd00::/8), a netmask form or a name. */
function validProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [addr, range, ...rest] = entry.split('/');
  if (!addr || rest.length > 0) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4; // 10.0.0.0/255.0.0.0
}

/**
 * CHOUCHA_TRUST_PROXY: unset, "", "false", "none" or "0" → trust no proxy (the client address is
 * the TCP peer); otherwise a comma-separated list of the proxies' addresses or CIDR ranges. Refused:
 * "true" (trust anyone: every client could choose the address it is throttled and audited by) and
 * hop counts (Fastify 5.12 fails closed on a number — it would silently trust nothing).
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === '0' || v === 'none') return { value: false };
  if (/^\d+$/.test(v)) {
    return { problem: 'hop counts are not supported; list the proxy addresses or CIDR ranges' };
  }
  if (v === 'true') {
    return {
      problem:
        'trusting every proxy lets any client forge its address; list the proxy addresses or CIDR ranges',
    };
  }
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validProxyEntry(e));
  if (bad.length > 0) {
    return {
      problem: `not an IP address, CIDR range or loopback|linklocal|uniquelocal: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    };
  }
  return { value: entries };
}

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
  const trust = parseTrustProxy(e.CHOUCHA_TRUST_PROXY);
  if ('problem' in trust) throw new ConfigError([`CHOUCHA_TRUST_PROXY: ${trust.problem}`]); // refined above
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
    // Secure cookies by default in production; an explicit CHOUCHA_COOKIE_SECURE=false opts out.
    cookieSecure:
      e.CHOUCHA_COOKIE_SECURE === undefined
        ? e.CHOUCHA_MODE === 'production'
        : e.CHOUCHA_COOKIE_SECURE === 'true',
    trustProxy: trust.value,
    webDist: e.CHOUCHA_WEB_DIST,
    uploadLimitBytes: Math.round(e.CHOUCHA_UPLOAD_LIMIT_MB * 1024 * 1024),
  };
}
