/**
 * `choucha calendar add-working-days DATE N` as scripts run it (a real process): the ISO date on
 * stdout, exit 2 with a coded message on bad input, a warning for a year without data, and the
 * year loaded with `choucha calendar load` counted from then on. The 2027 rows are test data.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/choucha.js');
let dir: string;
vi.setConfig({ testTimeout: 300_000 });

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, CHOUCHA_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-cal-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('choucha calendar add-working-days', () => {
  it('prints the ISO date across National Day 2023 and Spring Festival 2025 (package data)', () => {
    const a = cli(['calendar', 'add-working-days', '2023-09-28', '1', '--package-only']);
    expect([a.status, a.stdout, a.stderr]).toEqual([0, '2023-10-07\n', '']);
    const b = cli(['calendar', 'add-working-days', '2025-01-24', '3', '--package-only']);
    expect([b.status, b.stdout]).toEqual([0, '2025-02-05\n']);
  });

  it('bad input exits 2 with the code and its Chinese text', () => {
    const date = cli(['calendar', 'add-working-days', '2023-02-30', '1', '--package-only']);
    expect(date.status).toBe(2);
    expect(date.stdout).toBe('');
    expect(date.stderr).toContain('CALENDAR_DATE_INVALID: ');
    expect(date.stderr).toContain('日期格式不正确');
    const n = cli(['calendar', 'add-working-days', '2023-02-03', '1.5', '--package-only']);
    expect([n.status, n.stderr.split(':')[0]]).toEqual([2, 'CALENDAR_DAYS_INVALID']);
    const missing = cli(['calendar', 'add-working-days', '2023-02-03', '--package-only']);
    expect(missing.status).toBe(2);
  });

  it('warns for a year without data, then counts the year loaded from a notice file', () => {
    const before = cli(['calendar', 'add-working-days', '2026-12-31', '1']);
    expect([before.status, before.stdout]).toEqual([0, '2027-01-01\n']);
    expect(before.stderr).toContain('warning: no official calendar for 2027');
    expect(before.stderr).toContain('警告：2027 年尚无法定节假日安排数据');

    const file = path.join(dir, 'notice-2027.csv');
    fs.writeFileSync(file, '日期,类型\n2027-01-01,休\n2027-01-02,休\n2027-01-03,休\n2027-02-06,班\n');
    const dry = cli(['calendar', 'load', file, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('days off (休): 3; adjusted working days (班): 1');
    expect(dry.stdout).toContain('Dry run: nothing loaded.');
    const load = cli(['calendar', 'load', file, '--notice', '测试通知']);
    expect([load.status, load.stdout.trim().split('\n').at(-1)]).toEqual([0, 'Loaded 2027.']);

    const after = cli(['calendar', 'add-working-days', '2026-12-31', '1']);
    expect([after.status, after.stdout, after.stderr]).toEqual([0, '2027-01-04\n', '']);
    // the package alone still knows nothing of 2027
    expect(cli(['calendar', 'add-working-days', '2026-12-31', '1', '--package-only']).stdout).toBe(
      '2027-01-01\n',
    );

    fs.writeFileSync(file, '日期,类型\n2028-01-01,休\n2028-01-01,班\n');
    const bad = cli(['calendar', 'load', file]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/ERROR +row 3 CALENDAR_ROW_CONFLICT/);
    expect(bad.stderr).toContain('CALENDAR_NOTICE_INVALID');
  });
});
