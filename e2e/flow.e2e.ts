/**
 * The first campaign as its users walk it (issue 2 §6–7): a department admin imports entities,
 * creates a task, commits and reveals a draw, enters results; the joint office publishes; the
 * anonymous public sees the result; another department's admin cannot see the task.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { completeUscc } from '@choucha/core';
import { spawnSync } from 'node:child_process';
import {
  commitWithDice,
  createTaskInForm,
  revealWithDice,
  browser,
  ROOT,
  SHOTS,
  startPlatform,
  type Platform,
  login as loginAs,
  logout as logoutOf,
} from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let taskId = 0;
const TASK = `端到端测试抽查任务 ${Date.now() % 100000}`;
const csvFile = path.join(os.tmpdir(), `e2e-entities-${process.pid}.csv`);
const NAMES = Array.from({ length: 12 }, (_, i) => `碑林区端到端测试商贸有限公司${i + 1}号店`);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const rows = NAMES.map(
    (n, i) =>
      `${n},${completeUscc(`91610103E2E${String(i).padStart(6, '0')}`)},有限责任公司,张家村街道,碑林区测试路${i + 1}号,存续`,
  );
  rows.push('缺少代码的个体户,,个体工商户,张家村街道,碑林区测试路99号,存续');
  rows.push(',91610103MA6U0A1B2X,有限责任公司,张家村街道,没有名称,存续');
  fs.writeFileSync(
    csvFile,
    `\uFEFF企业名称,统一社会信用代码,主体类型,所属街道,住所,登记状态\n${rows.join('\n')}\n`,
  );
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
  fs.rmSync(csvFile, { force: true });
});

const login = (username: string) => loginAs(page, platform.url, username);
const logout = () => logoutOf(page);

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('the first campaign in the browser', () => {
  it('a department admin imports entities: dry run, then commit', async () => {
    await login('scjg');
    await page.goto(`${platform.url}/imports/new`);
    await page.getByTestId('import-file-input').setInputFiles(csvFile);
    await expect.poll(() => page.getByTestId('import-count-rows').getAttribute('data-value')).toBe('14');
    expect(await page.getByTestId('import-count-rejected').getAttribute('data-value')).toBe('1');
    await shot('01-import-dry-run');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    await page.goto(`${platform.url}/entities`);
    await page.getByTestId('entity-search').locator('input').fill('端到端测试');
    await page.getByTestId('entity-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('entity-table').innerText()).toContain(NAMES[0]);
  });

  it('creates a task citing an item, commits the draw, enters dice, and gets teams', async () => {
    // one item (the first offered): its field of competence is one the department's inspectors have
    taskId = await createTaskInForm(page, platform.url, {
      name: TASK,
      street: '张家村街道',
      max: 3,
      beforeSubmit: () => shot('02-task-new'),
    });
    expect(taskId).toBeGreaterThan(0);
    // the internal preview: roster, exclusions and sizes before anything is fixed
    await page.getByTestId('draw-preview').waitFor();
    const preview = (await (
      await page.request.get(`${platform.url}/api/tasks/${taskId}/draw-preview`)
    ).json()) as {
      rosterSize: number;
      excluded: number;
      targets: number;
      strata: { size: number | null }[];
    };
    // at most 3 per stratum (task-max), and the imported entities on 张家村街道 are in the roster
    expect(preview.targets).toBe(preview.strata.reduce((n, x) => n + Math.min(x.size ?? 0, 3), 0));
    expect(preview.targets).toBeGreaterThanOrEqual(1);
    expect(preview.rosterSize).toBeGreaterThanOrEqual(NAMES.length);
    // the page shows exactly these figures: roster, excluded, targets
    const figures = async () =>
      (await page.getByTestId('draw-preview').locator('.ant-statistic-content-value').allInnerTexts()).map(
        (v) => Number(v.replace(/[,\s]/g, '')),
      );
    await expect.poll(figures).toEqual([preview.rosterSize, preview.excluded, preview.targets]);
    await shot('02b-draw-preview');
    await commitWithDice(page);
    await page.getByTestId('draw-commitment-hash').waitFor();
    expect(await page.getByTestId('draw-commitment-hash').innerText()).toMatch(/[0-9a-f]{64}/);
    await revealWithDice(page, '3141 5926 5358 9793 2384 6264');
    await page
      .getByTestId('draw-targets')
      .waitFor()
      .catch(async (e: unknown) => {
        await shot('03-draw-failed');
        throw e;
      });
    // the draw takes exactly the previewed number of targets, each with its team
    await expect
      .poll(async () => Number(await page.getByTestId('draw-target-count').getAttribute('data-value')))
      .toBe(preview.targets);
    const teams = await page.getByTestId('target-team').allInnerTexts();
    expect(teams).toHaveLength(preview.targets);
    await shot('03-draw');
  });

  it('the draw downloads as a bundle that choucha verify and the Python verifier accept, and both reject a forgery', async () => {
    const drawId = Number(
      /draws\/(\d+)/.exec((await page.getByTestId('draw-bundle').getAttribute('href')) ?? '')?.[1],
    );
    const res = await page.request.get(`${platform.url}/api/draws/${drawId}/bundle`);
    expect(res.status()).toBe(200);
    // a v2 bundle (draw-protocol-v2 §11): one selection list, teams of pseudonymous inspectors
    const bundle = (await res.json()) as {
      format: string;
      selection: { ticket: string }[];
      teams: { teams: { inspectors: string[] }[] }[];
    };
    expect(bundle.format).toBe('choucha-draw-bundle-v2');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-bundle-'));
    const write = (name: string, b: unknown) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, JSON.stringify(b));
      return f;
    };
    const good = write('good.json', bundle);
    const forgedTicket = structuredClone(bundle);
    const sel = forgedTicket.selection[0]!;
    sel.ticket = (sel.ticket[0] === '0' ? '1' : '0') + sel.ticket.slice(1);
    const badTicket = write('bad-ticket.json', forgedTicket);
    const forgedTeam = structuredClone(bundle);
    const team = forgedTeam.teams[0]!.teams[0]!;
    const p = team.inspectors[0]!;
    team.inspectors[0] = (p[0] === '0' ? '1' : '0') + p.slice(1);
    const badTeam = write('bad-team.json', forgedTeam);
    const verifyTs = (f: string) =>
      spawnSync(process.execPath, [path.join(ROOT, 'apps/cli/bin/choucha.js'), 'verify', f], {
        encoding: 'utf8',
      });
    const verifyPy = (f: string) =>
      spawnSync('python3', [path.join(ROOT, 'verifier/verify.py'), f], { encoding: 'utf8' });
    expect(verifyTs(good).status, verifyTs(good).stdout).toBe(0);
    expect(verifyPy(good).status, verifyPy(good).stdout).toBe(0);
    for (const bad of [badTicket, badTeam]) {
      expect(verifyTs(bad).status).toBe(1);
      expect(verifyPy(bad).status).toBe(1);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enters a result for every target', async () => {
    await page.goto(`${platform.url}/results?taskId=${taskId}`);
    await page.getByTestId('result-progress').waitFor();
    const open = page.locator('.result-open:not([disabled])');
    await expect.poll(() => open.count()).toBeGreaterThan(0);
    for (let n = await open.count(); n > 0; n = await open.count()) {
      await open.first().click();
      await page
        .getByTestId('result-drawer')
        .getByRole('checkbox', { name: '未发现问题', exact: true })
        .check()
        .catch(async (e: unknown) => {
          await shot('04-result-check-failed');
          throw e;
        });
      await page.getByTestId('result-submit').click();
      await page
        .getByTestId('result-drawer')
        .waitFor({ state: 'hidden' })
        .catch(async (e: unknown) => {
          await shot('04-result-failed');
          throw e;
        });
      // the list refreshes: the entered target's button is disabled before the next one is taken
      await expect.poll(() => open.count()).toBeLessThan(n);
    }
    expect(await page.locator('.result-open:not([disabled])').count()).toBe(0);
    await shot('04-results');
    await logout();
  });

  it('another department’s admin cannot see the task', async () => {
    await login('jyj');
    await page.goto(`${platform.url}/tasks`);
    await page.getByTestId('task-table').waitFor();
    expect(await page.getByTestId('task-table').innerText()).not.toContain(TASK);
    const res = await page.request.get(`${platform.url}/api/tasks/${taskId}`);
    expect(res.status()).toBe(404);
    await logout();
  });

  it('the joint office reviews and publishes', async () => {
    await login('admin');
    await page.goto(`${platform.url}/review`);
    await page.getByTestId('review-table').waitFor();
    const pending = page
      .locator('[data-testid^="review-row-"]', { hasText: TASK })
      .getByTestId('review-publish');
    await expect.poll(() => pending.count()).toBeGreaterThan(0);
    for (let guard = 0; guard < 20; guard++) {
      const buttons = page
        .locator('[data-testid^="review-row-"]', { hasText: TASK })
        .getByTestId('review-publish');
      const n = await buttons.count();
      if (n === 0) break;
      await buttons.first().click();
      await expect.poll(() => buttons.count()).toBeLessThan(n);
    }
    const res = await page.request.get(`${platform.url}/api/review?status=submitted`);
    expect(JSON.stringify(await res.json())).not.toContain(TASK);
    await shot('05-review');
    await logout();
  });

  it('the anonymous public sees the published result, without any risk class', async () => {
    await page.context().clearCookies();
    await page.goto(`${platform.url}/public`);
    await page.getByTestId('public-results').waitFor();
    await expect
      .poll(() => page.getByTestId('public-results').innerText(), { timeout: 30_000 })
      .toContain(TASK);
    const api = await page.request.get(`${platform.url}/api/public/results?pageSize=50`);
    expect(await api.text()).not.toMatch(/riskClass/);
    await shot('06-public');
  });
});
