/**
 * The audit anchors as a citizen and an auditor use them (issue 7 §1): the public portal lists the
 * chain's published heads (审计锚点) with how to check them; the joint office's Audit page verifies
 * the chain against a copied SEQ:HASH and lists every problem in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AuditCheckpointList } from '@choucha/api';
import { browser, SHOTS, startPlatform, type Platform, login } from './harness.ts';

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
  page.screenshot({ path: path.join(SHOTS, `audit-${name}.png`), fullPage: true });

describe('audit anchors', () => {
  let anchor = '';

  it('the public portal lists the published checkpoints and says how to check them', async () => {
    const list = (await (
      await fetch(`${platform.url}/api/public/audit/checkpoints`)
    ).json()) as AuditCheckpointList;
    // the first start (after loading the demo) published the head
    expect(list.items[0]).toMatchObject({ reason: 'start' });
    const cp = list.items[0]!;
    anchor = `${cp.seq}:${cp.hash}`;
    await page.goto(`${platform.url}/public`);
    await page.getByTestId('public-audit-link').click();
    await page.getByTestId('public-audit-title').waitFor();
    const rows = page.getByTestId('public-audit-checkpoints').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(list.total);
    await expect.poll(() => rows.first().textContent()).toContain(`${cp.seq}:${cp.hash.slice(0, 24)}`);
    expect(await rows.first().textContent()).toContain('服务启动');
    expect(await page.getByTestId('public-audit-how').textContent()).toContain(
      `choucha audit verify --anchor ${anchor}`,
    );
    await shot('public');
  });

  it('the Audit page proves the anchor, and names a forged one in Chinese', async () => {
    await login(page, platform.url, 'admin');
    await page.goto(`${platform.url}/audit`);
    await page.getByTestId('audit-anchor-input').fill(anchor);
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(
      await page.getByTestId('audit-anchors').locator('[data-status]').first().getAttribute('data-status'),
    ).toBe('ok');
    expect(await page.getByTestId('audit-checkpoints').textContent()).toMatch(
      /已核对 1 个已发布锚点，0 个不符/,
    );

    const [seq] = anchor.split(':');
    await page.getByTestId('audit-verify-result').locator('.ant-alert-close-icon').click();
    await page.getByTestId('audit-anchor-input').fill(`${seq}:${'0'.repeat(64)}`);
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    const problems = page.getByTestId('audit-problems');
    await problems.waitFor();
    const text = await problems.textContent();
    expect(text).toContain('AUDIT_ANCHOR_MISMATCH');
    expect(text).toContain(`与锚点 ${seq}:0000000000000000… 不符：日志在该条或之前被改写`);
    await shot('verify-mismatch');
  });
});
