/**
 * The CLI as a user runs it: a real process on a real data directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@choucha/db';
import { createUser, makeServices, SYSTEM } from '@choucha/services';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/choucha.js');
let dir: string;
vi.setConfig({ testTimeout: 300_000 });

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, CHOUCHA_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-cli-'));
  const database = await openDatabase({ dataDir: dir });
  const svc = makeServices(database);
  for (const name of ['alice', 'bob', 'carol']) {
    await createUser(svc, SYSTEM, {
      username: name,
      displayName: name,
      role: 'leader',
      departmentId: null,
      password: 'a-long-password',
    });
  }
  await database.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('choucha audit verify', () => {
  it('passes on an intact chain and names the first edited event, exiting 1', async () => {
    const ok = cli(['audit', 'verify']);
    expect(ok.stdout).toMatch(/intact: 3 events/);
    expect(ok.status).toBe(0);
    const database = await openDatabase({ dataDir: dir });
    await database.query(`update audit_events set after = '{"username":"mallory"}' where seq = 2`);
    await database.close();
    const bad = cli(['audit', 'verify']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/BROKEN at event 2/);
    // restore for the next test
    const d2 = await openDatabase({ dataDir: dir });
    await d2.query(`delete from audit_events where seq >= 2`);
    await d2.close();
    const gap = cli(['audit', 'verify']);
    expect(gap.status).toBe(0); // a truncated tail is undetectable by a chain alone; a gap is not
  });
});

/** `choucha start` in a child process; resolves once the banner is printed. */
async function startServer(env: Record<string, string> = {}) {
  const server = spawn(process.execPath, [BIN, 'start', '--no-demo', '--port', '0'], {
    env: { ...process.env, CHOUCHA_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const io = { stdout: '', stderr: '' };
  server.stderr.on('data', (b: Buffer) => (io.stderr += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (b: Buffer) => {
      io.stdout += b.toString();
      const m = /is running at (http:\/\/\S+)/.exec(io.stdout);
      if (m && io.stdout.includes('Press Ctrl+C')) resolve(m[1]!);
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${io.stdout}${io.stderr}`)));
    setTimeout(() => reject(new Error(`server did not start: ${io.stdout}${io.stderr}`)), 90_000);
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    server.kill(signal);
    return exited;
  };
  return { server, url, io, stop };
}

describe('the embedded database lock', () => {
  it('refuses a second opener while the server runs, naming the holder', async () => {
    const { server, stop } = await startServer();
    try {
      const second = cli(['audit', 'verify']);
      expect(second.status).toBe(3);
      expect(second.stderr).toMatch(/DB_LOCKED/);
      expect(second.stderr).toMatch(new RegExp(`process ${server.pid}`));
      expect(second.stderr).toMatch(/choucha start/);
      await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'DB_LOCKED' });
    } finally {
      expect(await stop()).toBe(0);
    }
    // after a graceful stop the lock is released
    expect(fs.existsSync(path.join(dir, 'choucha.lock'))).toBe(false);
  });

  it('takes over the lock of a server killed with kill -9, at once', async () => {
    const { server, stop } = await startServer();
    const left = JSON.parse(fs.readFileSync(path.join(dir, 'choucha.lock'), 'utf8')) as { pid: number };
    expect(left.pid).toBe(server.pid);
    expect(await stop('SIGKILL')).toBe(null);
    expect(fs.existsSync(path.join(dir, 'choucha.lock'))).toBe(true); // left behind
    const next = cli(['audit', 'verify']);
    expect(next.stderr).toBe('');
    expect(next.stdout).toMatch(/Audit chain intact/);
    expect(next.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'choucha.lock'))).toBe(false);
  });

  it('takes over a lock left by PID 1 on another host (a container restarted) once its heartbeat is old', async () => {
    const lock = path.join(dir, 'choucha.lock');
    const leave = (ageMs: number) => {
      fs.writeFileSync(
        lock,
        JSON.stringify({
          pid: 1,
          host: 'other-host',
          command: 'choucha start',
          since: '2026-01-01T00:00:00Z',
        }),
      );
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(lock, t, t);
    };
    leave(1_000);
    const refused = cli(['audit', 'verify']);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/DB_LOCKED: .*in use by process 1 on other-host \("choucha start"/);
    expect(refused.stderr).toMatch(/last heartbeat was \d+ s ago/);
    leave(10 * 60_000);
    const taken = cli(['audit', 'verify']);
    expect(taken.stderr).toBe('');
    expect(taken.stdout).toMatch(/Audit chain intact/);
    expect(taken.status).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
  });
});

describe('choucha start logging', () => {
  it('shows the banner and warnings on the terminal; request logs go to the rotated file', async () => {
    const { url, io, stop } = await startServer({ LOG_LEVEL: 'info' });
    for (let i = 0; i < 20; i++) expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect(await stop()).toBe(0);
    // the terminal: the banner, nothing per request
    expect(io.stdout).toMatch(/choucha is running at/);
    expect(io.stdout).toMatch(
      new RegExp(`Request log: +${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/logs/requests`),
    );
    expect(io.stdout).not.toMatch(/api\/health|reqId|"level"/);
    expect(io.stderr).not.toMatch(/api\/health|reqId|"level"/);
    // the file: every request, and the shutdown
    const logDir = path.join(dir, 'logs');
    const files = fs.readdirSync(logDir).filter((f) => /^requests\.\d+\.log$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const lines = files
      .flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').split('\n'))
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { msg: string; req?: { url: string } });
    expect(lines.filter((l) => l.msg === 'incoming request' && l.req?.url === '/api/health')).toHaveLength(
      20,
    );
    expect(lines.filter((l) => l.msg === 'request completed')).toHaveLength(20);
    expect(lines.at(-1)?.msg).toBe('shutting down');
  });
});
