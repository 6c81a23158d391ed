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

describe('the embedded database lock', () => {
  it('refuses a second opener while the server runs, naming the holder', async () => {
    const server = spawn(process.execPath, [BIN, 'start', '--no-demo', '--port', '0'], {
      env: { ...process.env, CHOUCHA_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('is running at')) resolve();
        });
        server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
        setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
      });
      const second = cli(['audit', 'verify']);
      expect(second.status).toBe(3);
      expect(second.stderr).toMatch(/DB_LOCKED/);
      expect(second.stderr).toMatch(new RegExp(`process ${server.pid}`));
      expect(second.stderr).toMatch(/choucha start/);
      await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'DB_LOCKED' });
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
    }
    // after a graceful stop the lock is released
    expect(fs.existsSync(path.join(dir, 'choucha.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that died (kill -9)', async () => {
    fs.writeFileSync(
      path.join(dir, 'choucha.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), command: 'dead', since: 'x' }),
    );
    const database = await openDatabase({ dataDir: dir });
    await database.close();
  });
});
