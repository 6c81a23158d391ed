/**
 * `choucha plans open-due` as a real process on a database prepared through the services: the due
 * batch of an approved plan is opened (printed with its task), a batch whose window has ended is
 * reported as missed, a second run opens nothing, and a bad date exits 2 with a coded message.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { approvePlan, createPlan, filePlan } from '@choucha/services';
import { openTestWorld, type TestWorld } from '@choucha/services/testing';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/choucha.js');
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
let w: TestWorld;

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      CHOUCHA_DATA_DIR: w.location.dataDir ?? '',
      DATABASE_URL: w.location.databaseUrl ?? '',
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 20 });
  const batch = (name: string, windowStart: string, windowEnd: string) => ({
    name,
    itemIds: [w.itemIds.scjg[0]!],
    sampling: { ratio: 0.1 },
    plannedQuantity: 2,
    windowStart,
    windowEnd,
  });
  const id = await createPlan(w.svc, w.actors.scjg, {
    kind: 'department',
    year: 2026,
    name: '2026 年度抽查计划',
    batches: [
      batch('一季度抽查', '2026-01-05', '2026-03-31'),
      batch('二季度抽查', '2026-04-01', '2026-06-30'),
    ],
  });
  await filePlan(w.svc, w.actors.scjg, id);
  await approvePlan(w.svc, w.actors.admin, id);
  // the CLI takes the embedded database's lock: let go of it
  await w.database.close();
});
afterAll(async () => {
  await w?.cleanup().catch(() => undefined);
  // closed above already: the second close may refuse, the directory still goes
  if (w?.location.dataDir) fs.rmSync(w.location.dataDir, { recursive: true, force: true });
});

describe('choucha plans open-due', () => {
  it('opens the due batch, reports the missed one, and opens nothing twice', () => {
    const a = cli(['plans', 'open-due', '--today', '2026-04-01']);
    expect([a.status, a.stderr]).toEqual([0, '']);
    expect(a.stdout.split('\n')[0]).toBe('Plan batches due on 2026-04-01: 1 opened, 1 missed, 0 refused.');
    expect(a.stdout).toMatch(/opened {2}batch \d+ \(plan \d+\) 二季度抽查 → task \d+/);
    expect(a.stdout).toContain('一季度抽查: window ended 2026-03-31');
    const b = cli(['plans', 'open-due', '--today', '2026-04-01']);
    expect([b.status, b.stdout.split('\n')[0]]).toEqual([
      0,
      'Plan batches due on 2026-04-01: 0 opened, 1 missed, 0 refused.',
    ]);
  });

  it('a bad date exits 2 with the code and its Chinese text', () => {
    const r = cli(['plans', 'open-due', '--today', '2026-4-1']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('VALIDATION_FAILED: ');
    expect(r.stderr).toContain('请求参数不合法');
  });
});
