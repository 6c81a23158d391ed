/**
 * Strict JSON parse of a bundle file (draw-protocol v2 §2, §12 step 1). RFC 8259 JSON, and refused
 * with BUNDLE_JSON_INVALID (the message says where: the offset in the text, in UTF-16 code units,
 * and for a repeated member the path of the object and the name; details { offset, path?, name? }):
 *  - a byte order mark at the start;
 *  - a member name twice in one object (compared after unescaping: "a" and "\u0061" are the same);
 *  - a number with a fraction or an exponent (`1.0`, `1e0`, `1E0`); `-0` (not canonical: zero is
 *    written `0`); an integer beyond ±(2^53−1);
 *  - a lone surrogate in a string or a member name, whether from an escape (`\ud800` not followed
 *    by an escape `\udc00`–`\udfff`, or a lone `\udc00`) or raw in the text (possible only when
 *    the caller made the text from something else than fatally decoded UTF-8). Checked on the
 *    decoded strings, so an escaped high surrogate followed by a raw low one reads as the pair;
 *  - anything else RFC 8259 refuses (raw control characters in strings, trailing commas, …).
 *
 * How: JSON.parse first (native: the grammar, the escapes, raw control characters in strings, the
 * values); then one pass of a scanner over the text, which may now assume valid JSON: it skips
 * through every string with indexOf for the closing '"' and checks the numbers and the member
 * names of each object; then a walk over the parsed value checks that every string is well-formed
 * (V8 makes ASCII strings one-byte, where that costs nothing). Only on a lone surrogate does the
 * scanner run again, looking at every \u escape, to say where.
 *
 * Measured (Node 20.20, 2 vCPU shared with other helpers' work — load 9 to 18 —, CPU time by
 * process.cpuUsage; the script is sketched at the end of strict-json.test.ts): a 162 MB text,
 * read from a file and fatally decoded, with two 73 MB strings (rosters of 850,000 lines
 * `key\thex64\n`, 1.7 M escapes each) and 100,000 objects of 4 members:
 *   ASCII text (one-byte string):          JSON.parse 240 ms, parseStrictJson 0.32–0.45 s;
 *   with one Chinese name (two-byte text): JSON.parse 350 ms, parseStrictJson 0.42–0.45 s.
 * (Wall time was 2–3× that under the load; on an idle machine it is the CPU time.) Slower
 * designs measured and dropped: checking the grammar with closures before JSON.parse (0.36 s warm,
 * 1.0 s cold); isWellFormed on the whole text and an indexOf('\\u') pass (+0.23 s on two-byte).
 */
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { drawErr, type DrawError } from '../errors.ts';

const MAX_DIGITS = '9007199254740991'; // 2^53 − 1, 16 digits
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Refusal {
  at: number;
  what: string;
  path: string;
  name?: string;
}

/** The value of 4 hex digits at i, or -1. */
function hex4(text: string, i: number): number {
  if (i + 4 > text.length) return -1;
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = text.charCodeAt(i + k);
    if (c >= 48 && c <= 57) v = v * 16 + c - 48;
    else if ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)) v = v * 16 + (c | 32) - 87;
    else return -1;
  }
  return v;
}

/** Number of backslashes right before position b (inside a string it stops at the opening quote). */
function backslashesBefore(text: string, b: number): number {
  let k = b - 1;
  while (text.charCodeAt(k) === 92) k--;
  return b - 1 - k;
}

function isWellFormed(text: string): boolean {
  const f = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof f === 'function') return f.call(text);
  return !LONE_SURROGATE.test(text);
}

/** Stacks of the scanner, by depth (reused). */
interface Stacks {
  isObject: boolean[];
  /** Array: the current element's index; object: the number of members so far. */
  index: number[];
  /** Object: the member names so far (searched linearly while few, then through `sets`). */
  names: string[][];
  sets: (Set<string> | null)[];
  /** Object: the current member's name (for paths). */
  current: string[];
}

function pathOf(s: Stacks, depth: number): string {
  let p = '$';
  for (let d = 0; d < depth; d++) {
    if (s.isObject[d]) {
      if (s.index[d] === 0) break;
      const name = s.current[d]!;
      p += IDENT.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
    } else p += `[${s.index[d]}]`;
  }
  return p;
}

/**
 * Checks the rules JSON.parse does not check, on a text JSON.parse accepted. Returns the first
 * refusal, or undefined.
 */
function scan(text: string, escapes: boolean): Refusal | undefined {
  const n = text.length;
  const s: Stacks = { isObject: [], index: [], names: [], sets: [], current: [] };
  let depth = 0;
  let nextU = escapes ? -1 : n; // position of the next "\u" at or after i (n when none)
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      // The closing quote: the next '"' after an even number of backslashes.
      let q = text.indexOf('"', i + 1);
      while (text.charCodeAt(q - 1) === 92 && backslashesBefore(text, q) % 2 === 1)
        q = text.indexOf('"', q + 1);
      // The \u escapes in it (JSON.parse checked that every escape is well-formed).
      let hasEscape = false;
      let p = i + 1;
      for (;;) {
        if (nextU < p) {
          nextU = text.indexOf('\\u', p);
          if (nextU < 0) nextU = n;
        }
        if (nextU > q) break;
        const b = nextU;
        p = b + 1;
        if (backslashesBefore(text, b) % 2 === 1) continue; // an escaped backslash, then 'u'
        hasEscape = true;
        const v = hex4(text, b + 2);
        if (v >= 0xdc00 && v <= 0xdfff)
          return {
            at: b,
            what: `a lone surrogate escape \\u${text.slice(b + 2, b + 6)} (a low surrogate without a high one)`,
            path: pathOf(s, depth),
          };
        if (v >= 0xd800 && v <= 0xdbff) {
          const w = text.charCodeAt(b + 6) === 92 && text.charCodeAt(b + 7) === 117 ? hex4(text, b + 8) : -1;
          if (w < 0xdc00 || w > 0xdfff)
            return {
              at: b,
              what: `a lone surrogate escape \\u${text.slice(b + 2, b + 6)} (a high surrogate without a low one)`,
              path: pathOf(s, depth),
            };
          p = b + 12;
        } else p = b + 6;
      }
      i = q + 1;
      // A member name iff the innermost open container is an object and a ':' follows.
      if (depth > 0 && s.isObject[depth - 1]) {
        let j = i;
        let d = text.charCodeAt(j);
        while (d === 32 || d === 10 || d === 13 || d === 9) d = text.charCodeAt(++j);
        if (d === 58 /* : */) {
          let name = text.slice(start + 1, q);
          if (hasEscape || name.includes('\\')) name = JSON.parse(text.slice(start, q + 1)) as string;
          const names = s.names[depth - 1]!;
          let set = s.sets[depth - 1]!;
          const dup = set ? set.has(name) : names.includes(name);
          if (dup) {
            const path = pathOf(s, depth - 1);
            return {
              at: start,
              what: `the member name ${JSON.stringify(name)} twice in the object at ${path}`,
              path,
              name,
            };
          }
          if (set) set.add(name);
          else {
            names.push(name);
            if (names.length > 16) s.sets[depth - 1] = set = new Set(names);
          }
          s.index[depth - 1]!++;
          s.current[depth - 1] = name;
          i = j + 1;
        }
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const obj = c === 123;
      s.isObject[depth] = obj;
      s.index[depth] = 0;
      if (obj) {
        const names = s.names[depth];
        if (names) names.length = 0;
        else s.names[depth] = [];
        s.sets[depth] = null;
      }
      depth++;
      i++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      i++;
    } else if (c === 44 /* , */) {
      if (!s.isObject[depth - 1]) s.index[depth - 1]!++;
      i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      const d0 = i;
      let d = text.charCodeAt(i);
      while (d >= 48 && d <= 57) d = text.charCodeAt(++i);
      const len = i - d0;
      let what: string | undefined;
      if (d === 46 || d === 101 || d === 69)
        what = 'a number with a fraction or an exponent (only integers are allowed)';
      else if (start < d0 && len === 1 && text.charCodeAt(d0) === 48)
        what = 'the number -0 (not canonical: write 0)';
      else if (len > 16 || (len === 16 && text.slice(d0, i) > MAX_DIGITS))
        what = 'an integer beyond ±(2^53−1)';
      if (what) return { at: start, what, path: pathOf(s, depth) };
    } else i++; // whitespace, ':', and the letters of true / false / null
  }
  return undefined;
}

function refusal(r: Refusal) {
  return drawErr('BUNDLE_JSON_INVALID', `Not strict JSON at offset ${r.at} (${r.path}): ${r.what}`, {
    offset: r.at,
    path: r.path,
    ...(r.name !== undefined ? { name: r.name } : {}),
  });
}

/**
 * Every string and member name of a parsed value is well-formed (no lone surrogate). Iterative;
 * V8 makes the strings of ASCII content one-byte, where isWellFormed costs nothing, so this is
 * far cheaper than isWellFormed on a text that has any non-Latin-1 character (two-byte).
 */
function allWellFormed(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === 'string') {
      if (!isWellFormed(x)) return false;
    } else if (typeof x === 'object' && x !== null) {
      if (Array.isArray(x)) for (let i = 0; i < x.length; i++) stack.push(x[i]);
      else
        for (const k of Object.keys(x)) {
          if (!isWellFormed(k)) return false;
          stack.push((x as Record<string, unknown>)[k]);
        }
    }
  }
  return true;
}

/** Parses a bundle file's text strictly (§2); BUNDLE_JSON_INVALID saying where otherwise. */
export function parseStrictJson(text: string): Result<unknown, DrawError> {
  if (text.charCodeAt(0) === 0xfeff)
    return drawErr('BUNDLE_JSON_INVALID', 'Not strict JSON at offset 0: a byte order mark at the start', {
      offset: 0,
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    return drawErr(
      'BUNDLE_JSON_INVALID',
      `Not JSON${at ? ` at offset ${at[1]}` : ''}: ${msg}`,
      at ? { offset: Number(at[1]) } : {},
    );
  }
  const r = scan(text, false);
  if (r) return refusal(r);
  if (!allWellFormed(value)) {
    // A lone surrogate (from an escape, or raw in the text): find where, the slow way.
    const e = scan(text, true);
    if (e) return refusal(e);
    const m = LONE_SURROGATE.exec(text);
    const at = m ? m.index : 0;
    return drawErr('BUNDLE_JSON_INVALID', `Not strict JSON at offset ${at}: a lone surrogate in the text`, {
      offset: at,
    });
  }
  return ok(value);
}
