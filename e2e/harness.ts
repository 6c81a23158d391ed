/**
 * End-to-end harness: the real CLI starts the real server (embedded database in a temp dir, or a
 * fresh database on the PostgreSQL server named by TEST_DATABASE_URL), and a Chromium drives the
 * real web app through playwright-core.
 *
 * The browser and the Chinese font come from npm packages (root devDependencies), so `npm ci &&
 * npm test` needs nothing from the system: the Chromium is the one shipped inside
 * `@sparticuz/chromium`, the font Noto Sans SC from `@embedpdf/fonts-sc`. `CHROMIUM_PATH` names
 * another Chromium instead (e.g. Debian's `/usr/bin/chromium`); it gets the same font set-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import pg from 'pg';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { seedMigratedDataDir } from '@choucha/db/testing';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = path.join(ROOT, 'test-results');

const require = createRequire(import.meta.url);
/** Where the harness keeps what it unpacks or writes: goes away with node_modules (`npm ci`). */
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'choucha-e2e');

/** The root directory of an installed package (both packages export only their entry file). */
function packageDir(name: string): { dir: string; version: string } {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir, version };
}

/** Writes `file` so that a reader sees the whole file or none: write beside it, then rename. */
async function writeAtomically(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  try {
    await write(tmp);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The Chromium binary shipped (brotli-compressed) in @sparticuz/chromium, inflated once (~1.5 s) into
 * a directory named after the package version. Not the package's own `executablePath()`: that one
 * inflates to a fixed `/tmp/chromium` and trusts any file already there, so a run interrupted
 * while inflating, a concurrent run, or another version's binary would be launched as is. Only the
 * binary is inflated: its fonts (Open Sans only) and SwiftShader GL libraries are not needed, the
 * font comes from `fontconfigFile()` and the GPU is off (see `browser()`).
 */
async function bundledChromium(): Promise<string> {
  const pkg = packageDir('@sparticuz/chromium');
  const exe = path.join(CACHE, `chromium-${pkg.version}`, 'chromium');
  if (!fs.existsSync(exe)) {
    await writeAtomically(exe, (tmp) =>
      pipeline(
        fs.createReadStream(path.join(pkg.dir, 'bin', 'chromium.br')),
        zlib.createBrotliDecompress(),
        fs.createWriteStream(tmp, { mode: 0o755 }),
      ),
    );
  }
  return exe;
}

/**
 * A fontconfig file that gives the browser exactly one font family, Noto Sans SC (Simplified
 * Chinese with Latin, five weights, OFL) from @embedpdf/fonts-sc, and no system font: Chinese text
 * renders on a machine without CJK fonts, and screenshots look the same on every machine. (The
 * package's OTF files, not a woff2 web font: the fontconfig inside the bundled Chromium does not read
 * woff2, and a font injected into the pages would have to get past the app's CSP.)
 */
async function fontconfigFile(): Promise<string> {
  const fonts = path.join(packageDir('@embedpdf/fonts-sc').dir, 'fonts');
  const file = path.join(CACHE, 'fonts.conf');
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const conf = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${xml(fonts)}</dir>`,
    `  <cachedir>${xml(path.join(CACHE, 'fontconfig-cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== conf) {
    await writeAtomically(file, (tmp) => fs.promises.writeFile(tmp, conf));
  }
  return file;
}

export interface Platform {
  url: string;
  process: ChildProcess;
  /** Everything the server printed on stdout so far (the banner, a first start's one-time password). */
  output(): string;
  stop(): Promise<void>;
}

async function freshPostgres(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `e2e_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

export async function startPlatform(
  args: string[] = ['--no-history'],
  opts: { env?: Record<string, string> } = {},
): Promise<Platform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-e2e-'));
  const pgdb = process.env.TEST_DATABASE_URL ? await freshPostgres(process.env.TEST_DATABASE_URL) : undefined;
  // embedded: start from a copy of a migrated database (the server's migrations then find nothing to do)
  if (!pgdb) await seedMigratedDataDir(dataDir);
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'apps/cli/bin/choucha.js'), 'start', '--port', '0', ...args],
    {
      env: {
        ...process.env,
        CHOUCHA_DATA_DIR: dataDir,
        DATABASE_URL: pgdb?.url ?? '',
        LOG_LEVEL: 'warn',
        CHOUCHA_MODE: 'development',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /is running at (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}\n${out}\n${log}`)));
  });
  return {
    url,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.on('exit', r));
      }
      await pgdb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function browser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const [executablePath, fontconfig] = await Promise.all([
    process.env.CHROMIUM_PATH ? Promise.resolve(process.env.CHROMIUM_PATH) : bundledChromium(),
    fontconfigFile(),
  ]);
  // A plain launch and a fresh context: Playwright makes and removes the profile directory itself.
  const instance = await chromium.launch({
    executablePath,
    headless: true,
    env: { ...process.env, FONTCONFIG_FILE: fontconfig },
    // Playwright's defaults already hold --no-sandbox (we run as root in CI), --no-first-run,
    // --disable-background-networking and --disable-component-update. Of the flags that
    // @sparticuz/chromium recommends for AWS Lambda (`chromium.args`) none is taken:
    // --single-process and --no-zygote make one renderer crash take the whole browser down (and
    // Playwright does not support single-process); --disable-web-security,
    // --allow-running-insecure-content and --disable-features=IsolateOrigins,site-per-process would
    // hide exactly the CORS, CSP and mixed-content behaviour the security tests look at;
    // --use-gl=angle/--use-angle=swiftshader/--in-process-gpu need the SwiftShader libraries, which
    // are not inflated. The one flag we add:
    args: [
      // no GPU process: software rasterising, no GL libraries needed (the app uses no WebGL)
      '--disable-gpu',
    ],
  });
  const context = await instance.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(30_000);
  return {
    context,
    async close() {
      await context.close();
      await instance.close();
    },
  };
}

export const DEMO_PASSWORD = 'choucha-demo';

export async function login(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

/**
 * A first sign-in: the one-time password is changed, which ends the session; the user signs in
 * again with the new one and leaves the login page.
 */
export async function firstSignIn(
  page: Page,
  baseUrl: string,
  username: string,
  oneTime: string,
  next: string,
): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(oneTime);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('must-change-password').waitFor();
  await page.getByTestId('password-current').fill(oneTime);
  await page.getByTestId('password-new').fill(next);
  await page.getByTestId('password-confirm').fill(next);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('login-username').waitFor();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(next);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * The task form as a department admin fills it: a name, the first item offered, one street, at
 * most `max` targets; `beforeSubmit` runs on the filled form (a screenshot). Returns the new
 * task's id, from the task page the form leads to.
 */
export async function createTaskInForm(
  page: Page,
  baseUrl: string,
  opts: { name: string; street: string; max: number; beforeSubmit?: () => Promise<unknown> },
): Promise<number> {
  await page.goto(`${baseUrl}/tasks/new`);
  await page.getByTestId('task-name').fill(opts.name);
  await page.getByTestId('task-items').click();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.getByTestId('task-streets').click();
  await page.keyboard.type(opts.street);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.getByTestId('task-max').fill(String(opts.max));
  await opts.beforeSubmit?.();
  await page.getByTestId('task-submit').click();
  await page.waitForURL(/\/tasks\/\d+/);
  return Number(/\/tasks\/(\d+)/.exec(page.url())?.[1]);
}

export async function logout(page: Page): Promise<void> {
  // let dialogs and toasts go first: they can cover the user menu
  await page.keyboard.press('Escape');
  await page
    .locator('.ant-modal-wrap:visible, .ant-message-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').waitFor();
}

/**
 * The draw wizard's commit step, offline: dice only (the form's default adds a future drand round,
 * whose beacon an offline test cannot enter). Waits for the published commitment.
 */
export async function commitWithDice(page: Page): Promise<void> {
  const drand = page.getByTestId('draw-source-drand');
  const box = (await drand.evaluate((el) => el.tagName)) === 'INPUT' ? drand : drand.locator('input');
  // Click the visible label as a user does (the input itself is antd's invisible overlay: a forced
  // click on it was once refused as "outside of the viewport" while the task page was still laying
  // out), and try again until the box is clear.
  const label = box.locator('xpath=ancestor::label[1]');
  for (let attempt = 0; attempt < 5 && (await box.isChecked()); attempt++) {
    await label.click({ timeout: 10_000 }).catch(() => page.waitForTimeout(500));
  }
  if (await box.isChecked()) throw new Error('the drand source could not be unticked');
  await page.getByTestId('draw-commit').click();
  await page.getByTestId('draw-commitment-hash').waitFor();
}

/**
 * The reveal step of a dice draw: exactly the committed number of digits (taken from `digits`,
 * repeated if too short; spaces ignored) and the dice ceremony (place, who rolled, a witness; the
 * time defaults to now), then 计算.
 */
export async function revealWithDice(page: Page, digits: string): Promise<void> {
  const need = Number(await page.getByTestId('draw-dice-count').getAttribute('data-digits'));
  const d = digits.replace(/\s+/g, '');
  await page.getByTestId('draw-dice').fill(d.repeat(Math.ceil(need / d.length)).slice(0, need));
  await page.getByTestId('draw-ceremony-place-input').fill('区市场监管局三楼会议室');
  await page.getByTestId('draw-ceremony-rolled-by-input').fill('张明（区市场监管局）');
  const witnesses = page.getByTestId('draw-ceremony-witnesses-input');
  await witnesses.click();
  await page.keyboard.type('李华（区纪委监委派驻纪检监察组）');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await witnesses.getByText('李华', { exact: false }).first().waitFor();
  await page.getByTestId('draw-reveal').click();
}
