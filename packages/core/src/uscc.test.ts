import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classifyCode,
  completeRegNo,
  completeUscc,
  looksFloatRounded,
  USCC_CHARSET,
  usccCheckChar,
} from './uscc.ts';

describe('USCC', () => {
  it('accepts a real-shaped code with the right check character', () => {
    // 91610103MA6TXXXX-like: compute the check character, then verify classification
    const code = completeUscc('91610103MA6U0A1B2');
    expect(classifyCode(code, '610103')).toEqual({ kind: 'uscc', code, warnings: [] });
  });

  it('treats a wrong check character as a warning, not a rejection', () => {
    const good = completeUscc('91610103MA6U0A1B2');
    const last = good[17] === '0' ? '1' : '0';
    const bad = good.slice(0, 17) + last;
    expect(classifyCode(bad)).toEqual({ kind: 'uscc', code: bad, warnings: ['USCC_CHECK_FAILED'] });
  });

  it('flags scientific notation as unrecoverable and keeps the raw text', () => {
    expect(classifyCode('9.14690062012665e+17')).toEqual({
      kind: 'unrecoverable',
      raw: '9.14690062012665e+17',
      reason: 'SCIENTIFIC_NOTATION',
    });
    expect(classifyCode('1E+17')).toMatchObject({ kind: 'unrecoverable', reason: 'SCIENTIFIC_NOTATION' });
    expect(classifyCode('6.1010360012345E-3')).toMatchObject({ reason: 'SCIENTIFIC_NOTATION' });
  });

  it('reads digits around one E without a point or a sign as a code with the letter E, not a number', () => {
    expect(classifyCode('000000E00000000')).toEqual({
      kind: 'reg_no',
      code: '000000E00000000',
      regNoKind: 'reg15_alnum',
      warnings: [],
    });
    const uscc = completeUscc('91610103300000E00');
    expect(classifyCode(uscc)).toMatchObject({ kind: 'uscc', code: uscc });
  });

  it('recovers a 15-digit registration number stored as a float', () => {
    const reg = completeRegNo('61010360012345');
    expect(classifyCode(`${reg}.0`)).toEqual({
      kind: 'reg_no',
      code: reg,
      regNoKind: 'reg15',
      warnings: ['RECOVERED_FROM_FLOAT'],
    });
  });

  it('refuses to trust an 18-digit code that went through a float', () => {
    expect(classifyCode('916101030000000000.0')).toMatchObject({ kind: 'unrecoverable' });
  });

  it('flags lost leading zeros and malformed codes', () => {
    expect(classifyCode('12345678901234')).toMatchObject({
      kind: 'unrecoverable',
      reason: 'LEADING_ZEROS_LOST',
    });
    expect(classifyCode('91610103MA6U0A1BI')).toMatchObject({ kind: 'malformed' });
    expect(classifyCode('')).toEqual({ kind: 'missing' });
  });

  it('warns on region mismatch', () => {
    const code = completeUscc('91610104MA6U0A1B2');
    expect(classifyCode(code, '610103')).toMatchObject({ warnings: ['USCC_REGION_MISMATCH'] });
    const city = completeUscc('91610100MA6U0A1B2');
    expect(classifyCode(city, '610103')).toMatchObject({ warnings: [] });
  });

  it('property: every completed code classifies as valid; any single substitution is caught', () => {
    const ch = fc.constantFrom(...USCC_CHARSET);
    fc.assert(
      fc.property(
        fc.tuple(ch, ch),
        fc.stringMatching(/^\d{6}$/),
        fc.array(ch, { minLength: 9, maxLength: 9 }),
        fc.nat(16),
        fc.nat(30),
        ([a, b], region, org, pos, delta) => {
          const first17 = a + b + region + org.join('');
          const code = completeUscc(first17);
          fc.pre(!looksFloatRounded(code)); // all digits ending in 000: see the float-damage tests
          const v = classifyCode(code);
          expect(v).toEqual({ kind: 'uscc', code, warnings: [] });
          // mod-31 weighted checksum with weights coprime to 31 detects every single substitution
          const chars = [...first17];
          const old = USCC_CHARSET.indexOf(chars[pos] as string);
          const nw = (old + 1 + delta) % 31;
          if (nw === old) return;
          if (pos >= 2 && pos < 8 && nw > 9) return; // region part must stay digits
          chars[pos] = USCC_CHARSET[nw] as string;
          expect(usccCheckChar(chars.join(''))).not.toBe(code[17]);
        },
      ),
    );
  });
});

/** What Excel keeps of an 18-digit number: 15 significant digits (Number → toPrecision(15)), as digits. */
function excelRounded(digits: string): string {
  const [mant = '', exp = '0'] = Number(digits).toPrecision(15).split('e');
  const intDigits = mant.replace('.', '');
  const e = Number(exp.replace('+', ''));
  return intDigits.padEnd(e + 1, '0');
}

describe('Excel damage to 18-digit codes', () => {
  it("flags the issue's example: 916101030000123000 from 9.16101030000123e17", () => {
    expect(excelRounded('916101030000123456')).toBe('916101030000123000');
    expect(classifyCode('916101030000123000')).toEqual({
      kind: 'unrecoverable',
      raw: '916101030000123000',
      reason: 'FLOAT_PRECISION_LOST',
    });
    expect(classifyCode('9.16101030000123e17')).toMatchObject({
      kind: 'unrecoverable',
      reason: 'SCIENTIFIC_NOTATION',
    });
  });

  it('property: any valid all-digit USCC passed through 15-significant-digit rounding is flagged, never a USCC', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^9[1-3]\d{15}$/), (first17) => {
        const code = completeUscc(first17);
        fc.pre(/^\d{18}$/.test(code));
        const rounded = excelRounded(code);
        fc.pre(rounded.length === 18); // 999…9 rounds up to 19 digits: not a code any more
        const v = classifyCode(rounded);
        if (rounded === code) {
          // nothing was lost, but the text cannot tell: it is flagged all the same
          expect(v).toMatchObject({ kind: 'unrecoverable', reason: 'FLOAT_PRECISION_LOST' });
        } else expect(v).toEqual({ kind: 'unrecoverable', raw: rounded, reason: 'FLOAT_PRECISION_LOST' });
        expect(v.kind).not.toBe('uscc');
        // and the float text itself, with its decimal part or in scientific notation
        expect(classifyCode(`${rounded}.0`).kind).toBe('unrecoverable');
        expect(classifyCode(Number(code).toPrecision(15)).kind).toBe('unrecoverable');
      }),
      { numRuns: 500 },
    );
  });

  it('property: a valid all-digit USCC that does not end in 000 stays a valid USCC', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^9[1-3]\d{15}$/), (first17) => {
        const code = completeUscc(first17);
        fc.pre(/^\d{18}$/.test(code) && !code.endsWith('000'));
        expect(classifyCode(code)).toEqual({ kind: 'uscc', code, warnings: [] });
      }),
    );
  });
});

describe('malformed codes say what is wrong, counting characters', () => {
  it('never says "got 15" for a 15-character value', () => {
    const v = classifyCode('ABC103NA000123X');
    expect(v).toMatchObject({ kind: 'malformed', reason: 'REG15_BAD_SHAPE', length: 15 });
    expect(v.kind === 'malformed' ? v.detail : '').toBe(
      '共 15 个字符，含字母，但前 6 位不是登记机关代码（应为数字）',
    );
  });

  it('names the characters a USCC does not use', () => {
    const v = classifyCode('91610103MA6U0A1BIO');
    expect(v).toMatchObject({ kind: 'malformed', reason: 'USCC_BAD_CHARACTERS', length: 18 });
    expect(v.kind === 'malformed' ? v.detail : '').toContain('“IO”');
  });

  it('counts a character outside the BMP once', () => {
    const v = classifyCode('𠀀𠀀12');
    expect(v).toMatchObject({ kind: 'malformed', reason: 'BAD_CHARACTERS', length: 4 });
  });

  it('property: the stated length is the number of characters of the normalised text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (s) => {
        const v = classifyCode(s);
        if (v.kind !== 'malformed') return;
        const norm = s
          .trim()
          .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
        const n = [...norm.replace(/[\s\u00A0\u3000]/g, '').toUpperCase()].length;
        expect(v.length).toBe(n);
        expect(v.detail).not.toMatch(/got \d/);
      }),
    );
  });
});
