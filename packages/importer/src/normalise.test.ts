import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyCode } from '@choucha/core';
import {
  excelSerialToIso,
  normaliseEntityStatus,
  normaliseEntityType,
  parseCapital,
  parseDate,
  parseDateRange,
  splitIndustry,
} from './normalise.ts';
import { numberText } from './workbook.ts';

const dateArb = fc.date({
  min: new Date(Date.UTC(1950, 0, 1)),
  max: new Date(Date.UTC(2100, 11, 31)),
  noInvalidDate: true,
});

describe('dates', () => {
  it('reads the shapes bureaus type', () => {
    for (const s of [
      '2019-03-05',
      '2019/3/5',
      '2019.3.5',
      '2019年3月5日',
      '20190305',
      '2019-03-05 00:00:00',
      '43529',
      '２０１９－０３－０５',
    ]) {
      expect(parseDate(s)).toMatchObject({ iso: '2019-03-05' });
    }
    expect(parseDate('')).toBeNull();
    for (const s of ['2019-02-30', '2019-13-01', '三月五日', '19-3-5', '2019年3月'])
      expect(parseDate(s)).toEqual({ invalid: true });
  });

  it('property: every date written in any shape (or as an Excel serial) reads back as its ISO date', () => {
    fc.assert(
      fc.property(dateArb, fc.nat(4), (d, shape) => {
        const y = d.getUTCFullYear();
        const m = d.getUTCMonth() + 1;
        const day = d.getUTCDate();
        const iso = d.toISOString().slice(0, 10);
        const p2 = (n: number) => String(n).padStart(2, '0');
        const serial = Math.round((Date.UTC(y, m - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
        const text = [
          iso,
          `${y}/${m}/${day}`,
          `${y}年${m}月${day}日`,
          `${y}${p2(m)}${p2(day)}`,
          String(serial),
        ][shape] as string;
        expect(parseDate(text)).toMatchObject({ iso });
        expect(excelSerialToIso(serial)).toBe(iso);
      }),
    );
  });

  it('reads validity ranges', () => {
    expect(parseDateRange('2021-01-01至2026-12-31')).toMatchObject({ from: '2021-01-01', to: '2026-12-31' });
    expect(parseDateRange('2020.06.01-2023.05.31')).toMatchObject({ from: '2020-06-01', to: '2023-05-31' });
    expect(parseDateRange('至2027年12月31日')).toMatchObject({ from: null, to: '2027-12-31' });
    expect(parseDateRange('长期')).toMatchObject({ from: null, to: null, invalid: false, open: true });
  });
});

describe('numbers from cells', () => {
  it('property: integers below 10^15 come back as exact digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 - 1 }), (n) => {
        expect(numberText(n)).toEqual({ text: String(n), note: 'number' });
      }),
    );
  });

  it('property: an 18-digit code stored as a number is never a digit string, and is unrecoverable', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 17n, max: 10n ** 18n - 1n }), (n) => {
        const t = numberText(Number(n));
        expect(t.note).toBe('float_unsafe');
        expect(t.text).toMatch(/E\+1[78]$/);
        expect(classifyCode(t.text).kind).toBe('unrecoverable');
      }),
    );
  });
});

describe('vocabularies', () => {
  it('normalises where obvious and keeps the raw text otherwise', () => {
    expect(normaliseEntityType('有限责任公司(自然人投资或控股)')).toEqual({
      value: '有限责任公司',
      known: true,
    });
    expect(normaliseEntityType('个体')).toEqual({ value: '个体工商户', known: true });
    expect(normaliseEntityType('有限责任公司分公司')).toEqual({ value: '分支机构', known: true });
    expect(normaliseEntityType('其他')).toEqual({ value: '其他', known: false });
    expect(normaliseEntityStatus('存续（在营、开业、在册）').value).toBe('存续');
    expect(normaliseEntityStatus('吊销，未注销').value).toBe('吊销');
    expect(normaliseEntityStatus('吊销，已注销').value).toBe('注销');
    expect(normaliseEntityStatus('开业').value).toBe('在营');
  });

  it('reads registered capital in 万元', () => {
    expect(parseCapital('100万元')).toEqual({ value: '100', currency: null });
    expect(parseCapital('1,000.50')).toEqual({ value: '1000.5', currency: null });
    expect(parseCapital('1.2亿元')).toEqual({ value: '12000', currency: null });
    expect(parseCapital('50万美元')).toEqual({ value: '50', currency: '美元' });
    expect(parseCapital('若干')).toEqual({ invalid: true });
  });

  it('splits industry code and name', () => {
    expect(splitIndustry('F5211 百货零售')).toEqual({ code: 'F5211', name: '百货零售' });
    expect(splitIndustry('F批发和零售业')).toEqual({ code: 'F', name: '批发和零售业' });
    expect(splitIndustry('批发和零售业')).toEqual({ code: null, name: '批发和零售业' });
  });
});
