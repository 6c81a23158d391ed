import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '@choucha/core';

/**
 * PGlite does not lock its data directory, and two processes writing it silently lose data.
 * We hold an exclusive lock file for as long as the database is open. A second opener — another
 * process, or the same process by another path — is refused with a message naming the holder.
 */
export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

const heldInThisProcess = new Map<string, string>(); // real data dir → lock file

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(info: LockInfo, dir: string): string {
  return (
    `The data directory ${dir} is in use by process ${info.pid} on ${info.host} ` +
    `("${info.command}", since ${info.since}). Only one process may open the embedded database. ` +
    `Stop that process first (or use its web UI / API), or set DATABASE_URL to a PostgreSQL server ` +
    `so that several processes can share the data.`
  );
}

export interface HeldLock {
  readonly file: string;
  release(): void;
}

export function acquireDataDirLock(dataDir: string, command: string): HeldLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const real = fs.realpathSync(dataDir);
  if (heldInThisProcess.has(real)) {
    const info: LockInfo = { pid: process.pid, host: os.hostname(), command, since: 'earlier' };
    throw new AppError('DB_LOCKED', describe(info, dataDir), { holder: info });
  }
  const file = path.join(real, 'choucha.lock');
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    command,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(mine));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      heldInThisProcess.set(real, file);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          heldInThisProcess.delete(real);
          try {
            const now = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
            if (now.pid === process.pid) fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = undefined; // half-written by a process that died while taking it
      }
      const stale =
        holder === undefined ||
        (holder.host === os.hostname() && holder.pid !== process.pid && !alive(holder.pid));
      if (holder && !stale) throw new AppError('DB_LOCKED', describe(holder, dataDir), { holder });
      // The holder died without releasing (kill -9, power loss): take the lock over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('DB_LOCKED', `Could not take the lock on ${dataDir}; try again.`);
}
