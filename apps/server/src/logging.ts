import fs from 'node:fs';
import path from 'node:path';
import pinoRoll from 'pino-roll';

/**
 * Where the server's log lines go. The terminal of `npm start` shows warnings and errors only (in
 * one readable line each); every line at LOG_LEVEL, request logs included, goes to a rotated file,
 * by default <data dir>/logs/requests.N.log: a new file at 10 MB and every day, the active file and
 * the 9 before it kept, older ones deleted, so the logs never hold much more than 100 MB. `current.log` in
 * the same folder points at the active file. CHOUCHA_LOG_DIR=- sends all lines to stdout as JSON
 * instead (for a container platform that collects stdout).
 */
export const LOG_ROTATION = { size: '10m', frequency: 'daily', keep: 9 } as const;
export const LOG_FILE_BASENAME = 'requests';

export interface LogSink {
  /** The stream given to Fastify's logger: one JSON line per write. */
  readonly stream: { write(line: string): void };
  /** The folder of the rotated files, or undefined when logging to stdout. */
  readonly dir: string | undefined;
  /** Flush and close the file. */
  close(): Promise<void>;
}

const WARN = 40;
const LEVEL_NAMES: Record<number, string> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function levelOf(line: string): number {
  // pino writes the level first: {"level":30,"time":…}
  const m = /^\{"level":(\d+)/.exec(line);
  return m ? Number(m[1]) : WARN;
}

/** One JSON log line → one short readable line for the terminal. */
export function terminalLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = LEVEL_NAMES[Number(o.level)] ?? 'WARN';
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString() : '';
  const req = o.req as { method?: string; url?: string } | undefined;
  const err = o.err as { message?: string; code?: string } | undefined;
  const parts = [
    time,
    level,
    String(o.msg ?? ''),
    req?.method && req.url ? `(${req.method} ${req.url})` : '',
    typeof o.reqId === 'string' ? `[${o.reqId}]` : '',
    err?.message && err.message !== o.msg ? `— ${err.code ? `${err.code}: ` : ''}${err.message}` : '',
  ];
  return `${parts.filter((p) => p !== '').join(' ')}\n`;
}

export interface LogSinkOptions {
  /** Where warnings and errors are shown (default stderr). */
  terminal?: { write(s: string): unknown };
  /** Rotation: size of one file (pino-roll syntax, e.g. '10m'); older files kept beside the active one. */
  size?: string;
  keep?: number;
}

export async function openLogSink(logDir: string, opts: LogSinkOptions = {}): Promise<LogSink> {
  const terminal = opts.terminal ?? process.stderr;
  if (logDir === '-') {
    return { stream: process.stdout, dir: undefined, close: async () => undefined };
  }
  const dir = path.resolve(logDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = await pinoRoll({
    file: path.join(dir, LOG_FILE_BASENAME),
    extension: '.log',
    size: opts.size ?? LOG_ROTATION.size,
    frequency: LOG_ROTATION.frequency,
    limit: { count: opts.keep ?? LOG_ROTATION.keep, removeOtherLogFiles: true },
    symlink: process.platform !== 'win32',
    mkdir: true,
  });
  let closed = false;
  return {
    dir,
    stream: {
      write(line: string) {
        if (!closed) file.write(line);
        if (levelOf(line) >= WARN) terminal.write(terminalLine(line));
      },
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        file.end();
      });
    },
  };
}
