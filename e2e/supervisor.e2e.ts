/**
 * The supervisor (监督员, draw-protocol-v2 §1) as he works: the joint office creates his account
 * (the role in the role picker, with its description); a department draws a task (dice and the
 * ceremony record); the supervisor signs in (one-time password changed), lands on 监督, downloads
 * a draw's FULL bundle (it parses, view "full") and verifies it in the browser (验证通过, the
 * stage shown, each stratum with its risk class); he can open no write page and no write API
 * answers him but 403; the 监督 page fits a 390 px phone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  browser,
  commitWithDice,
  createTaskInForm,
  firstSignIn,
  login as loginAs,
  logout as logoutOf,
  revealWithDice,
  SHOTS,
  startPlatform,
  type Platform,
} from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let drawId = 0;
const TASK = `监督端到端测试任务 ${Date.now() % 100000}`;
const SUPERVISOR = 'jianduyuan1';
const ONE_TIME = 'one-time-pw-2026';
const PASSWORD = 'supervisor-pw-2026';
const fullFile = path.join(os.tmpdir(), `e2e-supervisor-full-${process.pid}.json`);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
  fs.rmSync(fullFile, { force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `supervisor-${name}.png`), fullPage: true });

describe('the supervisor', () => {
  it('the joint office creates a supervisor account in the user admin', async () => {
    await loginAs(page, platform.url, 'admin');
    await page.goto(`${platform.url}/settings/users`);
    await page.getByTestId('user-add').click();
    await page.getByTestId('user-username').fill(SUPERVISOR);
    await page.getByTestId('user-display-name').fill('王监督（区纪委监委派驻纪检监察组）');
    await page.getByTestId('user-role').click();
    const option = page.getByTestId('user-role-option-supervisor');
    await option.waitFor();
    expect(await option.innerText()).toContain('监督员（只读）');
    expect(await option.innerText()).toContain('下载并核验完整验证包');
    await option.click();
    await expect.poll(() => page.getByTestId('user-role-desc').innerText()).toContain('不能修改任何数据');
    await page.getByTestId('user-password').fill(ONE_TIME);
    await shot('01-create');
    await page.getByTestId('user-add-submit').click();
    await expect.poll(() => page.getByTestId('user-table').innerText()).toContain(SUPERVISOR);
    await logoutOf(page);
  });

  it('a department draws a task with dice and the ceremony record', async () => {
    await loginAs(page, platform.url, 'scjg');
    const taskId = await createTaskInForm(page, platform.url, { name: TASK, street: '南院门街道', max: 3 });
    // the commit form's default: dice (20 digits) and a drand round about 10 minutes ahead
    await page.getByTestId('draw-commit').waitFor();
    expect(await page.getByTestId('draw-dice-digits').inputValue()).toBe('20');
    const round = Number(await page.getByTestId('draw-drand-round').inputValue());
    const inTenMinutes = Math.ceil((Date.now() / 1000 + 600 - 1692803367) / 3) + 1;
    expect(Math.abs(round - inTenMinutes)).toBeLessThan(40);
    await commitWithDice(page);
    await revealWithDice(page, '31415926535897932384');
    await page.getByTestId('draw-targets').waitFor({ timeout: 90_000 });
    await page.getByTestId('draw-ceremony').waitFor();
    expect(await page.getByTestId('draw-ceremony-witnesses').innerText()).toContain('李华');
    const task = (await (await page.request.get(`${platform.url}/api/tasks/${taskId}`)).json()) as {
      draws: { id: number }[];
    };
    drawId = task.draws[0]?.id ?? 0;
    expect(drawId).toBeGreaterThan(0);
    await logoutOf(page);
  });

  it('signs in, lands on 监督, downloads the full bundle and verifies it in the browser', async () => {
    await firstSignIn(page, platform.url, SUPERVISOR, ONE_TIME, PASSWORD);
    await page.waitForURL(/\/supervision/);
    await page.getByTestId('nav-supervision').waitFor();
    // the supervisor's menu: 监督, tasks, the audit log; no write page
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    expect(await page.getByTestId('nav-imports').count()).toBe(0);
    await page.getByTestId(`supervision-row-${drawId}`).waitFor();
    expect(await page.getByTestId(`supervision-stage-${drawId}`).getAttribute('data-value')).toBe('matched');
    await shot('02-supervision');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`supervision-download-${drawId}`).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`draw-${drawId}-full.json`);
    const file = await download.path();
    fs.copyFileSync(file, fullFile);
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      format: string;
      view: string;
      stage: string;
      private: { openings: string };
    };
    expect(bundle.format).toBe('choucha-draw-bundle-v2');
    expect(bundle.view).toBe('full');
    expect(bundle.stage).toBe('matched');
    expect(bundle.private.openings.length).toBeGreaterThan(0);

    await page.getByTestId(`supervision-verify-${drawId}`).click();
    const result = page.getByTestId('supervision-result');
    await expect.poll(() => result.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    const verdict = result.getByTestId('verify-verdict');
    expect(await verdict.getAttribute('data-verdict'), await result.innerText()).toBe('verified');
    expect(await verdict.innerText()).toBe('验证通过');
    expect(await result.getByTestId('verify-stage').getAttribute('data-value')).toBe('matched');
    expect(await result.getByTestId('verify-stage').innerText()).toBe('已抽取并组成检查组');
    expect(await result.getByTestId('verify-view').getAttribute('data-value')).toBe('full');
    // each stratum: its label, population → drawn, and the risk class (the supervisor is trusted)
    const strata = await result.getByTestId('verify-strata').innerText();
    expect(strata).toContain('风险类别');
    expect(strata).toMatch(/\d+ → \d+/);
    const counts = result.getByTestId('verify-counts');
    expect(Number(await counts.getAttribute('data-targets'))).toBeGreaterThan(0);
    expect(Number(await counts.getAttribute('data-teams'))).toBe(
      Number(await counts.getAttribute('data-targets')),
    );
    await shot('03-verified');
    await page.keyboard.press('Escape');
  });

  it('cannot open a write page nor call a write API (403)', async () => {
    await page.goto(`${platform.url}/tasks/new`);
    await page.getByText('当前角色无权访问此页面').waitFor();
    await page.goto(`${platform.url}/settings/users`);
    await page.getByText('当前角色无权访问此页面').waitFor();
    // the draw page opens read-only: no commit, redraw or escalation button
    await page.goto(`${platform.url}/draws/${drawId}`);
    await page.getByTestId('draw-wizard').waitFor();
    expect(await page.getByTestId('draw-redraw').count()).toBe(0);
    const post = (url: string, data: unknown) =>
      page.request.post(`${platform.url}${url}`, { data: data as object, failOnStatusCode: false });
    const task = await post('/api/tasks', {
      name: '监督员不能建任务',
      itemIds: [1],
      windowStart: '2026-06-01',
      windowEnd: '2026-06-30',
      sampling: { ratio: 0.1 },
    });
    expect(task.status()).toBe(403);
    const redraw = await post(`/api/draws/${drawId}/escalate`, { count: 1, reason: '监督员不能追加抽取' });
    expect(redraw.status()).toBe(403);
    const users = await post('/api/users', {
      username: 'nobody1',
      displayName: 'x',
      role: 'supervisor',
      departmentId: null,
      password: 'long-enough-pw-1',
    });
    expect(users.status()).toBe(403);
    // reads are open to him: the audit log, every draw
    const audit = await page.request.get(`${platform.url}/api/audit`);
    expect(audit.status()).toBe(200);
  });

  it('the public draw page shows the stage and the ceremony, no stratum, and verifies the public bundle', async () => {
    await page.context().clearCookies();
    await page.goto(`${platform.url}/public/draws/${drawId}`);
    await page.getByTestId('public-draw-stage').waitFor();
    expect(await page.getByTestId('public-draw-stage').getAttribute('data-value')).toBe('matched');
    expect(await page.getByTestId('public-draw-attempt').innerText()).toContain('第 1 次抽取');
    expect(await page.getByTestId('draw-ceremony-place').innerText()).toBe('区市场监管局三楼会议室');
    expect(await page.getByTestId('draw-ceremony-witnesses').innerText()).toContain('李华');
    const api = await (await page.request.get(`${platform.url}/api/public/draws/${drawId}`)).text();
    expect(api).not.toMatch(/"stratum"/);
    await page.getByTestId('verify-run').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-ok'), await result.innerText()).toBe('true');
    expect(await result.getByTestId('verify-view').getAttribute('data-value')).toBe('public');
    expect(await page.getByTestId('verify-cannot-check').innerText()).toContain('由监督员核验');
    await shot('06-public');
  });

  it('the public /verify page verifies a bundle file chosen on this computer', async () => {
    await page.goto(`${platform.url}/verify`);
    await page.getByTestId('verify-file').setInputFiles(fullFile);
    const card = page.getByTestId('verify-file-result');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await card.getByTestId('verify-verdict').getAttribute('data-verdict')).toBe('verified');
    expect(await card.getByTestId('verify-stage').getAttribute('data-value')).toBe('matched');
    // a tampered copy replaces the result: rejected, with its code and path
    const bad = JSON.parse(fs.readFileSync(fullFile, 'utf8')) as { seed: string };
    bad.seed = bad.seed.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const badFile = fullFile.replace(/\.json$/, '-tampered.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    await page.getByTestId('verify-file').setInputFiles(badFile);
    await expect.poll(() => card.getAttribute('data-file')).toBe(path.basename(badFile));
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await card.getByTestId('verify-verdict').getAttribute('data-verdict')).toBe('rejected');
    expect(await card.getByTestId('verify-code').innerText()).toBe('DRAW_BUNDLE_MISMATCH');
    expect(await card.getByTestId('verify-path').innerText()).toBe('$.seed');
    await shot('07-verify-file');
    fs.rmSync(badFile, { force: true });
  });

  it('a redraw is a public chain: attempt 2 names attempt 1, which shows as superseded', async () => {
    await loginAs(page, platform.url, 'scjg');
    await page.goto(`${platform.url}/draws/${drawId}`);
    await page.getByTestId('draw-redraw').click();
    await page.getByTestId('draw-redraw-reason').fill('掷骰现场记录有误，经批准重新抽取');
    await commitWithDice(page);
    expect(await page.getByTestId('draw-attempt').getAttribute('data-value')).toBe('2');
    await page.getByTestId('draw-predecessor').waitFor();
    await revealWithDice(page, '27182818284590452353');
    await page.getByTestId('draw-targets').waitFor({ timeout: 90_000 });
    await logoutOf(page);
    await page.goto(`${platform.url}/public/draws/${drawId}`);
    await page.getByTestId('public-draw-superseded').waitFor();
    expect(await page.getByTestId('public-draw-superseded').innerText()).toContain('已被第 2 次抽取取代');
    await page.getByTestId('public-draw-superseded').click();
    await page.getByTestId('public-draw-predecessor').waitFor();
    expect(await page.getByTestId('public-draw-attempt').getAttribute('data-value')).toBe('2');
    // the superseded draw still verifies (as superseded)
    await page.goto(`${platform.url}/public/draws/${drawId}`);
    await page.getByTestId('verify-run').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-ok'), await result.innerText()).toBe('true');
    await result.getByTestId('verify-superseded').waitFor();
    await shot('08-superseded');
  });

  it('the 监督 page fits a 390 px phone', async () => {
    await page.context().clearCookies();
    await page.goto(`${platform.url}/login`);
    await page.getByTestId('login-username').fill(SUPERVISOR);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/supervision/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${platform.url}/supervision`);
    await page.getByTestId(`supervision-row-${drawId}`).waitFor();
    await page.getByTestId(`supervision-superseded-${drawId}`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('04-phone');
    await page.getByTestId(`supervision-verify-${drawId}`).click();
    const result = page.getByTestId('supervision-result');
    await expect.poll(() => result.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await result.getByTestId('verify-verdict').getAttribute('data-verdict')).toBe('verified');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('05-phone-verified');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});
