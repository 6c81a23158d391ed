/**
 * The organisation a deployment serves (province → city → district, GB/T 2260 region codes) and
 * the checks of department contact data. Pure functions; the services store and audit.
 */

export interface Region {
  name: string;
  /** six-digit GB/T 2260 code */
  code: string;
}

export interface OrganisationValue {
  province: Region;
  city: Region;
  district: Region;
  /** the bureau that leads the joint meeting (牵头单位), usually the market-supervision bureau */
  leadBureauName: string;
  /** set when the first administrator finishes the setup wizard */
  setupCompletedAt: string | null;
}

export type RegionProblem =
  | 'PROVINCE_CODE_FORMAT'
  | 'CITY_CODE_FORMAT'
  | 'CITY_NOT_IN_PROVINCE'
  | 'DISTRICT_CODE_FORMAT'
  | 'DISTRICT_NOT_IN_CITY'
  | 'NAME_REQUIRED';

/**
 * GB/T 2260: a province is PP0000 (PP from 11 to 82), a city PPCC00 (CC ≠ 00) of its province, a
 * district or county PPCCDD (DD ≠ 00) of its city. Answers the problems by field, empty when valid.
 */
export function regionCodeProblems(o: {
  province: Region;
  city: Region;
  district: Region;
}): { field: string; problem: RegionProblem }[] {
  const out: { field: string; problem: RegionProblem }[] = [];
  for (const f of ['province', 'city', 'district'] as const)
    if (o[f].name.trim().length === 0) out.push({ field: `${f}.name`, problem: 'NAME_REQUIRED' });
  const p = o.province.code;
  const c = o.city.code;
  const d = o.district.code;
  const pOk = /^[1-8][0-9]0000$/.test(p) && Number(p.slice(0, 2)) >= 11 && Number(p.slice(0, 2)) <= 82;
  if (!pOk) out.push({ field: 'province.code', problem: 'PROVINCE_CODE_FORMAT' });
  const cOk = /^[0-9]{4}00$/.test(c) && c.slice(2, 4) !== '00';
  if (!cOk) out.push({ field: 'city.code', problem: 'CITY_CODE_FORMAT' });
  else if (pOk && c.slice(0, 2) !== p.slice(0, 2))
    out.push({ field: 'city.code', problem: 'CITY_NOT_IN_PROVINCE' });
  const dOk = /^[0-9]{6}$/.test(d) && d.slice(4, 6) !== '00' && d.slice(2, 4) !== '00';
  if (!dOk) out.push({ field: 'district.code', problem: 'DISTRICT_CODE_FORMAT' });
  else if (cOk && d.slice(0, 4) !== c.slice(0, 4))
    out.push({ field: 'district.code', problem: 'DISTRICT_NOT_IN_CITY' });
  return out;
}

/**
 * A mainland phone number as a liaison officer gives it: a mobile 1[3-9]xxxxxxxxx (an optional
 * +86 / 86 in front), or a landline with its area code 0xx(x)-xxxxxxx(x), with an optional
 * extension (-123 / 转123). Spaces and dashes between the digit groups are allowed.
 */
export function normalisePhone(raw: string): string | undefined {
  const s = raw
    .normalize('NFKC')
    .trim()
    .replace(/[\s\u3000]+/g, '');
  if (s.length === 0 || s.length > 30) return undefined;
  const mobile = /^(?:\+?86-?)?(1[3-9][0-9])-?([0-9]{4})-?([0-9]{4})$/.exec(s);
  if (mobile) return `${mobile[1]}${mobile[2]}${mobile[3]}`;
  const land = /^\(?(0[1-9][0-9]{1,2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转|#)([0-9]{1,6}))?$/.exec(s);
  if (land) return `${land[1]}-${land[2]}${land[3] ? `-${land[3]}` : ''}`;
  return undefined;
}

/** Department levels, highest first. */
export const DEPARTMENT_LEVELS = ['province', 'city', 'district'] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];

/** The level names as Chinese files write them. */
export const DEPARTMENT_LEVEL_NAMES: Record<DepartmentLevel, readonly string[]> = {
  province: ['省级', '省', '省级部门', 'province'],
  city: ['市级', '市', '地市级', '市级部门', 'city'],
  district: ['区县级', '区级', '县级', '区', '县', '区县', '区级部门', '县级部门', 'district'],
};

export function parseDepartmentLevel(raw: string): DepartmentLevel | undefined {
  const s = raw.normalize('NFKC').trim().toLowerCase();
  for (const l of DEPARTMENT_LEVELS) if (DEPARTMENT_LEVEL_NAMES[l].includes(s)) return l;
  return undefined;
}

/** Split a multi-valued cell (aliases) on 、，,；; and line breaks; blanks dropped, duplicates once. */
export function splitNameList(raw: string): string[] {
  const out: string[] = [];
  for (const p of raw.split(/[、，,；;\r\n]+/)) {
    const t = p.trim();
    if (t.length > 0 && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Problems of a department as entered or imported: a code, a field, both languages. */
export const DEPARTMENT_PROBLEMS = {
  NAME_REQUIRED: { zh: '缺少部门名称', en: 'The full name is missing' },
  SHORT_NAME_REQUIRED: { zh: '缺少简称', en: 'The short name is missing' },
  CODE_FORMAT: {
    zh: '部门代码只能由字母、数字、下划线和短横线组成（最多 32 位）',
    en: 'The code may have letters, digits, _ and - only (at most 32)',
  },
  TOO_LONG: { zh: '内容过长', en: 'The text is too long' },
  TEXT_INVALID: {
    zh: '含有空字符（U+0000）或孤立的 Unicode 代理项，不能保存',
    en: 'The cell holds a NUL character (U+0000) or a lone surrogate and cannot be stored',
  },
  PHONE_INVALID: {
    zh: '联系电话应为 11 位手机号或带区号的固定电话',
    en: 'The phone must be a mobile number or a landline with its area code',
  },
  LEVEL_UNKNOWN: { zh: '层级应为 省级、市级 或 区县级', en: 'The level must be province, city or district' },
  PARENT_UNKNOWN: { zh: '找不到上级部门', en: 'The parent department is not known' },
  PARENT_AMBIGUOUS: { zh: '上级部门名称对应多个部门', en: 'The parent name fits several departments' },
  PARENT_LEVEL: {
    zh: '上级部门的层级须高于本部门',
    en: 'The parent must be of a higher level than the department',
  },
  DUPLICATE_IN_FILE: { zh: '文件中重复出现的部门', en: 'The department appears twice in the file' },
  CODE_TAKEN: { zh: '部门代码已被另一部门使用', en: 'The code belongs to another department' },
  NAME_TAKEN: { zh: '部门名称已被另一部门使用', en: 'The name belongs to another department' },
  LEAD_MULTIPLE: { zh: '只能有一个牵头部门', en: 'There can be one lead bureau only' },
  ALIAS_TAKEN: {
    zh: '别名已是另一部门的名称或别名',
    en: 'The alias is already another department’s name or alias',
  },
} as const;
export type DepartmentProblemCode = keyof typeof DEPARTMENT_PROBLEMS;
export interface DepartmentProblem {
  code: DepartmentProblemCode;
  field: string;
  zh: string;
  en: string;
}
export function departmentProblem(code: DepartmentProblemCode, field: string): DepartmentProblem {
  return { code, field, ...DEPARTMENT_PROBLEMS[code] };
}
