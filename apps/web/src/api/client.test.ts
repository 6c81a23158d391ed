/**
 * In the Chinese UI (the default language) an error shows its code's Chinese text, and the
 * server's own message beside it only when that message is Chinese (issue 8 §6).
 */
import { describe, expect, it } from 'vitest';
import { ApiError, errorDetail, localizedErrorMessage } from './client.ts';
import { getLang } from '../i18n/index.tsx';

describe('API errors in the Chinese UI', () => {
  it('the default language is Chinese', () => {
    expect(getLang()).toBe('zh');
  });

  it('a known code shows its Chinese text; an English server message is not shown beside it', () => {
    const e = new ApiError(
      403,
      'RESULT_NOT_ON_TEAM',
      'Only inspectors on this target’s team may enter its result',
    );
    expect(e.message).toBe('只有该检查对象检查组内的执法人员才能录入其检查结果');
    expect(errorDetail(e)).toBeUndefined();
    const v = new ApiError(400, 'DRAW_RATIO_INVALID', 'The minimum 5 exceeds the maximum 3');
    expect([v.message, errorDetail(v)]).toEqual(['抽查比例不合法', undefined]);
  });

  it("the importer's Chinese specifics are shown beside the code's text", () => {
    const e = new ApiError(400, 'IMPORT_FILE_CORRUPT', '文件已损坏或无法读取：第 3 个工作表无法解压');
    expect(e.message).toBe('文件已损坏或无法读取');
    expect(errorDetail(e)).toBe('文件已损坏或无法读取：第 3 个工作表无法解压');
    // Chinese with an English phrase in it is English
    const mixed = new ApiError(400, 'RESULT_INVALID_CODE', '未发现问题 cannot be combined with a finding');
    expect(errorDetail(mixed)).toBeUndefined();
  });

  it('an unknown code (a proxy, a newer server) is named in Chinese, never with its English text', () => {
    expect(localizedErrorMessage('HTTP_502', 'Bad Gateway')).toBe('请求失败（HTTP_502）');
    expect(localizedErrorMessage('SOMETHING_NEW', '新的错误：请稍后再试')).toBe('新的错误：请稍后再试');
    expect(new ApiError(502, 'HTTP_502', 'Bad Gateway').message).toBe('请求失败（HTTP_502）');
  });
});
