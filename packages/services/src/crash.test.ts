/**
 * kill -9 in the middle of the two largest writes — a 300,000-row entity import and a draw
 * reveal — leaves the database exactly as it was (every table, the entity rows byte for byte, the
 * indexes the import drops and rebuilds inside its transaction) and the audit chain intact. The
 * writer is a separate process (testing/crash-child.ts) on the same data dir / PostgreSQL database,
 * killed with SIGKILL once it reports how far it got. Both databases (TEST_DATABASE_URL).
 *
 * The import has 300,000 rows on PostgreSQL (≈ 45 s) and 60,000 on the embedded database, where
 * 300,000 take about 3 minutes on a busy 2-core machine; CHOUCHA_CRASH_ROWS sets the size, and
 * `npm run test:crash` runs the 300,000-row case on the embedded database.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@choucha/db';
import { makeServices } from './context.ts';
import { commitDraw, revealDraw } from './draws.ts';
import { createTask } from './tasks.ts';
import { verifyAuditChainAll } from './audit.ts';
import { openTestWorld, testUscc, type TestWorld } from './testing.ts';
import type { Job } from './testing/crash-child.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'crash-child.ts');
const ROWS = Number(process.env.CHOUCHA_CRASH_ROWS ?? (process.env.TEST_DATABASE_URL ? 300_000 : 60_000));
const EXISTING = 2_000;
const DICE = '27182818284590452353'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)

let w: TestWorld;
let tmp: string;
let csv: string;
let drawId: number;
let before: Snapshot;

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything a crash could leave half-done. */
async function snapshot(database: Database) {
  const tables = await database.query<{ t: string }>(
    `select table_name as t from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    const [r] = await database.query<{ n: number }>(`select count(*)::int as n from "${t}"`);
    counts[t] = r!.n;
  }
  const [entities] = await database.query<{ digest: string }>(
    `select md5(string_agg(e::text, '|' order by e.id)) as digest from entities e`,
  );
  const indexes = await database.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes
      where schemaname = current_schema() order by 1`,
  );
  const draws = await database.query(`select id, status, seed from draws order by id`);
  const tasks = await database.query(`select id, status from tasks order by id`);
  const imports = await database.query(`select id, status from imports order by id`);
  const [head] = await database.query<{ seq: number; hash: string }>(
    `select seq, hash from audit_events order by seq desc limit 1`,
  );
  return { counts, entities: entities!.digest, indexes, draws, tasks, imports, head };
}

/** Runs the child until `killWhen` says so (then SIGKILL), or to its end. */
function runChild(job: Job, killWhen: (line: string) => boolean) {
  return new Promise<{ lines: string[]; killed: boolean; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let rest = '';
    let killed = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      rest += b.toString();
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        if (!killed && killWhen(l)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killed && signal !== 'SIGKILL') reject(new Error(`child exited ${code} before the kill`));
      resolve({ lines, killed, stderr });
    });
  });
}

const where = () => ({ ...w.location });
async function reopen<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ ...where(), command: 'crash.test' });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  w = await openTestWorld({ entities: EXISTING });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-crash-'));
  // The import: the first 1,000 rows update entities already in the directory (the path that drops
  // and rebuilds the indexes inside the transaction), the rest are new.
  csv = path.join(tmp, 'entities.csv');
  const fd = fs.openSync(csv, 'w');
  let buf = '市场主体名称,统一社会信用代码,主体类型,经营状态,街道,地址\n';
  for (let i = 0; i < ROWS; i++) {
    const n = i < 1_000 ? i : 100_000 + i;
    buf += `碑林区导入测试${['餐饮', '商贸', '科技'][i % 3]}企业${n}号,${testUscc(n)},有限责任公司,存续,${['张家村街道', '柏树林街道'][i % 2]},碑林区某路${i}号\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  // The reveal: a committed draw over the directory.
  const taskId = await createTask(w.svc, w.actors.scjg, {
    name: '崩溃测试抽查',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { classes: { A: 0.05, B: 0.1, C: 0.2, D: 0.5 } },
  });
  drawId = (await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } })).id;
  before = await snapshot(w.database);
  expect(before.counts.entities).toBe(EXISTING);
  expect(before.draws).toEqual([{ id: drawId, status: 'committed', seed: null }]);
  await w.database.close(); // the embedded database has one process at a time: the child's turn
}, 300_000);

afterAll(async () => {
  await w?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function expectUnchanged() {
  await reopen(async (database) => {
    const after = await snapshot(database);
    expect(after).toEqual(before);
    const chain = await verifyAuditChainAll(makeServices(database));
    expect(chain).toMatchObject({ ok: true, checked: before.head!.seq });
  });
}

describe(`kill -9 during a ${ROWS.toLocaleString('en')}-row entity import`, () => {
  it('half-way through reading and COPYing the file: nothing of it remains', async () => {
    const r = await runChild({ ...where(), op: 'import', csv, freezeAt: 'none' }, (l) => {
      const m = /^progress (\d+)$/.exec(l);
      return m !== null && Number(m[1]) >= ROWS / 2;
    });
    expect(r.killed).toBe(true);
    expect(r.lines).not.toContainEqual(expect.stringMatching(/^done/));
    await expectUnchanged();
  }, 300_000);

  it('with every row written and the indexes rebuilt, at its audit event before COMMIT: nothing remains', async () => {
    const r = await runChild(
      { ...where(), op: 'import', csv, freezeAt: 'audit' },
      (l) => l === 'in-transaction',
    );
    expect(r.killed).toBe(true);
    expect(r.lines).toContain(`progress ${ROWS}`); // the whole file was read and written
    await expectUnchanged();
  }, 300_000);
});

describe('kill -9 during a draw reveal', () => {
  it('with the targets and teams written, at its audit event before COMMIT: the draw is still committed, and can be revealed', async () => {
    const r = await runChild(
      { ...where(), op: 'reveal', drawId, dice: DICE, freezeAt: 'audit' },
      (l) => l === 'in-transaction',
    );
    expect(r.killed).toBe(true);
    await expectUnchanged();
    // the same dice then give the outcome the interrupted reveal would have published
    await reopen(async (database) => {
      const svc = makeServices(database, { mode: 'test' });
      const draw = await revealDraw(svc, w.actors.scjg, drawId, { dice: DICE });
      expect(draw.status).toBe('matched');
      expect(draw.targets.length).toBeGreaterThan(0);
      const [n] = await database.query<{ n: number }>(
        `select count(*)::int as n from targets where draw_id = $1`,
        [drawId],
      );
      expect(n!.n).toBe(draw.targets.length);
      expect(await verifyAuditChainAll(svc)).toMatchObject({ ok: true, checked: before.head!.seq + 1 });
    });
  }, 300_000);
});
