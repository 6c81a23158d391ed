/**
 * Joint inspections (issue 9 §3), in Chromium:
 * 1. a joint batch with two departments' items: the education bureau leads, the market bureau
 *    accepts the invitation and brings its item from the joint item list (in the browser); one
 *    draw gives every target 2 inspectors of each department; an inspector of each department on the
 *    team (his account created by the joint office, his password changed) enters his department's own
 *    part, and the dashboard counts the entity inspected jointly only when both did;
 * 2. 相同对象、相近时间: two single-department drafts with overlapping windows; the joint office runs
 *    the detector on the 联合抽查 page, accepts the proposal after a confirmation; the merged task
 *    is one joint task, and once drawn each entity is one visit with both departments' teams.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { MergeProposal, TaskDetail } from '@choucha/api';
import { browser, login as loginAs, SHOTS, startPlatform, type Platform } from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let dept: Record<'scjg' | 'jyj', number>;
let items: { id: number; departmentId: number; name: string }[];
let jointTaskId = 0;

// The tests' dates are offsets of -5 to +28 days from a base day, and all of them stay in this
// year (China's): a task's year is its window's start, and the dashboard, the detector and the
// burden are asked for YEAR. The base is today, moved into [6 January, 3 December] when today is
// nearer a year's end than that (on 31 December, day(-5) and day(1) fell in two different years, and
// the dashboard of day(1)'s year counted none of the joint results).
const DAY_MS = 86_400_000;
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const YEAR = Number(TODAY.slice(0, 4));
const BASE = Math.min(Math.max(Date.parse(TODAY), Date.parse(`${YEAR}-01-06`)), Date.parse(`${YEAR}-12-03`));
const day = (offset: number) => new Date(BASE + offset * DAY_MS).toISOString().slice(0, 10);
const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `year-joint-${name}.png`), fullPage: false });
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    await shot(`${name}-failed`).catch(() => undefined);
    throw e;
  }
}
const login = (username: string) => loginAs(page, platform.url, username);
const api = async <T>(method: 'get' | 'post', url: string, data?: unknown): Promise<T> => {
  const r = await page.request[method](`${platform.url}${url}`, data === undefined ? {} : { data });
  expect(r.status(), `${method} ${url}: ${await r.text()}`).toBe(200);
  return (await r.json()) as T;
};
const itemNamed = (name: string) => items.find((i) => i.name === name)!;

/**
 * Signs in (in this page) as one of `teamIds`, inspectors of department `departmentId`: the joint
 * office creates accounts for those without one, the inspector changes his one-time password and
 * signs in again. Returns the inspector id.
 */
async function inspectorAccount(departmentId: number, teamIds: number[]): Promise<number> {
  await login('admin');
  const { created } = await api<{ created: { username: string; password: string; inspectorId: number }[] }>(
    'post',
    '/api/users/bulk-inspectors',
    { departmentId, inspectorIds: teamIds },
  );
  const acct = created.find((c) => teamIds.includes(c.inspectorId));
  expect(acct, `an account for one of inspectors ${teamIds.join(', ')}`).toBeDefined();
  const own = `Own-pass-${acct!.inspectorId}-2026!`;
  await page.context().clearCookies();
  const signIn = async (password: string) => {
    const r = await page.request.post(`${platform.url}/api/auth/login`, {
      data: { username: acct!.username, password },
    });
    expect(r.status(), await r.text()).toBe(200);
  };
  await signIn(acct!.password);
  const changed = await page.request.post(`${platform.url}/api/auth/password`, {
    data: { currentPassword: acct!.password, newPassword: own },
  });
  expect(changed.status(), await changed.text()).toBe(204);
  await signIn(own);
  const me = await api<{ inspector: { id: number; departmentId: number } | null }>(
    'get',
    '/api/me/inspector',
  );
  expect(me.inspector).toMatchObject({ id: acct!.inspectorId, departmentId });
  return acct!.inspectorId;
}

async function drawTask(taskId: number) {
  const draw = await api<{ id: number }>('post', `/api/tasks/${taskId}/draws`, {
    seedSource: { dice: true },
  });
  await api('post', `/api/draws/${draw.id}/reveal`, { dice: '2718 2818 2845 9045 2353' });
  return api<TaskDetail>('get', `/api/tasks/${taskId}`);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
  await login('admin');
  const ds = await api<{ items: { id: number; code: string }[] }>('get', '/api/departments');
  dept = {
    scjg: ds.items.find((d) => d.code === 'SCJG')!.id,
    jyj: ds.items.find((d) => d.code === 'JYJ')!.id,
  };
  items = (await api<{ items: typeof items }>('get', '/api/items')).items;
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

describe('a joint batch: two departments’ items, one draw, each department its own part', () => {
  it('the cooperating department accepts and brings its item from the joint item list', async () => {
    await login('jyj');
    jointTaskId = (
      await api<{ id: number }>('post', '/api/tasks', {
        name: '校外培训机构办学行为联合检查',
        itemIds: [itemNamed('校外培训机构办学资质及培训内容检查').id],
        jointDepartmentIds: [dept.scjg],
        windowStart: day(-5),
        windowEnd: day(20),
        sampling: { ratio: 0.001, min: 2, max: 2, maxMode: 'total' },
      })
    ).id;
    await step('accept', async () => {
      await login('scjg');
      await page.goto(`${platform.url}/tasks/${jointTaskId}`);
      await page.getByTestId(`task-invitation-${dept.scjg}`).waitFor();
      await page.getByTestId(`joint-list-items-${dept.scjg}`).click();
      await page.locator('.ant-select-item-option', { hasText: '校外培训机构办学行为联合检查' }).click();
      await page.keyboard.press('Escape');
      await shot('accept-with-items');
      await page.getByTestId('task-partner-accept').click();
      await expect
        .poll(() => page.getByTestId(`task-partner-${dept.scjg}`).getAttribute('data-state'))
        .toBe('accepted');
    });
    const task = await api<TaskDetail>('get', `/api/tasks/${jointTaskId}`);
    expect(task.items.map((i) => i.name).sort()).toEqual(
      ['住所（经营场所）及登记事项真实性检查', '校外培训机构办学资质及培训内容检查'].sort(),
    );
  });

  it('one draw: 2 inspectors of each department on every team; each enters its own part', async () => {
    await login('jyj');
    const task = await drawTask(jointTaskId);
    const targets = task.draws[0]!.targets;
    expect(targets.length).toBeGreaterThanOrEqual(1);
    for (const t of targets) {
      expect(t.team.filter((m) => m.departmentId === dept.jyj)).toHaveLength(2);
      expect(t.team.filter((m) => m.departmentId === dept.scjg)).toHaveLength(2);
    }
    const first = targets[0]!;
    const result = { codes: ['未发现问题'], followUps: [], inspectedOn: day(0) };
    // each department's part is entered by an inspector of that department on the team
    const entered: number[] = [];
    for (const d of [dept.jyj, dept.scjg]) {
      const member = await inspectorAccount(
        d,
        first.team.filter((m) => m.departmentId === d).map((m) => m.inspectorId),
      );
      const r = await api<{ departmentId: number }>('post', `/api/targets/${first.id}/result`, result);
      expect(r.departmentId, `inspector ${member} enters for his own department`).toBe(d);
      entered.push(r.departmentId);
    }
    expect(entered).toEqual([dept.jyj, dept.scjg]);
    await step('dashboard', async () => {
      await login('admin');
      await page.goto(`${platform.url}/dashboard`);
      const year = page.locator('input[data-testid="dashboard-year"], [data-testid="dashboard-year"] input');
      await year.first().fill(String(YEAR));
      await year.first().press('Enter');
      // one entity with both departments' results in one visit
      await expect.poll(() => page.getByTestId('kpi-joint-objects').getAttribute('data-value')).toBe('1');
      await shot('dashboard');
    });
  });
});

describe('相同对象、相近时间: two departments’ batches merged into one visit', () => {
  it('the joint office detects, confirms, and the merge is one joint task', async () => {
    await login('scjg');
    const s = await api<{ id: number }>('post', '/api/tasks', {
      name: '登记事项真实性检查（年末批次）',
      itemIds: [itemNamed('住所（经营场所）及登记事项真实性检查').id],
      jointDepartmentIds: [],
      windowStart: day(2),
      windowEnd: day(25),
      sampling: { ratio: 0.001, min: 2, max: 2, maxMode: 'total' },
    });
    await login('jyj');
    const j = await api<{ id: number }>('post', '/api/tasks', {
      name: '校外培训机构预收费资金监管检查（年末批次）',
      itemIds: [itemNamed('校外培训机构预收费资金监管检查').id],
      jointDepartmentIds: [],
      windowStart: day(5),
      windowEnd: day(28),
      sampling: { ratio: 0.001, min: 2, max: 2, maxMode: 'total' },
    });
    let proposal: MergeProposal | undefined;
    await step('detect', async () => {
      await login('admin');
      await page.goto(`${platform.url}/joint?year=${YEAR}`);
      await page.getByTestId('joint-detect').click();
      await page.getByTestId(`joint-member-task:${s.id}`).first().waitFor();
      const open = await api<{ items: MergeProposal[] }>(
        'get',
        `/api/joint/proposals?year=${YEAR}&status=open`,
      );
      proposal = open.items.find((p) => p.members.some((m) => m.ref === `task:${s.id}`));
      expect(proposal?.members.map((m) => m.ref).sort()).toEqual([`task:${j.id}`, `task:${s.id}`].sort());
      await shot('proposal');
      await page.getByTestId(`joint-accept-${proposal!.id}`).click();
      await page.getByTestId('joint-accept-name').fill('年末登记事项与校外培训联合检查');
      await page.locator('#joint-accept-confirm').click();
      await page.getByTestId('joint-status-filter').click();
      await page.locator('.ant-select-item-option', { hasText: '全部状态' }).click();
      await expect
        .poll(() => page.getByTestId(`joint-proposal-status-${proposal!.id}`).getAttribute('data-status'))
        .toBe('accepted');
      await page.getByTestId(`joint-result-task-${proposal!.id}`).click();
      await page.getByTestId(`task-partner-${dept.jyj}`).waitFor();
      await shot('merged-task');
    });
    const [done] = (
      await api<{ items: MergeProposal[] }>('get', `/api/joint/proposals?year=${YEAR}&status=accepted`)
    ).items.filter((p) => p.id === proposal!.id);
    const merged = await api<TaskDetail>('get', `/api/tasks/${done!.resultTaskId}`);
    expect(merged).toMatchObject({
      name: '年末登记事项与校外培训联合检查',
      departmentId: dept.scjg,
      isJoint: true,
      windowStart: day(5),
      windowEnd: day(25),
    });
    expect(merged.items).toHaveLength(2);
    // the drafts are gone
    expect((await page.request.get(`${platform.url}/api/tasks/${s.id}`)).status()).toBe(404);
    // the education bureau accepts; one draw: each target is one visit with both departments' teams
    await login('jyj');
    await api('post', `/api/tasks/${merged.id}/partners/${dept.jyj}/accept`, {});
    await login('scjg');
    const drawn = await drawTask(merged.id);
    const targets = drawn.draws[0]!.targets;
    expect(targets.length).toBeGreaterThanOrEqual(1);
    for (const t of targets)
      expect(new Set(t.team.map((m) => m.departmentId))).toEqual(new Set([dept.scjg, dept.jyj]));
    const burden = await api<{ visits: number; departmentVisits: number; saved: number }>(
      'get',
      `/api/joint/burden?year=${YEAR}`,
    );
    const jointTargets = (await api<TaskDetail>('get', `/api/tasks/${jointTaskId}`)).draws[0]!.targets.length;
    expect(burden).toMatchObject({
      visits: jointTargets + targets.length,
      departmentVisits: 2 * (jointTargets + targets.length),
      saved: jointTargets + targets.length,
    });
  });
});
