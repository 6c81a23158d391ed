/**
 * The command line's department arguments: `--department <id|code>` and `--department-map
 * MAP.csv` (name in the file, local department code; several codes separated by `;`; `skip`).
 * Bad values give coded errors naming the line — never a database error.
 */
import { AppError } from '@choucha/core';
import { departments } from '@choucha/db';
import { detectEncodingOfBuffer, parseCsv } from '@choucha/importer';
import type { Services } from '../context.ts';
import type { DepartmentMap } from './department-map.ts';

const SKIP = new Set(['skip', '跳过']);
const HEADER_NAMES = new Set(['name', '名称', '文件中的名称', '文件中的部门名称', '部门名称']);

async function codes(svc: Services) {
  const rows = await svc.database.db
    .select({ id: departments.id, code: departments.code, active: departments.active })
    .from(departments);
  return {
    byCode: new Map(rows.filter((r) => r.active).map((r) => [r.code.trim().toUpperCase(), r.id])),
    ids: new Set(rows.filter((r) => r.active).map((r) => r.id)),
  };
}

/** `--department`: a department id (digits) or code; anything else is IMPORT_DEPARTMENT_INVALID. */
export async function resolveDepartmentArg(svc: Services, value: string): Promise<number> {
  const v = value.trim();
  const { byCode, ids } = await codes(svc);
  if (/^\d{1,9}$/.test(v) && ids.has(Number(v))) return Number(v);
  const byC = byCode.get(v.toUpperCase());
  if (byC !== undefined) return byC;
  throw new AppError('IMPORT_DEPARTMENT_INVALID', `No department with id or code "${value}"`, {
    field: 'department',
    value,
  });
}

/** Parse a department map CSV (UTF-8 or GBK; an optional header line). */
export async function parseDepartmentMapCsv(
  svc: Services,
  data: Buffer,
  fileName = 'MAP.csv',
): Promise<DepartmentMap> {
  const enc = detectEncodingOfBuffer(data);
  const text = new TextDecoder(enc === 'utf-8-bom' ? 'utf-8' : enc).decode(data);
  const delimiter = !text.includes(',') && text.includes('\t') ? '\t' : ',';
  const rows = parseCsv(text, delimiter);
  const { byCode } = await codes(svc);
  const out: Record<string, number[] | 'skip'> = {};
  let first = true;
  for (const [i, row] of rows.entries()) {
    const line = i + 1;
    const cells = row.map((c) => c.trim());
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length === 0) continue; // a blank line
    if (first && HEADER_NAMES.has((cells[0] ?? '').toLowerCase())) {
      first = false;
      continue;
    }
    first = false;
    const [name, target] = cells;
    if (cells.length !== 2 || !name || !target)
      throw new AppError(
        'IMPORT_DEPARTMENT_MAP_FILE_INVALID',
        `${fileName} line ${line}: expected two columns (name in the file, department code), got ${cells.length}`,
        { line, columns: cells.length },
      );
    if (SKIP.has(target.toLowerCase())) {
      out[name] = 'skip';
      continue;
    }
    const ids: number[] = [];
    for (const code of target.split(/[;；]/).map((c) => c.trim())) {
      if (code === '')
        throw new AppError('IMPORT_DEPARTMENT_MAP_FILE_INVALID', `${fileName} line ${line}: an empty code`, {
          line,
        });
      const id = byCode.get(code.toUpperCase());
      if (id === undefined)
        throw new AppError(
          'IMPORT_DEPARTMENT_CODE_UNKNOWN',
          `${fileName} line ${line}: no department with code "${code}"`,
          { line, code },
        );
      if (!ids.includes(id)) ids.push(id);
    }
    out[name] = ids;
  }
  if (Object.keys(out).length === 0)
    throw new AppError('IMPORT_DEPARTMENT_MAP_FILE_INVALID', `${fileName}: no mapping lines`, { line: 0 });
  return out;
}
