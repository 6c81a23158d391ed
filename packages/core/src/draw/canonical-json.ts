/**
 * Canonical JSON (draw-protocol v1 §2): RFC 8785 (JCS) restricted to strings, safe integers,
 * booleans, null, arrays and objects. Object keys sorted by code point (= UTF-8 byte order),
 * no whitespace, strings escaped as JSON.stringify does (", \, and U+0000–U+001F only;
 * \b \t \n \f \r short forms, otherwise \u00xx lower-case). Lone surrogates are refused.
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { drawErr, type DrawError } from './errors.ts';

export type CanonicalValue =
  string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Compares strings by Unicode code point, which is the byte order of their UTF-8 encodings. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+D800–DFFF) encode code points above U+FFFF: they sort after U+E000–U+FFFF.
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? (y >= 0xe000 ? 1 : x - y) : x >= 0xe000 ? -1 : x - y;
      return x - y;
    }
  }
  return a.length - b.length;
}

export function toCanonicalJson(value: unknown): Result<string, DrawError> {
  const out: string[] = [];
  const problem = write(value, '$', out);
  if (problem) return drawErr('DRAW_INPUT_INVALID', `Not canonical-JSON-able: ${problem}`);
  return ok(out.join(''));
}

function write(v: unknown, path: string, out: string[]): string | undefined {
  if (v === null) out.push('null');
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return `${path} is not a safe integer (${v})`;
    out.push(String(v));
  } else if (typeof v === 'string') {
    if (LONE_SURROGATE.test(v)) return `${path} contains a lone surrogate`;
    out.push(JSON.stringify(v));
  } else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      const p = write(v[i], `${path}[${i}]`, out);
      if (p) return p;
    }
    out.push(']');
  } else if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort(compareUtf8);
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (LONE_SURROGATE.test(k)) return `${path} has a key with a lone surrogate`;
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      const p = write(o[k], `${path}.${k}`, out);
      if (p) return p;
    }
    out.push('}');
  } else return `${path} has unsupported type ${typeof v}`;
  return undefined;
}
