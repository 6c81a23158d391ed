/**
 * A real district goes live (issue 8, "Done when"): from an empty production database, without the
 * demo and without SQL. The first administrator signs in with the one-time password printed at the
 * first start, sets up the organisation and the member departments, imports a provincial-style item
 * list whose department names need mapping, an entity list with nameless 个体工商户, old
 * registration numbers and Excel damage, and the inspector list; creates inspector accounts in bulk;
 * a task is drawn; an inspector signs in on a 390 px phone and enters the result of his own target.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  browser,
  commitWithDice,
  firstSignIn,
  revealWithDice,
  ROOT,
  SHOTS,
  startPlatform,
  type Platform,
} from './harness.ts';
import { makeEntities } from './fixtures/golive/make-entities.ts';

const FIXTURES = path.join(ROOT, 'e2e/fixtures/golive');
const ADMIN_PASSWORD = 'Golive-admin-2026!';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let taskId = 0;
/** name → account of the inspector accounts created in bulk */
const accounts = new Map<string, { username: string; password: string }>();
const entityCases = ((m) => ({ rows: m.rows.length, cases: m.cases }))(makeEntities());

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
  page.screenshot({ path: path.join(SHOTS, `golive-${name}.png`), fullPage: true });

/** How the clerk maps each department name of the provincial list the directory does not resolve. */
const ITEM_MAP: Record<string, string> = {
  省教育厅: '碑林区教育局',
  省市场监管局: '碑林区市场监督管理局',
  省卫生健康委: '碑林区卫生健康局',
  教育部门: '碑林区教育局',
  公安部门: '公安局碑林分局',
  卫生健康部门: '碑林区卫生健康局',
  市场监管领域相关部门: '跳过这些行',
};

/** Choose one option of a name's select by typing part of its label. */
async function choose(name: string, text: string): Promise<void> {
  await page.locator(`[data-testid="import-dept-select-${name}"]`).click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').last().waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
  await expect
    .poll(() => page.locator(`[data-testid="import-dept-select-${name}"] .ant-select-selection-item`).count())
    .toBe(1);
}

/** The member departments the district's joint meeting has (those the fixtures' files name). */
const DEPARTMENTS = [
  { name: '碑林区市场监督管理局', short: '区市场监管局', code: 'SCJG' },
  { name: '碑林区教育局', short: '区教育局', code: 'JYJ' },
  { name: '西安市公安局碑林分局', short: '碑林公安分局', code: 'GA' },
  { name: '碑林区卫生健康局', short: '区卫健局', code: 'WJ' },
];

describe('a district goes live from an empty production database', () => {
  it('the first administrator signs in with the one-time password and changes it', async () => {
    const m = /one-time password (\S+)/.exec(platform.output());
    expect(m, platform.output()).not.toBeNull();
    await firstSignIn(page, platform.url, 'admin', m![1]!, ADMIN_PASSWORD);
    // an empty district: the app leads the administrator to the setup
    await page.getByTestId('setup-page').waitFor();
  });

  it('sets up the organisation (GB/T 2260 codes) and the member departments with one lead', async () => {
    await page.getByTestId('setup-province-name').fill('陕西省');
    await page.getByTestId('setup-province-code').fill('610000');
    await page.getByTestId('setup-city-name').fill('西安市');
    await page.getByTestId('setup-city-code').fill('610100');
    await page.getByTestId('setup-district-name').fill('碑林区');
    await page.getByTestId('setup-district-code').fill('610103');
    await page.getByTestId('setup-lead-bureau').fill(DEPARTMENTS[0]!.name);
    await shot('01-organisation');
    await page.getByTestId('setup-org-save').click();
    for (const d of DEPARTMENTS) {
      await page.getByTestId('setup-dept-name').fill(d.name);
      await page.getByTestId('setup-dept-short').fill(d.short);
      await page.getByTestId('setup-dept-code').fill(d.code);
      await page.getByTestId('setup-dept-add').click();
      await expect.poll(() => page.getByTestId('setup-dept-table').innerText()).toContain(d.name);
    }
    await shot('02-departments');
    await page.getByTestId('setup-finish').click();
    await page.getByTestId('setup-home').waitFor();
    const deps = (
      (await (await page.request.get(`${platform.url}/api/departments`)).json()) as {
        items: { id: number; code: string; isLead: boolean }[];
      }
    ).items;
    expect(deps.map((d) => d.code).sort()).toEqual(DEPARTMENTS.map((d) => d.code).sort());
    expect(deps.filter((d) => d.isLead).map((d) => d.code)).toEqual(['SCJG']);
    const org = (await (await page.request.get(`${platform.url}/api/organisation`)).json()) as {
      organisation: { district: { code: string } } | null;
    };
    expect(org.organisation?.district.code).toBe('610103');
    await page.getByTestId('setup-home').click();
  });

  it('imports the provincial item list: unknown department names are mapped, co-leads split, a name skipped', async () => {
    await page.goto(`${platform.url}/imports/new?kind=items`);
    await page.getByTestId('import-kind-items').waitFor();
    await page.getByTestId('import-file-input').setInputFiles(path.join(FIXTURES, 'provincial-items.xlsx'));
    await page.getByTestId('import-department-map').waitFor();
    const shown = (
      await page.getByTestId('import-department-map-table').getByTestId('import-dept-name').allInnerTexts()
    ).sort();
    console.log('[golive] unresolved department names:', shown.join(', '));
    // what the directory cannot resolve by itself: provincial and generic names, each co-lead
    expect(shown).toEqual(
      Object.keys(ITEM_MAP)
        .filter((n) => shown.includes(n))
        .sort(),
    );
    expect(shown).toEqual(expect.arrayContaining(['教育部门', '公安部门', '市场监管领域相关部门']));
    await shot('03-items-unresolved');
    for (const name of shown) await choose(name, ITEM_MAP[name]!);
    await expect.poll(() => page.getByTestId('import-dept-pending').count()).toBe(0);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    // the one generic row mapped to "skip" is the only row left out
    expect(Number(await page.getByTestId('import-count-rejected').getAttribute('data-value'))).toBe(1);
    await shot('03-items-committed');
    // the mappings were learned as aliases of the chosen departments
    const deps = (
      (await (await page.request.get(`${platform.url}/api/admin/departments`)).json()) as {
        items: { code: string; aliases: string[] }[];
      }
    ).items;
    expect(deps.find((d) => d.code === 'JYJ')!.aliases).toContain('教育部门');
    expect(deps.find((d) => d.code === 'GA')!.aliases).toContain('公安部门');
  });

  it('imports the entity list: nameless 个体工商户, old registration numbers and Excel damage are kept or flagged', async () => {
    await page.goto(`${platform.url}/imports/new`);
    await page.getByTestId('import-kind-entities').click();
    await page.getByTestId('import-file-input').setInputFiles(path.join(FIXTURES, 'entities.xlsx'));
    await expect
      .poll(() => page.getByTestId('import-count-rows').getAttribute('data-value'), { timeout: 60_000 })
      .toBe(String(entityCases.rows));
    expect(await page.getByTestId('import-count-rejected').getAttribute('data-value')).toBe('0');
    await shot('04-entities-dry-run');
    const imports = (
      (await (await page.request.get(`${platform.url}/api/imports?kind=entities`)).json()) as {
        items: { id: number }[];
      }
    ).items;
    const detail = (await (
      await page.request.get(`${platform.url}/api/imports/${imports[0]!.id}`)
    ).json()) as {
      reasonCounts: Record<string, number>;
    };
    // what the dry run says of the register's odd rows: kept and named, old numbers kept, damage flagged
    expect(detail.reasonCounts).toMatchObject({
      INDIVIDUAL_NAMED_BY_OPERATOR: entityCases.cases['nameless_individual_operator'],
      INDIVIDUAL_NAMED_BY_CODE: entityCases.cases['nameless_individual_code'],
      CODE_UNRECOVERABLE: 2,
    });
    expect(detail.reasonCounts['CODE_MALFORMED'] ?? 0).toBe(0);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    const list = (await (
      await page.request.get(
        `${platform.url}/api/entities?q=${encodeURIComponent('个体工商户（经营者')}&pageSize=100`,
      )
    ).json()) as { total: number; items: { name: string; regNo: string | null; uscc: string | null }[] };
    expect(list.items.length).toBe(entityCases.cases['nameless_individual_operator']);
    for (const e of list.items) expect(e.regNo ?? e.uscc).not.toBeNull();
    const all = (await (await page.request.get(`${platform.url}/api/entities?pageSize=1`)).json()) as {
      total: number;
    };
    expect(all.total).toBe(entityCases.rows);
  });

  it('imports the inspector list (department short names resolve); an expired certificate shows as such', async () => {
    await page.goto(`${platform.url}/imports/new`);
    await page.getByTestId('import-kind-inspectors').click();
    await page.getByTestId('import-file-input').setInputFiles(path.join(FIXTURES, 'inspectors.csv'));
    await expect.poll(() => page.getByTestId('import-count-rows').getAttribute('data-value')).toBe('8');
    expect(await page.getByTestId('import-count-rejected').getAttribute('data-value')).toBe('0');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    await page.goto(`${platform.url}/inspectors`);
    await expect.poll(() => page.locator('[data-testid^="inspector-cert-expired-"]').count()).toBe(1);
    await shot('05-inspectors');
  });

  it('creates the inspector accounts in bulk; each one-time password is shown once', async () => {
    await page.goto(`${platform.url}/settings/users`);
    await page.getByTestId('user-bulk').click();
    const candidates = page.getByTestId('bulk-candidates');
    await expect.poll(() => candidates.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    // select every candidate of the page (the header checkbox)
    await candidates.locator('thead .ant-checkbox-input').check();
    await page.getByTestId('bulk-create').click();
    const result = page.getByTestId('bulk-result');
    await result.waitFor();
    const rows = await result.locator('tbody tr.ant-table-row').all();
    expect(rows.length).toBe(8);
    for (const r of rows) {
      const cells = await r.locator('td').allInnerTexts();
      accounts.set(cells[0]!.trim(), { username: cells[3]!.trim(), password: cells[4]!.trim() });
    }
    expect(accounts.size).toBe(8);
    await shot('06-accounts');
    await page.getByTestId('bulk-close').click();
    await page
      .getByTestId('bulk-close-confirm')
      .click({ timeout: 5_000 })
      .catch(() => undefined);
  });

  it('a task of the market bureau is drawn with dice and gets teams', async () => {
    const deps = (
      (await (await page.request.get(`${platform.url}/api/departments`)).json()) as {
        items: { id: number; code: string }[];
      }
    ).items;
    const scjg = deps.find((d) => d.code === 'SCJG')!;
    const items = (
      (await (await page.request.get(`${platform.url}/api/items?departmentId=${scjg.id}`)).json()) as {
        items: { id: number }[];
      }
    ).items;
    expect(items.length).toBeGreaterThan(0);
    const headers = { origin: platform.url };
    const created = await page.request.post(`${platform.url}/api/tasks`, {
      headers,
      data: {
        name: '碑林区2026年食品经营者双随机抽查',
        departmentId: scjg.id,
        itemIds: [items[0]!.id],
        windowStart: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
        windowEnd: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        sampling: { ratio: 0.5, max: 3 },
        scope: { streets: ['张家村街道'] },
      },
    });
    expect(created.status(), await created.text()).toBe(200);
    taskId = ((await created.json()) as { id: number }).id;
    await page.goto(`${platform.url}/tasks/${taskId}`);
    await page
      .getByTestId('draw-preview')
      .waitFor()
      .catch(async (e: unknown) => {
        await shot('fail-task');
        throw e;
      });
    await shot('07-draw-preview');
    await commitWithDice(page);
    await page
      .getByTestId('draw-commitment-hash')
      .waitFor()
      .catch(async (e: unknown) => {
        await shot('fail-commit');
        throw e;
      });
    await revealWithDice(page, '3141 5926 5358 9793 2384 6264');
    await expect
      .poll(async () =>
        Number(
          await page
            .getByTestId('draw-target-count')
            .first()
            .getAttribute('data-value', { timeout: 1000 })
            .catch(() => 0),
        ),
      )
      .toBe(3);
    await shot('07-draw');
  });

  it('an inspector signs in on a 390 px phone and enters the result of his own target', async () => {
    const task = (await (await page.request.get(`${platform.url}/api/tasks/${taskId}`)).json()) as {
      draws: { id: number; status: string }[];
    };
    const drawId = task.draws.find((d) => d.status === 'matched')!.id;
    const draw = (await (await page.request.get(`${platform.url}/api/draws/${drawId}`)).json()) as {
      targets: { id: number; team: { name: string }[] }[];
    };
    const target = draw.targets[0]!;
    const member = target.team[0]!.name;
    const account = accounts.get(member)!;
    expect(account).toBeDefined();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.context().clearCookies();
    await page.goto(`${platform.url}/login`);
    await page.getByTestId('login-username').waitFor();
    // the sign-in page fits the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await firstSignIn(page, platform.url, account.username, account.password, 'Inspector-pass-2026!');
    await page.goto(`${platform.url}/results?taskId=${taskId}`);
    const cards = page.locator('.target-card');
    await expect
      .poll(() => cards.count())
      .toBeGreaterThan(0)
      .catch(async (e: unknown) => {
        await shot('fail-phone');
        throw e;
      });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const open = page.getByTestId(`result-open-${target.id}`);
    expect((await open.boundingBox())!.width).toBeGreaterThan(300);
    await open.click();
    const drawer = page.getByTestId('result-drawer');
    await drawer.getByRole('checkbox', { name: '未发现问题', exact: true }).check();
    await drawer.locator('textarea').fill('现场检查未发现问题');
    await shot('08-phone-result');
    await page.getByTestId('result-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(async () => open.isDisabled()).toBe(true);
    const after = (await (await page.request.get(`${platform.url}/api/draws/${drawId}`)).json()) as {
      targets: { id: number; results: { codes: string[]; status: string }[] }[];
    };
    expect(after.targets.find((x) => x.id === target.id)!.results).toMatchObject([
      { codes: ['未发现问题'], status: 'submitted' },
    ]);
  });
});
