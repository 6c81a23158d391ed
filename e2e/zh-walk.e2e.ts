/**
 * Chinese first, everywhere (issue 8 §6): a clerk walks the pages of the demo district (with its
 * year of history: tasks, draws, results, imports, audit) in the zh-CN UI, and no English phrase is
 * on any page — only single Latin tokens (codes, hashes, drand, USCC …) that Chinese users read as such.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser, login, SHOTS, startPlatform, type Platform } from './harness.ts';

// The language of the pages does not depend on the database, and the walk loads the demo with its
// year of history (the longest start there is): it runs on the embedded database only.
const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;

beforeAll(async () => {
  if (ON_POSTGRES) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform([]);
  b = await browser();
  page = await b.context.newPage();
}, 600_000);

afterAll(async () => {
  if (ON_POSTGRES) return;
  fs.writeFileSync(
    path.join(SHOTS, 'zh-walk-words.txt'),
    [...words].map(([w, urls]) => `${w}\t${[...urls].join(' ')}`).join('\n'),
  );
  await b?.close();
  await platform?.stop();
});

/** Two Latin words in a row ("cool-down: inspected", "Only inspectors") — English prose. */
const PHRASE = /[A-Za-z][A-Za-z’'-]+[ ,;:]+[A-Za-z][A-Za-z’'-]+/g;
/** Latin that is not prose: product and format names, CLI commands, the drand beacon's fields. */
const ALLOWED = [/choucha(?: [a-z-]+)+(?: --[a-z-]+)*/g, /\bdrand(?: [a-z]+)?\b/g, /SEQ:HASH/g];

function englishOn(text: string): string[] {
  let t = text;
  for (const re of ALLOWED) t = t.replace(re, ' ');
  return [...new Set(t.match(PHRASE) ?? [])];
}

async function idle(p: Page) {
  await p.waitForLoadState('networkidle');
  // lazy pages and tables render after the data arrives
  await p.waitForTimeout(300);
}

/** Every single Latin word seen, by page (written to test-results for review, not asserted). */
const words = new Map<string, Set<string>>();

async function walk(p: Page, url: string, found: string[]) {
  await p.goto(`${platform.url}${url}`);
  await idle(p);
  const text = await p.locator('body').innerText();
  for (const e of englishOn(text)) found.push(`${url}: ${e}`);
  for (const w of text.match(/\b[A-Za-z][a-z]{2,}\b/g) ?? []) {
    if (!words.has(w)) words.set(w, new Set());
    words.get(w)!.add(url.replace(/\d+/g, ':id'));
  }
  return text;
}

async function api<T>(p: Page, url: string): Promise<T> {
  const r = await p.request.get(`${platform.url}${url}`);
  expect(r.status(), url).toBe(200);
  return (await r.json()) as T;
}

describe.skipIf(ON_POSTGRES)('the zh-CN UI has no English', () => {
  it('the detector finds English prose and passes Chinese with codes', () => {
    expect(englishOn('冷却期：6 个月内 cool-down: inspected for the same item')).toEqual([
      'cool-down: inspected',
      'for the',
      'same item',
    ]);
    expect(
      englishOn('统一社会信用代码 91610103MA6U2X1234 · drand #123 · choucha audit verify --anchor'),
    ).toEqual([]);
  });

  it('the joint office walks every staff page and the detail pages of its history', async () => {
    await login(page, platform.url, 'admin');
    const found: string[] = [];
    const pages = [
      '/dashboard',
      '/entities',
      '/inspectors',
      '/code-issues',
      '/departments',
      '/items',
      '/plans',
      '/joint',
      '/tasks',
      '/tasks/new',
      '/draws',
      '/results',
      '/review',
      '/credit',
      '/indicators',
      '/audit',
      '/settings/users',
      '/settings/rules',
      '/settings/calendar',
      '/follow-ups',
      '/imports',
      '/imports/new',
    ];
    for (const u of pages) await walk(page, u, found);
    // the demo's year 2023 as the platform counts it: 19 plans; by 30 June 63 of their 105 batches
    // published with 578 of the planned targets (the seed bulletin's first half)
    const june = await api<{
      plans: { id: number; kind: string }[];
      completion: { batches: number; batchesDone: number; published: number };
    }>(page, '/api/plans/year/2023?asOf=2023-06-30');
    expect(june.plans).toHaveLength(19);
    expect(june.completion).toMatchObject({ batches: 105, batchesDone: 63, published: 578 });
    for (const kind of ['joint', 'department'])
      await walk(page, `/plans/${june.plans.find((x) => x.kind === kind)!.id}`, found);
    const tasks = await api<{ items: { id: number }[] }>(page, '/api/tasks');
    expect(tasks.items.length).toBeGreaterThan(0);
    const drawIds: number[] = [];
    for (const t of tasks.items.slice(0, 3)) {
      await walk(page, `/tasks/${t.id}`, found);
      const detail = await api<{ draws: { id: number }[] }>(page, `/api/tasks/${t.id}`);
      drawIds.push(...detail.draws.map((d) => d.id));
    }
    expect(drawIds.length).toBeGreaterThan(0);
    for (const id of drawIds.slice(0, 2)) {
      const d = { id };
      await walk(page, `/draws/${d.id}`, found);
      await walk(page, `/public/draws/${d.id}`, found);
    }
    const imports = await api<{ items: { id: number }[] }>(page, '/api/imports');
    for (const i of imports.items.slice(0, 2)) await walk(page, `/imports/${i.id}`, found);
    const entities = await api<{ items: { id: number }[] }>(page, '/api/entities');
    for (const e of entities.items.slice(0, 1)) await walk(page, `/entities/${e.id}`, found);
    const inspectors = await api<{ items: { id: number }[] }>(page, '/api/inspectors');
    for (const i of inspectors.items.slice(0, 1)) await walk(page, `/inspectors/${i.id}`, found);
    // the audit page names actions in Chinese (the raw key beside it)
    const audit = await walk(page, '/audit', found);
    expect(audit).toContain('登录');
    expect(audit).toContain('auth.login');
    await page.screenshot({ path: path.join(SHOTS, 'zh-walk-audit.png'), fullPage: true });
    for (const u of ['/public', '/public/items', '/public/audit']) await walk(page, u, found);
    expect(found).toEqual([]);
  });

  it('the pages of the year fit a phone (390 px): no page is wider than the screen', async () => {
    await login(page, platform.url, 'admin');
    const june = await api<{ plans: { id: number }[] }>(page, '/api/plans/year/2023');
    await page.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    try {
      for (const u of [
        '/dashboard',
        '/plans',
        `/plans/${june.plans[0]!.id}`,
        '/joint',
        '/review',
        '/follow-ups',
        '/results',
        '/settings/calendar',
        '/supervision',
        '/verify',
      ]) {
        await page.goto(`${platform.url}${u}`);
        await idle(page);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        if (w > 390) wide.push(`${u}: ${w}px`);
      }
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
    expect(wide).toEqual([]);
  });

  it('the supervisor (jiandu) walks 监督, verifies a full bundle there, and the public /verify page reads files', async () => {
    await login(page, platform.url, 'jiandu');
    const found: string[] = [];
    for (const u of ['/supervision', '/tasks', '/audit']) await walk(page, u, found);
    const list = await api<{ items: { id: number; stage: string }[] }>(page, '/api/supervisor/draws');
    // the demo replay's 83 draws, every one on the supervisor's list (he sees every department)
    expect(list.items).toHaveLength(83);
    const draw = list.items.find((d) => d.stage === 'matched')!;
    expect(draw).toBeDefined();
    await walk(page, `/draws/${draw.id}`, found);
    // verify in the page: the result dialog (verdict, stage, strata with their risk classes) is Chinese
    await walk(page, '/supervision', found);
    await page.getByTestId(`supervision-verify-${draw.id}`).click();
    const result = page.locator(`[data-testid="supervision-result"][data-draw-id="${draw.id}"]`);
    await result.and(page.locator('[data-state="done"]')).waitFor({ timeout: 120_000 });
    await expect(result.getByTestId('verify-verdict').getAttribute('data-verdict')).resolves.toBe('verified');
    for (const e of englishOn(await page.locator('body').innerText()))
      found.push(`/supervision (verified): ${e}`);
    await page.keyboard.press('Escape');
    // the download is on the record, named in Chinese on the audit page
    const audit = await walk(page, '/audit', found);
    expect(audit).toContain('draw.bundle.full');
    expect(audit).toContain('下载完整验证包');

    // the public page /verify, without a login: a full bundle, a public one and a tampered one
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-zh-verify-'));
    const full = await page.request.get(`${platform.url}/api/draws/${draw.id}/bundle/full`);
    expect(full.status()).toBe(200);
    const fullText = await full.text();
    const pub = await page.request.get(`${platform.url}/api/public/draws/${draw.id}/bundle`);
    expect(pub.status()).toBe(200);
    const bundle = JSON.parse(fullText) as { commitment: { task: { name: string } } };
    bundle.commitment.task.name += '（改）';
    const files = [
      { name: `draw-${draw.id}-full.json`, text: fullText, verdict: 'verified' },
      { name: `draw-${draw.id}.json`, text: await pub.text(), verdict: 'verified' },
      { name: `draw-${draw.id}-tampered.json`, text: JSON.stringify(bundle), verdict: 'rejected' },
    ];
    await page.context().clearCookies();
    await walk(page, '/verify', found);
    let run = 0;
    for (const f of files) {
      const file = path.join(dir, f.name);
      fs.writeFileSync(file, f.text);
      await page.getByTestId('verify-file').setInputFiles(file);
      run += 1;
      const card = page.locator(`[data-testid="verify-file-result"][data-run="${run}"][data-state="done"]`);
      await card.waitFor({ timeout: 120_000 });
      await expect(card.getByTestId('verify-verdict').getAttribute('data-verdict'), f.name).resolves.toBe(
        f.verdict,
      );
      for (const e of englishOn(await page.locator('body').innerText()))
        found.push(`/verify ${f.name}: ${e}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(found).toEqual([]);
  });

  it('an inspector walks his pages', async () => {
    await login(page, platform.url, 'inspector1');
    const found: string[] = [];
    for (const u of ['/dashboard', '/results', '/tasks']) await walk(page, u, found);
    expect(found).toEqual([]);
  });
});
