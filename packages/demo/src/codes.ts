import { USCC_CHARSET, classifyCode, completeRegNo, completeUscc } from '@choucha/core';
import type { Rng } from './prng.ts';
import type { CodeStatus } from './types.ts';

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Characters seen in the serial part of new (MA…) organisation codes. */
const SERIAL_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function orgCharValue(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : code - 55; // A=10 … Z=35
}

/** GB 11714 organisation-code check character for 8 body characters. */
export function orgCodeCheck(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += orgCharValue(body8[i] as string) * (ORG_WEIGHTS[i] as number);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * A valid USCC: 登记管理部门 9 (市场监管) + 机构类别 (1 企业, 2 个体工商户, 3 农民专业合作社), the
 * region, a 9-character organisation code (old 8-digit body, or a new MA6… serial), the check char.
 */
export function makeUscc(
  rng: Rng,
  kind: '1' | '2' | '3',
  region: string,
  newStyle: boolean,
  digitsOnly = false,
): string {
  if (digitsOnly) {
    // Excel only turns all-digit codes into numbers: retry until both check characters are digits.
    for (;;) {
      const code = makeUscc(rng, kind, region, false);
      if (/^\d{18}$/.test(code)) return code;
    }
  }
  let body: string;
  if (!newStyle) {
    body =
      rng.pick(['22', '29', '55', '57', '62', '66', '68', '71', '73', '75', '79', '05', '06', '08']) +
      rng.digits(6);
  } else {
    body =
      'MA' + rng.pick(['6', '6', '6', 'B']) + rng.pick(['T', 'U', 'W', 'X', 'Y', '0', '1', '2', 'A', 'C']);
    for (let i = 0; i < 4; i++) body += SERIAL_CHARS[rng.int(0, SERIAL_CHARS.length - 1)];
  }
  return completeUscc(`9${kind}${region}${body}${orgCodeCheck(body)}`);
}

/** A 15-digit registration number (注册号): region + type digit + serial + ISO 7064 check digit. */
export function makeRegNo(rng: Rng, region: string, individual: boolean): string {
  const typeDigit = individual ? '6' : rng.pick(['1', '1', '2', '3']);
  return completeRegNo(`${region}${typeDigit}${rng.digits(7)}`);
}

/** The same code with a wrong check character. */
export function breakCheckChar(rng: Rng, uscc: string): string {
  const right = uscc[17] as string;
  let wrong = right;
  while (wrong === right) wrong = USCC_CHARSET[rng.int(0, USCC_CHARSET.length - 1)] as string;
  return uscc.slice(0, 17) + wrong;
}

/** What Excel shows for an 18-digit number: '9.16101035E+17'. */
export function scientific(rng: Rng, digits18: string): string {
  const p = rng.pick([6, 9, 9, 15]);
  return Number(digits18).toPrecision(p).toUpperCase();
}

/** The code status the importer would give the raw text (via classifyCode from @choucha/core). */
export function codeStatusOf(raw: string | null, regionCode?: string): CodeStatus {
  const v = classifyCode(raw, regionCode);
  switch (v.kind) {
    case 'uscc':
      return v.warnings.includes('USCC_CHECK_FAILED') ? 'check_failed' : 'valid';
    case 'reg_no':
      return 'reg_no_only';
    case 'missing':
      return 'missing';
    case 'unrecoverable':
      return 'unrecoverable';
    case 'malformed':
      return 'malformed';
  }
}
