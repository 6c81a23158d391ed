/**
 * The directories as the joint office uses them (issues 3–4): imports of all four kinds from the
 * importer's fixture files (dry-run report, commit), a workbook with two sheets (choose one), an
 * encrypted file (clear error); entity search by a two-character Chinese query and by USCC prefix,
 * the entity page with a temporary exclusion; the 重错码 queue; the public item list; and the
 * public draw page verifying a draw made here in the browser.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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

const FIXTURES = path.join(ROOT, 'packages/importer/fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
/** USCC_A of the fixtures (generate.ts): 西安市碑林区甲乙丙商贸有限公司 in entities.xlsx. */
const ENTITY_NAME = '西安市碑林区甲乙丙商贸有限公司';
const USCC_PREFIX = '91610103MA6U0A';
const TASK = `名录端到端抽查任务 ${Date.now() % 100000}`;
let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let drawId = 0;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-e2e-items-'));
const ITEM_CSV = [
  '编制单位,序号,抽查类别,抽查事项,检查对象,事项类别,检查方式,检查主体,检查依据',
  '西安市碑林区市场监督管理局,1,端到端测试类别,端到端测试检查事项甲,食品经营者,重点检查事项,现场检查,区市场监管局,《中华人民共和国食品安全法》第八十七条',
  '西安市碑林区市场监督管理局,2,端到端测试类别,端到端测试检查事项乙,食品经营者,一般检查事项,书面检查,区市场监管局,《中华人民共和国食品安全法》第一百一十条',
];
fs.writeFileSync(path.join(tmp, 'items-demo.csv'), `\uFEFF${ITEM_CSV.join('\n')}\n`);

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `dir-${name}.png`), fullPage: true });

/** Runs `fn`; on failure leaves a screenshot named after the step. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    await shot(`${name}-failed`).catch(() => undefined);
    throw e;
  }
}

const login = (username: string) => loginAs(page, platform.url, username);
const logout = () => logoutOf(page);

const count = async (key: string) =>
  Number(await page.getByTestId(`import-count-${key}`).getAttribute('data-value'));

/** Upload → dry-run report → commit; returns the dry-run and committed counts. */
async function importFixture(
  kind: string,
  file: string,
  opts: { sheet?: string; shotName?: string; dir?: string } = {},
) {
  await page.goto(`${platform.url}/imports/new?kind=${kind}`);
  await page.getByTestId(`import-kind-${kind}`).waitFor();
  await page.getByTestId('import-file-input').setInputFiles(path.join(opts.dir ?? FIXTURES, file));
  if (opts.sheet) {
    await page.getByTestId('import-sheet-choice').waitFor();
    expect(await page.getByTestId('import-error').getAttribute('data-code')).toBe('IMPORT_SHEET_CHOICE');
    await page.locator(`[data-testid="import-sheet-choice"] [data-sheet="${opts.sheet}"]`).click();
  }
  await page.getByTestId('import-commit').waitFor();
  await expect.poll(() => count('rows')).toBeGreaterThan(0);
  const dry = {
    rows: await count('rows'),
    accepted: await count('accepted'),
    warned: await count('warned'),
    rejected: await count('rejected'),
  };
  expect(dry.accepted + dry.warned).toBeGreaterThan(0);
  // the report: row verdicts, the column mapping, the xlsx link
  expect(await page.getByTestId('import-rows').locator('tbody tr').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('import-mapping-table').locator('tbody tr').count()).toBeGreaterThan(0);
  const href = await page.getByTestId('import-report-xlsx').first().getAttribute('href');
  expect(href).toMatch(/^\/api\/imports\/\d+\/report\.xlsx$/);
  if (opts.shotName) await shot(opts.shotName);
  await page.getByTestId('import-commit').click();
  await page.getByTestId('import-done').waitFor();
  const done = { created: await count('created'), updated: await count('updated') };
  expect(done.created + done.updated).toBeGreaterThan(0);
  return { dry, done, href: href as string };
}

describe('directories in the browser', () => {
  it('the joint office imports all four kinds from the fixture files', async () => {
    await login('admin');
    const ent = await step('import-entities', () =>
      importFixture('entities', 'entities.xlsx', { shotName: '01-import-entities-dry-run' }),
    );
    expect(ent.dry.rows).toBeGreaterThan(5);
    // the warned/rejected filter narrows the table to rows with reasons
    await page.getByTestId('import-again').click();
    const report = await page.request.get(`${platform.url}${ent.href}`);
    expect(report.status()).toBe(200);
    expect(report.headers()['content-type']).toContain('spreadsheetml');

    await step('import-gbk', () => importFixture('entities', 'entities-gbk.csv'));
    await step('import-inspectors', () =>
      importFixture('inspectors', 'inspectors.xlsx', { shotName: '02-import-inspectors' }),
    );
    // items.xlsx: two-row header, merged 编制单位/抽查类别, same-as-above blanks, continuation rows;
    // its 编制单位 "碑林区市场监管局" is matched to the demo's 区市场监管局
    await step('import-items-fixture', () =>
      importFixture('items', 'items.xlsx', { shotName: '03-import-items-fixture' }),
    );
    // the same list with the demo's department names imports and commits
    await step('import-items', () =>
      importFixture('items', 'items-demo.csv', { dir: tmp, shotName: '03-import-items' }),
    );
    await step('import-joint', () => importFixture('joint_items', 'joint-items.xlsx'));
  });

  it('a workbook with two sheets asks which one; an encrypted file gives a clear error', async () => {
    await step('two-sheets', () =>
      importFixture('entities', 'two-sheets.xlsx', { sheet: '太乙路街道', shotName: '04-two-sheets' }),
    );
    await step('encrypted', async () => {
      await page.goto(`${platform.url}/imports/new?kind=entities`);
      await page.getByTestId('import-file-input').setInputFiles(fixture('encrypted.xlsx'));
      await page.getByTestId('import-error').waitFor();
      expect(await page.getByTestId('import-error').getAttribute('data-code')).toBe('IMPORT_FILE_ENCRYPTED');
      expect(await page.getByTestId('import-error').innerText()).toMatch(/密码|加密/);
      await shot('05-encrypted');
    });
    await step('history', async () => {
      await page.goto(`${platform.url}/imports`);
      await expect
        .poll(() => page.getByTestId('import-history').locator('tbody tr').count())
        .toBeGreaterThanOrEqual(6);
    });
  });

  it('finds an imported entity by two Chinese characters and by USCC prefix, and excludes it from draws', async () => {
    const search = async (q: string) => {
      await page.goto(`${platform.url}/entities`);
      await page.getByTestId('entity-search').locator('input').fill(q);
      await page.getByTestId('entity-search').locator('input').press('Enter');
      await expect.poll(() => page.getByTestId('entity-table').innerText()).toContain(ENTITY_NAME);
    };
    await step('search-2char', () => search('甲乙'));
    await shot('06-entity-search');
    await step('search-uscc', () => search(USCC_PREFIX));
    await step('entity-detail', async () => {
      await page.getByTestId('entity-table').getByRole('link', { name: ENTITY_NAME }).first().click();
      await page.getByTestId('entity-name').waitFor();
      expect(await page.getByTestId('entity-uscc').innerText()).toContain(USCC_PREFIX);
      await page.getByTestId('entity-inspections').waitFor();
      await page.getByTestId('entity-code-history').waitFor();
      await page.getByTestId('entity-exclude').click();
      await page.getByTestId('exclusion-reason').fill('立案调查期间暂不抽取（端到端测试）');
      await page.getByTestId('exclusion-submit').click();
      await expect
        .poll(() => page.getByTestId('entity-exclusions').innerText())
        .toContain('立案调查期间暂不抽取');
      await shot('07-entity-detail');
    });
  });

  it('opens the 重错码 queue and resolves one issue', async () => {
    await step('code-issues', async () => {
      await page.goto(`${platform.url}/code-issues`);
      await page.getByTestId('code-issue-table').waitFor();
      await page.getByTestId('code-issue-detect').click();
      await page.locator('.ant-message-success').waitFor();
      await page.goto(`${platform.url}/code-issues?kind=check_failed`);
      const pilot = page.locator('[data-testid^="code-issue-pilot-"]');
      await expect.poll(() => pilot.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await shot('08-code-issues');
      const first = pilot.first();
      const id = Number((await first.getAttribute('data-testid'))?.replace('code-issue-pilot-', ''));
      await first.click();
      await page.getByTestId('code-issue-note').fill('核实为早期试点代码（端到端测试）');
      await page.getByTestId('code-issue-submit').click();
      await expect.poll(() => page.getByTestId(`code-issue-pilot-${id}`).count()).toBe(0);
      const res = await page.request.get(`${platform.url}/api/code-issues?status=pilot`);
      const body = (await res.json()) as { items: { id: number; status: string }[] };
      expect(body.items.map((i) => i.id)).toContain(id);
      const xlsx = await page.request.get(`${platform.url}/api/code-issues/export.xlsx`);
      expect(xlsx.status()).toBe(200);
    });
    await logout();
  });

  it('a department admin draws a task, and its exclusions are listed', async () => {
    await login('scjg');
    const taskId = await step('task', () =>
      createTaskInForm(page, platform.url, { name: TASK, street: '南院门街道', max: 3 }),
    );
    await step('draw', async () => {
      await commitWithDice(page);
      await page.getByTestId('draw-commitment-hash').waitFor();
      await page.getByTestId('draw-exclusions').waitFor();
      await revealWithDice(page, '2718 2818 2845 9045 2353 6028');
      await page.getByTestId('draw-targets').waitFor({ timeout: 90_000 });
      // the entity excluded above is listed with its reason
      await expect.poll(() => page.getByTestId('draw-exclusions').innerText()).toContain(ENTITY_NAME);
      await shot('09-draw');
    });
    const task = (await (await page.request.get(`${platform.url}/api/tasks/${taskId}`)).json()) as {
      draws: { id: number }[];
    };
    drawId = task.draws[0]?.id ?? 0;
    expect(drawId).toBeGreaterThan(0);
    await logout();
  });

  it('the public sees the item list and verifies the draw in the browser', async () => {
    await page.context().clearCookies();
    await step('public-items', async () => {
      await page.goto(`${platform.url}/public`);
      await page.getByTestId('public-items-link').click();
      await page.getByTestId('public-items').waitFor();
      const api = (await (await page.request.get(`${platform.url}/api/public/items`)).json()) as {
        items: { name: string }[];
      };
      expect(api.items.length).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('public-items').innerText()).toContain(api.items[0]!.name);
      expect(JSON.stringify(api)).not.toMatch(/riskClass/);
      await shot('10-public-items');
    });
    await step('verify', async () => {
      await page.goto(`${platform.url}/public/draws/${drawId}`);
      await page.getByTestId('verify-run').click();
      const result = page.getByTestId('verify-result');
      await result.waitFor({ timeout: 60_000 });
      await shot('11-verify');
      expect(await result.getAttribute('data-ok'), await result.innerText()).toBe('true');
      expect(await result.innerText()).toContain('已验证');
    });
  });
});
