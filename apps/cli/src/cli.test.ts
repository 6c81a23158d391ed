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
  it('passes on an intact chain, lists every edited event with code and reason, exiting 1', async () => {
    const ok = cli(['audit', 'verify']);
    expect(ok.stdout).toMatch(/intact: 3 events verified \(head 3:[0-9a-f]{64}\)/);
    expect(ok.status).toBe(0);
    const database = await openDatabase({ dataDir: dir });
    await database.query(`update audit_events set after = '{"username":"mallory"}' where seq in (2, 3)`);
    await database.close();
    const bad = cli(['audit', 'verify']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/BROKEN: 2 problems in 3 events/);
    expect(bad.stdout).toMatch(/#2 +AUDIT_EVENT_EDITED +Event 2 was edited/);
    expect(bad.stdout).toMatch(/#3 +AUDIT_EVENT_EDITED +Event 3 was edited/);
    expect(bad.stdout).toContain('第 3 条记录被修改：其哈希与内容不符');
  });

  it('--anchor SEQ:HASH finds a deleted tail that the chain alone cannot', async () => {
    const database = await openDatabase({ dataDir: dir });
    const rows = await database.query<{ seq: number | string; hash: string }>(
      `select seq, hash from audit_events order by seq`,
    );
    await database.query(`delete from audit_events where seq >= 2`);
    await database.close();
    const [first, , last] = rows;
    const alone = cli(['audit', 'verify']);
    expect(alone.status).toBe(0); // no checkpoint was stored yet: a chain alone cannot see a cut tail
    const held = cli(['audit', 'verify', '--anchor', `1:${first!.hash}`]);
    expect(held.status).toBe(0);
    expect(held.stdout).toContain(`Anchor 1:${first!.hash}: holds`);
    const cut = cli(['audit', 'verify', '--anchor', `1:${first!.hash}`, '--anchor', `3:${last!.hash}`]);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toMatch(/#3 +AUDIT_ANCHOR_TRUNCATED/);
    expect(cut.stdout).toContain(`Anchor 3:${last!.hash}: TRUNCATED`);
    const wrong = cli(['audit', 'verify', '--anchor', `1:${'0'.repeat(64)}`]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/#1 +AUDIT_ANCHOR_MISMATCH/);
    const malformed = cli(['audit', 'verify', '--anchor', '3:abc']);
    expect(malformed.status).not.toBe(0);
    expect(malformed.stderr).toContain('expected SEQ:HASH');
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

describe('choucha start publishes the head of the audit chain', () => {
  it('wrote a start checkpoint (once a day), published anonymously; audit verify finds a cut tail by it', async () => {
    const { url, stop } = await startServer();
    let published: { items: { seq: number; hash: string; reason: string }[]; total: number };
    try {
      const res = await fetch(`${url}/api/public/audit/checkpoints`);
      expect(res.status).toBe(200);
      published = (await res.json()) as typeof published;
    } finally {
      expect(await stop()).toBe(0);
    }
    // several starts today, one checkpoint: at the head the first start saw
    expect(published.total).toBe(1);
    expect(published.items[0]).toMatchObject({ seq: 1, reason: 'start' });
    const intact = cli(['audit', 'verify']);
    expect(intact.stdout).toMatch(/Stored checkpoints: 1 checked, 0 failed/);
    expect(intact.status).toBe(0);
    const database = await openDatabase({ dataDir: dir });
    await database.query(`delete from audit_events`);
    await database.close();
    const cut = cli(['audit', 'verify']);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toMatch(/#1 +AUDIT_ANCHOR_TRUNCATED/);
    expect(cut.stdout).toMatch(/Stored checkpoints: 1 checked, 1 failed/);
    expect(cut.stdout).toContain(`checkpoint 1:${published.items[0]!.hash} (start`);
  });
});
