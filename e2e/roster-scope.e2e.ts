/**
 * The roster follows the items (issue 9 §2), in Chromium on the demo without history: the preview
 * of a food-safety task lists its roster rules with what each kept and removed (the figures the
 * server computes) and a sample of removed names; the draw takes only entities holding the food
 * licence. An item whose scope is cleared on the item list makes the preview ask for a scope
 * (TASK_SCOPE_REQUIRED) instead of drawing the whole register; setting one there brings it back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  browser,
  commitWithDice,
  login,
  revealWithDice,
  SHOTS,
  startPlatform,
  type Platform,
} from './harness.ts';

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;

const FOOD_ITEM = '食品经营者经营条件及食品安全管理制度检查';
const SAMPLING_ITEM = '食品安全监督抽样检验';

interface Rule {
  kind: string;
  kept: number;
  removed: number;
  sample: { id: number; name: string }[];
}
interface Preview {
  rosterSize: number;
  excluded: number;
  targets: number;
  scopeRules: Rule[];
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform(['--no-history']);
  b = await browser();
  page = await b.context.newPage();
}, 300_000);

afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

const shot = (name: string) =>
  page.screenshot({ path: path.join(SHOTS, `roster-${name}.png`), fullPage: true });
const apiGet = async <T>(p: string) => {
  const r = await page.request.get(`${platform.url}${p}`);
  expect(r.status(), p).toBe(200);
  return (await r.json()) as T;
};

async function itemId(name: string): Promise<number> {
  const list = await apiGet<{ items: { id: number; name: string }[] }>('/api/items');
  const it = list.items.find((i) => i.name === name);
  expect(it, name).toBeDefined();
  return it!.id;
}

async function createTask(name: string, items: number[]): Promise<number> {
  const r = await page.request.post(`${platform.url}/api/tasks`, {
    data: {
      name,
      itemIds: items,
      windowStart: '2027-03-01',
      windowEnd: '2027-03-31',
      sampling: { ratio: 0.001, min: 3, max: 5 },
    },
  });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { id: number }).id;
}

/** The scope-rule rows of the preview as [kind, kept, removed]. */
async function shownRules(): Promise<[string, number, number][]> {
  const rows = page.getByTestId('draw-preview-scope').getByTestId('scope-rule');
  const out: [string, number, number][] = [];
  for (const row of await rows.all()) {
    out.push([
      (await row.getAttribute('data-kind')) ?? '',
      Number(await row.getByTestId('scope-rule-kept').innerText()),
      Number(await row.getByTestId('scope-rule-removed').innerText()),
    ]);
  }
  return out;
}

async function editScope(item: string) {
  await page.goto(`${platform.url}/items`);
  const cell = page
    .getByTestId('items-table')
    .locator('tr', { hasText: item })
    .getByTestId('item-scope-cell');
  await cell.getByTestId('item-scope-edit').click();
  return cell;
}

describe('the roster follows the items', () => {
  it('a food-safety task: the preview counts each rule, and the draw takes only licence holders', async () => {
    await login(page, platform.url, 'scjg');
    const taskId = await createTask('2027年食品经营者名录范围抽查', [await itemId(FOOD_ITEM)]);
    const api = await apiGet<Preview>(`/api/tasks/${taskId}/draw-preview`);
    // the lead bureau draws from the whole register: status first, then the item's licence
    expect(api.scopeRules.map((r) => r.kind)).toEqual(['active', 'items']);
    const food = api.scopeRules[1]!;
    expect(food.removed).toBeGreaterThan(food.kept);
    expect(food.sample).toHaveLength(5);
    expect(api.rosterSize + api.excluded).toBe(food.kept);

    await page.goto(`${platform.url}/tasks/${taskId}?tab=draw`);
    const scope = page.getByTestId('draw-preview-scope');
    await scope.waitFor();
    await expect.poll(shownRules).toEqual(api.scopeRules.map((r) => [r.kind, r.kept, r.removed]));
    const text = await scope.innerText();
    expect(text).toContain('经营状态为存续、在营或开业');
    expect(text).toContain(`区市场监督管理局的事项：${FOOD_ITEM}`);
    expect(text).toContain('许可证：食品经营许可证');
    expect(text).toContain(food.sample[0]!.name);
    expect(text).toContain(`名录库共 ${api.scopeRules[0]!.kept + api.scopeRules[0]!.removed} 户`);
    await shot('preview');

    await commitWithDice(page);
    await page.getByTestId('draw-commitment-hash').waitFor();
    await revealWithDice(page, '2718 2818 2845 9045 2353 6028');
    await page.getByTestId('draw-targets').waitFor();
    const task = await apiGet<{ draws: { status: string; targets: { entityId: number }[] }[] }>(
      `/api/tasks/${taskId}`,
    );
    const targets = task.draws.find((d) => d.status !== 'superseded')!.targets;
    expect(targets).toHaveLength(api.targets);
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const t of targets) {
      const e = await apiGet<{ licences: string[] }>(`/api/entities/${t.entityId}`);
      expect(e.licences).toContain('食品经营许可证');
    }
  });

  it('an item without a scope: the preview asks for one, and the item list sets it', async () => {
    // clear the sampling item's scope on the item list
    const cell = await editScope(SAMPLING_ITEM);
    await page.getByTestId('item-scope-mode-unset').click();
    await page.getByTestId('item-scope-save').click();
    await expect.poll(() => cell.innerText()).toContain('未设定');

    const taskId = await createTask('2027年食品抽样检验名录范围抽查', [await itemId(SAMPLING_ITEM)]);
    const refused = await page.request.get(`${platform.url}/api/tasks/${taskId}/draw-preview`);
    expect(refused.status()).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('TASK_SCOPE_REQUIRED');
    await page.goto(`${platform.url}/tasks/${taskId}?tab=draw`);
    const asked = page.getByTestId('draw-preview-scope-required');
    await asked.waitFor();
    expect(await asked.innerText()).toContain('本任务引用的抽查事项均未设定检查对象范围');
    expect(await asked.innerText()).toContain(`未设定范围的事项：${SAMPLING_ITEM}`);
    await shot('scope-required');

    // choose one: food production licence holders only
    await page.getByTestId('draw-preview-go-items').click();
    await page.waitForURL(/\/items$/);
    const again = await editScope(SAMPLING_ITEM);
    await page.getByTestId('item-scope-mode-conditions').click();
    await page.getByTestId('item-scope-licences').click();
    await page.keyboard.type('食品生产许可证');
    await page.keyboard.press('Enter');
    await page.getByTestId('item-scope-save').click();
    await expect.poll(() => again.innerText()).toContain('许可证：食品生产许可证');

    const api = await apiGet<Preview>(`/api/tasks/${taskId}/draw-preview`);
    expect(api.scopeRules.map((r) => r.kind)).toEqual(['active', 'items']);
    await page.goto(`${platform.url}/tasks/${taskId}?tab=draw`);
    await page.getByTestId('draw-preview-scope').waitFor();
    await expect.poll(shownRules).toEqual(api.scopeRules.map((r) => [r.kind, r.kept, r.removed]));
    expect(await page.getByTestId('draw-preview-scope').innerText()).toContain('许可证：食品生产许可证');
    const body = (await page.locator('body').innerText()) ?? '';
    expect(body).not.toMatch(/roster\.|TASK_SCOPE|undefined/);
    await shot('scope-set');
  });
});
