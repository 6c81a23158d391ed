/**
 * Test support: a fresh database per test file — embedded PGlite in a temp dir by default, or a
 * newly created database on the PostgreSQL server named by TEST_DATABASE_URL — and a small,
 * deterministic world (departments, one user per role, inspectors, items, entities).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { completeUscc, bigrams } from '@choucha/core';
import {
  departments,
  entities,
  inspectors,
  itemEditions,
  items,
  openDatabase,
  users,
  type Database,
} from '@choucha/db';
import { seedMigratedDataDir } from '@choucha/db/testing';
import { hashPassword } from './auth.ts';
import { makeServices, type Actor, type Services } from './context.ts';

export const TEST_PASSWORD = 'test-password-1';

/** Where a test database lives, so that another process (crash tests) can open it too. */
export interface TestDatabaseLocation {
  databaseUrl?: string;
  dataDir?: string;
}

export async function openTestDatabase(): Promise<{
  database: Database;
  location: TestDatabaseLocation;
  cleanup: () => Promise<void>;
}> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString() });
    return {
      database,
      location: { databaseUrl: u.toString() },
      async cleanup() {
        await database.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        // pool.end() resolves before the sockets are closed: wait for them to go (up to 3 s).
        for (let i = 0; i < 30; i++) {
          const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
            name,
          ]);
          if ((r.rows[0] as { n: number }).n === 0) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-test-'));
  await seedMigratedDataDir(dir); // a copy of a migrated database: 0.35 s instead of 2 s
  const database = await openDatabase({ dataDir: dir, command: 'vitest' });
  return {
    database,
    location: { dataDir: dir },
    async cleanup() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestWorld {
  svc: Services;
  database: Database;
  location: TestDatabaseLocation;
  cleanup: () => Promise<void>;
  dept: { scjg: number; jyj: number; wlj: number };
  actors: Record<'admin' | 'scjg' | 'jyj' | 'inspector' | 'leader', Actor & { kind: 'user' }>;
  itemIds: { scjg: number[]; jyj: number[] };
  inspectorIds: { scjg: number[]; jyj: number[] };
  entityIds: number[];
  /** A controllable clock for the services. */
  setNow: (iso: string) => void;
}

/** Key of the i-th test entity: a valid USCC. */
export function testUscc(i: number): string {
  return completeUscc(`91610103${String(i).padStart(9, '0')}`);
}

export async function openTestWorld(opts: { entities?: number } = {}): Promise<TestWorld> {
  const { database, location, cleanup } = await openTestDatabase();
  let now = new Date('2026-03-01T02:00:00Z');
  const svc = makeServices(database, { clock: () => now, mode: 'test' });
  const db = database.db;
  const dep = async (code: string, name: string, isLead = false) =>
    (
      await db
        .insert(departments)
        .values({ code, name, shortName: name, isLead })
        .returning({ id: departments.id })
    )[0]!.id;
  const scjg = await dep('SCJG', '区市场监管局', true);
  const jyj = await dep('JYJ', '区教育局');
  const wlj = await dep('WLTJ', '区文化和旅游体育局');
  const hash = await hashPassword(svc, TEST_PASSWORD);
  const user = async (
    username: string,
    role: 'joint_admin' | 'dept_admin' | 'inspector' | 'leader',
    departmentId: number | null,
    inspectorId: number | null = null,
  ) => {
    const [u] = await db
      .insert(users)
      .values({ username, displayName: username, role, departmentId, inspectorId, passwordHash: hash })
      .returning();
    return { kind: 'user' as const, id: u!.id, username, displayName: username, role, departmentId };
  };
  const inspectorIds = { scjg: [] as number[], jyj: [] as number[] };
  for (let i = 0; i < 6; i++) {
    const [r] = await db
      .insert(inspectors)
      .values({
        departmentId: scjg,
        name: `监管员${i + 1}`,
        certNo: `SC${i}`,
        certValidTo: '2030-12-31',
        fields: ['食品'],
      })
      .returning({ id: inspectors.id });
    inspectorIds.scjg.push(r!.id);
  }
  for (let i = 0; i < 4; i++) {
    const [r] = await db
      .insert(inspectors)
      .values({
        departmentId: jyj,
        name: `教育执法${i + 1}`,
        certNo: `JY${i}`,
        certValidTo: '2030-12-31',
        fields: ['教育'],
      })
      .returning({ id: inspectors.id });
    inspectorIds.jyj.push(r!.id);
  }
  const actors = {
    admin: await user('admin', 'joint_admin', null),
    scjg: await user('scjg', 'dept_admin', scjg),
    jyj: await user('jyj', 'dept_admin', jyj),
    inspector: await user('inspector1', 'inspector', scjg, inspectorIds.scjg[0]!),
    leader: await user('leader', 'leader', null),
  };
  const edition = async (departmentId: number) =>
    (
      await db
        .insert(itemEditions)
        .values({ departmentId, name: '2026版', status: 'published' })
        .returning({ id: itemEditions.id })
    )[0]!.id;
  const e1 = await edition(scjg);
  const e2 = await edition(jyj);
  const itemIds = { scjg: [] as number[], jyj: [] as number[] };
  for (const [i, name] of ['食品经营者经营条件检查', '企业公示信息检查'].entries()) {
    const [r] = await db
      .insert(items)
      .values({
        editionId: e1,
        departmentId: scjg,
        seq: i + 1,
        category: '市场监管',
        name,
        field: i === 0 ? '食品' : null,
        methods: ['现场检查'],
        // "all market entities": the fixtures' rosters are the whole directory (a scope is a choice)
        scope: {},
      })
      .returning({ id: items.id });
    itemIds.scjg.push(r!.id);
  }
  const [ji] = await db
    .insert(items)
    .values({
      editionId: e2,
      departmentId: jyj,
      seq: 1,
      category: '教育',
      name: '校外培训机构检查',
      field: '教育',
      methods: ['现场检查'],
      scope: {},
    })
    .returning({ id: items.id });
  itemIds.jyj.push(ji!.id);
  const n = opts.entities ?? 60;
  const classes = ['A', 'B', 'B', 'B', 'C', 'D'];
  const rows = Array.from({ length: n }, (_, i) => {
    const name = `碑林区测试${['餐饮', '商贸', '科技', '培训'][i % 4]}企业${i}号`;
    return {
      uscc: testUscc(i),
      codeStatus: 'valid',
      name,
      nameBigrams: bigrams(name),
      entityType: '有限责任公司',
      street: ['张家村街道', '柏树林街道'][i % 2]!,
      status: '存续',
      riskClass: classes[i % classes.length]!,
      supervisingDeptIds: i % 4 === 3 ? [scjg, jyj] : [scjg],
    };
  });
  const entityIds = n
    ? (await db.insert(entities).values(rows).returning({ id: entities.id })).map((r) => r.id)
    : [];
  return {
    svc,
    database,
    location,
    cleanup,
    dept: { scjg, jyj, wlj },
    actors,
    itemIds,
    inspectorIds,
    entityIds,
    setNow: (iso) => {
      now = new Date(iso);
    },
  };
}
