/**
 * The first day of a real district (issue 8 §1): a production start on an empty database, the
 * first administrator signs in with the one-time password, changes it, is led to the setup,
 * enters the organisation (a wrong region code is named in Chinese), adds and imports the member
 * departments, marks the lead and finishes; the 部门 page then lists them with Chinese level names.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser, SHOTS, startPlatform, type Platform } from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform(['--no-demo'], {
    env: { CHOUCHA_MODE: 'production', CHOUCHA_COOKIE_SECURE: 'false' },
  });
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `setup-${name}.png`), fullPage: true });

it('an empty production database is set up in the web UI by the first administrator', async () => {
  const oneTime = /one-time password (\S+)/.exec(platform.output())?.[1];
  expect(oneTime).toBeDefined();
  await page.goto(`${platform.url}/login`);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(oneTime!);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('must-change-password').waitFor();
  await page.getByTestId('password-current').fill(oneTime!);
  await page.getByTestId('password-new').fill('first-admin-password-1');
  await page.getByTestId('password-confirm').fill('first-admin-password-1');
  await page.getByTestId('password-submit').click();

  // a changed password ends the sessions: sign in again with the new one, and be led to the setup
  await page.getByTestId('login-username').waitFor();
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('first-admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('setup-page').waitFor();
  expect(new URL(page.url()).pathname).toBe('/setup');
  await page.getByTestId('setup-province-name').fill('陕西省');
  await page.getByTestId('setup-province-code').fill('610000');
  await page.getByTestId('setup-city-name').fill('西安市');
  await page.getByTestId('setup-city-code').fill('610100');
  await page.getByTestId('setup-district-name').fill('碑林区');
  await page.getByTestId('setup-district-code').fill('610203');
  await page.getByTestId('setup-lead-bureau').fill('碑林区市场监督管理局');
  await page.getByTestId('setup-org-save').click();
  await expect
    .poll(() => page.getByTestId('setup-org-form').textContent(), { timeout: 15_000 })
    .toContain('区县代码的前四位须与市级代码相同');
  await shot('org-error');
  await page.getByTestId('setup-district-code').fill('610103');
  await page.getByTestId('setup-org-save').click();

  // step 2: one by hand (the lead bureau named in step 1 becomes the lead), the others from a file
  await page.getByTestId('setup-dept-name').fill('碑林区市场监督管理局');
  await page.getByTestId('setup-dept-short').fill('市场监管局');
  await page.getByTestId('setup-dept-code').fill('SCJG');
  await page.getByTestId('setup-dept-add').click();
  const rows = page.getByTestId('setup-dept-table').locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
  expect(await rows.first().textContent()).toContain('牵头部门');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-setup-'));
  const csv = path.join(dir, '成员单位.csv');
  fs.writeFileSync(
    csv,
    [
      '序号,单位名称,简称,部门代码,别名,联络员,联系电话,层级',
      '1,碑林区教育局,教育局,JYJ,区教育局,张三,13900000001,区县级',
      '2,碑林区卫生健康局,卫健局,WJJ,区卫健委、卫生健康委,李四,029-87650002,区县级',
      '3,碑林区应急管理局,应急局,YJJ,,王五,12345,区县级',
    ].join('\r\n'),
  );
  await page.getByTestId('setup-dept-import').click();
  await page.locator('.ant-modal input[type=file]').setInputFiles(csv);
  await page.getByTestId('dept-import-check').click();
  await expect
    .poll(() => page.getByTestId('dept-import-counts').textContent(), { timeout: 15_000 })
    .toContain('新增 2 · 更新 0 · 无变化 0 · 有问题 1');
  expect(await page.locator('.ant-modal').textContent()).toContain(
    '联系电话应为 11 位手机号或带区号的固定电话',
  );
  expect(await page.getByTestId('dept-import-commit').isDisabled()).toBe(true);
  await shot('import-problems');
  fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('12345', '029-87650003'));
  await page.locator('.ant-modal input[type=file]').setInputFiles(csv);
  await page.getByTestId('dept-import-check').click();
  await expect
    .poll(() => page.getByTestId('dept-import-counts').textContent(), { timeout: 15_000 })
    .toContain('新增 3 · 更新 0 · 无变化 0 · 有问题 0');
  await page.getByTestId('dept-import-commit').click();
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
  await page.getByTestId('setup-finish').click();
  await page.getByTestId('setup-home').click();
  await page.getByTestId('header-user').waitFor();

  // the department page: the directory, Chinese level names, no redirect back to the setup
  await page.goto(`${platform.url}/departments`);
  const table = page.getByTestId('dept-table');
  await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(4);
  const text = (await table.textContent()) ?? '';
  expect(text).toContain('区县级');
  expect(text).not.toMatch(/\bdistrict\b/);
  expect(text).toContain('区卫健委、卫生健康委');
  expect(new URL(page.url()).pathname).toBe('/departments');
  expect(await page.getByTestId('header-organisation').textContent()).toBe('西安市碑林区');
  await shot('departments');
  fs.rmSync(dir, { recursive: true, force: true });
});
