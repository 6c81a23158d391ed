/**
 * The browser set-up itself, without a server: the e2e tests must run on a machine with no system
 * Chromium and no CJK font, and their screenshots must show Chinese, not boxes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser } from './harness.js';

let b: Awaited<ReturnType<typeof browser>>;
let page: Page;

beforeAll(async () => {
  b = await browser();
  page = await b.context.newPage();
});
afterAll(async () => {
  await b?.close();
});

/** The fonts Chromium actually used to draw the text of `selector` (family → glyph count). */
async function platformFonts(selector: string): Promise<Record<string, number>> {
  const cdp = await b.context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return Object.fromEntries(fonts.map((f) => [f.familyName, f.glyphCount]));
}

describe('the e2e browser', () => {
  it.skipIf(Boolean(process.env.CHROMIUM_PATH))('is the Chromium shipped in @sparticuz/chromium', () => {
    expect(b.context.browser()?.version().split('.')[0]).toBe('153');
  });

  it('draws Chinese, Latin and monospace text with the bundled Noto Sans SC only', async () => {
    await page.setContent(
      '<html lang="zh-CN"><body>' +
        '<p id="zh" style="font-family: \'PingFang SC\', \'Microsoft YaHei\', sans-serif">双随机一公开</p>' +
        '<p id="bold" style="font-weight: 700">碑林区市场监管局</p>' +
        '<p id="latin" style="font-family: Arial, sans-serif">ABC</p>' +
        '<p id="mono" style="font-family: ui-monospace, Menlo, monospace">0O1l</p>' +
        '</body></html>',
    );
    expect(await platformFonts('#zh')).toEqual({ 'Noto Sans S Chinese Regular': 6 });
    expect(await platformFonts('#bold')).toEqual({ 'Noto Sans S Chinese Bold': 8 });
    expect(await platformFonts('#latin')).toEqual({ 'Noto Sans S Chinese Regular': 3 });
    expect(await platformFonts('#mono')).toEqual({ 'Noto Sans S Chinese Regular': 4 });
  });
});
