/**
 * `choucha import …`: --json (one JSON object on stdout), --department-map MAP.csv, and coded
 * errors for bad --department values and malformed map files (never a database error).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@choucha/db';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/choucha.js');
let dir: string;
vi.setConfig({ testTimeout: 300_000 });

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, CHOUCHA_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

let items: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-import-cli-'));
  const database = await openDatabase({ dataDir: dir });
  await database.query(
    `insert into departments (code, name, short_name) values
      ('JYJ', '碑林区教育局', '教育局'), ('GA', '西安市公安局碑林分局', '公安碑林分局'), ('WJJ', '碑林区卫生健康局', '卫健局')`,
  );
  await database.close();
  items = file(
    'items.csv',
    [
      '编制单位名称,抽查类别,抽查事项',
      '省教育厅,学校,民办学校办学行为检查',
      '省教育厅,学校,校外培训机构检查',
      '公安部门、卫生健康部门,公共场所,公共场所联合检查',
      '其他部门,其他,其他检查',
      '',
    ].join('\n'),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('choucha import --json and --department-map', () => {
  it('--json prints the dry run as ONE JSON object with the unmatched department names', () => {
    const r = cli(['import', 'items', items, '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as {
      ok: boolean;
      status: string;
      counts: { rows: number; accepted: number; rejected: number };
      reasonCounts: Record<string, number>;
      unmatchedDepartments: { name: string; rows: number }[];
    };
    expect(j.ok).toBe(true);
    expect(j.status).toBe('dry_run');
    expect(j.counts).toMatchObject({ rows: 4, accepted: 0, rejected: 4 });
    expect(j.reasonCounts['DEPARTMENT_UNMAPPED']).toBe(4);
    expect(j.unmatchedDepartments.map((u) => [u.name, u.rows])).toEqual([
      ['省教育厅', 2],
      ['公安部门', 1],
      ['其他部门', 1],
      ['卫生健康部门', 1],
    ]);
  });

  it('bad --department values and map files give coded errors naming the problem, never SQL', () => {
    for (const bad of ['abc', '99999', '1;drop']) {
      const r = cli(['import', 'items', items, '--department', bad]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('IMPORT_DEPARTMENT_INVALID');
      expect(r.stderr.toLowerCase()).not.toMatch(/select|syntax|relation|sql/);
    }
    const unknown = file('unknown.csv', '文件中的名称,部门代码\n省教育厅,JYJ\n公安部门,NOPE\n');
    const u = cli(['import', 'items', items, '--department-map', unknown, '--json']);
    expect(u.status).toBe(1);
    expect(u.stderr).toContain('IMPORT_DEPARTMENT_CODE_UNKNOWN');
    expect(u.stderr).toContain('line 3');
    const j = JSON.parse(u.stdout.trim()) as { ok: boolean; error: { code: string } };
    expect(j).toMatchObject({ ok: false, error: { code: 'IMPORT_DEPARTMENT_CODE_UNKNOWN' } });
    const malformed = file('malformed.csv', '省教育厅,JYJ\n公安部门\n');
    const m = cli(['import', 'items', items, '--department-map', malformed]);
    expect(m.status).toBe(1);
    expect(m.stderr).toContain('IMPORT_DEPARTMENT_MAP_FILE_INVALID');
    expect(m.stderr).toContain('line 2');
  });

  it('--department-map applies the mapping (several codes with ;, skip); the commit saves aliases for next time', () => {
    const map = file('map.csv', '省教育厅,JYJ\n公安部门,GA\n卫生健康部门,wjj\n其他部门,skip\n');
    const c = cli(['import', 'items', items, '--department-map', map, '--commit', '--json']);
    expect(c.status).toBe(0);
    const j = JSON.parse(c.stdout.trim()) as {
      status: string;
      counts: { accepted: number; rejected: number; created: number; editions: number };
      unmatchedDepartments: unknown[];
    };
    expect(j.status).toBe('committed');
    expect(j.counts).toMatchObject({ accepted: 3, rejected: 1, created: 4, editions: 3 });
    expect(j.unmatchedDepartments).toEqual([]);
    const again = cli(['import', 'items', items, '--json']);
    const k = JSON.parse(again.stdout.trim()) as { unmatchedDepartments: { name: string }[] };
    expect(k.unmatchedDepartments.map((u) => u.name)).toEqual(['其他部门']);
    const codes = file('codes.csv', '公安部门,GA;WJJ\n');
    const several = cli(['import', 'items', items, '--department-map', codes, '--json']);
    const s = JSON.parse(several.stdout.trim()) as {
      mappedDepartments: { name: string; departmentIds: number[] }[];
    };
    expect(s.mappedDepartments.find((x) => x.name === '公安部门')?.departmentIds).toHaveLength(2);
  });
});
