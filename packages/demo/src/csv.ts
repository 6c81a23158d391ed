import type { DemoEntity } from './types.ts';

export const ENTITY_CSV_HEADERS = [
  '企业名称',
  '统一社会信用代码',
  '注册号',
  '主体类型',
  '行业代码',
  '行业名称',
  '所属街道',
  '住所',
  '法定代表人',
  '注册资本（万元）',
  '成立日期',
  '登记状态',
  '联系电话',
] as const;

function cell(v: string | null): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvOptions {
  /** Prefix a UTF-8 byte-order mark, as Excel writes "CSV UTF-8" files. Default false. */
  bom?: boolean;
}

/**
 * The entity directory as a CSV like the ones bureaus export: Chinese headers, CRLF line ends, the
 * code column holding the text as it arrived (a damaged code keeps its damaged text, e.g. '9.16101E+17').
 */
export function writeEntitiesCsv(entities: readonly DemoEntity[], options: CsvOptions = {}): string {
  const lines = [ENTITY_CSV_HEADERS.join(',')];
  for (const e of entities) {
    lines.push(
      [
        e.name,
        e.rawCode ?? e.uscc,
        e.regNo,
        e.entityType,
        e.industryCode,
        e.industryName,
        e.street,
        e.address,
        e.legalRep,
        e.registeredCapital,
        e.establishedOn,
        e.status,
        e.phone,
      ]
        .map(cell)
        .join(','),
    );
  }
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
