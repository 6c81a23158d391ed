/**
 * Results that close the loop (issue 9 §4, §5), in Chromium: the inspector enters his result; the
 * department sends it back with a reason; the inspector sees the reason (my targets, the entry
 * page), answers it and submits again; the department approves it in bulk after a confirmation;
 * the joint office publishes it within the deadline (按期公示). A result inspected 60 days ago and
 * still unpublished shows red in the review queue (deadline = inspection + 20 working days). A
 * correction (更正) publishes a new version; its reason is on the public portal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ReviewList, TargetView, TaskDetail } from '@choucha/api';
import { browser, login as loginAs, SHOTS, startPlatform, type Platform } from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let taskId = 0;
let his: TargetView; // a target of inspector1's team
let overdueResult = 0;
let resultId = 0;

const REASON = '第一项检查依据未写明，请补充';
const ANSWER = '已补充检查依据：食品安全法第三十三条';
const CORRECTION = '检查日期录入有误，已核实更正';
const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `year-results-${name}.png`), fullPage: false });
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
const row = (id: number) => page.getByTestId(`review-row-${id}`);
/** antd puts the test id of a counted TextArea on the textarea or on its wrapper */
const textarea = (testId: string) =>
  page.locator(`textarea[data-testid="${testId}"], [data-testid="${testId}"] textarea`).first();

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
  await login('scjg');
  const me = await api<{ user: { departmentId: number } }>('get', '/api/auth/me');
  const list = await api<{ items: { id: number; departmentId: number }[] }>('get', '/api/items');
  const item = list.items.find((x) => x.departmentId === me.user.departmentId);
  taskId = (
    await api<{ id: number }>('post', '/api/tasks', {
      name: `结果闭环测试任务 ${Date.now() % 100000}`,
      itemIds: [item!.id],
      windowStart: day(-120),
      windowEnd: day(30),
      sampling: { ratio: 0.001, min: 30, max: 30 },
    })
  ).id;
  const draw = await api<{ id: number }>('post', `/api/tasks/${taskId}/draws`, {
    seedSource: { dice: true },
  });
  await api('post', `/api/draws/${draw.id}/reveal`, { dice: '1618 0339 8874 9894 8482' });
  await login('inspector1');
  const seen = (await api<TaskDetail>('get', `/api/tasks/${taskId}`)).draws[0]!.targets;
  his = seen.find((t) => t.canEnter)!;
  const other = seen.find((t) => !t.canEnter)!;
  expect(his).toBeDefined();
  // the department entered another target's result 60 days ago and nobody published it
  await login('scjg');
  overdueResult = (
    await api<{ id: number }>('post', `/api/targets/${other.id}/result`, {
      codes: ['未发现问题'],
      followUps: [],
      inspectedOn: day(-60),
    })
  ).id;
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

describe('a result is sent back, answered, approved and published within its deadline', () => {
  it('the inspector enters his result', async () => {
    await step('enter', async () => {
      await login('inspector1');
      await page.goto(`${platform.url}/results?taskId=${taskId}`);
      await page.getByTestId(`result-open-${his.id}`).click();
      const drawer = page.getByTestId('result-drawer');
      await drawer.getByRole('checkbox', { name: '未发现问题', exact: true }).check();
      await page.getByTestId('result-submit').click();
      await drawer.waitFor({ state: 'hidden' });
      // an inspector has no review queue
      expect((await page.request.get(`${platform.url}/api/review?taskId=${taskId}`)).status()).toBe(403);
    });
  });

  it('the department sends it back with a reason; the overdue result is red', async () => {
    await step('reject', async () => {
      await login('scjg');
      const q = await api<ReviewList>('get', `/api/review?taskId=${taskId}`);
      // most urgent first: the overdue one, then the one entered today
      expect(q.items.map((x) => x.deadline.state)).toEqual(['overdue', 'ok']);
      resultId = q.items[1]!.resultId;
      expect(q.items[0]!.resultId).toBe(overdueResult);
      await page.goto(`${platform.url}/review`);
      await page.getByTestId('review-table').waitFor();
      const red = row(overdueResult).getByTestId('deadline-tag');
      await expect.poll(() => red.getAttribute('data-state')).toBe('overdue');
      expect(await red.getAttribute('class')).toMatch(/\bant-tag-red\b/);
      expect(await row(resultId).getByTestId('deadline-tag').getAttribute('data-state')).toBe('ok');
      expect(await row(resultId).getByTestId('deadline-tag').getAttribute('class')).toMatch(
        /\bant-tag-green\b/,
      );
      await shot('01-queue');
      await row(resultId).getByTestId('review-reject').click();
      await textarea('review-reject-note').fill(REASON);
      await page.getByTestId('review-reject-confirm').click();
      await row(resultId).waitFor({ state: 'detached' });
    });
  });

  it('the enterer sees the reason, answers it and submits again', async () => {
    await step('answer', async () => {
      await login('inspector1');
      await page.goto(`${platform.url}/my/targets`);
      await expect.poll(() => page.getByTestId(`my-target-reason-${his.id}`).innerText()).toContain(REASON);
      await page.goto(`${platform.url}/results?taskId=${taskId}`);
      await expect.poll(() => page.getByTestId(`result-reason-${his.id}`).innerText()).toContain(REASON);
      await page.getByTestId(`result-open-${his.id}`).click();
      const drawer = page.getByTestId('result-drawer');
      expect(await drawer.getByTestId('result-rejected').innerText()).toContain(REASON);
      // the codes entered before are there; the answer is required
      expect(await drawer.getByRole('checkbox', { name: '未发现问题', exact: true }).isChecked()).toBe(true);
      await page.getByTestId('result-submit').click();
      await expect.poll(() => drawer.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(0);
      await textarea('result-response').fill(ANSWER);
      await shot('02-answer');
      await page.getByTestId('result-submit').click();
      await drawer.waitFor({ state: 'hidden' });
    });
  });

  it('the department approves it in bulk after a confirmation', async () => {
    await step('approve', async () => {
      await login('scjg');
      await page.goto(`${platform.url}/review`);
      await row(resultId).waitFor();
      expect(await row(resultId).getByTestId('review-response').innerText()).toContain(ANSWER);
      await row(resultId).locator('input[type="checkbox"]').check();
      await page.getByTestId('review-bulk-approve').click();
      await expect.poll(() => page.locator('.ant-modal-confirm').innerText()).toContain('1 条');
      await page.getByTestId('review-bulk-confirm').click();
      await row(resultId).waitFor({ state: 'detached' });
      // the overdue one still waits, still red
      expect(await row(overdueResult).getByTestId('deadline-tag').getAttribute('data-state')).toBe('overdue');
    });
  });

  it('the joint office publishes it within the deadline', async () => {
    await step('publish', async () => {
      await login('admin');
      await page.goto(`${platform.url}/review`);
      await page.getByTestId('review-filter').getByText('待公示', { exact: true }).click();
      await row(resultId).getByTestId('review-publish').click();
      await row(resultId).waitFor({ state: 'detached' });
      await page.getByTestId('review-filter').getByText('已公示', { exact: true }).click();
      await expect.poll(() => row(resultId).getByTestId('review-timely').innerText()).toBe('按期公示');
      await shot('03-published');
      const pub = await api<{ items: { id: number; codes: string[] }[] }>(
        'get',
        `/api/public/results?q=${encodeURIComponent(his.entityName)}`,
      );
      expect(pub.items.find((x) => x.id === resultId)).toMatchObject({ codes: ['未发现问题'] });
      const t = await api<{ published: number; onTime: number }>(
        'get',
        `/api/indicators/timeliness?year=${Number(day(-120).slice(0, 4))}`,
      );
      expect(t.onTime).toBeGreaterThanOrEqual(1);
    });
  });

  it('a correction (更正) publishes a new version whose reason stays public', async () => {
    await step('correct', async () => {
      await row(resultId).getByTestId('review-correct').click();
      await textarea('review-correct-reason').fill(CORRECTION);
      await page.getByTestId('review-correct-confirm').click();
      await expect.poll(() => row(resultId).innerText()).toContain('第 2 版');
      await page.context().clearCookies();
      await page.goto(`${platform.url}/public`);
      await page.getByTestId('public-results').waitFor();
      const fix = page.getByTestId('public-correction').filter({ hasText: CORRECTION });
      await expect.poll(() => fix.count()).toBe(1);
      await shot('04-public-correction');
    });
  });
});
