/**
 * The district's rules (本地区抽查规则): the figures a draw, the dashboard and the upload route use.
 * They are stored in the settings table under DISTRICT_RULES_KEY (services/admin/settings.ts);
 * a value that was never stored is the default below, which is what the code used as constants
 * before issue 8. Pure: validation gives every problem with a field, a code and its parameters.
 */
import { err, ok, type Result } from './result.ts';

export const DISTRICT_RULES_KEY = 'district_rules';

export interface DistrictRules {
  /** Inspectors matched to each target (行政处罚法 art. 42: at least 2). */
  teamSize: number;
  /** An entity inspected by the department for the same item within this many months is left out. */
  coolDownMonths: number;
  /** At most this many draws of one entity per calendar year, across all departments. */
  yearlyCap: number;
  /** The credit-risk classes in use (A–D nationally; some provinces use A–E). */
  riskClasses: string[];
  /** The class an entity without a class is drawn with (one of riskClasses). */
  unclassifiedClass: string;
  /** At most this many targets per inspector and year; null: no cap. */
  maxLoadPerInspector: number | null;
  /** Yearly target of the joint-inspection share, in percent (seed: 8 %). */
  jointSharePercent: number;
  /** Yearly target of objects inspected jointly (seed: 120). */
  jointObjectsTarget: number;
  /** Largest file accepted by an upload, in MB (the server's own ceiling still applies). */
  uploadLimitMb: number;
}

export const DEFAULT_DISTRICT_RULES: Readonly<DistrictRules> = Object.freeze({
  teamSize: 2,
  coolDownMonths: 6,
  yearlyCap: 3,
  riskClasses: ['A', 'B', 'C', 'D'],
  unclassifiedClass: 'B',
  maxLoadPerInspector: null,
  jointSharePercent: 8,
  jointObjectsTarget: 120,
  uploadLimitMb: 50,
});

export const RULE_FIELDS = [
  'teamSize',
  'coolDownMonths',
  'yearlyCap',
  'riskClasses',
  'unclassifiedClass',
  'maxLoadPerInspector',
  'jointSharePercent',
  'jointObjectsTarget',
  'uploadLimitMb',
] as const satisfies readonly (keyof DistrictRules)[];
export type RuleField = (typeof RULE_FIELDS)[number];

/** Numeric bounds (inclusive). `integer`: whole numbers only; `decimals`: at most so many places. */
export const RULE_BOUNDS = {
  teamSize: { min: 2, max: 10, integer: true },
  coolDownMonths: { min: 0, max: 36, integer: true },
  yearlyCap: { min: 1, max: 100, integer: true },
  maxLoadPerInspector: { min: 1, max: 10000, integer: true },
  jointSharePercent: { min: 0, max: 100, integer: false, decimals: 2 },
  jointObjectsTarget: { min: 0, max: 1000000, integer: true },
  uploadLimitMb: { min: 1, max: 500, integer: true },
} as const satisfies Partial<
  Record<RuleField, { min: number; max: number; integer: boolean; decimals?: number }>
>;

/** A risk-class label: 1–4 capital letters or digits (A, B, C1 …). At most 10 classes. */
export const RISK_CLASS_PATTERN = /^[A-Z0-9]{1,4}$/;
export const MAX_RISK_CLASSES = 10;

export const RULE_ISSUE_CODES = [
  'RULE_UNKNOWN_FIELD',
  'RULE_NOT_A_NUMBER',
  'RULE_NOT_INTEGER',
  'RULE_TOO_MANY_DECIMALS',
  'RULE_OUT_OF_RANGE',
  'RULE_CLASSES_INVALID',
  'RULE_CLASS_UNKNOWN',
] as const;
export type RuleIssueCode = (typeof RULE_ISSUE_CODES)[number];

export interface RuleIssue {
  field: string;
  code: RuleIssueCode;
  params: Record<string, string | number>;
}

/** zh + en texts of the issue codes ({name} is a parameter). */
export const RULE_ISSUE_TEXT: Record<RuleIssueCode, { zh: string; en: string }> = {
  RULE_UNKNOWN_FIELD: { zh: '未知的规则项', en: 'Unknown rule' },
  RULE_NOT_A_NUMBER: { zh: '请填写数字', en: 'Enter a number' },
  RULE_NOT_INTEGER: { zh: '请填写整数', en: 'Enter a whole number' },
  RULE_TOO_MANY_DECIMALS: { zh: '最多保留 {decimals} 位小数', en: 'At most {decimals} decimal places' },
  RULE_OUT_OF_RANGE: { zh: '取值范围为 {min}–{max}', en: 'Allowed range: {min}–{max}' },
  RULE_CLASSES_INVALID: {
    zh: '风险分类须为 1–{max} 个互不相同的标签（大写字母或数字，最多 4 位）',
    en: '1–{max} distinct class labels (capital letters or digits, up to 4 characters)',
  },
  RULE_CLASS_UNKNOWN: {
    zh: '须为已配置的风险分类之一：{classes}',
    en: 'Must be one of the configured classes: {classes}',
  },
};

export function ruleIssueText(issue: RuleIssue, lang: 'zh' | 'en'): string {
  return RULE_ISSUE_TEXT[issue.code][lang].replace(/\{(\w+)\}/g, (m, k: string) =>
    k in issue.params ? String(issue.params[k]) : m,
  );
}

function checkNumber(field: RuleField & keyof typeof RULE_BOUNDS, v: unknown, issues: RuleIssue[]): void {
  const b: { min: number; max: number; integer: boolean; decimals?: number } = RULE_BOUNDS[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ field, code: 'RULE_NOT_A_NUMBER', params: {} });
    return;
  }
  if (b.integer && !Number.isInteger(v)) {
    issues.push({ field, code: 'RULE_NOT_INTEGER', params: {} });
    return;
  }
  if (b.decimals !== undefined && Math.abs(Math.round(v * 10 ** b.decimals) - v * 10 ** b.decimals) > 1e-6) {
    issues.push({ field, code: 'RULE_TOO_MANY_DECIMALS', params: { decimals: b.decimals } });
    return;
  }
  if (v < b.min || v > b.max)
    issues.push({ field, code: 'RULE_OUT_OF_RANGE', params: { min: b.min, max: b.max } });
}

/**
 * Check a complete rules object (unknown input: a stored value or a merged patch). Either the
 * rules, normalised (a fresh object), or every problem found, in RULE_FIELDS order.
 */
export function validateDistrictRules(input: unknown): Result<DistrictRules, RuleIssue[]> {
  const issues: RuleIssue[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return err([{ field: '', code: 'RULE_UNKNOWN_FIELD', params: {} }]);
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!(RULE_FIELDS as readonly string[]).includes(k))
      issues.push({ field: k, code: 'RULE_UNKNOWN_FIELD', params: {} });
  checkNumber('teamSize', o.teamSize, issues);
  checkNumber('coolDownMonths', o.coolDownMonths, issues);
  checkNumber('yearlyCap', o.yearlyCap, issues);
  const classes = o.riskClasses;
  const classesOk =
    Array.isArray(classes) &&
    classes.length >= 1 &&
    classes.length <= MAX_RISK_CLASSES &&
    classes.every((c) => typeof c === 'string' && RISK_CLASS_PATTERN.test(c)) &&
    new Set(classes).size === classes.length;
  if (!classesOk)
    issues.push({ field: 'riskClasses', code: 'RULE_CLASSES_INVALID', params: { max: MAX_RISK_CLASSES } });
  const u = o.unclassifiedClass;
  if (classesOk && !(typeof u === 'string' && (classes as string[]).includes(u)))
    issues.push({
      field: 'unclassifiedClass',
      code: 'RULE_CLASS_UNKNOWN',
      params: { classes: (classes as string[]).join('、') },
    });
  if (o.maxLoadPerInspector !== null) checkNumber('maxLoadPerInspector', o.maxLoadPerInspector, issues);
  checkNumber('jointSharePercent', o.jointSharePercent, issues);
  checkNumber('jointObjectsTarget', o.jointObjectsTarget, issues);
  checkNumber('uploadLimitMb', o.uploadLimitMb, issues);
  if (issues.length) return err(issues);
  return ok({
    teamSize: o.teamSize as number,
    coolDownMonths: o.coolDownMonths as number,
    yearlyCap: o.yearlyCap as number,
    riskClasses: [...(classes as string[])],
    unclassifiedClass: u as string,
    maxLoadPerInspector: o.maxLoadPerInspector as number | null,
    jointSharePercent: o.jointSharePercent as number,
    jointObjectsTarget: o.jointObjectsTarget as number,
    uploadLimitMb: o.uploadLimitMb as number,
  });
}

/**
 * The stored value merged over the defaults: fields the stored value lacks (added after it was
 * saved) take their default; a stored value that no longer validates is ignored field by field.
 */
export function mergeDistrictRules(stored: unknown): DistrictRules {
  const base: DistrictRules = {
    ...DEFAULT_DISTRICT_RULES,
    riskClasses: [...DEFAULT_DISTRICT_RULES.riskClasses],
  };
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return base;
  const s = stored as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const f of RULE_FIELDS) if (f in s) merged[f] = s[f];
  const whole = validateDistrictRules(merged);
  if (whole.ok) return whole.value;
  // keep each field that is valid on its own (against the defaults)
  const bad = new Set(whole.error.map((i) => i.field));
  for (const f of bad) merged[f] = (base as unknown as Record<string, unknown>)[f];
  const again = validateDistrictRules(merged);
  return again.ok ? again.value : base;
}

/** The fields of the rules that differ between two values, for the confirmation and the history. */
export function diffDistrictRules(
  before: DistrictRules,
  after: DistrictRules,
): { field: RuleField; before: unknown; after: unknown }[] {
  return RULE_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({
    field: f,
    before: before[f],
    after: after[f],
  }));
}

/** What a draw records in draws.rules: the rules that shaped its roster and its teams. */
export function drawRulesOf(r: DistrictRules) {
  return {
    teamSize: r.teamSize,
    coolDownMonths: r.coolDownMonths,
    yearlyCap: r.yearlyCap,
    riskClasses: [...r.riskClasses],
    unclassifiedClass: r.unclassifiedClass,
    maxLoadPerInspector: r.maxLoadPerInspector,
  };
}
export type DrawRulesRecord = ReturnType<typeof drawRulesOf>;
