/**
 * The data-dir lock decides liveness without process ids: a heartbeat (the lock file's mtime) and
 * the holder's Unix socket. Holders in other processes are real child processes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, kernelId, LOCK_FILE, type LockInfo, type LockOptions } from './lock.ts';

const HOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'lock-holder.ts');
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lockFile = (dir: string) => path.join(dir, LOCK_FILE);
const readLock = (dir: string) => JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as LockInfo;

/** A lock file as a holder that is gone would have left it, its heartbeat `ageMs` old. */
function leaveLock(dir: string, info: Partial<LockInfo>, ageMs: number) {
  const full: LockInfo = {
    pid: 1,
    host: 'other-host',
    command: 'choucha start',
    since: '2026-01-01',
    ...info,
  };
  fs.writeFileSync(lockFile(dir), JSON.stringify(full));
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(lockFile(dir), t, t);
}

async function spawnHolder(dir: string, opts: LockOptions, database = false) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOLDER, dir, JSON.stringify(opts), ...(database ? ['--database'] : [])],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('held ')) resolve();
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${out}${err}`)));
  });
  return child;
}

async function kill9(child: ChildProcessWithoutNullStreams) {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

describe('a lock left behind is taken over whatever pid and host it names', () => {
  it.each([
    ['PID 1 on another host', { pid: 1, host: 'other-host' }],
    ['our own pid on another host', { pid: process.pid, host: 'other-host' }],
    ['PID 1 on this host, another kernel', { pid: 1, host: os.hostname(), kernel: 'boot:gone' }],
    ['an unreadable file', null],
  ])('%s, heartbeat an hour old', async (_name, info) => {
    const dir = tempDir();
    if (info) leaveLock(dir, info, 3_600_000);
    else {
      fs.writeFileSync(lockFile(dir), '{"pid":');
      const t = new Date(Date.now() - 3_600_000);
      fs.utimesSync(lockFile(dir), t, t);
    }
    const lock = await acquireDataDirLock(dir, 'vitest');
    const now = readLock(dir);
    expect(now.pid).toBe(process.pid);
    expect(now.command).toBe('vitest');
    expect(now.kernel).toBe(kernelId());
    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it('is refused while its heartbeat is fresh, naming the holder and when it will be taken over', async () => {
    const dir = tempDir();
    leaveLock(dir, { pid: 1, host: 'other-host', command: 'choucha start' }, 1_000);
    const err = await acquireDataDirLock(dir, 'vitest').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DB_LOCKED', details: { holder: { pid: 1, host: 'other-host' } } });
    expect((err as Error).message).toMatch(/in use by process 1 on other-host \("choucha start"/);
    expect((err as Error).message).toMatch(/last heartbeat was 1 s ago.*taken over 20 s after/);
    // the file is untouched
    expect(readLock(dir)).toMatchObject({ pid: 1, host: 'other-host' });
  });

  it('an unreadable file with a fresh heartbeat is not removed (it may be a holder of another version)', async () => {
    const dir = tempDir();
    fs.writeFileSync(lockFile(dir), 'garbage');
    await expect(acquireDataDirLock(dir, 'vitest')).rejects.toMatchObject({ code: 'DB_LOCKED' });
    expect(fs.readFileSync(lockFile(dir), 'utf8')).toBe('garbage');
  });
});

describe('a holder in another process', () => {
  it('is refused while alive, and released when it stops', async () => {
    const dir = tempDir();
    const child = await spawnHolder(dir, {});
    const err = await acquireDataDirLock(dir, 'vitest').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DB_LOCKED', details: { holder: { pid: child.pid } } });
    expect((err as Error).message).toMatch(new RegExp(`process ${child.pid} on .*"lock-holder"`));
    expect((err as Error).message).toMatch(/answers on its lock socket/);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]); // its socket is gone too
    (await acquireDataDirLock(dir, 'vitest')).release();
  });

  it('keeps its heartbeat: refused long after the threshold while alive (no socket)', async () => {
    const dir = tempDir();
    const child = await spawnHolder(dir, { heartbeatMs: 100, socket: false });
    const before = fs.statSync(lockFile(dir)).mtimeMs;
    await sleep(1_000);
    expect(fs.statSync(lockFile(dir)).mtimeMs).toBeGreaterThan(before);
    const err = await acquireDataDirLock(dir, 'vitest', { staleMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DB_LOCKED', details: { holder: { pid: child.pid } } });
    expect((err as { details: { heartbeatAgeMs: number } }).details.heartbeatAgeMs).toBeLessThan(300);
  });

  it('a stopped holder (SIGSTOP, heartbeat stale) still answers on its socket and is refused', async () => {
    const dir = tempDir();
    const child = await spawnHolder(dir, { heartbeatMs: 100 });
    child.kill('SIGSTOP');
    try {
      await sleep(800);
      const err = await acquireDataDirLock(dir, 'vitest', { staleMs: 300 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DB_LOCKED', details: { holder: { pid: child.pid } } });
      expect((err as { details: { heartbeatAgeMs: number } }).details.heartbeatAgeMs).toBeGreaterThan(300);
    } finally {
      child.kill('SIGCONT');
    }
  });

  it('killed with kill -9 is taken over at once: its socket refuses on the same kernel', async () => {
    const dir = tempDir();
    const child = await spawnHolder(dir, {});
    const dead = readLock(dir);
    await kill9(child);
    expect(readLock(dir).pid).toBe(dead.pid); // left behind, heartbeat fresh
    const lock = await acquireDataDirLock(dir, 'vitest'); // default threshold 20 s: the socket decided
    expect(readLock(dir).pid).toBe(process.pid);
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]); // the dead holder's socket was removed as well
  });

  it('killed with kill -9 without a socket is taken over after the heartbeat threshold', async () => {
    const dir = tempDir();
    const child = await spawnHolder(dir, { heartbeatMs: 100, socket: false }, true);
    // opening PGlite blocked the holder's main thread; its heartbeat thread kept beating
    expect(Date.now() - fs.statSync(lockFile(dir)).mtimeMs).toBeLessThan(400);
    await kill9(child);
    const early = await acquireDataDirLock(dir, 'vitest', { staleMs: 1_500 }).catch((e: unknown) => e);
    expect(early).toMatchObject({ code: 'DB_LOCKED', details: { holder: { pid: child.pid } } });
    await sleep(1_700);
    const lock = await acquireDataDirLock(dir, 'vitest', { staleMs: 1_500 });
    expect(readLock(dir).pid).toBe(process.pid);
    lock.release();
  });
});

describe('while held', () => {
  it('keeps the heartbeat while the main thread is blocked', async () => {
    const dir = tempDir();
    const lock = await acquireDataDirLock(dir, 'vitest', { heartbeatMs: 50 });
    await sleep(100); // the heartbeat thread starts
    const end = Date.now() + 600;
    while (Date.now() < end) {
      /* a synchronous stretch, like a large PGlite COPY */
    }
    expect(Date.now() - fs.statSync(lockFile(dir)).mtimeMs).toBeLessThan(200);
    lock.release();
  });

  it('refuses a second opener in the same process', async () => {
    const dir = tempDir();
    const lock = await acquireDataDirLock(dir, 'vitest');
    await expect(acquireDataDirLock(dir, 'again')).rejects.toMatchObject({ code: 'DB_LOCKED' });
    lock.release();
  });

  it('puts back a lock file deleted by hand, and reports a lock taken from it', async () => {
    const dir = tempDir();
    const lost: string[] = [];
    const lock = await acquireDataDirLock(dir, 'vitest', { heartbeatMs: 50, onLost: (r) => lost.push(r) });
    const token = readLock(dir).token;
    fs.rmSync(lockFile(dir));
    await sleep(200);
    expect(readLock(dir).token).toBe(token);
    expect(lost).toEqual([]);
    leaveLock(dir, { pid: 4242, host: 'thief', command: 'other', token: 'ffffffffffffffff' }, 0);
    await sleep(200);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(/taken over by process 4242 on thief \("other"\)/);
    // released on loss: the thief's file stays, and our in-process hold is gone
    expect(readLock(dir).pid).toBe(4242);
    lock.release();
    expect(readLock(dir).pid).toBe(4242);
  });
});
