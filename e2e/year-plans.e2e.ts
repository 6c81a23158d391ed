/**
 * Annual plans (issue 9 §1), in Chromium on the demo without history: the market bureau (scjg)
 * writes its 2027 plan with a batch and files it (备案); the joint office returns it with a reason,
 * which the department sees, and approves it once filed again; the joint office writes the joint
 * plan and approves it; a batch is opened into a task from the plan page, and the year view counts
 * the plans, their batches and the completion.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PlanDetail, PlanYearView } from '@choucha/api';
import { browser, DEMO_PASSWORD, login, SHOTS, startPlatform, type Platform } from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let planId = 0;
let jointId = 0;
const YEAR = 2027;
const REASON = '请补充下半年的抽查批次';

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform(['--no-history']);
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `plans-${name}.png`), fullPage: true });
const apiGet = async <T>(p: string) => {
  const r = await page.request.get(`${platform.url}${p}`);
  expect(r.status(), p).toBe(200);
  return (await r.json()) as T;
};
/** Switch the signed-in user without the login page (the first sign-ins go through it). */
async function signInAs(username: string) {
  await page.context().clearCookies();
  const r = await page.request.post(`${platform.url}/api/auth/login`, {
    data: { username, password: DEMO_PASSWORD },
  });
  expect(r.status()).toBe(200);
}
const status = () => page.getByTestId('plan-detail-status').getAttribute('data-status');

/** The first published items of a department. */
async function itemsOf(departmentId: number, n: number): Promise<number[]> {
  const list = await apiGet<{ items: { id: number; departmentId: number }[] }>('/api/items');
  const ids = list.items.filter((i) => i.departmentId === departmentId).map((i) => i.id);
  expect(ids.length).toBeGreaterThanOrEqual(n);
  return ids.slice(0, n);
}

describe('annual plans', () => {
  it('a department writes its plan with a batch and files it', async () => {
    await login(page, platform.url, 'scjg');
    const { user: me } = await apiGet<{ user: { departmentId: number } }>('/api/auth/me');
    const [item] = await itemsOf(me.departmentId, 1);
    await page.goto(`${platform.url}/plans?year=${YEAR}`);
    await page.getByTestId('plan-new').click();
    await page.getByTestId('plan-name').fill(`${YEAR} 年度市场监管双随机抽查计划`);
    await page.getByTestId('plan-create-submit').click();
    await page.waitForURL(/\/plans\/\d+$/);
    planId = Number(/\/plans\/(\d+)$/.exec(page.url())![1]);
    expect(await status()).toBe('draft');

    await page.getByTestId('batch-add').click();
    await page.getByTestId('batch-name').fill('企业公示信息抽查');
    await page.getByTestId('batch-items').click();
    await page.getByTestId(`batch-item-option-${item}`).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('batch-planned').fill('12');
    await page.getByTestId('batch-submit').click();
    await page.getByTestId('batch-table').locator('tr', { hasText: '企业公示信息抽查' }).waitFor();
    await expect
      .poll(async () =>
        (await apiGet<PlanDetail>(`/api/plans/${planId}`)).batches.map((x) => x.plannedQuantity),
      )
      .toEqual([12]);

    await page.getByTestId('plan-file').click();
    await page.getByTestId('plan-file-ok').click();
    await expect.poll(status).toBe('filed');
    expect(await page.getByTestId('batch-add').count()).toBe(0);
    await shot('filed');
  });

  it('the joint office returns it with a reason the department sees, then approves it', async () => {
    await signInAs('admin');
    await page.goto(`${platform.url}/plans?year=${YEAR}`);
    await page.getByTestId('plan-tab-review').click();
    const row = page.getByTestId('plan-review-table').getByTestId(`plan-row-${planId}`);
    await row.getByTestId('plan-return').click();
    await page.getByTestId('plan-return-reason').fill(REASON);
    await page.getByTestId('plan-return-ok').click();
    await expect.poll(async () => (await apiGet<PlanDetail>(`/api/plans/${planId}`)).status).toBe('returned');

    await signInAs('scjg');
    await page.goto(`${platform.url}/plans/${planId}`);
    expect(await page.getByTestId('plan-return-reason-shown').innerText()).toContain(REASON);
    await page.getByTestId('plan-file').click();
    await page.getByTestId('plan-file-ok').click();
    await expect.poll(status).toBe('filed');

    await signInAs('admin');
    await page.goto(`${platform.url}/plans?year=${YEAR}`);
    await page.getByTestId('plan-tab-review').click();
    await page
      .getByTestId('plan-review-table')
      .getByTestId(`plan-row-${planId}`)
      .getByTestId('plan-approve')
      .click();
    await page.getByTestId('plan-approve-ok').click();
    await expect.poll(async () => (await apiGet<PlanDetail>(`/api/plans/${planId}`)).status).toBe('approved');
  });

  it('the joint office writes the joint plan and approves it', async () => {
    const plan = await apiGet<PlanDetail>(`/api/plans/${planId}`);
    const lead = plan.departmentId!;
    const catalogue = await apiGet<{ items: { departmentId: number }[] }>('/api/items');
    const other = catalogue.items.find((i) => i.departmentId !== lead)!.departmentId;
    const items = [...(await itemsOf(lead, 1)), ...(await itemsOf(other, 1))];
    await page.goto(`${platform.url}/plans?year=${YEAR}`);
    await page.getByTestId('plan-new').click();
    await page.getByTestId('plan-kind-joint').click();
    await page.getByTestId('plan-create-submit').click();
    await page.waitForURL(/\/plans\/\d+$/);
    jointId = Number(/\/plans\/(\d+)$/.exec(page.url())![1]);
    const r = await page.request.post(`${platform.url}/api/plans/${jointId}/batches`, {
      data: {
        name: '校外培训机构联合检查',
        itemIds: items,
        sampling: { ratio: 0.05 },
        plannedQuantity: 8,
        windowStart: `${YEAR}-05-01`,
        windowEnd: `${YEAR}-05-31`,
        leadDepartmentId: lead,
        cooperatingDepartmentIds: [other],
      },
    });
    expect(r.status(), await r.text()).toBe(200);
    await page.reload();
    await page.getByTestId('batch-table').locator('tr', { hasText: '校外培训机构联合检查' }).waitFor();
    await page.getByTestId('plan-file').click();
    await page.getByTestId('plan-file-ok').click();
    await expect.poll(status).toBe('filed');
    await page.getByTestId('plan-approve').click();
    await page.getByTestId('plan-approve-ok').click();
    await expect.poll(status).toBe('approved');
    await shot('joint-approved');
  });

  it('a batch is opened into a task from the plan page; the year view counts it', async () => {
    await page.goto(`${platform.url}/plans/${planId}`);
    await page.getByTestId('batch-open').click();
    await page.getByTestId('batch-open-ok').click();
    const link = page.getByTestId('batch-task-link');
    await link.waitFor();
    await expect.poll(status).toBe('in_progress');
    const plan = await apiGet<PlanDetail>(`/api/plans/${planId}`);
    const taskId = plan.batches[0]!.taskId!;
    expect(plan.batches[0]!.taskStatus).toBe('draft');
    await link.click();
    await page.waitForURL(new RegExp(`/tasks/${taskId}`));
    const task = await apiGet<{ name: string; windowStart: string; items: { id: number }[] }>(
      `/api/tasks/${taskId}`,
    );
    expect([task.name, task.windowStart, task.items.map((i) => i.id)]).toEqual([
      '企业公示信息抽查',
      `${YEAR}-04-01`,
      plan.batches[0]!.itemIds,
    ]);

    const year = await apiGet<PlanYearView>(`/api/plans/year/${YEAR}`);
    expect(year.plans.map((p) => [p.kind, p.status, p.batchCount, p.openedCount]).sort()).toEqual([
      ['department', 'in_progress', 1, 1],
      ['joint', 'approved', 1, 0],
    ]);
    expect(year.completion).toMatchObject({ batches: 2, batchesDone: 0, planned: 20, published: 0 });
    await page.goto(`${platform.url}/plans?year=${YEAR}`);
    await page.getByTestId(`plan-row-${planId}`).waitFor();
    expect(await page.getByTestId('plan-table').innerText()).toContain('部门联合抽查计划');
    await shot('year');
  });
});
