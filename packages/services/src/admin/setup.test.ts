/**
 * From an empty production database to a set-up district, through the services the setup wizard
 * calls: the first administrator (one-time password) sets the organisation, imports the member
 * departments, marks the lead and finishes; nothing of the demo is used.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents, departments } from '@choucha/db';
import { openTestDatabase } from '../testing.ts';
import { makeServices, type Actor } from '../context.ts';
import { ensureProductionSafe } from '../demo.ts';
import { changePassword, login } from '../auth.ts';
import { verifyAudit } from '../audit.ts';
import { completeSetup, getSetupStatus, updateOrganisation } from './organisation.ts';
import { importDepartments } from './department-import.ts';
import { listDepartmentDirectory, updateDepartment } from './departments.ts';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  vi.restoreAllMocks();
});

it('a first production start is set up from an empty database by the first administrator', async () => {
  const t = await openTestDatabase();
  cleanup = t.cleanup;
  const svc = makeServices(t.database, { mode: 'production' });
  let printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    printed += String(s);
    return true;
  });
  await ensureProductionSafe(svc);
  vi.restoreAllMocks();
  const password = /one-time password (\S+)/.exec(printed)?.[1] ?? '';
  const { user } = await login(svc, { username: 'admin', password, ip: '127.0.0.1' });
  const admin: Actor = {
    kind: 'user',
    id: user.id,
    username: 'admin',
    displayName: user.displayName,
    role: 'joint_admin',
    departmentId: null,
  };
  await changePassword(svc, admin, { currentPassword: password, newPassword: 'a-new-long-password' });

  const before = await getSetupStatus(svc, admin);
  expect(before).toEqual({
    organisation: null,
    activeDepartments: 0,
    leadDepartments: 0,
    needed: true,
    missing: ['organisation', 'departments', 'lead'],
  });
  await expect(completeSetup(svc, admin)).rejects.toMatchObject({ code: 'CONFLICT' });

  await updateOrganisation(svc, admin, {
    province: { name: '陕西省', code: '610000' },
    city: { name: '西安市', code: '610100' },
    district: { name: '碑林区', code: '610103' },
    leadBureauName: '碑林区市场监督管理局',
  });
  const csv = Buffer.from(
    [
      '部门名称,简称,部门代码,联络员,联系电话',
      '碑林区市场监督管理局,市场监管局,SCJG,王一,13900000001',
      '碑林区教育局,,JYJ,李二,029-87650002',
      '碑林区卫生健康局,,,,',
    ].join('\n'),
  );
  const dry = await importDepartments(svc, admin, csv, { fileName: '成员单位.csv', commit: false });
  expect(dry.counts).toEqual({ create: 3, update: 0, unchanged: 0, rejected: 0 });
  expect(dry.rows.map((r) => r.shortName)).toEqual(['市场监管局', '教育局', '卫生健康局']);
  await importDepartments(svc, admin, csv, { fileName: '成员单位.csv', commit: true });
  const mid = await getSetupStatus(svc, admin);
  expect(mid.missing).toEqual(['lead']);
  const list = await listDepartmentDirectory(svc, admin);
  const scjg = list.items.find((d) => d.code === 'SCJG')!;
  await updateDepartment(svc, admin, scjg.id, { isLead: true });
  const done = await completeSetup(svc, admin);
  expect(done.needed).toBe(false);
  expect(done.missing).toEqual([]);
  expect(done.organisation?.setupCompletedAt).not.toBeNull();
  const rows = await t.database.db.select().from(departments).where(eq(departments.isLead, true));
  expect(rows.map((r) => r.code)).toEqual(['SCJG']);
  const actions = (await t.database.db.select({ a: auditEvents.action }).from(auditEvents)).map((r) => r.a);
  expect(actions.filter((a) => a === 'department.create')).toHaveLength(3);
  expect(actions.filter((a) => a === 'organisation.update')).toHaveLength(2);
  expect((await verifyAudit(svc, admin)).ok).toBe(true);
});
