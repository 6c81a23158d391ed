/**
 * Why an entity was left out of a draw's roster: a stable code, its parameters, and the texts in
 * both languages. The services store the code and parameters (draw_exclusions.reason_code,
 * reason_params) and, for the audit trail and older readers, the English sentence in `reason`;
 * the web renders the text of the code in the user's language. A test keeps every code translated.
 */

export const DRAW_EXCLUSION_REASONS = {
  DRAW_EXCLUDED_TEMPORARY: {
    label: { zh: '暂时排除', en: 'temporarily excluded' },
    zh: '暂时排除出抽取：{reason}',
    en: 'temporarily excluded: {reason}',
  },
  DRAW_EXCLUDED_COOLDOWN: {
    label: { zh: '冷却期', en: 'cool-down' },
    zh: '冷却期：{months} 个月内已因相同事项在“{task}”（{date}）中被抽取',
    en: 'cool-down: inspected for the same item in "{task}" ({date}), within {months} months',
  },
  DRAW_EXCLUDED_CAP: {
    label: { zh: '年度上限', en: 'yearly cap' },
    zh: '年度上限：{year} 年已被抽取 {count} 次（各部门合计上限 {cap} 次）',
    en: 'yearly cap: already drawn {count} times in {year} (cap {cap} across all departments)',
  },
  DRAW_EXCLUDED_NO_CODE: {
    label: { zh: '无可用代码', en: 'no usable code' },
    zh: '无可用代码（统一社会信用代码或注册号），见重错码纠错',
    en: 'no usable code (USCC or registration number); see the 重错码 queue',
  },
  DRAW_EXCLUDED_KEY_FORMAT: {
    label: { zh: '代码不能作为抽取编号', en: 'code not usable as a draw key' },
    zh: '登记号“{code}”为文字编号，不能作为抽取名录编号（须为统一社会信用代码或数字、字母组成的注册号），请在名录中补录统一社会信用代码',
    en: 'the registration number "{code}" is a text number and cannot be a roster key (a USCC or a registration number of digits and letters is needed); add the entity\'s USCC',
  },
  DRAW_EXCLUDED_DUPLICATE_CODE: {
    label: { zh: '代码重复', en: 'duplicate code' },
    zh: '代码 {code} 重复（另见主体 #{otherEntityId}），待重错码纠错',
    en: 'duplicate code {code} (also entity {otherEntityId}); pending 重错码 correction',
  },
  DRAW_EXCLUDED_STATUS: {
    label: { zh: '经营状态', en: 'status' },
    zh: '经营状态为“{status}”，不在抽取范围内',
    en: 'status "{status}" is not drawn',
  },
} as const satisfies Record<string, { label: { zh: string; en: string }; zh: string; en: string }>;

export type DrawExclusionCode = keyof typeof DRAW_EXCLUSION_REASONS;
export type DrawExclusionParams = Record<string, string | number>;

export function isDrawExclusionCode(code: unknown): code is DrawExclusionCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(DRAW_EXCLUSION_REASONS, code);
}

function fill(template: string, params: DrawExclusionParams | null | undefined): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    params && name in params ? String(params[name]) : m,
  );
}

/** The sentence for a reason in a language. */
export function drawExclusionText(
  code: DrawExclusionCode,
  params: DrawExclusionParams | null | undefined,
  lang: 'zh' | 'en',
): string {
  return fill(DRAW_EXCLUSION_REASONS[code][lang], params);
}

/** One exclusion as the services record it: code, parameters and the English sentence. */
export interface DrawExclusionReason {
  code: DrawExclusionCode;
  params: DrawExclusionParams;
  /** The English sentence (draw_exclusions.reason, kept for the audit trail and older readers). */
  reason: string;
}

export function drawExclusion(
  code: DrawExclusionCode,
  params: DrawExclusionParams = {},
): DrawExclusionReason {
  return { code, params, reason: drawExclusionText(code, params, 'en') };
}
