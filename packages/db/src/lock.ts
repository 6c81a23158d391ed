import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '@choucha/core';

/**
 * PGlite does not lock its data directory, and two processes writing it silently lose data.
 * We hold an exclusive lock file for as long as the database is open. A second opener — another
 * process, or the same process by another path — is refused with a message naming the holder.
 *
 * Whether a holder is still alive is decided without process ids (in a container the next
 * process is PID 1 again, and its host name is new each run):
 *
 * - Heartbeat: the holder touches the lock file's mtime every `heartbeatMs` (an unref'd timer,
 *   stopped on release). A lock whose heartbeat is older than `staleMs` (at least 3 heartbeats)
 *   is stale, whatever pid or host it names.
 * - Socket: the holder listens on a Unix socket in the data directory, named in the lock file.
 *   A connect that succeeds proves the holder alive (the kernel accepts even while its event loop
 *   is blocked or the process is stopped); a refused connect on the same kernel (same boot id)
 *   proves it dead, so a holder killed with kill -9 is taken over at once.
 *
 * The lock file is created atomically with its content (written to a private file, then
 * hard-linked into place, which fails if the lock exists), so no opener ever sees it half-written.
 */
export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Identity of the running kernel (Linux boot id): a refused socket is proof only on the same one. */
  kernel?: string;
  /** Random, unique per holder. */
  token?: string;
  /** Name of the holder's Unix socket, relative to the data directory. */
  socket?: string | null;
  heartbeatMs?: number;
}

export interface LockOptions {
  /** How often the holder refreshes its heartbeat (default 5 s). */
  heartbeatMs?: number;
  /** A heartbeat older than this is stale (default 20 s; never less than 3 of the holder's heartbeats). */
  staleMs?: number;
  /** Listen on a Unix socket so that a dead holder on the same kernel is recognised at once (default true). */
  socket?: boolean;
  /**
   * Called when the lock was taken from us while we held it (our heartbeat stopped for longer than
   * the threshold, e.g. the machine slept, and another process took over). Default: print why and
   * exit with status 3, since two writers would corrupt the embedded database.
   */
  onLost?: (reason: string) => void;
}

export const LOCK_FILE = 'choucha.lock';
export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_STALE_MS = 20_000;

const SOCKET_NAME = /^\.choucha-[0-9a-f]{16}\.sock$/;
const heldInThisProcess = new Map<string, string>(); // real data dir → lock file

let kernelIdCache: string | undefined;
/** Same value for every process on one running kernel (containers included), different after a reboot. */
export function kernelId(): string {
  if (kernelIdCache !== undefined) return kernelIdCache;
  try {
    kernelIdCache = `boot:${fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}`;
  } catch {
    // No boot id (macOS, Windows): host name and boot minute. A mismatch only means "no proof".
    const bootMinute = Math.round((Date.now() / 1000 - os.uptime()) / 60);
    kernelIdCache = `host:${os.hostname()}@${bootMinute}`;
  }
  return kernelIdCache;
}

function secondsAgo(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

function describe(info: LockInfo, dir: string, extra = ''): string {
  return (
    `The data directory ${dir} is in use by process ${info.pid} on ${info.host} ` +
    `("${info.command}", since ${info.since}). Only one process may open the embedded database. ` +
    `Stop that process first (or use its web UI / API), or set DATABASE_URL to a PostgreSQL server ` +
    `so that several processes can share the data.${extra}`
  );
}

export interface HeldLock {
  readonly file: string;
  release(): void;
}

type Probe = 'alive' | 'dead' | 'unknown';

/** Connect to the holder's socket: accepted → alive; refused on our kernel → dead; else unknown. */
function probeSocket(dir: string, holder: LockInfo): Promise<Probe> {
  if (!holder.socket || !SOCKET_NAME.test(holder.socket)) return Promise.resolve('unknown');
  const sameKernel = holder.kernel !== undefined && holder.kernel === kernelId();
  return new Promise((resolve) => {
    const conn = net.connect({ path: path.join(dir, holder.socket as string) });
    const done = (p: Probe) => {
      clearTimeout(timer);
      conn.destroy();
      resolve(p);
    };
    const timer = setTimeout(() => done('unknown'), 2_000);
    conn.once('connect', () => done('alive'));
    conn.once('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNREFUSED' && sameKernel ? 'dead' : 'unknown'),
    );
  });
}

function readHolder(file: string): { info: LockInfo | undefined; mtimeMs: number } | undefined {
  let st: fs.Stats;
  let text: string;
  try {
    st = fs.statSync(file);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let info: LockInfo | undefined;
  try {
    const parsed = JSON.parse(text) as LockInfo;
    info =
      typeof parsed === 'object' && parsed !== null && typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    info = undefined; // unreadable (an older version, or a damaged file): judged by its heartbeat alone
  }
  return { info, mtimeMs: st.mtimeMs };
}

async function listen(socketPath: string): Promise<net.Server | undefined> {
  const server = net.createServer((conn) => conn.end());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch {
    server.close();
    return undefined; // e.g. a path too long for a Unix socket, or a file system without sockets
  }
  server.unref();
  server.on('error', () => undefined);
  return server;
}

/**
 * The heartbeat also runs on a thread of its own, so that a main thread busy for a long time (a
 * large PGlite COPY or migration runs synchronously) does not look dead. It only touches the file
 * while the file is still ours; noticing that the lock was deleted or taken stays with the main thread.
 */
const HEARTBEAT_WORKER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, token, heartbeatMs } = workerData;
setInterval(() => {
  try {
    if (JSON.parse(fs.readFileSync(file, 'utf8')).token !== token) return;
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {}
}, heartbeatMs);
`;

function startHeartbeatWorker(file: string, token: string, heartbeatMs: number): Worker | undefined {
  try {
    const worker = new Worker(HEARTBEAT_WORKER, { eval: true, workerData: { file, token, heartbeatMs } });
    worker.on('error', () => undefined); // the main thread's timer still beats
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}

export async function acquireDataDirLock(
  dataDir: string,
  command: string,
  opts: LockOptions = {},
): Promise<HeldLock> {
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  fs.mkdirSync(dataDir, { recursive: true });
  const real = fs.realpathSync(dataDir);
  if (heldInThisProcess.has(real)) {
    const info: LockInfo = { pid: process.pid, host: os.hostname(), command, since: 'earlier' };
    throw new AppError('DB_LOCKED', describe(info, dataDir), { holder: info });
  }
  const file = path.join(real, LOCK_FILE);
  const token = randomBytes(8).toString('hex');

  // Our socket first, under a name of our own, so that the lock never names a socket not yet listening.
  let server: net.Server | undefined;
  let socketName: string | null = null;
  if (opts.socket !== false && process.platform !== 'win32') {
    const name = `.choucha-${token}.sock`;
    const p = path.join(real, name);
    if (Buffer.byteLength(p) < 100) {
      server = await listen(p);
      if (server) socketName = name;
    }
  }
  const closeSocket = () => {
    if (!server) return;
    server.close();
    server = undefined;
    if (socketName) fs.rmSync(path.join(real, socketName), { force: true });
  };

  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    command,
    since: new Date().toISOString(),
    kernel: kernelId(),
    token,
    socket: socketName,
    heartbeatMs,
  };
  const draft = path.join(real, `.choucha-${token}.lock`);
  const writeDraft = () => {
    const fd = fs.openSync(draft, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(mine));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };
  writeDraft();
  const link = (): boolean => {
    try {
      fs.linkSync(draft, file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  };
  function hold(): HeldLock {
    heldInThisProcess.set(real, file);
    fs.rmSync(draft, { force: true });
    let released = false;
    const ours = () => {
      try {
        return (JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo).token === token;
      } catch {
        return false;
      }
    };
    const lost =
      opts.onLost ??
      ((reason: string) => {
        process.stderr.write(
          `DB_LOCKED: ${reason}. Stopping now: two processes writing ${dataDir} would corrupt it.\n`,
        );
        process.exit(3);
      });
    const beat = () => {
      if (released) return;
      try {
        if (ours()) {
          const now = new Date();
          fs.utimesSync(file, now, now);
          return;
        }
        if (!fs.existsSync(file)) {
          // Deleted by hand: put it back (fails if another process has taken it meanwhile).
          writeDraft();
          const back = link();
          fs.rmSync(draft, { force: true });
          if (back) return;
        }
      } catch {
        return; // a transient file-system error: try again at the next beat
      }
      release();
      const holder = readHolder(file)?.info;
      lost(
        `the lock on ${dataDir} was taken over by ${holder ? `process ${holder.pid} on ${holder.host} ("${holder.command}")` : 'another process'} while this process held it`,
      );
    };
    const timer = setInterval(beat, heartbeatMs);
    timer.unref();
    const worker = startHeartbeatWorker(file, token, heartbeatMs);
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      void worker?.terminate().catch(() => undefined);
      heldInThisProcess.delete(real);
      closeSocket();
      if (ours()) fs.rmSync(file, { force: true });
    };
    return { file, release };
  }

  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (link()) return hold();
      const seen = readHolder(file);
      if (!seen) continue; // released meanwhile: try again
      const { info: holder, mtimeMs } = seen;
      const probe = holder ? await probeSocket(real, holder) : 'unknown';
      const age = Date.now() - mtimeMs;
      const threshold = Math.max(staleMs, 3 * (holder?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS));
      const stale = probe === 'dead' || (probe === 'unknown' && age > threshold);
      if (!stale) {
        const shown: LockInfo = holder ?? {
          pid: 0,
          host: 'unknown',
          command: 'unknown (unreadable lock file)',
          since: new Date(mtimeMs).toISOString(),
        };
        const extra =
          probe === 'alive'
            ? ' That process answers on its lock socket.'
            : ` Its last heartbeat was ${secondsAgo(age)} ago; if it is no longer running, the lock is ` +
              `taken over ${secondsAgo(threshold)} after its last heartbeat.`;
        throw new AppError('DB_LOCKED', describe(shown, dataDir, extra), {
          holder: shown,
          heartbeatAgeMs: Math.round(age),
        });
      }
      // The holder died without releasing (kill -9, power loss, a container restarted): take over,
      // unless another opener has done so since we looked.
      const again = readHolder(file);
      if (!again || again.mtimeMs !== mtimeMs || again.info?.token !== holder?.token) continue;
      fs.rmSync(file, { force: true });
      if (holder?.socket && SOCKET_NAME.test(holder.socket)) {
        fs.rmSync(path.join(real, holder.socket), { force: true });
      }
    }
  } catch (e) {
    closeSocket();
    fs.rmSync(draft, { force: true });
    throw e;
  }
  closeSocket();
  fs.rmSync(draft, { force: true });
  throw new AppError('DB_LOCKED', `Could not take the lock on ${dataDir}; try again.`);
}
