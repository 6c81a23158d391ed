/**
 * The pages a clerk lives in (issue 8 §7): the result drawer starts empty for every target; the
 * entry button shows only where the server would accept the entry; the 重错码 buttons only for the
 * joint office and the lead bureau; long list columns keep their width; the entity list shows an
 * exact total; at 1440×900 the side menu scrolls and its last item is not under the collapse
 * button; at 390×844 the inspector finds his targets as legible cards behind a closed menu drawer,
 * opens one, enters a result and submits it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TargetView, TaskDetail } from '@choucha/api';
import { browser, login as loginAs, SHOTS, startPlatform, type Platform } from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let taskId = 0;
let targets: TargetView[] = [];

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `clerk-${name}.png`), fullPage: false });
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
const taskAs = async () => (await api<TaskDetail>('get', `/api/tasks/${taskId}`)).draws[0]!.targets;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
  // the market-supervision bureau draws a task of 30 targets from its published list
  await login('scjg');
  const me = await api<{ user: { departmentId: number } }>('get', '/api/auth/me');
  const list = await api<{ items: { id: number; departmentId: number }[] }>('get', '/api/items');
  const item = list.items.find((x) => x.departmentId === me.user.departmentId);
  const task = await api<{ id: number }>('post', '/api/tasks', {
    name: `录入页面测试任务 ${Date.now() % 100000}`,
    itemIds: [item!.id],
    windowStart: '2026-01-01',
    windowEnd: '2026-12-31',
    sampling: { ratio: 0.001, min: 30, max: 30 },
  });
  taskId = task.id;
  const draw = await api<{ id: number }>('post', `/api/tasks/${taskId}/draws`, {
    seedSource: { dice: true },
  });
  await api('post', `/api/draws/${draw.id}/reveal`, { dice: '2718 2818 2845 9045 2353' });
  targets = await taskAs();
  expect(targets).toHaveLength(30);
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

describe('the pages a clerk lives in', () => {
  it('the result drawer starts empty for each target: nothing of the previous one is carried over', async () => {
    await login('scjg');
    await page.goto(`${platform.url}/results?taskId=${taskId}`);
    await page.getByTestId('result-progress').waitFor();
    const [t1, t2] = targets;
    const drawer = page.getByTestId('result-drawer');
    await step('drawer-first', async () => {
      await page.getByTestId(`result-open-${t1!.id}`).click();
      await drawer.getByRole('checkbox', { name: '违反其他规定', exact: true }).check();
      await drawer.locator('textarea').fill('上一个对象的备注：不应带到下一个对象');
      expect(await drawer.getByRole('checkbox', { checked: true }).count()).toBe(1);
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
    });
    await step('drawer-second', async () => {
      await page.getByTestId(`result-open-${t2!.id}`).click();
      await drawer.getByRole('checkbox', { name: '未发现问题', exact: true }).waitFor();
      expect(await drawer.innerText()).toContain(t2!.entityName);
      expect(await drawer.getByRole('checkbox', { checked: true }).count()).toBe(0);
      expect(await drawer.locator('textarea').inputValue()).toBe('');
      await shot('01-drawer-second-empty');
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
      // and the first one, opened again, is empty too (nothing was saved)
      await page.getByTestId(`result-open-${t1!.id}`).click();
      await drawer.getByRole('checkbox', { name: '未发现问题', exact: true }).waitFor();
      expect(await drawer.getByRole('checkbox', { checked: true }).count()).toBe(0);
      expect(await drawer.locator('textarea').inputValue()).toBe('');
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
    });
  });

  it('the entry button shows only on the targets the server lets the user enter', async () => {
    await login('inspector1');
    const seen = await taskAs();
    const his = seen.filter((t) => t.canEnter);
    const others = seen.filter((t) => !t.canEnter);
    // inspector1 is the inspector of the demo's index 0: on some teams, not on others
    expect(his.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const inspectorId = his[0]!.team
      .map((m) => m.inspectorId)
      .find((id) => his.every((t) => t.team.some((m) => m.inspectorId === id)));
    for (const t of others) expect(t.team.some((m) => m.inspectorId === inspectorId)).toBe(false);
    await page.goto(`${platform.url}/results?taskId=${taskId}`);
    await page.getByTestId('result-progress').waitFor();
    await page.getByTestId('draw-targets').waitFor();
    // everyone's targets listed (switch "only mine" off): buttons exactly on his
    await page.getByTestId('result-only-mine').click();
    await expect.poll(() => page.locator('[data-testid^="target-row-"]').count()).toBe(30);
    expect(await page.locator('.result-open').count()).toBe(his.length);
    for (const t of others) expect(await page.getByTestId(`result-open-${t.id}`).count()).toBe(0);
    // the API refuses what the page does not offer
    const refused = await page.request.post(`${platform.url}/api/targets/${others[0]!.id}/result`, {
      data: { codes: ['未发现问题'], followUps: [], inspectedOn: '2026-06-01' },
    });
    expect(refused.status()).toBe(403);
    // a leader reads only
    await login('leader');
    expect((await taskAs()).filter((t) => t.canEnter)).toEqual([]);
  });

  it('重错码: only the joint office and the lead bureau get the buttons', async () => {
    await login('jyj');
    await page.goto(`${platform.url}/code-issues?status=all`);
    await page.getByTestId('code-issue-read-only').waitFor();
    await page.getByTestId('code-issue-table').waitFor();
    expect(await page.getByTestId('code-issue-detect').count()).toBe(0);
    expect(
      await page
        .locator('[data-testid^="code-issue-correct-"], [data-testid^="code-issue-dismiss-"]')
        .count(),
    ).toBe(0);
    await login('scjg'); // the lead bureau
    await page.goto(`${platform.url}/code-issues`);
    await page.getByTestId('code-issue-detect').waitFor();
    expect(await page.getByTestId('code-issue-read-only').count()).toBe(0);
  });

  it('at 1440×900: long columns keep their width, the entity list shows its exact total, the menu scrolls to its last item', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await login('admin');
    await step('items-columns', async () => {
      await page.goto(`${platform.url}/items`);
      const name = page.getByTestId('item-name').first();
      await name.waitFor();
      expect((await name.boundingBox())!.width).toBeGreaterThan(200);
      await shot('02-items');
    });
    await step('entity-total', async () => {
      const expected = await api<{ total: number; totalIsEstimate: boolean }>(
        'get',
        '/api/entities?page=1&pageSize=20',
      );
      expect(expected.totalIsEstimate).toBe(false);
      expect(expected.total).toBeGreaterThan(1000);
      await page.goto(`${platform.url}/entities`);
      const total = page.getByTestId('entity-total');
      await total.waitFor();
      expect(Number(await total.getAttribute('data-value'))).toBe(expected.total);
      expect(await total.getAttribute('data-estimate')).toBe('false');
      expect(await total.innerText()).toBe(`共 ${expected.total} 条`);
      // a common two-character piece over the demo's 30,000 entities: counted exactly, not "more than 1000"
      const q = encodeURIComponent('有限');
      const common = await api<{ total: number; totalIsEstimate: boolean }>(
        'get',
        `/api/entities?page=1&pageSize=20&q=${q}`,
      );
      expect(common.totalIsEstimate).toBe(false);
      expect(common.total).toBeGreaterThan(1000);
      await page.goto(`${platform.url}/entities?q=${q}`);
      await expect.poll(async () => Number(await total.getAttribute('data-value'))).toBe(common.total);
      expect(await total.innerText()).toBe(`共 ${common.total} 条`);
    });
    await step('menu-scroll', async () => {
      await page.goto(`${platform.url}/dashboard`);
      const scroller = page.getByTestId('main-menu-scroll');
      await scroller.waitFor();
      // the menu is longer than the bar: it scrolls inside it
      const { scrollHeight, clientHeight } = await scroller.evaluate((el) => ({
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
      }));
      expect(scrollHeight).toBeGreaterThan(clientHeight);
      await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      const last = page.getByTestId('nav-public');
      const trigger = page.locator('.ant-layout-sider-trigger');
      const lastBox = (await last.boundingBox())!;
      const triggerBox = (await trigger.boundingBox())!;
      expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(triggerBox.y);
      expect(lastBox.y).toBeGreaterThan(0);
      // the item itself is what a click at its centre hits (not the collapse button)
      const hit = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid]')?.getAttribute('data-testid'),
        [lastBox.x + lastBox.width / 2, lastBox.y + lastBox.height / 2],
      );
      expect(hit).toBe('nav-public');
      const imports = page.getByTestId('nav-imports');
      await imports.click();
      await page.waitForURL(/\/imports$/);
      await shot('03-menu-scrolled');
    });
  });

  it('at 390×844 the inspector finds his targets as cards, opens one, enters a result and submits it', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await login('inspector1');
    await step('mobile-tasks', async () => {
      // the menu is a closed drawer; the page is not wider than the screen
      expect(await page.getByTestId('main-menu').count()).toBe(0);
      expect(await page.locator('.ant-drawer-open').count()).toBe(0);
      const card = page.getByTestId(`task-card-${taskId}`);
      await card.waitFor();
      expect((await card.boundingBox())!.width).toBeGreaterThan(300);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot('04-mobile-tasks');
      // the menu drawer opens on demand and closes on navigation
      await page.getByTestId('nav-drawer-open').click();
      await page.getByTestId('nav-results').click();
      await page.waitForURL(/\/results/);
      await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
      await page.goto(`${platform.url}/tasks`);
      await page.getByTestId(`task-card-${taskId}`).getByTestId('task-card-results').click();
      await page.waitForURL(new RegExp(`/results\\?taskId=${taskId}`));
    });
    const his = (await taskAs()).filter((t) => t.canEnter);
    await step('mobile-targets', async () => {
      const cards = page.locator('.target-card');
      await expect.poll(() => cards.count()).toBe(his.length);
      for (const c of await cards.all()) {
        expect((await c.boundingBox())!.width).toBeGreaterThan(300);
        expect((await c.getByTestId('target-card-name').boundingBox())!.width).toBeGreaterThan(200);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot('05-mobile-targets');
    });
    await step('mobile-enter', async () => {
      const t = his[0]!;
      const open = page.getByTestId(`result-open-${t.id}`);
      expect((await open.boundingBox())!.width).toBeGreaterThan(300);
      await open.click();
      const drawer = page.getByTestId('result-drawer');
      await drawer.getByRole('checkbox', { name: '发现问题经责令已改正', exact: true }).check();
      await drawer.locator('textarea').fill('现场检查，已责令改正');
      const submit = page.getByTestId('result-submit');
      expect((await submit.boundingBox())!.width).toBeGreaterThan(150);
      expect((await page.locator('.ant-drawer-section').first().boundingBox())!.width).toBeGreaterThanOrEqual(
        380,
      );
      await shot('06-mobile-form');
      await submit.click();
      await drawer.waitFor({ state: 'hidden' });
      await expect.poll(async () => open.isDisabled()).toBe(true);
      expect(await open.innerText()).toContain('已录入');
      const after = (await taskAs()).find((x) => x.id === t.id)!;
      expect(after.results).toHaveLength(1);
      expect(after.results[0]).toMatchObject({
        codes: ['发现问题经责令已改正'],
        note: '现场检查，已责令改正',
        status: 'submitted',
      });
      await shot('07-mobile-entered');
    });
  });
});
