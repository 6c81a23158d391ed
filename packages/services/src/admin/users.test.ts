import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import XLSX from 'xlsx';
import { auditEvents, users } from '@choucha/db';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '../testing.ts';
import {
  bulkCreateInspectorAccounts,
  changePassword,
  commitDraw,
  createTask,
  createUser,
  enterResult,
  getTask,
  inspectorsWithoutAccount,
  inspectorUsername,
  linkInspector,
  listMyTargets,
  listUsers,
  login,
  oneTimePassword,
  revealDraw,
  setUserDisabled,
  SYSTEM,
  toActor,
  updateUser,
  verifyPassword,
  type Actor,
  type BulkCreateResult,
} from '../index.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

const userId = async (username: string) =>
  (await w.database.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;

describe('who manages whom', () => {
  it('lists all accounts for the joint office and only his department’s for a department admin', async () => {
    const all = await listUsers(w.svc, w.actors.admin);
    expect(all.map((u) => u.username)).toEqual(['admin', 'scjg', 'jyj', 'inspector1', 'leader']);
    const mine = await listUsers(w.svc, w.actors.scjg);
    expect(mine.map((u) => u.username)).toEqual(['scjg', 'inspector1']);
    expect(mine[1]).toMatchObject({ inspectorId: w.inspectorIds.scjg[0], inspectorName: '监管员1' });
    await expect(listUsers(w.svc, w.actors.inspector)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(listUsers(w.svc, w.actors.leader)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets a department admin edit his department’s accounts only, and grant only its roles', async () => {
    const u = await updateUser(w.svc, w.actors.scjg, w.actors.inspector.id, { displayName: '监管员一' });
    expect(u.displayName).toBe('监管员一');
    await expect(
      updateUser(w.svc, w.actors.scjg, w.actors.jyj.id, { displayName: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      updateUser(w.svc, w.actors.scjg, w.actors.inspector.id, { role: 'joint_admin', departmentId: null }),
    ).rejects.toMatchObject({ code: 'USER_ROLE_FORBIDDEN' });
    await expect(
      updateUser(w.svc, w.actors.scjg, w.actors.inspector.id, { departmentId: w.dept.jyj }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    await expect(
      createUser(w.svc, w.actors.scjg, {
        username: 'boss',
        displayName: 'x',
        role: 'leader',
        departmentId: null,
        password: 'a-long-password-1',
      }),
    ).rejects.toMatchObject({ code: 'USER_ROLE_FORBIDDEN' });
    const created = await createUser(w.svc, w.actors.scjg, {
      username: 'scjg2',
      displayName: '市场监管局二号',
      role: 'dept_admin',
      departmentId: w.dept.scjg,
      password: 'a-long-password-1',
    });
    expect(created).toMatchObject({
      role: 'dept_admin',
      departmentId: w.dept.scjg,
      mustChangePassword: true,
    });
  });

  it('refuses anyone raising himself or changing his own role, department or account state', async () => {
    await expect(
      updateUser(w.svc, w.actors.scjg, w.actors.scjg.id, { role: 'joint_admin', departmentId: null }),
    ).rejects.toMatchObject({ code: 'USER_SELF_CHANGE' });
    await expect(
      updateUser(w.svc, w.actors.scjg, w.actors.scjg.id, { role: 'inspector' }),
    ).rejects.toMatchObject({ code: 'USER_SELF_CHANGE' });
    await expect(
      updateUser(w.svc, w.actors.admin, w.actors.admin.id, { role: 'leader' }),
    ).rejects.toMatchObject({ code: 'USER_SELF_CHANGE' });
    await expect(setUserDisabled(w.svc, w.actors.admin, w.actors.admin.id, true)).rejects.toMatchObject({
      code: 'USER_SELF_CHANGE',
    });
    // his own display name he may change
    expect(
      (await updateUser(w.svc, w.actors.scjg, w.actors.scjg.id, { displayName: '市场监管局' })).displayName,
    ).toBe('市场监管局');
  });

  it('never disables or demotes the last active joint admin', async () => {
    await expect(setUserDisabled(w.svc, SYSTEM, w.actors.admin.id, true)).rejects.toMatchObject({
      code: 'USER_LAST_JOINT_ADMIN',
    });
    await expect(updateUser(w.svc, SYSTEM, w.actors.admin.id, { role: 'leader' })).rejects.toMatchObject({
      code: 'USER_LAST_JOINT_ADMIN',
    });
    const second = await createUser(w.svc, w.actors.admin, {
      username: 'admin2',
      displayName: '联席办二',
      role: 'joint_admin',
      departmentId: null,
      password: 'a-long-password-2',
    });
    const a2: Actor = {
      kind: 'user',
      id: second.id,
      username: 'admin2',
      displayName: 'x',
      role: 'joint_admin',
      departmentId: null,
    };
    const off = await setUserDisabled(w.svc, a2, w.actors.admin.id, true);
    expect(off.disabled).toBe(true);
    await expect(
      login(w.svc, { username: 'admin', password: TEST_PASSWORD, ip: '10.0.0.1' }),
    ).rejects.toMatchObject({ code: 'AUTH_USER_DISABLED' });
    // admin2 is now the last active one
    await expect(setUserDisabled(w.svc, SYSTEM, second.id, true)).rejects.toMatchObject({
      code: 'USER_LAST_JOINT_ADMIN',
    });
    // a department admin may not re-enable a joint admin (nor even see him)
    await expect(setUserDisabled(w.svc, w.actors.scjg, w.actors.admin.id, false)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await setUserDisabled(w.svc, a2, w.actors.admin.id, false)).disabled).toBe(false);
    // with two active, one may be demoted
    expect((await updateUser(w.svc, w.actors.admin, second.id, { role: 'leader' })).role).toBe('leader');
    const actions = await w.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(inArray(auditEvents.action, ['user.disable', 'user.enable', 'user.update']));
    expect(actions.map((a) => a.action).sort()).toEqual([
      'user.disable',
      'user.enable',
      'user.update',
      'user.update',
      'user.update',
    ]);
  });

  it('links an account to an inspector of its own department, one account per inspector', async () => {
    const scjg2 = await userId('scjg2');
    await expect(linkInspector(w.svc, w.actors.scjg, scjg2, w.inspectorIds.jyj[0]!)).rejects.toMatchObject({
      code: 'USER_INSPECTOR_DEPARTMENT',
    });
    await expect(linkInspector(w.svc, w.actors.scjg, scjg2, w.inspectorIds.scjg[0]!)).rejects.toMatchObject({
      code: 'USER_INSPECTOR_LINKED',
    });
    await expect(linkInspector(w.svc, w.actors.jyj, scjg2, w.inspectorIds.scjg[1]!)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const linked = await linkInspector(w.svc, w.actors.scjg, scjg2, w.inspectorIds.scjg[1]!);
    expect(linked).toMatchObject({ inspectorId: w.inspectorIds.scjg[1], inspectorName: '监管员2' });
    const unlinked = await linkInspector(w.svc, w.actors.scjg, scjg2, null);
    expect(unlinked.inspectorId).toBeNull();
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'user.link_inspector'));
    expect(ev.map((e) => e.after)).toEqual([{ inspectorId: w.inspectorIds.scjg[1] }, { inspectorId: null }]);
  });
});

describe('inspector accounts in bulk', () => {
  let result: BulkCreateResult;

  it('derives user names from the department code and the certificate number', () => {
    expect(inspectorUsername({ id: 1, code: 'SCJG' }, { id: 7, certNo: 'ＳＣ-0101' })).toBe('scjg.sc0101');
    expect(inspectorUsername({ id: 1, code: 'SCJG' }, { id: 7, certNo: '陕执字' })).toBe('scjg.n7');
    expect(inspectorUsername({ id: 4, code: '教育' }, { id: 9, certNo: null })).toBe('d4.n9');
    const p = oneTimePassword(w.svc);
    expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
  });

  it('refuses another department’s inspectors before creating anything', async () => {
    await expect(
      bulkCreateInspectorAccounts(w.svc, w.actors.scjg, {
        inspectorIds: [w.inspectorIds.scjg[2]!, w.inspectorIds.jyj[0]!],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    await expect(
      bulkCreateInspectorAccounts(w.svc, w.actors.scjg, { departmentId: w.dept.jyj }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    expect((await listUsers(w.svc, w.actors.admin)).filter((u) => u.role === 'inspector')).toHaveLength(1);
  });

  it('offers the department’s inspectors without an account, and creates theirs with one-time passwords', async () => {
    const free = await inspectorsWithoutAccount(w.svc, w.actors.scjg);
    expect(free.map((f) => f.id)).toEqual(w.inspectorIds.scjg.slice(1));
    result = await bulkCreateInspectorAccounts(w.svc, w.actors.scjg, { departmentId: w.dept.scjg });
    expect(result.created.map((c) => c.username)).toEqual([
      'scjg.sc1',
      'scjg.sc2',
      'scjg.sc3',
      'scjg.sc4',
      'scjg.sc5',
    ]);
    expect(result.skipped).toEqual([
      { inspectorId: w.inspectorIds.scjg[0], name: '监管员1', reason: 'HAS_ACCOUNT' },
    ]);
    expect(new Set(result.created.map((c) => c.password)).size).toBe(5);
    for (const c of result.created) expect(c.password).toHaveLength(12);
    // only hashes are stored; the audit event names the accounts, never a password
    const rows = await w.database.db
      .select()
      .from(users)
      .where(
        inArray(
          users.id,
          result.created.map((c) => c.userId),
        ),
      );
    for (const r of rows) {
      const c = result.created.find((x) => x.userId === r.id)!;
      expect(r).toMatchObject({
        role: 'inspector',
        departmentId: w.dept.scjg,
        inspectorId: c.inspectorId,
        mustChangePassword: true,
      });
      expect(r.passwordHash).not.toContain(c.password);
      expect(await verifyPassword(c.password, r.passwordHash)).toBe(true);
    }
    const [ev] = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'user.bulk_create'));
    expect(ev!.after).toMatchObject({ count: 5 });
    const dump = JSON.stringify(await w.database.db.select().from(auditEvents));
    for (const c of result.created) expect(dump).not.toContain(c.password);
    // the workbook holds the same accounts and passwords
    const wb = XLSX.read(Buffer.from(result.workbookBase64, 'base64'));
    const aoa = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 });
    expect(aoa[0]).toEqual(['姓名', '执法证号', '所属部门', '用户名', '初始密码（首次登录须修改）']);
    expect(aoa.slice(1)).toEqual(
      result.created.map((c) => [c.displayName, c.certNo, '区市场监管局', c.username, c.password]),
    );
    // a second run finds nobody left
    const again = await bulkCreateInspectorAccounts(w.svc, w.actors.scjg, { departmentId: w.dept.scjg });
    expect(again.created).toEqual([]);
    expect(again.skipped).toHaveLength(6);
    expect(await inspectorsWithoutAccount(w.svc, w.actors.scjg)).toEqual([]);
  });

  it('lets a bulk-created inspector sign in and enter the result of his own target only', async () => {
    const acct = result.created[0]!; // 监管员2 (scjg[1])
    const session = await login(w.svc, { username: acct.username, password: acct.password, ip: '10.0.0.2' });
    expect(session.user).toMatchObject({ role: 'inspector', mustChangePassword: true });
    await changePassword(w.svc, toActor(session.user), {
      currentPassword: acct.password,
      newPassword: 'my-own-password-9',
    });
    const again = await login(w.svc, {
      username: acct.username,
      password: 'my-own-password-9',
      ip: '10.0.0.2',
    });
    expect(again.user.mustChangePassword).toBe(false);
    const me = toActor(again.user);
    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: '2026年食品经营者抽查',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-03-10',
      windowEnd: '2026-04-30',
      sampling: { classes: { A: 0.05, B: 0.1, C: 0.5, D: 1 } },
    });
    const draw = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    await revealDraw(w.svc, w.actors.scjg, draw.id, { dice: '31415926535897932384' });
    const targets = (await getTask(w.svc, me, taskId)).draws[0]!.targets;
    const mine = targets.filter((t) => t.team.some((m) => m.inspectorId === acct.inspectorId));
    const others = targets.filter((t) => !t.team.some((m) => m.inspectorId === acct.inspectorId));
    expect(mine.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    // "my targets": exactly those whose team he is on
    expect((await listMyTargets(w.svc, me)).map((x) => x.targetId).sort((a, b) => a - b)).toEqual(
      mine.map((x) => x.id).sort((a, b) => a - b),
    );
    expect(await listMyTargets(w.svc, w.actors.scjg)).toEqual([]);
    const r = await enterResult(w.svc, me, mine[0]!.id, {
      codes: ['未发现问题'],
      followUps: [],
      inspectedOn: '2026-03-15',
    });
    expect(r).toMatchObject({ status: 'submitted', departmentId: w.dept.scjg });
    await expect(
      enterResult(w.svc, me, others[0]!.id, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-03-15',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_NOT_ON_TEAM' });
    // unlinked, the same account can no longer enter a result on his former target
    await linkInspector(w.svc, w.actors.scjg, acct.userId, null);
    await expect(
      enterResult(w.svc, me, mine[0]!.id, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-03-16',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_NOT_ON_TEAM' });
    expect(await listMyTargets(w.svc, me)).toEqual([]);
    const n = await w.database.query<{ n: number }>(
      `select count(*)::int n from users where inspector_id is not null`,
    );
    expect(n[0]!.n).toBe(5);
  });
});
