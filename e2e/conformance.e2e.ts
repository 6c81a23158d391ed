/**
 * The browser verifier on every conformance vector (docs/specs/draw-protocol-v2.md §13): each file
 * of verifier/conformance/manifest.json is chosen in the public page /verify (verified in the
 * browser, never uploaded), and the verdict, exit status and code the page shows are compared to
 * the manifest. One page, one file after the other (the page shows the latest file's result).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser, ROOT, startPlatform, type Platform } from './harness.js';

interface ManifestEntry {
  file: string;
  rule: string;
  description: string;
  expect: { verdict: string; exit: number; code: string | null };
}

const DIR = path.join(ROOT, 'verifier/conformance');
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];

let platform: Platform;
let b: Awaited<ReturnType<typeof browser>>;
let page: Page;
let runs = 0;

beforeAll(async () => {
  platform = await startPlatform(['--no-demo']);
  b = await browser();
  page = await b.context.newPage();
  await page.goto(`${platform.url}/verify`);
  await page.getByTestId('verify-file').waitFor({ state: 'attached' });
});
afterAll(async () => {
  await b?.close();
  await platform?.stop();
});

/** Chooses one file in the page and reads what it shows once the run for this file is done. */
async function verifyInPage(file: string) {
  const run = ++runs;
  await page.getByTestId('verify-file').setInputFiles(path.join(DIR, 'vectors', file));
  const card = page.locator(`[data-testid="verify-file-result"][data-run="${run}"]`);
  await card.and(page.locator('[data-state="done"], [data-state="error"]')).waitFor({ timeout: 60_000 });
  expect(await card.getAttribute('data-file')).toBe(file);
  expect(await card.getAttribute('data-state')).toBe('done');
  const verdict = card.getByTestId('verify-verdict');
  const code = card.getByTestId('verify-code');
  const bls = card.getByTestId('verify-bls');
  return {
    outcome: {
      verdict: await verdict.getAttribute('data-verdict'),
      exit: Number(await verdict.getAttribute('data-exit')),
      code: (await code.count()) > 0 ? await code.getAttribute('data-value') : null,
    },
    blsChecked: (await bls.count()) > 0 ? (await bls.getAttribute('data-value')) === 'true' : null,
  };
}

/** A positive vector with a drand beacon: the browser checks its BLS signature. */
const hasBeacon = (m: ManifestEntry) =>
  Boolean(
    (
      JSON.parse(fs.readFileSync(path.join(DIR, 'vectors', m.file), 'utf8')) as {
        seedInputs?: { beacon?: unknown } | null;
      }
    ).seedInputs?.beacon,
  );

describe('the browser verifier (/verify) on every conformance vector', () => {
  it('has the whole suite to run', () => {
    expect(manifest.filter((m) => m.expect.verdict !== 'verified').length).toBeGreaterThanOrEqual(200);
    expect(manifest.filter((m) => m.expect.verdict === 'verified' && hasBeacon(m)).length).toBe(16);
  });

  for (const m of manifest)
    it(`${m.file}: ${m.expect.verdict}${m.expect.code ? ` ${m.expect.code}` : ''}`, async () => {
      const r = await verifyInPage(m.file);
      expect(r.outcome).toEqual(m.expect);
      // on a verified bundle the page says whether it checked the BLS signature: yes iff a beacon
      expect(r.blsChecked).toBe(m.expect.verdict === 'verified' ? hasBeacon(m) : null);
    });
});
