/**
 * Registration numbers older than the USCC (注册号 and its predecessors). They are the legal
 * identifiers of their time and are still in every register; they are stored as they are, with
 * their kind (entities.reg_no_kind):
 *
 * - `reg15`        15 digits (工商注册号, GS15-2006: 6-digit registering authority, 8-digit serial,
 *                  ISO 7064 MOD 11,10 check digit)
 * - `reg13`        13 digits (numbers issued before the 15-digit rule; no check digit)
 * - `reg15_alnum`  15 characters with letters after the 6-digit authority code (co-operatives,
 *                  branches: 610103NA000123X)
 * - `text`         a text number of a foreign-invested or older enterprise: 企独陕总字第001234号,
 *                  企合陕西安总字第000123号, 工商企字第1234号
 *
 * Pure: no I/O, no clock.
 */

export type RegNoKind = 'reg15' | 'reg13' | 'reg15_alnum' | 'text';
export const REG_NO_KINDS: readonly RegNoKind[] = ['reg15', 'reg13', 'reg15_alnum', 'text'];

/** Chinese names of the kinds (reports, the dry run). */
export const REG_NO_KIND_ZH: Record<RegNoKind, string> = {
  reg15: '15 位注册号',
  reg13: '13 位注册号',
  reg15_alnum: '15 位含字母注册号',
  text: '文字注册号',
};

export interface RegistrationNumber {
  readonly kind: RegNoKind;
  /** The number as stored: half-width, no spaces, letters upper-case. */
  readonly code: string;
  /** reg15 only: the MOD 11,10 check digit does not match (a warning: old numbers may fail it). */
  readonly checkFailed: boolean;
}

/** ISO 7064 MOD 11,10 check digit of a 15-digit registration number's first 14 digits. */
export function regNoCheckDigit(first14: string): string | undefined {
  if (!/^\d{14}$/.test(first14)) return undefined;
  let p = 10;
  for (const ch of first14) {
    let s = (p % 11) + Number(ch);
    s = s % 10 === 0 ? 10 : s % 10;
    p = s * 2;
  }
  const check = (11 - (p % 11)) % 10;
  return String(check);
}

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff';
/**
 * A text number: Chinese characters (issuing body and series, e.g. 企独陕总), optionally 字 and 第,
 * a serial of digits (letters and hyphens allowed), 号. Brackets are allowed in the prefix.
 */
const TEXT_NUMBER = new RegExp(`^[${HAN}()（）]{1,24}[0-9A-Z-]{1,16}号$`);

/** Full-width → half-width, spaces removed, letters upper-case (the form a number is stored in). */
export function normaliseRegistrationText(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u00A0\u3000]/g, '')
    .toUpperCase();
}

/**
 * The kind of a registration number, or undefined when the text is none of the known shapes.
 * `text` must already be normalised (normaliseRegistrationText); digits-only texts of other lengths
 * (14, 17 …) are not registration numbers here (they are usually damaged codes, see uscc.ts).
 */
export function classifyRegistrationNumber(text: string): RegistrationNumber | undefined {
  if (/^\d{15}$/.test(text)) {
    return { kind: 'reg15', code: text, checkFailed: regNoCheckDigit(text.slice(0, 14)) !== text[14] };
  }
  if (/^\d{13}$/.test(text)) return { kind: 'reg13', code: text, checkFailed: false };
  if (/^\d{6}[0-9A-Z]{9}$/.test(text) && /[A-Z]/.test(text)) {
    return { kind: 'reg15_alnum', code: text, checkFailed: false };
  }
  if (TEXT_NUMBER.test(text) && /\d/.test(text) && /[企字第]/.test(text)) {
    return { kind: 'text', code: text, checkFailed: false };
  }
  return undefined;
}

export function isRegNoKind(s: unknown): s is RegNoKind {
  return typeof s === 'string' && (REG_NO_KINDS as readonly string[]).includes(s);
}
