/**
 * Every error code has a Chinese text fit for the Chinese UI and an English one (issue 8 §6), and
 * the check that decides "fit" tells Chinese from English.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError, ERROR_TABLE, type ErrorCode } from './errors.ts';
import { englishPhrase, hasCjk, isChineseText } from './zh-text.ts';

describe('ERROR_TABLE', () => {
  it('every code: a Chinese text without an English phrase, an English text, a 4xx/5xx status', () => {
    const bad: string[] = [];
    for (const [code, row] of Object.entries(ERROR_TABLE)) {
      if (!/^[A-Z][A-Z0-9_]+$/.test(code)) bad.push(`${code}: not an UPPER_SNAKE code`);
      if (!isChineseText(row.zh)) bad.push(`${code}: zh "${row.zh}" (${englishPhrase(row.zh) ?? 'no CJK'})`);
      if (!row.en.trim() || hasCjk(row.en.replace(/[“”"][^“”"]*[“”"]|\(不免抽\)/g, '')))
        bad.push(`${code}: en "${row.en}"`);
      if (!(row.status >= 400 && row.status <= 599)) bad.push(`${code}: status ${row.status}`);
    }
    expect(bad).toEqual([]);
  });

  it('an AppError without a message carries the English text and the status of its code', () => {
    const e = new AppError('RESULT_NOT_ON_TEAM');
    expect([e.code, e.status, e.message]).toEqual([
      'RESULT_NOT_ON_TEAM',
      403,
      'Only inspectors on this target’s team may enter its result',
    ]);
    expect(ERROR_TABLE.RESULT_NOT_ON_TEAM.zh).toBe('只有该检查对象检查组内的执法人员才能录入其检查结果');
    const codes = Object.keys(ERROR_TABLE) as ErrorCode[];
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('isChineseText', () => {
  it('accepts Chinese with single Latin tokens, refuses English phrases', () => {
    expect(isChineseText('drand 随机信标校验失败')).toBe(true);
    expect(isChineseText('不支持的请求内容类型（请使用 application/json）')).toBe(true);
    expect(isChineseText('输入含有空字符（U+0000）')).toBe(true);
    expect(isChineseText('未发现问题 cannot be combined with a finding')).toBe(false);
    expect(isChineseText('Only inspectors on this target’s team may enter its result')).toBe(false);
    expect(isChineseText('temporarily excluded: 整治期间')).toBe(false);
    expect(isChineseText('Leaders have read-only access')).toBe(false);
    expect(isChineseText('')).toBe(false);
    expect(englishPhrase('代码 cannot be 使用')).toBe('cannot be');
  });

  it('any two English words joined by a space in a Chinese text make it not Chinese', () => {
    const word = fc.stringMatching(/^[a-z]{2,8}$/);
    const cjk = fc.constantFrom('检查', '主体', '部门', '结果');
    fc.assert(
      fc.property(cjk, word, word, cjk, (a, w1, w2, b) => {
        expect(isChineseText(`${a}${w1} ${w2}${b}`)).toBe(false);
        expect(isChineseText(`${a} ${w1} ${b}`)).toBe(true);
      }),
    );
  });
});
