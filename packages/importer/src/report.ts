import XLSX from 'xlsx';
import type { ImportKind } from './fields.ts';
import type { ImportReport } from './import.ts';
import type { RowReport } from './processor.ts';

const VERDICT_ZH = {
  accepted: '接受',
  warned: '接受（有警告）',
  rejected: '拒绝',
  merged: '已并入上一事项',
} as const;

type KeyColumn = readonly [label: string, pick: (record: Record<string, unknown>) => unknown];

const KEY_COLUMNS: Record<ImportKind, readonly KeyColumn[]> = {
  entities: [
    ['企业名称', (r) => r['name']],
    ['统一社会信用代码', (r) => r['uscc']],
    ['注册号', (r) => r['regNo']],
    ['原始代码', (r) => r['rawCode']],
    ['代码状态', (r) => r['codeStatus']],
  ],
  inspectors: [
    ['姓名', (r) => r['name']],
    ['执法证号', (r) => r['certNo']],
    ['所属部门', (r) => r['departmentName']],
  ],
  items: [
    ['编制单位', (r) => r['departmentName']],
    ['抽查类别', (r) => r['category']],
    ['抽查事项', (r) => r['name']],
  ],
  joint_items: [
    ['抽查领域', (r) => r['domain']],
    ['抽查事项', (r) => r['name']],
    ['发起部门', (r) => r['leadDepartmentName']],
  ],
};

function cellValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join('；');
  return String(v);
}

/**
 * The import report as an .xlsx: sheet 导入结果 with one row per source row (row number, verdict,
 * reasons, reason codes, key fields) and sheet 汇总 with the counts and the column mapping.
 */
export function writeReportXlsx(report: ImportReport): Buffer {
  // a kind without key columns (the recusal list, services/directories/recusals.ts) shows none
  const keys: readonly KeyColumn[] =
    (KEY_COLUMNS as Partial<Record<string, readonly KeyColumn[]>>)[report.kind] ?? [];
  const header = ['行号', '结论', '原因', '原因代码', ...keys.map(([label]) => label)];
  const aoa: string[][] = [header];
  for (const r of report.rows as RowReport<unknown>[]) {
    const rec = (r.record ?? {}) as Record<string, unknown>;
    const reasons = r.reasons.filter((x) => x.severity !== 'info' || r.verdict === 'merged');
    aoa.push([
      String(r.rowNumber),
      VERDICT_ZH[r.verdict],
      reasons.map((x) => (x.value ? `${x.zh}：${x.value}` : x.zh)).join('\n'),
      [...new Set(reasons.map((x) => x.code))].join(','),
      ...keys.map(([, pick]) => cellValue(pick(rec))),
    ]);
  }
  const ws = XLSX.utils.aoa_to_sheet(aoa);
  // every cell is text (t: 's' from aoa of strings); row numbers as text keep the sheet "as read"
  ws['!cols'] = [{ wch: 8 }, { wch: 14 }, { wch: 60 }, { wch: 30 }, ...keys.map(() => ({ wch: 24 }))];
  ws['!autofilter'] = { ref: `A1:${XLSX.utils.encode_col(header.length - 1)}1` };

  const c = report.counts;
  const summary: (string | number)[][] = [
    ['文件', report.fileName ?? ''],
    ['工作表', report.sheet ?? ''],
    ['表头所在行', report.headerRowNumbers.join('、')],
    ['数据行', c.rows],
    ['接受', c.accepted],
    ['接受（有警告）', c.warned],
    ['拒绝', c.rejected],
    ['已并入上一事项', c.merged],
    ['空白行（未计入）', c.blank],
    [],
    ['字段', '列', '表头'],
    ...Object.entries(report.mapping.fields).map(([f, m]) => [f, XLSX.utils.encode_col(m.column), m.header]),
    ...report.mapping.unmapped.map((m) => ['（未使用）', XLSX.utils.encode_col(m.column), m.header]),
    [],
    ...report.notices.map((n) => ['说明', n]),
  ];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '导入结果');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(summary), '汇总');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
