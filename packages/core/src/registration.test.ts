import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classifyRegistrationNumber,
  normaliseRegistrationText,
  regNoCheckDigit,
  REG_NO_KINDS,
} from './registration.ts';
import { classifyCode, completeRegNo } from './uscc.ts';

describe('registration numbers', () => {
  it('classifies the four kinds', () => {
    const reg15 = completeRegNo('61010360012345');
    expect(classifyRegistrationNumber(reg15)).toEqual({ kind: 'reg15', code: reg15, checkFailed: false });
    expect(classifyRegistrationNumber('6101031234567')).toEqual({
      kind: 'reg13',
      code: '6101031234567',
      checkFailed: false,
    });
    expect(classifyRegistrationNumber('610103NA000123X')).toEqual({
      kind: 'reg15_alnum',
      code: '610103NA000123X',
      checkFailed: false,
    });
    expect(classifyRegistrationNumber('企独陕总字第001234号')).toEqual({
      kind: 'text',
      code: '企独陕总字第001234号',
      checkFailed: false,
    });
    expect(classifyRegistrationNumber('企合陕西安总字第000123号')?.kind).toBe('text');
    expect(classifyRegistrationNumber('工商企字第1234号')?.kind).toBe('text');
  });

  it('refuses texts that are no registration number', () => {
    for (const s of [
      '',
      '12345',
      '61010312345678',
      '碑林区',
      '第号',
      '企独陕总字第号',
      'ABCDEF123456789',
      '有限公司',
    ])
      expect(classifyRegistrationNumber(s)).toBeUndefined();
  });

  it('reports a wrong reg15 check digit (a warning for the caller)', () => {
    const good = completeRegNo('61010360012345');
    const bad = good.slice(0, 14) + String((Number(good[14]) + 1) % 10);
    expect(classifyRegistrationNumber(bad)).toEqual({ kind: 'reg15', code: bad, checkFailed: true });
  });

  it('normalises full-width characters, spaces and lower case', () => {
    expect(normaliseRegistrationText(' 企独陕总字第００１２３４号 ')).toBe('企独陕总字第001234号');
    expect(normaliseRegistrationText('610103na000123x')).toBe('610103NA000123X');
  });

  it('the classifier of codes stores them as registration numbers with their kind, never as malformed', () => {
    expect(classifyCode('6101031234567')).toEqual({
      kind: 'reg_no',
      code: '6101031234567',
      regNoKind: 'reg13',
      warnings: [],
    });
    expect(classifyCode('610103na000123x')).toEqual({
      kind: 'reg_no',
      code: '610103NA000123X',
      regNoKind: 'reg15_alnum',
      warnings: ['NORMALISED'],
    });
    expect(classifyCode('企独陕总字第001234号')).toEqual({
      kind: 'reg_no',
      code: '企独陕总字第001234号',
      regNoKind: 'text',
      warnings: [],
    });
  });

  it('property: every completed 15-digit number is reg15 with a passing check; one changed digit fails', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-6]\d{13}$/),
        fc.nat(13),
        fc.integer({ min: 1, max: 9 }),
        (f14, pos, d) => {
          const code = completeRegNo(f14);
          expect(classifyRegistrationNumber(code)).toEqual({ kind: 'reg15', code, checkFailed: false });
          const changed = f14.slice(0, pos) + String((Number(f14[pos]) + d) % 10) + f14.slice(pos + 1);
          // MOD 11,10 detects every single-digit substitution
          expect(regNoCheckDigit(changed)).not.toBe(code[14]);
        },
      ),
    );
  });

  it('property: 13 digits are reg13; 6 digits + 9 characters with a letter are reg15_alnum', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), fc.stringMatching(/^\d{6}[0-9A-Z]{9}$/), (d13, a15) => {
        expect(classifyRegistrationNumber(d13)?.kind).toBe('reg13');
        expect(classifyRegistrationNumber(a15)?.kind).toBe(/[A-Z]/.test(a15) ? 'reg15_alnum' : 'reg15');
        expect(classifyCode(a15).kind).toBe('reg_no');
      }),
      { examples: [['0000000000000', '000000E00000000']] }, // once read as scientific notation
    );
  });

  it('property: text numbers 〈prefix〉字第〈serial〉号 are kind text and keep their text', () => {
    const prefix = fc.constantFrom('企独陕总', '企合陕西安总', '企作陕总', '工商企', '陕工商企');
    fc.assert(
      fc.property(prefix, fc.stringMatching(/^\d{1,8}$/), fc.boolean(), (p, serial, di) => {
        const text = `${p}字${di ? '第' : ''}${serial}号`;
        const r = classifyRegistrationNumber(text);
        expect(r).toEqual({ kind: 'text', code: text, checkFailed: false });
        expect(REG_NO_KINDS).toContain(r?.kind);
      }),
    );
  });
});
