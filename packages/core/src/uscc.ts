/**
 * 统一社会信用代码 (GB 32100-2015) and the older 15-digit 注册号 (GS15-2006), read from the text
 * that bureaus' spreadsheets actually contain. Nothing here ever "repairs" a damaged code into a
 * different one: damage is reported with the raw text kept.
 */

import { classifyRegistrationNumber, regNoCheckDigit } from './registration.ts';
import type { RegNoKind } from './registration.ts';

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const CHAR_VALUE = new Map<string, number>([...USCC_CHARSET].map((c, i) => [c, i]));
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters, or undefined if a character is not allowed. */
export function usccCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHAR_VALUE.get(first17[i] as string);
    if (v === undefined) return undefined;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  const c = (31 - (sum % 31)) % 31;
  return USCC_CHARSET[c];
}

export type CodeVerdict =
  /** a well-formed USCC whose check character is right */
  | { kind: 'uscc'; code: string; warnings: CodeWarning[] }
  /** a registration number older than the USCC (registration.ts), possibly recovered from a float */
  | { kind: 'reg_no'; code: string; regNoKind: RegNoKind; warnings: CodeWarning[] }
  /** no code at all */
  | { kind: 'missing' }
  /** damaged beyond recovery (e.g. Excel scientific notation); the raw text is kept */
  | { kind: 'unrecoverable'; raw: string; reason: UnrecoverableReason }
  /** not a code of any known shape; `length` counts characters (not UTF-16 units) after normalising */
  | { kind: 'malformed'; raw: string; reason: MalformedReason; length: number; detail: string };

export type CodeWarning =
  | 'USCC_CHECK_FAILED' // legal for early pilot codes; a warning, not a rejection
  | 'USCC_REGION_MISMATCH'
  | 'REGNO_CHECK_FAILED'
  | 'RECOVERED_FROM_FLOAT' // e.g. "610103600123456.0" → exact digits
  | 'NORMALISED'; // lower case, full-width characters or spaces removed

export type UnrecoverableReason = 'SCIENTIFIC_NOTATION' | 'FLOAT_PRECISION_LOST' | 'LEADING_ZEROS_LOST';

export type MalformedReason =
  /** 18 characters, but some are not in the USCC alphabet (I, O, S, V, Z, punctuation …) */
  | 'USCC_BAD_CHARACTERS'
  /** 15 characters with letters, but the first six are not a registering authority's digits */
  | 'REG15_BAD_SHAPE'
  /** characters that no code contains (Chinese outside a text number, punctuation) */
  | 'BAD_CHARACTERS'
  /** digits and letters only, but a length no code has */
  | 'BAD_LENGTH';

function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** Characters, not UTF-16 code units (a rare CJK character outside the BMP counts once). */
function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function malformed(raw: string, s: string, reason: MalformedReason): CodeVerdict {
  const length = charCount(s);
  let detail: string;
  switch (reason) {
    case 'USCC_BAD_CHARACTERS': {
      const bad = [...new Set([...s].filter((c) => !USCC_CHARSET.includes(c)))].join('');
      detail = `共 18 个字符，符合统一社会信用代码的长度，但含有代码不使用的字符“${bad}”`;
      break;
    }
    case 'REG15_BAD_SHAPE':
      detail = '共 15 个字符，含字母，但前 6 位不是登记机关代码（应为数字）';
      break;
    case 'BAD_CHARACTERS':
      detail = `共 ${length} 个字符，含有代码不使用的文字或符号`;
      break;
    case 'BAD_LENGTH':
      detail = `共 ${length} 个字符；统一社会信用代码为 18 个字符，注册号为 15 或 13 个字符`;
      break;
  }
  return { kind: 'malformed', raw, reason, length, detail };
}

/**
 * An 18-digit, all-numeric text that ends in 000 is what Excel shows for a code it stored as a
 * number: a double keeps 15 significant digits, the rest become zeros (916101030000123456 →
 * 9.16101030000123E+17 → 916101030000123000). The code is flagged even when the check character
 * happens to agree (about 1 in 31 rounded codes): a genuine all-digit code ending in 000 is rarer
 * than that, keeps its raw text, and can be confirmed through the 重错码 queue.
 */
export function looksFloatRounded(s: string): boolean {
  return /^[1-9]\d{14}000$/.test(s);
}

/**
 * Classify a raw cell text as a USCC, a registration number, or a damaged/missing code.
 * `regionCode` (GB/T 2260, 6 digits) is the entity's region, used only for a consistency warning.
 */
export function classifyCode(rawInput: string | null | undefined, regionCode?: string): CodeVerdict {
  const raw = (rawInput ?? '').trim();
  if (raw === '' || raw === '-' || raw === '/' || raw === '无') return { kind: 'missing' };
  const warnings: CodeWarning[] = [];
  let s = toHalfWidth(raw)
    .replace(/[\s\u00A0]/g, '')
    .toUpperCase();
  if (s !== raw) warnings.push('NORMALISED');

  // Excel's scientific notation: 9.14690062012665E+17 — the trailing digits are gone for good.
  // It has a decimal point or a sign after the E; without either, digits around one E are a code
  // that contains the letter E (610103E00012345 is a 15-character registration number).
  if (/^[+-]?\d+(\.\d+E[+-]?|E[+-])\d+$/.test(s)) {
    return { kind: 'unrecoverable', raw, reason: 'SCIENTIFIC_NOTATION' };
  }
  // A number stored as a float and written with a decimal part: "610103600123456.0".
  const floatMatch = /^(\d+)\.0+$/.exec(s);
  if (floatMatch) {
    const digits = floatMatch[1] as string;
    // Integers above 2^53 cannot be held exactly by a float: the digits are not trustworthy.
    if (BigInt(digits) > 2n ** 53n) return { kind: 'unrecoverable', raw, reason: 'FLOAT_PRECISION_LOST' };
    s = digits;
    warnings.push('RECOVERED_FROM_FLOAT');
  }

  if (s.length === 18 && /^[0-9A-Z]{18}$/.test(s)) {
    if (!USCC_SHAPE.test(s)) return malformed(raw, s, 'USCC_BAD_CHARACTERS');
    if (/^\d{18}$/.test(s) && (looksFloatRounded(s) || warnings.includes('RECOVERED_FROM_FLOAT'))) {
      return { kind: 'unrecoverable', raw, reason: 'FLOAT_PRECISION_LOST' };
    }
    if (usccCheckChar(s.slice(0, 17)) !== s[17]) warnings.push('USCC_CHECK_FAILED');
    if (regionCode && !usccRegionConsistent(s, regionCode)) warnings.push('USCC_REGION_MISMATCH');
    return { kind: 'uscc', code: s, warnings };
  }
  const reg = classifyRegistrationNumber(s);
  if (reg) {
    if (reg.checkFailed) warnings.push('REGNO_CHECK_FAILED');
    return { kind: 'reg_no', code: reg.code, regNoKind: reg.kind, warnings };
  }
  // 14 or 17 digits: a number that lost its leading zero(s) when a spreadsheet stored it as a number.
  if (/^\d{14}$/.test(s) || /^\d{17}$/.test(s)) {
    return { kind: 'unrecoverable', raw, reason: 'LEADING_ZEROS_LOST' };
  }
  if (/^[0-9A-Z]{15}$/.test(s)) return malformed(raw, s, 'REG15_BAD_SHAPE');
  if (!/^[0-9A-Z]+$/.test(s)) return malformed(raw, s, 'BAD_CHARACTERS');
  return malformed(raw, s, 'BAD_LENGTH');
}

/**
 * The USCC's administrative-division part (characters 3–8) should cover the entity's region:
 * a city-level code 610100 covers district 610103; 610104 does not.
 */
export function usccRegionConsistent(uscc: string, regionCode: string): boolean {
  const part = uscc.slice(2, 8);
  if (!/^\d{6}$/.test(part) || !/^\d{6}$/.test(regionCode)) return true;
  const prefix = part.replace(/(00)+$/, '');
  return regionCode.startsWith(prefix);
}

/** Build a valid USCC from its first 17 characters (used by the demo generator and tests). */
export function completeUscc(first17: string): string {
  const c = usccCheckChar(first17);
  if (c === undefined) throw new Error(`Invariant: not a USCC prefix: ${first17}`);
  return first17 + c;
}

export function completeRegNo(first14: string): string {
  const c = regNoCheckDigit(first14);
  if (c === undefined) throw new Error(`Invariant: not a registration-number prefix: ${first14}`);
  return first14 + c;
}
