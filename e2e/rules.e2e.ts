/**
 * The district rules page (issue 8 §5): the joint office changes the team size and the joint-objects
 * target after a confirmation listing the changes; an out-of-range value is refused in Chinese; the
 * history shows before → after; the dashboard shows the new target. A department admin reads only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser, SHOTS, startPlatform, type Platform, login, logout } from './harness.ts';

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

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `rules-${name}.png`), fullPage: true });
const input = (field: string) =>
  page.locator(`input[data-testid="rule-${field}"], [data-testid="rule-${field}"] input`).first();

describe('district rules page', () => {
  it('refuses an out-of-range value, confirms the changes, records them, and the dashboard follows', async () => {
    await login(page, platform.url, 'admin');
    await page.goto(`${platform.url}/settings/rules`);
    await page.getByTestId('rules-form').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('抽查规则设置');
    // linked from the settings menu, and selected there
    expect(await page.getByTestId('nav-rules').count()).toBe(1);
    expect(await page.locator('.ant-menu-item-selected').first().textContent()).toContain('抽查规则');
    await expect.poll(() => input('teamSize').inputValue()).toBe('2');

    await input('teamSize').fill('11');
    await input('teamSize').blur();
    await expect.poll(() => page.getByTestId('rule-error-teamSize').textContent()).toBe('取值范围为 2–10');
    expect(await page.getByTestId('rules-save').isDisabled()).toBe(true);

    await input('teamSize').fill('3');
    await input('jointObjectsTarget').fill('150');
    await input('jointObjectsTarget').blur();
    await page.getByTestId('rules-note').fill('联席会议决定');
    await page.getByTestId('rules-save').click();
    const changes = page.getByTestId('rules-confirm-changes');
    await changes.waitFor();
    const listed = (await changes.textContent()) ?? '';
    expect(listed).toContain('每个检查对象的检查人员数2 名 → 3 名');
    expect(listed).toContain('联合抽查对象数量目标120 户 → 150 户');
    await shot('confirm');
    await page.getByTestId('rules-confirm').click();

    const firstRow = page.getByTestId('rules-history').locator('tbody tr.ant-table-row').first();
    await expect.poll(() => firstRow.textContent()).toContain('2 名 → 3 名');
    expect(await firstRow.textContent()).toContain('120 户 → 150 户');
    expect(await firstRow.textContent()).toContain('联席会议决定');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toMatch(/RULE_|teamSize|rules\.|undefined/);
    await shot('saved');

    await page.goto(`${platform.url}/dashboard`);
    await expect
      .poll(() => page.getByTestId('kpi-joint-share').textContent(), { timeout: 30_000 })
      .toMatch(/联合抽查对象 \d+ 户（目标不少于 150 户）/);
    await shot('dashboard');
  });

  it('a department admin sees the rules read-only', async () => {
    await logout(page);
    await login(page, platform.url, 'scjg');
    await page.goto(`${platform.url}/settings/rules`);
    await page.getByTestId('rules-form').waitFor();
    await expect.poll(() => input('teamSize').inputValue()).toBe('3');
    expect(await input('teamSize').isDisabled()).toBe(true);
    expect(await page.getByTestId('rules-save').count()).toBe(0);
  });
});
