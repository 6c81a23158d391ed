/**
 * Issue 8 §2 in the browser: the joint office uploads a provincial-style item list
 * (fixtures/golive/provincial-items.xlsx) whose 编制单位名称 the directory does not know, maps
 * each unresolved name in the wizard (one department, or 跳过这些行) and commits; the second
 * upload of the same list resolves by the aliases the first one saved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser, ROOT, SHOTS, startPlatform, type Platform, login as loginAs } from './harness.ts';

const FIXTURE = path.join(ROOT, 'e2e/fixtures/golive/provincial-items.xlsx');
let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `map-${name}.png`), fullPage: true });
const count = async (key: string) =>
  Number(await page.getByTestId(`import-count-${key}`).getAttribute('data-value'));

async function upload() {
  await page.goto(`${platform.url}/imports/new?kind=items`);
  await page.getByTestId('import-kind-items').waitFor();
  await page.getByTestId('import-file-input').setInputFiles(FIXTURE);
  await page.getByTestId('import-commit').waitFor();
}

const namesShown = async () =>
  (
    await page.getByTestId('import-department-map-table').getByTestId('import-dept-name').allInnerTexts()
  ).sort();

/** Choose one option of a name's select by typing part of its label. */
async function choose(name: string, text: string) {
  await page.locator(`[data-testid="import-dept-select-${name}"]`).click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').last().waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  // the dropdown closes before the next select opens
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
  await expect
    .poll(() => page.locator(`[data-testid="import-dept-select-${name}"] .ant-select-selection-item`).count())
    .toBe(1);
}

describe('department mapping in the import wizard', () => {
  it('maps the unknown names of a provincial list, commits, and learns them as aliases', async () => {
    await loginAs(page, platform.url, 'admin');
    try {
      await upload();
      await page.getByTestId('import-department-map').waitFor();
      // 省… names are the province's bodies, not the district's: never resolved by their form (the
      // clerk chooses); the generic names match nothing
      expect(await namesShown()).toEqual(
        [
          '公安部门',
          '卫生健康部门',
          '省教育厅',
          '省市场监管局',
          '省卫生健康委',
          '市场监管领域相关部门',
          '教育部门',
        ].sort(),
      );
      expect(await count('rows')).toBe(12);
      await shot('01-unresolved');
      await choose('省教育厅', '碑林区教育局');
      await choose('省市场监管局', '碑林区市场监督管理局');
      await choose('教育部门', '碑林区教育局');
      await choose('公安部门', '公安局碑林分局');
      await choose('卫生健康部门', '卫生健康局');
      await choose('省卫生健康委', '卫生健康局');
      await choose('市场监管领域相关部门', '跳过这些行');
      await expect.poll(() => page.getByTestId('import-dept-pending').count()).toBe(0);
      await shot('02-mapped');
      await page.getByTestId('import-commit').click();
      await page.getByTestId('import-done').waitFor();
      expect(await count('accepted')).toBe(11);
      expect(await count('rejected')).toBe(1);
      expect(await count('created')).toBeGreaterThanOrEqual(13); // co-lead rows make an item for each
      // the next upload of the same list only asks about the skipped name
      await upload();
      await page.getByTestId('import-department-map').waitFor();
      expect(await namesShown()).toEqual(['市场监管领域相关部门']);
      await shot('03-aliases');
    } catch (e) {
      await shot('failed').catch(() => undefined);
      throw e;
    }
  });
});
