import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyCode, completeRegNo, completeUscc, USCC_CHARSET, usccCheckChar } from './uscc.ts';

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
  });

  it('recovers a 15-digit registration number stored as a float', () => {
    const reg = completeRegNo('61010360012345');
    expect(classifyCode(`${reg}.0`)).toEqual({
      kind: 'reg_no',
      code: reg,
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
