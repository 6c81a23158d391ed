/**
 * Per-row reasons: a stable code, a severity, a Chinese message. Severity decides the verdict:
 * any error → rejected; else any warning → warned; info never changes the verdict.
 */

export type Severity = 'error' | 'warning' | 'info';

export const ROW_REASONS = {
  // any kind
  FORMULA_NO_VALUE: {
    severity: 'error',
    zh: '单元格为公式且没有计算结果，无法读取',
    en: 'The cell is a formula without a computed value; it cannot be read',
  },
  FORMULA_CACHED: {
    severity: 'warning',
    zh: '单元格为公式，已使用文件中保存的计算结果',
    en: 'The cell is a formula; the value saved in the file was used',
  },
  CELL_ERROR_VALUE: {
    severity: 'warning',
    zh: '单元格为错误值（如 #N/A），按空白处理',
    en: 'The cell holds an error value (such as #N/A); read as blank',
  },
  DUPLICATE_KEY: {
    severity: 'warning',
    zh: '与本文件前面的行重复',
    en: 'Repeats an earlier row of this file',
  },
  DATE_INVALID: {
    severity: 'warning',
    zh: '日期无法识别，已留空',
    en: 'The date is not recognised; left blank',
  },
  DATE_FROM_SERIAL: {
    severity: 'info',
    zh: '日期为 Excel 序列号，已换算',
    en: 'The date was an Excel serial number; converted',
  },
  FILLED_FROM_ABOVE: {
    severity: 'info',
    zh: '空白单元格按“同上”处理，已取上一行的值',
    en: 'A blank cell read as "same as above": the value of the row above was used',
  },
  CELL_TEXT_INVALID: {
    severity: 'error',
    zh: '单元格含有空字符或无效的 Unicode 字符，本行不导入',
    en: 'The cell contains a NUL or invalid Unicode character; the row is not imported',
  },
  // entities
  NAME_MISSING: {
    severity: 'error',
    zh: '缺少名称',
    en: 'The name is missing',
  },
  CODE_MISSING: {
    severity: 'warning',
    zh: '没有统一社会信用代码或注册号',
    en: 'There is no USCC or registration number',
  },
  CODE_UNRECOVERABLE: {
    severity: 'warning',
    zh: '代码已被 Excel 转为数值（科学计数法或精度丢失），无法恢复，已保留原文',
    en: 'Excel turned the code into a number (scientific notation or lost precision); it cannot be recovered and the text is kept',
  },
  CODE_MALFORMED: {
    severity: 'warning',
    zh: '代码格式错误，已保留原文',
    en: 'The code is malformed; the text is kept',
  },
  USCC_CHECK_FAILED: {
    severity: 'warning',
    zh: '统一社会信用代码校验位不符（早期试点代码可能如此）',
    en: 'The USCC check character does not match (early pilot codes may be so)',
  },
  USCC_REGION_MISMATCH: {
    severity: 'warning',
    zh: '统一社会信用代码的行政区划与所属区域不一致',
    en: "The USCC's region code differs from the district",
  },
  REGNO_CHECK_FAILED: {
    severity: 'warning',
    zh: '注册号校验位不符',
    en: 'The registration number check digit does not match',
  },
  CODE_RECOVERED_FROM_FLOAT: {
    severity: 'info',
    zh: '以数值存储的代码已恢复为原数字',
    en: 'A code stored as a number was restored to its digits',
  },
  CODE_NORMALISED: {
    severity: 'info',
    zh: '代码中的全角字符、空格或小写字母已规范',
    en: 'Full-width characters, spaces or lower-case letters in the code were normalised',
  },
  CODE_IN_OTHER_COLUMN: {
    severity: 'info',
    zh: '代码填在了另一代码列，已按其格式识别',
    en: 'The code was in the other code column; recognised by its format',
  },
  CODE_CONFLICT: {
    severity: 'warning',
    zh: '两个代码列的内容互相矛盾，已保留统一社会信用代码列',
    en: 'The two code columns contradict each other; the USCC column was kept',
  },
  REG_NO_ONLY: {
    severity: 'info',
    zh: '仅有注册号，以注册号作为标识',
    en: 'Only a registration number: it identifies the entity',
  },
  REG_NO_OLD_FORMAT: {
    severity: 'info',
    zh: '注册号为统一社会信用代码实施前的旧格式，按原样保存',
    en: 'The registration number has a format older than the USCC; stored as it is',
  },
  INDIVIDUAL_NAMED_BY_OPERATOR: {
    severity: 'warning',
    zh: '个体工商户没有字号，名称按经营者记为',
    en: 'A 个体工商户 without a trade name: named after its operator as',
  },
  INDIVIDUAL_NAMED_BY_CODE: {
    severity: 'warning',
    zh: '个体工商户没有字号，也没有经营者，名称按代码记为',
    en: 'A 个体工商户 without a trade name or operator: named after its code as',
  },
  ENTITY_MATCHED_BY_NAME_REG_NO: {
    severity: 'warning',
    zh: '代码无法使用，已按名称和注册号认定为名录中已有的主体，未新建',
    en: 'The code is unusable; matched to an existing entity by name and registration number (no new entity)',
  },
  ENTITY_MATCHED_BY_NAME_ADDRESS: {
    severity: 'warning',
    zh: '代码无法使用，已按名称和住所认定为名录中已有的主体，未新建',
    en: 'The code is unusable; matched to an existing entity by name and address (no new entity)',
  },
  CAPITAL_INVALID: {
    severity: 'warning',
    zh: '注册资本无法识别，已留空',
    en: 'The registered capital is not recognised; left blank',
  },
  CAPITAL_FOREIGN_CURRENCY: {
    severity: 'warning',
    zh: '注册资本不是人民币，数额按原币种保留',
    en: 'The registered capital is not in RMB; the amount is kept in its currency',
  },
  ENTITY_TYPE_UNRECOGNISED: {
    severity: 'info',
    zh: '企业类型不在常用分类中，已保留原文',
    en: 'The entity type is not a usual category; the text is kept',
  },
  STATUS_UNRECOGNISED: {
    severity: 'info',
    zh: '状态不在常用分类中，已保留原文',
    en: 'The status is not a usual category; the text is kept',
  },
  STATUS_DEFAULTED: {
    severity: 'info',
    zh: '状态为空，按默认值处理',
    en: 'The status is blank; the default was used',
  },
  // inspectors
  CERT_MISSING: {
    severity: 'warning',
    zh: '缺少执法证号',
    en: 'The certificate number is missing',
  },
  CERT_EXPIRED: {
    severity: 'warning',
    zh: '执法证已过有效期',
    en: 'The enforcement certificate has expired',
  },
  CERT_RANGE_INVALID: {
    severity: 'warning',
    zh: '执法证有效期起止日期颠倒',
    en: "The certificate's validity dates are reversed",
  },
  DEPARTMENT_MISSING: {
    severity: 'warning',
    zh: '缺少所属部门（将归入导入部门）',
    en: 'The department is missing (the importing department is used)',
  },
  // items
  CATEGORY_MISSING: {
    severity: 'error',
    zh: '缺少抽查类别',
    en: 'The inspection category is missing',
  },
  ITEM_NAME_MISSING: {
    severity: 'error',
    zh: '缺少抽查事项',
    en: 'The inspection item is missing',
  },
  SEQ_INVALID: {
    severity: 'warning',
    zh: '序号不是整数，已留空',
    en: 'The sequence number is not an integer; left blank',
  },
  ITEM_KIND_UNRECOGNISED: {
    severity: 'warning',
    zh: '事项类别应为“重点检查事项”或“一般检查事项”，已保留原文',
    en: 'The item kind should be 重点检查事项 or 一般检查事项; the text is kept',
  },
  METHOD_UNRECOGNISED: {
    severity: 'warning',
    zh: '检查方式不在规定范围内，已保留原文',
    en: 'The inspection method is not one of those allowed; the text is kept',
  },
  ROW_CONTINUATION: {
    severity: 'info',
    zh: '此行只续写上一事项（如第二条检查依据），已并入该事项',
    en: 'This row only continues the item above (such as a second legal basis); merged into it',
  },
  ITEM_CONTINUED: {
    severity: 'info',
    zh: '后续行的内容已并入本事项',
    en: 'The following rows were merged into this item',
  },
  // joint items
  DOMAIN_MISSING: {
    severity: 'error',
    zh: '缺少抽查领域',
    en: 'The inspection domain is missing',
  },
  LEAD_DEPARTMENT_MISSING: {
    severity: 'error',
    zh: '缺少发起部门',
    en: 'The initiating department is missing',
  },
  // departments named in a file (resolved by the service against the directory and the user's mapping)
  DEPARTMENT_UNMAPPED: {
    severity: 'error',
    zh: '部门未能对应到本地部门名录：请在试导入报告的“部门对应”中为它选择本地部门（或跳过这些行）后重新试导入',
    en: 'The department is not in the local directory: map it to a local department (or skip these rows) in the dry-run report and run the dry run again',
  },
  DEPARTMENT_AMBIGUOUS: {
    severity: 'error',
    zh: '部门名称同时对应到多个本地部门，无法确定：请在“部门对应”中选择',
    en: 'The department name matches several local departments: choose one in the department mapping',
  },
  DEPARTMENT_SKIPPED: {
    severity: 'error',
    zh: '按导入人的选择跳过了该部门的行',
    en: 'Rows of this department are skipped, as the uploader chose',
  },
  DEPARTMENT_PART_SKIPPED: {
    severity: 'info',
    zh: '单元格中的一个部门按导入人的选择跳过，其余部门照常导入',
    en: 'One department of the cell is skipped, as the uploader chose; the others are imported',
  },
  DEPARTMENT_MAPPED: {
    severity: 'info',
    zh: '部门按导入人的对应关系导入',
    en: 'The department was mapped by the uploader',
  },
  DEPARTMENT_FORBIDDEN: {
    severity: 'error',
    zh: '不是导入人所在的部门：只能导入本部门的数据',
    en: "Not the uploader's department: only the own department's rows may be imported",
  },
  DEPARTMENT_REQUIRED: {
    severity: 'error',
    zh: '文件没有写明部门，且未选择这些行所属的部门：请在列对应中指定部门列，或在导入时选择部门',
    en: 'The file names no department and none was chosen for these rows: map the department column, or choose the department when importing',
  },
  INSPECTOR_OTHER_DEPARTMENT: {
    severity: 'error',
    zh: '执法证号属于其他部门的执法人员：不能由本部门导入修改或调入本部门',
    en: "The certificate number is another department's inspector: it cannot be changed or moved by this department",
  },
} as const satisfies Record<string, { severity: Severity; zh: string; en?: string }>;

export type ReasonCode = keyof typeof ROW_REASONS;

export interface RowReason {
  readonly code: ReasonCode;
  readonly severity: Severity;
  /** The record field concerned, if any. */
  readonly field?: string;
  /** The header text of that column, as in the file. */
  readonly header?: string;
  /** The cell text concerned (raw), if useful. */
  readonly value?: string;
  /** Chinese message, specific to this row. */
  readonly zh: string;
}

export function reason(
  code: ReasonCode,
  at?: { field?: string; header?: string; value?: string; detail?: string },
): RowReason {
  const def = ROW_REASONS[code];
  const where = at?.header ? `【${at.header}】` : '';
  const detail = at?.detail ? `（${at.detail}）` : '';
  return {
    code,
    severity: def.severity,
    ...(at?.field !== undefined ? { field: at.field } : {}),
    ...(at?.header !== undefined ? { header: at.header } : {}),
    ...(at?.value !== undefined ? { value: at.value } : {}),
    zh: `${where}${def.zh}${detail}`,
  };
}

export type Verdict = 'accepted' | 'warned' | 'rejected' | 'merged';

export function verdictOf(reasons: readonly RowReason[]): 'accepted' | 'warned' | 'rejected' {
  let v: 'accepted' | 'warned' | 'rejected' = 'accepted';
  for (const r of reasons) {
    if (r.severity === 'error') return 'rejected';
    if (r.severity === 'warning') v = 'warned';
  }
  return v;
}
